//! What the register should do with a scan.
//!
//! [`Scanner::decide`] takes a read, classifies it, looks the product up through the
//! [`Catalog`] the caller provides (the store on a device, a map in tests) and returns a
//! [`ScanResult`]: add this product with this quantity and price, open this gift card, look up
//! this member, show this receipt, or a [`Reason`] why not. Deciding never changes anything;
//! the register acts on the result.
//!
//! Quantities and prices:
//! - a product scanned plainly is one unit (a weighed product needs its weight typed);
//! - a weight label or GS1 net weight (310n) on an item sold by kg is that many kg;
//! - a price label or GS1 price (392n/393n) is what the line costs. For an item sold by kg the
//!   weight is the price over the unit price, to the gram, and the line's unit price is set so
//!   that the rounded line is exactly the label's price (2.65 at 1.50/kg is 1.767 kg at 1.50,
//!   which rounds to 2.65). When no unit price does that, the line is one unit at the label's
//!   price.

use jiff::civil::Date;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use kasir_domain::rounding::{Rounding, round};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::code::{Code, classify};
use crate::error::ScanError;
use crate::gs1::ElementString;
use crate::kasir_code::KasirKind;
use crate::scale::{ScaleRule, ValueKind};
use crate::symbology::{Read, Symbology};

/// Where products are looked up. The store implements it on a device; tests use a map.
pub trait Catalog {
    /// Why a lookup failed (a storage error, not "not found").
    type Error;

    /// The item stored under `gtin`, if any.
    fn item(&self, gtin: &Gtin) -> Result<Option<Item>, Self::Error>;

    /// The item whose merchant code (SKU) is `code`, if any.
    fn item_by_sku(&self, code: &str) -> Result<Option<Item>, Self::Error> {
        let _ = code;
        Ok(None)
    }
}

/// The store's scanning settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanSettings {
    /// Layouts of the store's scale labels.
    #[serde(default)]
    pub scale_rules: Vec<ScaleRule>,
    /// Refuse GS1 codes whose expiry date (17) has passed.
    #[serde(default)]
    pub block_expired: bool,
}

/// Why a scan adds nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Reason {
    /// The code is valid but no product has it.
    #[error("no product has code {code}")]
    UnknownProduct {
        /// The code as read.
        code: String,
    },
    /// A check digit does not hold: a misread or a mistyped code.
    #[error("bad check digit: {detail}")]
    BadCheckDigit {
        /// The code as read.
        code: String,
        /// Which digit and what it must be.
        detail: String,
    },
    /// The symbology carries nothing Kasir sells from.
    #[error("unsupported symbology: {detail}")]
    UnsupportedSymbology {
        /// Which symbology.
        detail: String,
    },
    /// The lot's expiry date has passed and the store blocks expired goods.
    #[error("{gtin} expired on {expiry}")]
    Expired {
        /// The product's GTIN.
        gtin: Gtin,
        /// Its expiry date.
        expiry: Date,
    },
    /// The code breaks its own syntax: GS1 data, a Digital Link, a Kasir code.
    #[error("{detail}")]
    Malformed {
        /// The code as read.
        code: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The code's weight or price does not fit the product or the store.
    #[error("{detail}")]
    DoesNotFit {
        /// The code as read.
        code: String,
        /// Why, for example a weight on an item sold each.
        detail: String,
    },
    /// Text that is no product key, Kasir code or SKU (a web address, for example).
    #[error("`{text}` is not a product code")]
    NotAProductCode {
        /// The text as read.
        text: String,
    },
}

impl Reason {
    fn from_error(code: &str, error: ScanError) -> Reason {
        match error {
            ScanError::CheckDigit { .. } => Reason::BadCheckDigit {
                code: code.to_string(),
                detail: error.to_string(),
            },
            ScanError::Symbology(detail) => Reason::UnsupportedSymbology { detail },
            other => Reason::Malformed {
                code: code.to_string(),
                detail: other.to_string(),
            },
        }
    }
}

/// Add a product to the sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddProduct {
    /// The product as stored.
    pub item: Item,
    /// How many units (kilograms for an item sold by kg).
    pub quantity: Decimal,
    /// The price per unit to charge: the item's price, or one derived from a label's price.
    pub unit_price: Decimal,
    /// The weight in kg the code gave or implied, if any.
    pub weight: Option<Decimal>,
    /// The price the code printed for the line, if any.
    pub label_price: Option<Decimal>,
    /// The batch or lot (GS1 (10)).
    pub batch: Option<String>,
    /// The serial number (GS1 (21)).
    pub serial: Option<String>,
    /// The expiry date (GS1 (17)).
    pub expiry: Option<Date>,
    /// The symbology it was read in.
    pub symbology: Symbology,
}

impl AddProduct {
    /// The item to put in the cart: the stored item at [`AddProduct::unit_price`].
    pub fn priced_item(&self) -> Item {
        Item {
            price: self.unit_price,
            ..self.item.clone()
        }
    }
}

/// What the register should do with a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum ScanResult {
    /// Add a product.
    AddProduct(Box<AddProduct>),
    /// Open the gift card with this number.
    OpenGiftCard {
        /// The gift card number.
        number: String,
    },
    /// Look up the customer with this member number.
    LookUpCustomer {
        /// The member number.
        member: String,
    },
    /// Show the receipt with this number (to refund or reprint).
    ShowReceipt {
        /// The receipt number.
        number: String,
    },
    /// Do nothing, for this reason.
    Rejected(Reason),
}

/// Turns reads into decisions with the store's settings.
#[derive(Debug, Clone)]
pub struct Scanner {
    settings: ScanSettings,
    currency: Currency,
}

impl Scanner {
    /// A scanner for a store trading in `currency`; every scale rule is checked.
    pub fn new(settings: ScanSettings, currency: Currency) -> Result<Scanner, ScanError> {
        for (i, rule) in settings.scale_rules.iter().enumerate() {
            rule.validate(currency).map_err(|e| match e {
                ScanError::ScaleRule { field, reason } => ScanError::ScaleRule {
                    field: format!("{} {field}", i + 1),
                    reason,
                },
                other => other,
            })?;
        }
        Ok(Scanner { settings, currency })
    }

    /// The settings in use.
    pub fn settings(&self) -> &ScanSettings {
        &self.settings
    }

    /// Classifies `read` without looking anything up.
    pub fn classify(&self, read: &Read) -> Result<Code, ScanError> {
        classify(read, &self.settings.scale_rules)
    }

    /// Decides what `read` means for the sale, looking products up in `catalog`. `today`
    /// (the store's business date) judges expiry dates.
    pub fn decide<C: Catalog>(
        &self,
        read: &Read,
        catalog: &C,
        today: Date,
    ) -> Result<ScanResult, C::Error> {
        let symbology = read.resolve().map_or(read.symbology, |r| r.symbology);
        let code = match self.classify(read) {
            Ok(code) => code,
            Err(e) => return Ok(ScanResult::Rejected(Reason::from_error(&read.text, e))),
        };
        let plain = Plain {
            symbology,
            currency: self.currency,
        };
        match code {
            Code::Kasir(k) => Ok(match k.kind {
                KasirKind::GiftCard => ScanResult::OpenGiftCard { number: k.id },
                KasirKind::Member => ScanResult::LookUpCustomer { member: k.id },
                KasirKind::Receipt => ScanResult::ShowReceipt { number: k.id },
            }),
            Code::Product { text, candidates } => {
                for gtin in &candidates {
                    if let Some(item) = catalog.item(gtin)? {
                        return Ok(plain.one(item));
                    }
                }
                // Typed digits may be a SKU that happens to look like a GTIN.
                if symbology == Symbology::Unknown
                    && let Some(item) = catalog.item_by_sku(&text)?
                {
                    return Ok(plain.one(item));
                }
                Ok(ScanResult::Rejected(Reason::UnknownProduct { code: text }))
            }
            Code::BadGtin { text, error } => match catalog.item_by_sku(&text)? {
                Some(item) => Ok(plain.one(item)),
                None => Ok(ScanResult::Rejected(Reason::from_error(&text, error))),
            },
            Code::Text { text } => match catalog.item_by_sku(&text)? {
                Some(item) => Ok(plain.one(item)),
                None if text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
                    Ok(ScanResult::Rejected(Reason::UnknownProduct { code: text }))
                }
                None => Ok(ScanResult::Rejected(Reason::NotAProductCode { text })),
            },
            Code::ScaleLabel(label) => {
                let Some(item) = catalog.item(&label.key)? else {
                    return Ok(ScanResult::Rejected(Reason::UnknownProduct {
                        code: label.code,
                    }));
                };
                let measured = match label.kind {
                    ValueKind::Weight => Measured::Weight(label.value),
                    ValueKind::Price => Measured::Price(label.value),
                };
                Ok(plain.measured(item, measured, &label.code, true))
            }
            Code::Gs1 { text, data } => self.gs1(&plain, &text, &data, catalog, today),
        }
    }

    fn gs1<C: Catalog>(
        &self,
        plain: &Plain,
        text: &str,
        data: &ElementString,
        catalog: &C,
        today: Date,
    ) -> Result<ScanResult, C::Error> {
        if let Err(e) = data.check_associations() {
            return Ok(ScanResult::Rejected(Reason::from_error(text, e)));
        }
        let gtin = match data.gtin() {
            Some(Ok(gtin)) => gtin,
            Some(Err(e)) => return Ok(ScanResult::Rejected(Reason::from_error(text, e))),
            None => {
                return Ok(ScanResult::Rejected(Reason::NotAProductCode {
                    text: text.to_string(),
                }));
            }
        };
        let expiry = data.expiry(today);
        if self.settings.block_expired
            && let Some(expiry) = expiry
            && expiry < today
        {
            return Ok(ScanResult::Rejected(Reason::Expired { gtin, expiry }));
        }
        let Some(item) = catalog.item(&gtin)? else {
            return Ok(ScanResult::Rejected(Reason::UnknownProduct {
                code: gtin.short_form().to_string(),
            }));
        };
        let measured = match (data.price(), data.net_weight_kg()) {
            (Some(price), weight) => {
                if let Some(number) = &price.currency_number
                    && currency_number(self.currency) != Some(number.as_str())
                {
                    return Ok(ScanResult::Rejected(Reason::DoesNotFit {
                        code: text.to_string(),
                        detail: format!(
                            "the price is in ISO 4217 currency {number}, the store sells in {}",
                            self.currency.code()
                        ),
                    }));
                }
                Measured::PriceAndWeight(price.amount, weight)
            }
            (None, Some(weight)) => Measured::Weight(weight),
            (None, None) => Measured::Nothing,
        };
        let mut result = plain.measured(item, measured, text, false);
        if let ScanResult::AddProduct(add) = &mut result {
            add.batch = data.batch().map(str::to_string);
            add.serial = data.serial().map(str::to_string);
            add.expiry = expiry;
        }
        Ok(result)
    }
}

enum Measured {
    Nothing,
    Weight(Decimal),
    Price(Decimal),
    PriceAndWeight(Decimal, Option<Decimal>),
}

struct Plain {
    symbology: Symbology,
    currency: Currency,
}

impl Plain {
    fn add(&self, item: Item, quantity: Decimal, unit_price: Decimal) -> AddProduct {
        AddProduct {
            item,
            quantity,
            unit_price,
            weight: None,
            label_price: None,
            batch: None,
            serial: None,
            expiry: None,
            symbology: self.symbology,
        }
    }

    fn one(&self, item: Item) -> ScanResult {
        let price = item.price;
        ScanResult::AddProduct(Box::new(self.add(item, Decimal::ONE, price)))
    }

    /// A product with what its code measured. A scale label's weight must fit an item sold by
    /// kg (`strict`); a GS1 net weight on an item sold each is only information.
    fn measured(&self, item: Item, measured: Measured, code: &str, strict: bool) -> ScanResult {
        let decimals = self.currency.minor_units();
        match measured {
            Measured::Nothing => self.one(item),
            Measured::Weight(weight) => {
                if item.unit == Unit::Kg {
                    if weight.is_zero() {
                        return ScanResult::Rejected(Reason::DoesNotFit {
                            code: code.to_string(),
                            detail: format!("the label weighs nothing ({} kg)", weight),
                        });
                    }
                    let price = item.price;
                    let mut add = self.add(item, weight, price);
                    add.weight = Some(weight);
                    return ScanResult::AddProduct(Box::new(add));
                }
                if strict {
                    return ScanResult::Rejected(Reason::DoesNotFit {
                        code: code.to_string(),
                        detail: format!(
                            "the label gives a weight ({weight} kg), but {} is sold each",
                            item.name
                        ),
                    });
                }
                let price = item.price;
                let mut add = self.add(item, Decimal::ONE, price);
                add.weight = Some(weight);
                ScanResult::AddProduct(Box::new(add))
            }
            Measured::Price(price) | Measured::PriceAndWeight(price, _) => {
                let given_weight = match measured {
                    Measured::PriceAndWeight(_, w) => w,
                    _ => None,
                };
                if round(price, decimals, Rounding::Down) != price {
                    return ScanResult::Rejected(Reason::DoesNotFit {
                        code: code.to_string(),
                        detail: format!(
                            "the price {price} has more decimals than {} has",
                            self.currency.code()
                        ),
                    });
                }
                if item.unit == Unit::Kg && !item.price.is_zero() {
                    // The weight the price buys, to the gram.
                    let weight = given_weight.unwrap_or_else(|| {
                        round(price / item.price, 3, Rounding::HalfAwayFromZero)
                    });
                    let mut add = match exact_unit_price(price, weight, item.price, decimals) {
                        Some(unit_price) => self.add(item, weight, unit_price),
                        None => self.add(item, Decimal::ONE, price),
                    };
                    add.weight = Some(weight);
                    add.label_price = Some(price);
                    return ScanResult::AddProduct(Box::new(add));
                }
                let mut add = self.add(item, Decimal::ONE, price);
                add.weight = given_weight;
                add.label_price = Some(price);
                ScanResult::AddProduct(Box::new(add))
            }
        }
    }
}

/// A unit price, in whole minor units, at which `weight` rounds to exactly `price`: the
/// item's own price when it does, else the nearest that does. `None` when the weight is zero
/// or no unit price gives the label's amount.
fn exact_unit_price(
    price: Decimal,
    weight: Decimal,
    item_price: Decimal,
    decimals: u32,
) -> Option<Decimal> {
    if weight <= Decimal::ZERO {
        return None;
    }
    let line = |unit: Decimal| round(weight * unit, decimals, Rounding::HalfAwayFromZero);
    if line(item_price) == price {
        return Some(item_price);
    }
    let step = Decimal::new(1, decimals);
    let near = round(price / weight, decimals, Rounding::HalfAwayFromZero);
    [near, near - step, near + step]
        .into_iter()
        .find(|u| *u >= Decimal::ZERO && line(*u) == price)
}

/// The ISO 4217 number of `currency`, for (393n) prices.
pub fn currency_number(currency: Currency) -> Option<&'static str> {
    Some(match currency.code() {
        "IDR" => "360",
        "USD" => "840",
        "EUR" => "978",
        "GBP" => "826",
        "AUD" => "036",
        "SGD" => "702",
        "MYR" => "458",
        "THB" => "764",
        "PHP" => "608",
        "INR" => "356",
        "CNY" => "156",
        "BRL" => "986",
        "JPY" => "392",
        "KRW" => "410",
        "VND" => "704",
        "BHD" => "048",
        "KWD" => "414",
        _ => return None,
    })
}
