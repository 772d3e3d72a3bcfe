//! The cart of an open sale, and its totals.
//!
//! A cart holds item lines (each with its own optional discount), order discounts, and
//! charges (service charge and tip). [`Cart::totals`] computes, from these alone:
//!
//! 1. each line's gross (quantity x unit price, rounded to the currency) less its line discount;
//! 2. each order discount, in the order given, on what is left of the items, split over the
//!    lines by largest remainder so that the lines' shares sum exactly to the discount;
//! 3. the charges: a percentage service charge or tip is taken of the items after discount;
//!    charges are never discounted themselves;
//! 4. the tax of the lines and of the taxable charges (see [`crate::tax`]);
//! 5. the total: items plus charges, plus tax when prices exclude it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::{Item, Unit};
use crate::error::DomainError;
use crate::gtin::Gtin;
use crate::money::Currency;
use crate::rounding::{Rounding, allocate, round};
use crate::tax::{self, LineTax, PriceMode, RateTotal, TaxRules, Taxable};

/// A discount on a line or on the whole order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Discount {
    /// A percentage (more than 0, at most 100) of what it applies to.
    Percent(Decimal),
    /// A fixed amount in the sale's currency.
    Amount(Decimal),
}

impl Discount {
    /// Parses `10%` as a percentage and `5000` as an amount in `currency`.
    pub fn parse(text: &str, currency: Currency) -> Result<Discount, DomainError> {
        let text = text.trim();
        let discount = match text.strip_suffix('%') {
            Some(percent) => Discount::Percent(parse_percent("discount", percent)?),
            None => Discount::Amount(currency.parse_amount("discount", text)?),
        };
        discount.check(currency)?;
        Ok(discount)
    }

    fn check(&self, currency: Currency) -> Result<(), DomainError> {
        match *self {
            Discount::Percent(p) => check_percent("discount", p),
            Discount::Amount(a) => {
                currency.check_scale("discount", a)?;
                if a <= Decimal::ZERO {
                    return Err(DomainError::invalid("discount", "must be more than zero"));
                }
                Ok(())
            }
        }
    }

    /// The discount on `base`, or an error when an amount is larger than `base`.
    fn on(&self, base: Decimal, decimals: u32) -> Result<Decimal, DomainError> {
        match *self {
            Discount::Percent(p) => Ok(round(
                base * p / Decimal::ONE_HUNDRED,
                decimals,
                Rounding::HalfAwayFromZero,
            )),
            Discount::Amount(a) if a > base => Err(DomainError::invalid(
                "discount",
                format!("{a} is more than the {base} it applies to"),
            )),
            Discount::Amount(a) => Ok(round(a, decimals, Rounding::HalfAwayFromZero)),
        }
    }
}

fn parse_percent(field: &str, text: &str) -> Result<Decimal, DomainError> {
    let text = text.trim();
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|b| *b == b'.').count() <= 1
        && !text.starts_with('.')
        && !text.ends_with('.');
    if !valid {
        return Err(DomainError::invalid(
            field,
            format!("`{text}%` is not a percentage"),
        ));
    }
    let percent: Decimal = text
        .parse()
        .map_err(|_| DomainError::invalid(field, format!("`{text}%` is not a percentage")))?;
    check_percent(field, percent)?;
    Ok(percent)
}

fn check_percent(field: &str, percent: Decimal) -> Result<(), DomainError> {
    if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
        return Err(DomainError::invalid(
            field,
            format!("{percent}% must be more than 0 and at most 100"),
        ));
    }
    if percent.normalize().scale() > 2 {
        return Err(DomainError::invalid(
            field,
            format!("{percent}% has more than two decimals"),
        ));
    }
    Ok(())
}

/// What a charge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum ChargeKind {
    /// A restaurant's service charge.
    ServiceCharge,
    /// A tip for the staff.
    Tip,
}

/// How a charge's amount is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum ChargeBasis {
    /// A percentage of the items after discounts.
    Percent(Decimal),
    /// A fixed amount.
    Amount(Decimal),
}

impl ChargeBasis {
    /// Parses `10%` as a percentage and `5000` as an amount in `currency`.
    pub fn parse(field: &str, text: &str, currency: Currency) -> Result<ChargeBasis, DomainError> {
        let text = text.trim();
        match text.strip_suffix('%') {
            Some(percent) => Ok(ChargeBasis::Percent(parse_percent(field, percent)?)),
            None => {
                let amount = currency.parse_amount(field, text)?;
                if amount <= Decimal::ZERO {
                    return Err(DomainError::invalid(field, "must be more than zero"));
                }
                Ok(ChargeBasis::Amount(amount))
            }
        }
    }
}

/// A charge added to the order: never discounted, taxed only through its own category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Charge {
    /// Service charge or tip.
    pub kind: ChargeKind,
    /// Percentage or amount.
    pub basis: ChargeBasis,
    /// The tax category it carries (for example PB1 on a restaurant's service charge), or
    /// none when it is outside tax.
    pub tax_category: Option<String>,
}

/// One line of the cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CartLine {
    /// The line's number, from 1, stable while the cart is open (voided lines keep theirs).
    pub number: u32,
    /// The item's key.
    pub gtin: Gtin,
    /// The item's SKU.
    pub sku: Option<String>,
    /// The item's name when it was added.
    pub name: String,
    /// How the item is counted.
    pub unit: Unit,
    /// How many (kg for weighed items).
    pub quantity: Decimal,
    /// Price per unit when it was added.
    pub unit_price: Decimal,
    /// The item's tax category.
    pub tax_category: String,
    /// The item's category, for reports.
    pub category: Option<String>,
    /// A discount on this line alone.
    pub discount: Option<Discount>,
    /// Whether the line was voided (kept for the record, left out of every total).
    pub voided: bool,
}

/// An open sale's cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    currency: Currency,
    lines: Vec<CartLine>,
    discounts: Vec<Discount>,
    charges: Vec<Charge>,
    /// The charges whose amount includes their own tax even where prices exclude tax: a tip
    /// chosen on the card reader is what the card pays for it (see [`Cart::set_charge_with_tax`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tax_included: Vec<ChargeKind>,
}

impl Cart {
    /// An empty cart in `currency`.
    pub fn new(currency: Currency) -> Cart {
        Cart {
            currency,
            lines: Vec::new(),
            discounts: Vec::new(),
            charges: Vec::new(),
            tax_included: Vec::new(),
        }
    }

    /// The cart's currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Every line, voided ones included.
    pub fn lines(&self) -> &[CartLine] {
        &self.lines
    }

    /// The order discounts, in the order they apply.
    pub fn discounts(&self) -> &[Discount] {
        &self.discounts
    }

    /// The charges.
    pub fn charges(&self) -> &[Charge] {
        &self.charges
    }

    /// Whether the cart has no line that counts.
    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.voided)
    }

    /// Adds `quantity` of `item` and returns the line's number. Scanning the same item sold
    /// each at the same price adds to its undiscounted line; weighed items always get a line
    /// of their own.
    pub fn add(&mut self, item: &Item, quantity: Decimal) -> Result<u32, DomainError> {
        item.unit.check_quantity(quantity)?;
        self.currency.check_scale("price", item.price)?;
        if item.price.is_sign_negative() && !item.price.is_zero() {
            return Err(DomainError::invalid("price", "must not be negative"));
        }

        if item.unit == Unit::Each
            && let Some(line) = self.lines.iter_mut().rev().find(|l| {
                !l.voided
                    && l.gtin == item.gtin
                    && l.unit_price == item.price
                    && l.discount.is_none()
            })
        {
            let merged = line.quantity + quantity;
            item.unit.check_quantity(merged)?;
            line.quantity = merged;
            return Ok(line.number);
        }

        let number = self.lines.last().map_or(1, |l| l.number + 1);
        self.lines.push(CartLine {
            number,
            gtin: item.gtin.clone(),
            sku: item.sku.clone(),
            name: item.name.clone(),
            unit: item.unit,
            quantity,
            unit_price: item.price,
            tax_category: item.tax_category.clone(),
            category: item.category.clone(),
            discount: None,
            voided: false,
        });
        Ok(number)
    }

    fn line_mut(&mut self, number: u32) -> Result<&mut CartLine, DomainError> {
        match self.lines.iter_mut().find(|l| l.number == number) {
            Some(line) if line.voided => {
                Err(DomainError::not_allowed(format!("line {number} is voided")))
            }
            Some(line) => Ok(line),
            None => Err(DomainError::not_found("line", number.to_string())),
        }
    }

    /// Sets the quantity of line `number`.
    pub fn set_quantity(&mut self, number: u32, quantity: Decimal) -> Result<(), DomainError> {
        let line = self.line_mut(number)?;
        line.unit.check_quantity(quantity)?;
        line.quantity = quantity;
        Ok(())
    }

    /// Sets or removes the discount of line `number`. An amount larger than the line is
    /// refused when the totals are computed.
    pub fn set_line_discount(
        &mut self,
        number: u32,
        discount: Option<Discount>,
    ) -> Result<(), DomainError> {
        if let Some(d) = &discount {
            d.check(self.currency)?;
        }
        let before = self.clone();
        self.line_mut(number)?.discount = discount;
        self.keep_if_valid(before)
    }

    /// Voids line `number`: it stays on record and leaves every total.
    pub fn void_line(&mut self, number: u32) -> Result<(), DomainError> {
        let before = self.clone();
        self.line_mut(number)?.voided = true;
        if self.is_empty() {
            // Nothing left to discount or charge for: the next item starts a clean sale.
            self.discounts.clear();
            self.charges.clear();
            self.tax_included.clear();
        }
        // Voiding a line can leave an amount discount larger than what remains.
        self.keep_if_valid(before)
    }

    /// Adds an order discount, applied after the ones already there.
    pub fn add_discount(&mut self, discount: Discount) -> Result<(), DomainError> {
        discount.check(self.currency)?;
        if self.is_empty() {
            return Err(DomainError::not_allowed("there is nothing to discount yet"));
        }
        let before = self.clone();
        self.discounts.push(discount);
        self.keep_if_valid(before)
    }

    /// Removes every order discount.
    pub fn clear_discounts(&mut self) {
        self.discounts.clear();
    }

    /// Sets the charge of `kind` to `amount` **including its tax** under `tax_category`, whatever
    /// the store's price mode: where prices exclude tax, the charge's tax is taken out of the
    /// amount (`T x r / (1 + r)`, rounded on its own with the store's rounding) instead of
    /// being added, so the charge and its tax together are exactly `amount`. A tip the customer
    /// chooses on the card reader is what the card pays for it.
    pub fn set_charge_with_tax(
        &mut self,
        kind: ChargeKind,
        amount: Decimal,
        tax_category: Option<String>,
    ) -> Result<(), DomainError> {
        self.set_charge(kind, Some(ChargeBasis::Amount(amount)), tax_category)?;
        self.tax_included.push(kind);
        Ok(())
    }

    /// Sets (or with `None` removes) the charge of `kind`.
    pub fn set_charge(
        &mut self,
        kind: ChargeKind,
        basis: Option<ChargeBasis>,
        tax_category: Option<String>,
    ) -> Result<(), DomainError> {
        if let Some(ChargeBasis::Amount(a)) = basis {
            self.currency.check_scale("charge", a)?;
        }
        self.charges.retain(|c| c.kind != kind);
        self.tax_included.retain(|k| *k != kind);
        if let Some(basis) = basis {
            self.charges.push(Charge {
                kind,
                basis,
                tax_category,
            });
            self.charges.sort_by_key(|c| c.kind == ChargeKind::Tip);
        }
        Ok(())
    }

    /// Puts `before` back when the cart's discounts no longer fit its lines.
    fn keep_if_valid(&mut self, before: Cart) -> Result<(), DomainError> {
        match self.amounts() {
            Ok(_) => Ok(()),
            Err(e) => {
                *self = before;
                Err(e)
            }
        }
    }

    /// Steps 1 and 2: per active line, gross, line discount and order-discount share; and
    /// the amount of each order discount.
    fn amounts(&self) -> Result<(Vec<LineAmounts>, Vec<Decimal>), DomainError> {
        let decimals = self.currency.minor_units();
        let mut lines = Vec::new();
        for line in self.lines.iter().filter(|l| !l.voided) {
            let gross = round(
                line.quantity * line.unit_price,
                decimals,
                Rounding::HalfAwayFromZero,
            );
            let line_discount = match &line.discount {
                Some(d) => d.on(gross, decimals).map_err(|e| match e {
                    DomainError::Invalid { reason, .. } => {
                        DomainError::invalid(format!("line {} discount", line.number), reason)
                    }
                    other => other,
                })?,
                None => round(Decimal::ZERO, decimals, Rounding::Down),
            };
            lines.push(LineAmounts {
                number: line.number,
                gross,
                line_discount,
                order_discount: round(Decimal::ZERO, decimals, Rounding::Down),
            });
        }

        let mut order_discounts = Vec::new();
        for discount in &self.discounts {
            let current: Vec<Decimal> = lines.iter().map(LineAmounts::amount).collect();
            let base: Decimal = current.iter().sum();
            let amount = discount.on(base, decimals).map_err(|e| match e {
                DomainError::Invalid { reason, .. } => {
                    DomainError::invalid("order discount", reason)
                }
                other => other,
            })?;
            for (line, share) in lines.iter_mut().zip(allocate(amount, &current, decimals)?) {
                line.order_discount += share;
            }
            order_discounts.push(amount);
        }
        Ok((lines, order_discounts))
    }

    /// Computes the cart's totals under the store's tax `rules`.
    pub fn totals(&self, rules: &TaxRules) -> Result<Totals, DomainError> {
        let decimals = self.currency.minor_units();
        let zero = round(Decimal::ZERO, decimals, Rounding::Down);
        let (amounts, order_discounts) = self.amounts()?;
        let items_total: Decimal = zero + amounts.iter().map(LineAmounts::amount).sum::<Decimal>();

        let charges: Vec<(ChargeKind, Decimal, Option<&str>)> = self
            .charges
            .iter()
            .map(|c| {
                let amount = match c.basis {
                    ChargeBasis::Percent(p) => round(
                        items_total * p / Decimal::ONE_HUNDRED,
                        decimals,
                        Rounding::HalfAwayFromZero,
                    ),
                    ChargeBasis::Amount(a) => round(a, decimals, Rounding::HalfAwayFromZero),
                };
                (c.kind, amount, c.tax_category.as_deref())
            })
            .collect();

        let active: Vec<&CartLine> = self.lines.iter().filter(|l| !l.voided).collect();
        let mut taxables: Vec<Taxable<'_>> = active
            .iter()
            .zip(&amounts)
            .map(|(line, a)| Taxable {
                amount: a.amount(),
                category: &line.tax_category,
            })
            .collect();
        // A charge that includes its tax where prices exclude it is taxed on its own (below).
        let included = |kind: ChargeKind| {
            rules.price_mode == PriceMode::TaxExcluded && self.tax_included.contains(&kind)
        };
        let taxed_charges: Vec<usize> = (0..charges.len())
            .filter(|&i| charges[i].2.is_some() && !included(charges[i].0))
            .collect();
        for &i in &taxed_charges {
            taxables.push(Taxable {
                amount: charges[i].1,
                category: charges[i].2.unwrap_or_default(),
            });
        }
        let mut breakdown = tax::compute(rules, &taxables, decimals)?;
        // The components' taxes are moved into the totals, not copied: the charges' come
        // after the lines'.
        let mut charge_taxes = breakdown.components.split_off(amounts.len());

        let lines: Vec<LineTotal> = amounts
            .iter()
            .zip(breakdown.components)
            .map(|(a, taxes)| LineTotal {
                number: a.number,
                gross: a.gross,
                line_discount: a.line_discount,
                order_discount: a.order_discount,
                amount: a.amount(),
                tax: zero + taxes.iter().map(|t| t.amount).sum::<Decimal>(),
                taxes,
            })
            .collect();
        let mut charge_totals: Vec<ChargeTotal> = Vec::with_capacity(charges.len());
        for (i, (kind, amount, category)) in charges.iter().enumerate() {
            let (amount, taxes) = match category {
                Some(category) if included(*kind) => {
                    let inside = included_tax(rules, *amount, category, decimals)?;
                    merge_rates(rules, &mut breakdown.rates, &inside.rates, decimals);
                    breakdown.total += inside.total;
                    let taxes = inside.components.into_iter().next().unwrap_or_default();
                    (*amount - inside.total, taxes)
                }
                _ => (
                    *amount,
                    taxed_charges
                        .iter()
                        .position(|&t| t == i)
                        .map(|p| std::mem::take(&mut charge_taxes[p]))
                        .unwrap_or_default(),
                ),
            };
            charge_totals.push(ChargeTotal {
                kind: *kind,
                amount,
                tax: zero + taxes.iter().map(|t| t.amount).sum::<Decimal>(),
                taxes,
            });
        }

        let subtotal = zero + lines.iter().map(|l| l.gross).sum::<Decimal>();
        let discount_total = zero
            + lines
                .iter()
                .map(|l| l.line_discount + l.order_discount)
                .sum::<Decimal>();
        let charges_total = zero + charge_totals.iter().map(|c| c.amount).sum::<Decimal>();
        let tax_total = breakdown.total;
        let total = match rules.price_mode {
            PriceMode::TaxExcluded => items_total + charges_total + tax_total,
            PriceMode::TaxIncluded => items_total + charges_total,
        };
        Ok(Totals {
            currency: self.currency,
            price_mode: rules.price_mode,
            lines,
            charges: charge_totals,
            order_discounts,
            taxes: breakdown.rates,
            subtotal,
            discount_total,
            items_total,
            charges_total,
            tax_total,
            total,
        })
    }
}

/// The tax contained in `amount` under `category`: the store's rules as if prices included
/// tax, on this one amount.
fn included_tax(
    rules: &TaxRules,
    amount: Decimal,
    category: &str,
    decimals: u32,
) -> Result<tax::TaxBreakdown, DomainError> {
    let inclusive = TaxRules {
        price_mode: PriceMode::TaxIncluded,
        ..rules.clone()
    };
    tax::compute(&inclusive, &[Taxable { amount, category }], decimals)
}

/// Adds the rate totals `more` into `rates`, keeping the store's order of rates; a rate's tax
/// base is worked out again from its whole net.
fn merge_rates(rules: &TaxRules, rates: &mut Vec<RateTotal>, more: &[RateTotal], decimals: u32) {
    for add in more {
        match rates.iter_mut().find(|r| r.rate == add.rate) {
            Some(rate) => {
                rate.net += add.net;
                rate.tax += add.tax;
            }
            None => rates.push(add.clone()),
        }
    }
    let order = |code: &str| rules.rates.iter().position(|r| r.code == code);
    rates.sort_by_key(|r| order(&r.rate));
    for rate in rates.iter_mut() {
        if let Some(r) = rules.rate(&rate.rate) {
            let (n, d) = (
                Decimal::from(r.base_numerator),
                Decimal::from(r.base_denominator),
            );
            rate.base = round(rate.net * n / d, decimals, Rounding::HalfAwayFromZero);
        }
    }
}

struct LineAmounts {
    number: u32,
    gross: Decimal,
    line_discount: Decimal,
    order_discount: Decimal,
}

impl LineAmounts {
    fn amount(&self) -> Decimal {
        self.gross - self.line_discount - self.order_discount
    }
}

/// One active line's amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LineTotal {
    /// The cart line's number.
    pub number: u32,
    /// Quantity x unit price, rounded to the currency.
    pub gross: Decimal,
    /// The line's own discount.
    pub line_discount: Decimal,
    /// The line's share of the order discounts.
    pub order_discount: Decimal,
    /// `gross - line_discount - order_discount`: what the customer pays for the line, as
    /// priced (tax included when prices include it).
    pub amount: Decimal,
    /// The line's tax per rate.
    pub taxes: Vec<LineTax>,
    /// The sum of `taxes`.
    pub tax: Decimal,
}

/// One charge's amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChargeTotal {
    /// Service charge or tip.
    pub kind: ChargeKind,
    /// The charge, as priced.
    pub amount: Decimal,
    /// Its tax per rate (empty when outside tax).
    pub taxes: Vec<LineTax>,
    /// The sum of `taxes`.
    pub tax: Decimal,
}

/// The totals of a cart. Every total is the sum of its parts:
/// `subtotal - discount_total = items_total = sum(lines.amount)`,
/// `charges_total = sum(charges.amount)`, `tax_total = sum(taxes.tax) = sum of line and charge
/// taxes`, and `total = items_total + charges_total (+ tax_total when prices exclude tax)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Totals {
    /// The currency of every amount.
    pub currency: Currency,
    /// Whether prices included tax.
    pub price_mode: PriceMode,
    /// The active lines, in cart order.
    pub lines: Vec<LineTotal>,
    /// The charges.
    pub charges: Vec<ChargeTotal>,
    /// The amount of each order discount, in order.
    pub order_discounts: Vec<Decimal>,
    /// Tax per rate.
    pub taxes: Vec<RateTotal>,
    /// Sum of the lines' gross amounts.
    pub subtotal: Decimal,
    /// Sum of line discounts and order discounts.
    pub discount_total: Decimal,
    /// Sum of the lines' amounts after discounts.
    pub items_total: Decimal,
    /// Sum of the charges.
    pub charges_total: Decimal,
    /// Sum of the taxes (contained in the total when prices include tax).
    pub tax_total: Decimal,
    /// What the customer owes, before any cash rounding.
    pub total: Decimal,
}

impl Totals {
    /// Checks that every total is the sum of its parts; used before a sale is stored and
    /// when a sale arrives from elsewhere.
    pub fn verify(&self) -> Result<(), DomainError> {
        let fail = |what: &str| {
            Err(DomainError::invalid(
                "totals",
                format!("{what} does not add up"),
            ))
        };
        let sum = |values: &mut dyn Iterator<Item = Decimal>| values.sum::<Decimal>();

        if sum(&mut self.lines.iter().map(|l| l.gross)) != self.subtotal {
            return fail("subtotal");
        }
        if sum(&mut self
            .lines
            .iter()
            .map(|l| l.line_discount + l.order_discount))
            != self.discount_total
        {
            return fail("discount_total");
        }
        if sum(&mut self.order_discounts.iter().copied())
            != sum(&mut self.lines.iter().map(|l| l.order_discount))
        {
            return fail("order discounts");
        }
        for line in &self.lines {
            if line.gross - line.line_discount - line.order_discount != line.amount {
                return fail(&format!("line {} amount", line.number));
            }
            if sum(&mut line.taxes.iter().map(|t| t.amount)) != line.tax {
                return fail(&format!("line {} tax", line.number));
            }
        }
        if self.subtotal - self.discount_total != self.items_total {
            return fail("items_total");
        }
        if sum(&mut self.charges.iter().map(|c| c.amount)) != self.charges_total {
            return fail("charges_total");
        }
        let component_tax = sum(&mut self.lines.iter().map(|l| l.tax))
            + sum(&mut self.charges.iter().map(|c| c.tax));
        if component_tax != self.tax_total
            || sum(&mut self.taxes.iter().map(|t| t.tax)) != self.tax_total
        {
            return fail("tax_total");
        }
        let expected = match self.price_mode {
            PriceMode::TaxExcluded => self.items_total + self.charges_total + self.tax_total,
            PriceMode::TaxIncluded => self.items_total + self.charges_total,
        };
        if expected != self.total {
            return fail("total");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tax::{TaxCategory, TaxRate, TaxRoundingLevel};
    use rust_decimal_macros::dec;

    fn item(gtin: &str, price: Decimal, tax_category: &str) -> Item {
        Item {
            gtin: Gtin::parse(gtin).unwrap(),
            sku: None,
            name: format!("item {gtin}"),
            price,
            tax_category: tax_category.into(),
            unit: Unit::Each,
            category: None,
            stock: Decimal::ZERO,
        }
    }

    fn untaxed() -> TaxRules {
        TaxRules {
            rates: vec![],
            categories: vec![TaxCategory {
                code: "none".into(),
                label: "none".into(),
                rates: vec![],
            }],
            price_mode: PriceMode::TaxExcluded,
            level: TaxRoundingLevel::Document,
            rounding: Rounding::HalfAwayFromZero,
        }
    }

    const A: &str = "4006381333931";
    const B: &str = "1234567890128";
    const C: &str = "4780000000007";

    #[test]
    fn an_order_discount_never_reduces_the_tip() {
        // Case M-07: item 100.00, tip 10.00, 10% off: discount 10.00, total 100.00.
        let mut cart = Cart::new(Currency::USD);
        cart.add(&item(A, dec!(100.00), "none"), dec!(1)).unwrap();
        cart.set_charge(
            ChargeKind::Tip,
            Some(ChargeBasis::Amount(dec!(10.00))),
            None,
        )
        .unwrap();
        cart.add_discount(Discount::Percent(dec!(10))).unwrap();

        let totals = cart.totals(&untaxed()).unwrap();

        assert_eq!(totals.discount_total, dec!(10.00));
        assert_eq!(totals.charges_total, dec!(10.00));
        assert_eq!(totals.total, dec!(100.00));
        totals.verify().unwrap();
    }

    #[test]
    fn tax_exclusive_document_rounding_end_to_end() {
        // Case M-01 through the cart: 4 x 1.48, 1.52, 1.54, 0.39 at 21% per document = 11.34.
        let rules = TaxRules {
            rates: vec![TaxRate::simple("vat", "VAT 21%", dec!(21))],
            categories: vec![TaxCategory {
                code: "vat".into(),
                label: "VAT".into(),
                rates: vec!["vat".into()],
            }],
            price_mode: PriceMode::TaxExcluded,
            level: TaxRoundingLevel::Document,
            rounding: Rounding::HalfAwayFromZero,
        };
        let mut cart = Cart::new(Currency::EUR);
        cart.add(&item(A, dec!(1.48), "vat"), dec!(4)).unwrap();
        cart.add(&item(B, dec!(1.52), "vat"), dec!(1)).unwrap();
        cart.add(&item(C, dec!(1.54), "vat"), dec!(1)).unwrap();
        cart.add(&item("96385074", dec!(0.39), "vat"), dec!(1))
            .unwrap();

        let totals = cart.totals(&rules).unwrap();
        assert_eq!(totals.items_total, dec!(9.37));
        assert_eq!(totals.tax_total, dec!(1.97));
        assert_eq!(totals.total, dec!(11.34));

        let per_line = TaxRules {
            level: TaxRoundingLevel::Line,
            ..rules
        };
        assert_eq!(cart.totals(&per_line).unwrap().total, dec!(11.33));
    }

    #[test]
    fn inclusive_prices_total_the_shelf_prices() {
        // Case M-02 through the cart.
        let rules = TaxRules {
            rates: vec![
                TaxRate::simple("a", "22%", dec!(22)),
                TaxRate::simple("b", "10%", dec!(10)),
            ],
            categories: vec![
                TaxCategory {
                    code: "a".into(),
                    label: "a".into(),
                    rates: vec!["a".into()],
                },
                TaxCategory {
                    code: "b".into(),
                    label: "b".into(),
                    rates: vec!["b".into()],
                },
            ],
            price_mode: PriceMode::TaxIncluded,
            level: TaxRoundingLevel::Document,
            rounding: Rounding::HalfAwayFromZero,
        };
        let mut cart = Cart::new(Currency::EUR);
        cart.add(&item(A, dec!(28.90), "a"), dec!(1)).unwrap();
        cart.add(&item(B, dec!(1.25), "b"), dec!(1)).unwrap();
        let totals = cart.totals(&rules).unwrap();
        assert_eq!(totals.total, dec!(30.15));
        let net: Decimal = totals.taxes.iter().map(|t| t.net).sum();
        assert_eq!(net + totals.tax_total, dec!(30.15));
        totals.verify().unwrap();
    }

    #[test]
    fn restaurant_pb1_is_on_discounted_food_plus_service_charge() {
        // Food 2 x 50,000 with 10% off = 90,000; service 5% = 4,500; PB1 10% on 94,500 = 9,450.
        let rules = TaxRules {
            rates: vec![TaxRate::simple("pb1", "PB1 10%", dec!(10))],
            categories: vec![TaxCategory {
                code: "pb1".into(),
                label: "PB1".into(),
                rates: vec!["pb1".into()],
            }],
            price_mode: PriceMode::TaxExcluded,
            level: TaxRoundingLevel::Document,
            rounding: Rounding::HalfAwayFromZero,
        };
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&item(A, dec!(50000), "pb1"), dec!(2)).unwrap();
        cart.add_discount(Discount::Percent(dec!(10))).unwrap();
        cart.set_charge(
            ChargeKind::ServiceCharge,
            Some(ChargeBasis::Percent(dec!(5))),
            Some("pb1".into()),
        )
        .unwrap();

        let totals = cart.totals(&rules).unwrap();
        assert_eq!(totals.items_total, dec!(90000));
        assert_eq!(totals.charges_total, dec!(4500));
        assert_eq!(totals.tax_total, dec!(9450));
        assert_eq!(totals.total, dec!(103950));
        totals.verify().unwrap();
    }

    #[test]
    fn order_discounts_split_exactly_over_the_lines() {
        let mut cart = Cart::new(Currency::USD);
        cart.add(&item(A, dec!(10.00), "none"), dec!(1)).unwrap();
        cart.add(&item(B, dec!(10.00), "none"), dec!(1)).unwrap();
        cart.add(&item(C, dec!(10.00), "none"), dec!(1)).unwrap();
        cart.add_discount(Discount::Amount(dec!(10.00))).unwrap();
        let totals = cart.totals(&untaxed()).unwrap();
        let shares: Vec<Decimal> = totals.lines.iter().map(|l| l.order_discount).collect();
        assert_eq!(shares, vec![dec!(3.34), dec!(3.33), dec!(3.33)]);
        assert_eq!(totals.total, dec!(20.00));
    }

    #[test]
    fn a_discount_larger_than_the_sale_is_refused_and_changes_nothing() {
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&item(A, dec!(5000), "none"), dec!(1)).unwrap();
        let before = cart.clone();
        let err = cart.add_discount(Discount::Amount(dec!(6000))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "order discount: 6000 is more than the 5000 it applies to"
        );
        assert_eq!(cart, before);

        let err = cart
            .set_line_discount(1, Some(Discount::Amount(dec!(7000))))
            .unwrap_err();
        assert!(err.to_string().starts_with("line 1 discount:"), "{err}");
        assert_eq!(cart, before);
    }

    #[test]
    fn voiding_a_line_that_a_discount_needs_is_refused() {
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&item(A, dec!(5000), "none"), dec!(1)).unwrap();
        cart.add(&item(B, dec!(1000), "none"), dec!(1)).unwrap();
        cart.add_discount(Discount::Amount(dec!(3000))).unwrap();
        assert!(cart.void_line(1).is_err());
        assert!(!cart.lines()[0].voided);
        cart.void_line(2).unwrap();
        assert_eq!(cart.totals(&untaxed()).unwrap().total, dec!(2000));
    }

    #[test]
    fn voiding_every_line_leaves_no_discount_for_the_next_item() {
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&item(A, dec!(5000), "none"), dec!(1)).unwrap();
        cart.add_discount(Discount::Percent(dec!(100))).unwrap();
        cart.void_line(1).unwrap();
        cart.add(&item(B, dec!(1000), "none"), dec!(1)).unwrap();
        assert!(cart.discounts().is_empty());
        assert_eq!(cart.totals(&untaxed()).unwrap().total, dec!(1000));
    }

    #[test]
    fn scanning_again_adds_to_the_line() {
        let mut cart = Cart::new(Currency::IDR);
        assert_eq!(cart.add(&item(A, dec!(3500), "none"), dec!(1)).unwrap(), 1);
        assert_eq!(cart.add(&item(B, dec!(1000), "none"), dec!(1)).unwrap(), 2);
        assert_eq!(cart.add(&item(A, dec!(3500), "none"), dec!(2)).unwrap(), 1);
        assert_eq!(cart.lines()[0].quantity, dec!(3));
        assert_eq!(cart.totals(&untaxed()).unwrap().total, dec!(11500));
    }

    #[test]
    fn weighed_items_round_the_extension_half_away_from_zero() {
        let mut cart = Cart::new(Currency::IDR);
        let mut beef = item("2100001000004", dec!(15990), "none");
        beef.unit = Unit::Kg;
        cart.add(&beef, dec!(2.750)).unwrap();
        // 2.750 x 15,990 = 43,972.5 -> 43,973.
        assert_eq!(cart.totals(&untaxed()).unwrap().total, dec!(43973));
        assert!(cart.add(&beef, dec!(0.0005)).is_err());
    }

    #[test]
    fn line_operations_name_the_line() {
        let mut cart = Cart::new(Currency::IDR);
        cart.add(&item(A, dec!(5000), "none"), dec!(1)).unwrap();
        assert_eq!(
            cart.set_quantity(7, dec!(1)).unwrap_err().to_string(),
            "line `7` not found"
        );
        cart.void_line(1).unwrap();
        assert_eq!(
            cart.set_quantity(1, dec!(2)).unwrap_err().to_string(),
            "line 1 is voided"
        );
        assert!(cart.is_empty());
        assert!(cart.add_discount(Discount::Percent(dec!(5))).is_err());
    }

    #[test]
    fn discounts_parse_strictly() {
        assert_eq!(
            Discount::parse("10%", Currency::IDR).unwrap(),
            Discount::Percent(dec!(10))
        );
        assert_eq!(
            Discount::parse("5000", Currency::IDR).unwrap(),
            Discount::Amount(dec!(5000))
        );
        for bad in ["0%", "101%", "-5%", "%", "abc", "0", "12.5.1%", "10.123%"] {
            assert!(
                Discount::parse(bad, Currency::IDR).is_err(),
                "{bad} accepted"
            );
        }
    }
}
