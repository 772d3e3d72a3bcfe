//! Catalog items: what can be sold, keyed by GTIN.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::gtin::Gtin;
use crate::money::Currency;

/// How an item is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
// `ItemUnit` in the bindings: `Unit` would shadow Kotlin's own `Unit` type.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "ItemUnit"))]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Sold by the piece: quantities are whole numbers.
    #[default]
    Each,
    /// Weighed: the price is per kilogram and quantities have up to three decimals (grams).
    Kg,
}

impl Unit {
    /// Parses `each` or `kg`.
    pub fn parse(text: &str) -> Result<Unit, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "each" | "pcs" | "ea" => Ok(Unit::Each),
            "kg" => Ok(Unit::Kg),
            other => Err(DomainError::invalid(
                "unit",
                format!("`{other}` is not `each` or `kg`"),
            )),
        }
    }

    /// The name stored and printed.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Each => "each",
            Unit::Kg => "kg",
        }
    }

    /// The largest quantity of one line, to catch a barcode typed into the quantity field or
    /// grams typed as kilograms.
    pub fn max_quantity(self) -> Decimal {
        match self {
            Unit::Each => Decimal::from(9_999),
            Unit::Kg => Decimal::from(100),
        }
    }

    /// Checks a sale quantity: positive, whole for `each`, at most three decimals for `kg`.
    pub fn check_quantity(self, quantity: Decimal) -> Result<(), DomainError> {
        if quantity <= Decimal::ZERO {
            return Err(DomainError::invalid(
                "quantity",
                format!("{quantity} must be more than zero"),
            ));
        }
        if quantity > self.max_quantity() {
            return Err(DomainError::invalid(
                "quantity",
                format!(
                    "{quantity} is more than the {} {self} allowed on one line{}",
                    self.max_quantity(),
                    if self == Unit::Kg {
                        " (weights are in kg: 0.750 for 750 g)"
                    } else {
                        ""
                    }
                ),
            ));
        }
        self.check_decimals("quantity", quantity)
    }

    /// Checks that `value` has no more decimals than this unit allows.
    pub fn check_decimals(self, field: &str, value: Decimal) -> Result<(), DomainError> {
        let scale = value.normalize().scale();
        match self {
            Unit::Each if scale > 0 => Err(DomainError::invalid(
                field,
                format!("{value} must be a whole number for items sold each"),
            )),
            Unit::Kg if scale > 3 => Err(DomainError::invalid(
                field,
                format!("{value} has more than three decimals (grams) for items sold by kg"),
            )),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A product that can be sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Item {
    /// The key: the GTIN normalised to 14 digits.
    pub gtin: Gtin,
    /// The merchant's own code, if any.
    pub sku: Option<String>,
    /// The name on screen and on the receipt.
    pub name: String,
    /// Price per unit (per kg for weighed items), as on the shelf.
    pub price: Decimal,
    /// The tax category code (see [`crate::tax::TaxCategory`]).
    pub tax_category: String,
    /// How it is counted.
    pub unit: Unit,
    /// A category for the register's grid and the reports.
    pub category: Option<String>,
    /// Units on hand (kg for weighed items).
    pub stock: Decimal,
}

/// The longest item name accepted.
pub const MAX_NAME_CHARS: usize = 120;

/// An item as read from a file or typed in: every field still text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemInput<'a> {
    /// GTIN as given (8, 12, 13 or 14 digits).
    pub gtin: &'a str,
    /// SKU, possibly empty.
    pub sku: &'a str,
    /// Name.
    pub name: &'a str,
    /// Price as typed.
    pub price: &'a str,
    /// Tax category code.
    pub tax_category: &'a str,
    /// `each` or `kg`.
    pub unit: &'a str,
    /// Category, possibly empty.
    pub category: &'a str,
    /// Stock, possibly empty (zero).
    pub stock: &'a str,
}

impl ItemInput<'_> {
    /// Validates every field and builds the item. `known_tax_category` says whether a tax
    /// category code exists in the store. Every fault found is returned, not only the first.
    pub fn validate(
        &self,
        currency: Currency,
        known_tax_category: impl Fn(&str) -> bool,
    ) -> Result<Item, Vec<DomainError>> {
        let mut errors = Vec::new();
        let gtin = Gtin::parse(self.gtin).map_err(|e| errors.push(e)).ok();

        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errors.push(DomainError::invalid("name", "is missing"));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(DomainError::invalid(
                "name",
                format!("is longer than {MAX_NAME_CHARS} characters"),
            ));
        }

        let price = currency
            .parse_amount("price", self.price)
            .map_err(|e| errors.push(e))
            .ok();

        let tax_category = self.tax_category.trim().to_string();
        if tax_category.is_empty() {
            errors.push(DomainError::invalid("tax_category", "is missing"));
        } else if !known_tax_category(&tax_category) {
            errors.push(DomainError::invalid(
                "tax_category",
                format!("`{tax_category}` is not one of the store's tax categories"),
            ));
        }

        let unit = Unit::parse(self.unit).map_err(|e| errors.push(e)).ok();

        let stock = if self.stock.trim().is_empty() {
            Some(Decimal::ZERO)
        } else {
            match self.stock.trim().parse::<Decimal>() {
                Ok(stock) if stock.is_sign_negative() && !stock.is_zero() => {
                    errors.push(DomainError::invalid(
                        "stock",
                        format!("{stock} is negative"),
                    ));
                    None
                }
                Ok(stock) => {
                    if let Some(unit) = unit
                        && let Err(e) = unit.check_decimals("stock", stock)
                    {
                        errors.push(e);
                    }
                    Some(stock)
                }
                Err(_) => {
                    errors.push(DomainError::invalid(
                        "stock",
                        format!("`{}` is not a number", self.stock.trim()),
                    ));
                    None
                }
            }
        };

        match (gtin, price, unit, stock) {
            (Some(gtin), Some(price), Some(unit), Some(stock)) if errors.is_empty() => Ok(Item {
                gtin,
                sku: Some(self.sku.trim().to_string()).filter(|s| !s.is_empty()),
                name,
                price,
                tax_category,
                unit,
                category: Some(
                    self.category
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                )
                .filter(|s| !s.is_empty()),
                stock,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(gtin: &'a str, name: &'a str, price: &'a str, unit: &'a str) -> ItemInput<'a> {
        ItemInput {
            gtin,
            name,
            price,
            unit,
            tax_category: "ppn",
            ..Default::default()
        }
    }

    #[test]
    fn a_good_row_becomes_an_item() {
        let item = input("8992388101016", "  Teh   Botol ", "4000", "each")
            .validate(Currency::IDR, |c| c == "ppn")
            .unwrap();
        assert_eq!(item.gtin.as_str(), "08992388101016");
        assert_eq!(item.name, "Teh Botol");
        assert_eq!(item.price, Decimal::from(4000));
        assert_eq!(item.stock, Decimal::ZERO);
    }

    #[test]
    fn every_fault_of_a_row_is_reported() {
        let errors = ItemInput {
            tax_category: "vat",
            ..input("8992388101019", "", "12,5a", "box")
        }
        .validate(Currency::IDR, |c| c == "ppn")
        .unwrap_err();
        let fields: Vec<String> = errors
            .iter()
            .map(|e| match e {
                DomainError::Invalid { field, .. } => field.clone(),
                other => other.to_string(),
            })
            .collect();
        assert_eq!(
            fields,
            vec!["gtin", "name", "price", "tax_category", "unit"]
        );
    }

    #[test]
    fn quantities_follow_the_unit() {
        assert!(Unit::Each.check_quantity(Decimal::new(15, 1)).is_err());
        assert!(Unit::Kg.check_quantity(Decimal::new(2750, 3)).is_ok());
        assert!(Unit::Kg.check_quantity(Decimal::new(27505, 4)).is_err());
        assert!(Unit::Each.check_quantity(Decimal::ZERO).is_err());
        assert!(Unit::Each.check_quantity(Decimal::from(8_992_388)).is_err());
        let err = Unit::Kg
            .check_quantity(Decimal::from(750))
            .unwrap_err()
            .to_string();
        assert!(err.contains("0.750 for 750 g"), "{err}");
    }
}
