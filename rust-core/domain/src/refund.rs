//! What a refund gives back: what was paid for the returned units, not their list price.
//!
//! A line's paid amount (after its discounts, plus its tax when prices exclude tax) is split
//! over its units by largest remainder, so refunding every unit, in any number of refunds,
//! gives back exactly what was paid and never more.
//!
//! A [`Refund`] is the document: it references its sale, lists the returned lines with what
//! each gives back and the tax in it, gives back the charges (service charge and tip) with
//! the last units returned, and says through which tenders the money goes back. The store
//! builds it inside the transaction that records it, from what earlier refunds returned, so
//! that a sale's refunds together never give back more than it took.

use jiff::Timestamp;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cart::ChargeKind;
use crate::catalog::Unit;
use crate::error::DomainError;
use crate::gtin::Gtin;
use crate::money::Currency;
use crate::rounding::{Rounding, allocate, round};
use crate::sale::{Sale, SaleLine};
use crate::tax::PriceMode;

/// What the customer paid for `line`: its amount after discounts, plus its tax when prices
/// excluded tax.
pub fn paid_for_line(line: &SaleLine, price_mode: PriceMode) -> Decimal {
    match price_mode {
        PriceMode::TaxIncluded => line.amount,
        PriceMode::TaxExcluded => line.amount + line.tax,
    }
}

/// The refund for returning `returning` units of `line` when `already_returned` units were
/// returned before, in a currency with `decimals` places. Items sold each are refunded unit
/// by unit (the first units carry the spare minor units); weighed items in proportion.
pub fn line_refund(
    line: &SaleLine,
    price_mode: PriceMode,
    decimals: u32,
    already_returned: Decimal,
    returning: Decimal,
) -> Result<Decimal, DomainError> {
    line.unit.check_quantity(returning)?;
    if already_returned.is_sign_negative() {
        return Err(DomainError::invalid("returned", "must not be negative"));
    }
    let left = line.quantity - already_returned;
    if returning > left {
        return Err(DomainError::invalid(
            "quantity",
            if left.is_zero() {
                format!("line {} is already returned in full", line.number)
            } else {
                format!("only {left} of line {} is left to return", line.number)
            },
        ));
    }
    Ok(portion(
        line,
        paid_for_line(line, price_mode),
        decimals,
        already_returned,
        returning,
    ))
}

/// How the tax refunded so far is rounded (half up, as Indonesian tax is since 2025).
pub const REFUND_TAX_ROUNDING: Rounding = Rounding::HalfAwayFromZero;

/// The exact (unrounded) tax in `quantity` units of `line`: its proportional share of the
/// line's tax.
pub fn exact_line_tax(line: &SaleLine, quantity: Decimal) -> Decimal {
    if line.quantity.is_zero() {
        return Decimal::ZERO;
    }
    line.tax * quantity / line.quantity
}

/// The tax in the lines of one refund, by the cumulative method: the lines' tax refunded so
/// far, this refund included, is the exact proportional share of everything returned so far
/// rounded with [`REFUND_TAX_ROUNDING`]; this refund's is that less what earlier refunds'
/// lines took (`earlier_tax`), and the refund that returns the last units takes exactly the
/// rest. So each refund's tax is within one minor unit of its proportional share, and all
/// refunds of a sale sum exactly to its lines' tax. The refund's tax is split over its lines
/// (`returning`: each sale line with the quantity returned now) by largest remainder of their
/// exact shares. `before` gives the quantity of a line returned earlier.
pub fn refund_lines_tax(
    sale: &Sale,
    before: impl Fn(&SaleLine) -> Decimal,
    earlier_tax: Decimal,
    returning: &[(&SaleLine, Decimal)],
    last: bool,
) -> Result<Vec<Decimal>, DomainError> {
    let decimals = sale.currency.minor_units();
    if returning.is_empty() {
        return Ok(Vec::new());
    }
    let lines_tax: Decimal = sale.lines.iter().map(|l| l.tax).sum();
    let left = lines_tax - earlier_tax;
    let shares: Vec<Decimal> = returning
        .iter()
        .map(|(line, quantity)| exact_line_tax(line, *quantity))
        .collect();
    let this = if last {
        left
    } else {
        let so_far: Decimal = sale
            .lines
            .iter()
            .map(|l| exact_line_tax(l, before(l)))
            .sum::<Decimal>()
            + shares.iter().sum::<Decimal>();
        (round(so_far, decimals, REFUND_TAX_ROUNDING) - earlier_tax)
            .max(Decimal::ZERO)
            .min(left.max(Decimal::ZERO))
    };
    if this.is_zero() {
        return Ok(vec![Decimal::ZERO; returning.len()]);
    }
    // Shares of zero (untaxed lines only, after earlier refunds took too little) fall back
    // to the amounts returned, so the rest still lands on a line of this refund.
    let weights = if shares.iter().all(Decimal::is_zero) {
        returning.iter().map(|(_, q)| *q).collect()
    } else {
        shares
    };
    allocate(this, &weights, decimals)
}

/// The part of `amount` (a line's paid amount or its tax) that `returning` units after
/// `already_returned` carry; the quantities are checked by the caller.
fn portion(
    line: &SaleLine,
    amount: Decimal,
    decimals: u32,
    already_returned: Decimal,
    returning: Decimal,
) -> Decimal {
    match line.unit {
        Unit::Each => {
            let units = usize::try_from(line.quantity.trunc().mantissa()).unwrap_or(0);
            let Ok(shares) = allocate(amount, &vec![Decimal::ONE; units], decimals) else {
                return Decimal::ZERO;
            };
            let from = usize::try_from(already_returned.trunc().mantissa())
                .unwrap_or(units)
                .min(units);
            let to = from + usize::try_from(returning.trunc().mantissa()).unwrap_or(0);
            round(
                shares[from..to.min(units)].iter().sum(),
                decimals,
                Rounding::Down,
            )
        }
        Unit::Kg => {
            // Telescoping shares: refunds of every part sum exactly to what was paid.
            let share = |quantity: Decimal| {
                round(
                    amount * quantity / line.quantity,
                    decimals,
                    Rounding::HalfAwayFromZero,
                )
            };
            share(already_returned + returning) - share(already_returned)
        }
    }
}

/// Whether a refund is an ordinary return or the void of a completed sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefundKind {
    /// Goods (or part of them) brought back.
    Refund,
    /// The whole sale cancelled on its own business day, before any other refund.
    Void,
}

impl RefundKind {
    /// `refund` or `void`.
    pub fn name(self) -> &'static str {
        match self {
            RefundKind::Refund => "refund",
            RefundKind::Void => "void",
        }
    }
}

/// Where the money goes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundTo {
    /// To the sale's own tenders, in the order they were taken, each up to what it paid less
    /// what earlier refunds gave back to it; anything left over in cash.
    Original,
    /// All in cash.
    Cash,
}

/// One returned line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundLine {
    /// The sale line's number.
    pub number: u32,
    /// The item.
    pub gtin: Gtin,
    /// The item's name, as sold.
    pub name: String,
    /// How the item is counted.
    pub unit: Unit,
    /// The quantity returned.
    pub quantity: Decimal,
    /// What is given back for it: its share of what was paid (after discounts, with tax).
    pub amount: Decimal,
    /// The tax contained in `amount` (added to it when prices exclude tax).
    pub tax: Decimal,
}

/// Money given back through one tender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundTender {
    /// `cash`, `card`, `qr` (or another tender method's name).
    pub method: String,
    /// The sale's tender (from 1) it reverses, when it goes back to an original tender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tender_no: Option<u32>,
    /// The amount.
    pub amount: Decimal,
}

/// What earlier refunds of a sale already gave back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Returned {
    /// Quantity returned per sale line number.
    pub quantities: std::collections::BTreeMap<u32, Decimal>,
    /// Amount given back per sale tender number.
    pub by_tender: std::collections::BTreeMap<u32, Decimal>,
    /// Whether the charges (service charge and tip) were given back.
    pub charges: bool,
    /// The total of the earlier refunds.
    pub total: Decimal,
    /// The tax in the earlier refunds' lines (their charges' tax apart).
    pub lines_tax: Decimal,
    /// How many refunds there were.
    pub count: u32,
}

/// Where and when a refund is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundContext {
    /// The refund's id, a UUIDv7 made on the device.
    pub id: Uuid,
    /// The device making it.
    pub device_id: String,
    /// When.
    pub created_at: Timestamp,
    /// The store's local date: the day whose report it belongs to.
    pub business_date: Date,
}

/// A refund: a durable document that references its sale and gives back what was paid for
/// the returned lines (and, with the last of them, the charges).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// UUIDv7 made on the device.
    pub id: Uuid,
    /// The refund's own number (`D01-R000001`); given when it is stored.
    pub refund_number: String,
    /// Refund or void.
    pub kind: RefundKind,
    /// The sale it refunds.
    pub sale_id: Uuid,
    /// The sale's receipt number.
    pub receipt_number: String,
    /// The device that made the refund.
    pub device_id: String,
    /// When.
    pub created_at: Timestamp,
    /// The business day it counts on.
    pub business_date: Date,
    /// The sale's currency.
    pub currency: Currency,
    /// The returned lines.
    pub lines: Vec<RefundLine>,
    /// Service charge and tip given back (with their tax), when this refund returns the last
    /// units of the sale.
    pub charges: Decimal,
    /// The tip part of `charges`.
    #[serde(default)]
    pub tips: Decimal,
    /// Tax contained in the refund.
    pub tax: Decimal,
    /// Everything given back: the lines' amounts plus `charges`.
    pub total: Decimal,
    /// How it is given back; they sum to `total`.
    pub tenders: Vec<RefundTender>,
    /// Whether the returned items went back into stock.
    pub restock: bool,
    /// Who made the refund (a staff member's name), when the store has staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    /// Why, as the clerk typed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a refund asks for: which lines and how many (every unit left when `lines` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// `(line number, quantity)` pairs; `None` for everything not yet returned.
    pub lines: Option<Vec<(u32, Decimal)>>,
    /// Where the money goes.
    pub to: RefundTo,
    /// Refund or void.
    pub kind: RefundKind,
    /// Put the items back into stock.
    pub restock: bool,
    /// Who makes it.
    pub staff: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

impl Refund {
    /// Builds the refund of `request` against `sale`, given what earlier refunds of it
    /// `returned`. Refused, naming the line: an unknown line, a quantity beyond what is left,
    /// a line asked for twice, nothing to refund, another currency's sale; for a void, a sale
    /// of another day or one already refunded in part.
    pub fn build(
        sale: &Sale,
        context: RefundContext,
        request: &RefundRequest,
        returned: &Returned,
    ) -> Result<Refund, DomainError> {
        let decimals = sale.currency.minor_units();
        if request.kind == RefundKind::Void {
            if returned.count > 0 && returned.total >= sale.total {
                return Err(DomainError::not_allowed(format!(
                    "sale {} was already voided or refunded in full: nothing is left to void",
                    sale.receipt_number
                )));
            }
            if returned.count > 0 {
                return Err(DomainError::not_allowed(format!(
                    "sale {} was already refunded in part: refund what is left instead of voiding",
                    sale.receipt_number
                )));
            }
            if sale.business_date != context.business_date {
                return Err(DomainError::not_allowed(format!(
                    "sale {} is of {}: only a sale of today can be voided; refund it instead",
                    sale.receipt_number, sale.business_date
                )));
            }
            if request.lines.is_some() {
                return Err(DomainError::not_allowed(
                    "a void cancels the whole sale: give no lines",
                ));
            }
        }
        let left = |line: &SaleLine| {
            line.quantity
                - returned
                    .quantities
                    .get(&line.number)
                    .copied()
                    .unwrap_or_default()
        };
        let wanted: Vec<(u32, Decimal)> = match &request.lines {
            Some(lines) => {
                if lines.is_empty() {
                    return Err(DomainError::invalid("lines", "none given"));
                }
                lines.clone()
            }
            None => sale
                .lines
                .iter()
                .filter(|l| left(l) > Decimal::ZERO)
                .map(|l| (l.number, left(l)))
                .collect(),
        };
        let mut lines = Vec::new();
        for (number, quantity) in &wanted {
            let line = sale
                .lines
                .iter()
                .find(|l| l.number == *number)
                .ok_or_else(|| DomainError::not_found("line", number.to_string()))?;
            if lines.iter().any(|l: &RefundLine| l.number == *number) {
                return Err(DomainError::invalid(
                    "line",
                    format!("line {number} is given twice"),
                ));
            }
            let before = line.quantity - left(line);
            let amount = line_refund(line, sale.price_mode, decimals, before, *quantity).map_err(
                |e| match e {
                    DomainError::Invalid { reason, .. } => {
                        DomainError::invalid(format!("line {number}"), reason)
                    }
                    other => other,
                },
            )?;
            lines.push(RefundLine {
                number: line.number,
                gtin: line.gtin.clone(),
                name: line.name.clone(),
                unit: line.unit,
                quantity: *quantity,
                amount,
                // Set below, once the whole refund is known.
                tax: Decimal::ZERO,
            });
        }

        // The refund that returns the last units also gives back the charges: what the sale
        // took beyond its lines.
        let all_back = sale.lines.iter().all(|l| {
            let now = lines
                .iter()
                .find(|r| r.number == l.number)
                .map(|r| r.quantity)
                .unwrap_or_default();
            left(l) - now <= Decimal::ZERO
        });
        let returning: Vec<(&SaleLine, Decimal)> = lines
            .iter()
            .filter_map(|r| {
                sale.lines
                    .iter()
                    .find(|l| l.number == r.number)
                    .map(|l| (l, r.quantity))
            })
            .collect();
        let taxes = refund_lines_tax(
            sale,
            |l| l.quantity - left(l),
            returned.lines_tax,
            &returning,
            all_back,
        )?;
        for (line, tax) in lines.iter_mut().zip(taxes) {
            line.tax = tax;
        }
        let (charges, charges_tax, tips) = if all_back && !returned.charges {
            let paid = |c: &crate::cart::ChargeTotal| match sale.price_mode {
                PriceMode::TaxIncluded => c.amount,
                PriceMode::TaxExcluded => c.amount + c.tax,
            };
            (
                sale.charges.iter().map(paid).sum(),
                sale.charges.iter().map(|c| c.tax).sum(),
                sale.charges
                    .iter()
                    .filter(|c| c.kind == ChargeKind::Tip)
                    .map(paid)
                    .sum(),
            )
        } else {
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO)
        };
        if lines.is_empty() && charges.is_zero() {
            return Err(DomainError::not_allowed(format!(
                "everything of sale {} was already refunded",
                sale.receipt_number
            )));
        }
        let total = lines.iter().map(|l| l.amount).sum::<Decimal>() + charges;
        if returned.total + total > sale.total {
            return Err(DomainError::not_allowed(format!(
                "the refunds of sale {} would give back {}, more than its total {}",
                sale.receipt_number,
                sale.currency.display(returned.total + total),
                sale.currency.display(sale.total)
            )));
        }
        let tenders = allocate_tenders(sale, request.to, returned, total);
        let refund = Refund {
            id: context.id,
            refund_number: String::new(),
            kind: request.kind,
            sale_id: sale.id,
            receipt_number: sale.receipt_number.clone(),
            device_id: context.device_id,
            created_at: context.created_at,
            business_date: context.business_date,
            currency: sale.currency,
            tax: lines.iter().map(|l| l.tax).sum::<Decimal>() + charges_tax,
            lines,
            charges,
            tips,
            total,
            tenders,
            restock: request.restock,
            staff: request.staff.clone(),
            reason: request
                .reason
                .as_ref()
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
        };
        refund.verify()?;
        Ok(refund)
    }

    /// Checks that the document is whole: the total the sum of its lines and charges, the
    /// tenders summing to the total, every amount in the currency's units and not negative.
    pub fn verify(&self) -> Result<(), DomainError> {
        let fail = |what: &str| {
            Err(DomainError::invalid(
                "refund",
                format!("{what} does not add up"),
            ))
        };
        for amount in self
            .lines
            .iter()
            .flat_map(|l| [l.amount, l.tax])
            .chain(self.tenders.iter().map(|t| t.amount))
            .chain([self.charges, self.tips, self.tax, self.total])
        {
            self.currency.check_scale("refund amount", amount)?;
            if amount.is_sign_negative() && !amount.is_zero() {
                return Err(DomainError::invalid("refund", "an amount is negative"));
            }
        }
        for line in &self.lines {
            line.unit.check_quantity(line.quantity)?;
        }
        if self.lines.iter().map(|l| l.amount).sum::<Decimal>() + self.charges != self.total {
            return fail("total");
        }
        if self.tenders.iter().map(|t| t.amount).sum::<Decimal>() != self.total {
            return fail("tenders");
        }
        if self.tips > self.charges {
            return fail("tips");
        }
        Ok(())
    }

    /// The share of `sale` this refund gives back (0 to 1), for rules that reverse in
    /// proportion (loyalty points earned: points reversed = points earned x this fraction).
    pub fn fraction_of(&self, sale: &Sale) -> Decimal {
        if sale.total.is_zero() {
            return Decimal::ONE;
        }
        self.total / sale.total
    }
}

/// Splits `total` over the tenders it goes back to.
fn allocate_tenders(
    sale: &Sale,
    to: RefundTo,
    returned: &Returned,
    total: Decimal,
) -> Vec<RefundTender> {
    let mut tenders = Vec::new();
    let mut left = total;
    if to == RefundTo::Original {
        for (i, tender) in sale.tenders.iter().enumerate() {
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let open =
                tender.applied() - returned.by_tender.get(&number).copied().unwrap_or_default();
            let amount = open.min(left);
            if amount > Decimal::ZERO {
                tenders.push(RefundTender {
                    method: tender.method.name().to_string(),
                    tender_no: Some(number),
                    amount,
                });
                left -= amount;
            }
        }
    }
    if left > Decimal::ZERO {
        tenders.push(RefundTender {
            method: "cash".into(),
            tender_no: None,
            amount: left,
        });
    }
    tenders
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::{Cart, Discount};
    use crate::catalog::Item;
    use crate::gtin::Gtin;
    use crate::money::Currency;
    use crate::payment::{Payment, TenderMethod};
    use crate::sale::{Sale, SaleContext};
    use crate::tax::{TaxCategory, TaxRoundingLevel, TaxRules};
    use rust_decimal_macros::dec;

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

    fn sale(items: &[(&str, Decimal, Decimal)], discount: Discount) -> Sale {
        let rules = untaxed();
        let mut cart = Cart::new(Currency::USD);
        for (gtin, price, quantity) in items {
            let item = Item {
                gtin: Gtin::parse(gtin).unwrap(),
                sku: None,
                name: (*gtin).into(),
                price: *price,
                tax_category: "none".into(),
                unit: Unit::Each,
                category: None,
                stock: dec!(0),
            };
            cart.add(&item, *quantity).unwrap();
        }
        cart.add_discount(discount).unwrap();
        let total = cart.totals(&rules).unwrap().total;
        let mut payment = Payment::new(Currency::USD, total, None);
        payment.add(TenderMethod::Cash, total).unwrap();
        let context = SaleContext {
            id: uuid::Uuid::nil(),
            device_id: "d".into(),
            completed_at: jiff::Timestamp::UNIX_EPOCH,
            business_date: jiff::civil::Date::constant(2026, 1, 1),
        };
        Sale::complete(context, &cart, &rules, &payment).unwrap()
    }

    #[test]
    fn refunds_give_back_what_was_paid_not_the_list_price() {
        // Case M-08: 3 x 100.00 with 10% off, paid 270.00; returning 2 refunds 180.00.
        let s = sale(
            &[("4006381333931", dec!(100.00), dec!(3))],
            Discount::Percent(dec!(10)),
        );
        assert_eq!(s.total, dec!(270.00));
        let refund = line_refund(&s.lines[0], s.price_mode, 2, dec!(0), dec!(2)).unwrap();
        assert_eq!(refund, dec!(180.00));
    }

    #[test]
    fn a_whole_return_refunds_exactly_what_was_paid() {
        // Case M-08: 112.50 with 4.45 off, paid 108.05, fully returned refunds 108.05.
        let s = sale(
            &[
                ("4006381333931", dec!(50.00), dec!(1)),
                ("1234567890128", dec!(62.50), dec!(1)),
            ],
            Discount::Amount(dec!(4.45)),
        );
        assert_eq!(s.total, dec!(108.05));
        let refunded: Decimal = s
            .lines
            .iter()
            .map(|l| line_refund(l, s.price_mode, 2, dec!(0), l.quantity).unwrap())
            .sum();
        assert_eq!(refunded, dec!(108.05));
    }

    #[test]
    fn uneven_discounts_refund_unit_by_unit_to_the_cent() {
        // Case M-08: 3 x 10.00 with 10.00 off = 20.00 paid: 6.67, 6.67, 6.66.
        let s = sale(
            &[("4006381333931", dec!(10.00), dec!(3))],
            Discount::Amount(dec!(10.00)),
        );
        let line = &s.lines[0];
        let first = line_refund(line, s.price_mode, 2, dec!(0), dec!(1)).unwrap();
        let second = line_refund(line, s.price_mode, 2, dec!(1), dec!(1)).unwrap();
        let third = line_refund(line, s.price_mode, 2, dec!(2), dec!(1)).unwrap();
        assert_eq!((first, second, third), (dec!(6.67), dec!(6.67), dec!(6.66)));
        let err = line_refund(line, s.price_mode, 2, dec!(3), dec!(1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "quantity: line 1 is already returned in full"
        );
    }

    fn context(day: u8) -> RefundContext {
        RefundContext {
            id: uuid::Uuid::nil(),
            device_id: "d".into(),
            created_at: jiff::Timestamp::UNIX_EPOCH,
            business_date: jiff::civil::Date::constant(2026, 1, i8::try_from(day).unwrap()),
        }
    }

    fn request(lines: Option<Vec<(u32, Decimal)>>, to: RefundTo) -> RefundRequest {
        RefundRequest {
            lines,
            to,
            kind: RefundKind::Refund,
            restock: false,
            staff: None,
            reason: None,
        }
    }

    /// What `refund` adds to `returned`, as the store reads it back.
    fn record(returned: &mut Returned, refund: &Refund) {
        for l in &refund.lines {
            *returned.quantities.entry(l.number).or_default() += l.quantity;
        }
        for t in &refund.tenders {
            if let Some(n) = t.tender_no {
                *returned.by_tender.entry(n).or_default() += t.amount;
            }
        }
        returned.charges |= !refund.charges.is_zero();
        returned.total += refund.total;
        returned.lines_tax += refund.lines.iter().map(|l| l.tax).sum::<Decimal>();
        returned.count += 1;
    }

    /// An Indonesian sale (PPN included in the shelf prices, rounded once per document) of
    /// `lines` as (price in rupiah, quantity, category: 0 ppn, 1 luxury, 2 exempt), with
    /// `discount` rupiah off the order, paid in cash.
    fn taxed_sale(lines: &[(i64, u32, u8)], discount: i64) -> Sale {
        let rules = crate::tax::TaxRules::indonesia_retail();
        let mut cart = Cart::new(Currency::IDR);
        let gtins = [
            "4006381333931",
            "1234567890128",
            "8992388101016",
            "96385074",
            "5901234123457",
            "4012345678901",
        ];
        for (i, (price, quantity, category)) in lines.iter().enumerate() {
            let item = Item {
                gtin: Gtin::parse(gtins[i % gtins.len()]).unwrap(),
                sku: None,
                name: format!("item {i}"),
                price: Decimal::from(*price),
                tax_category: ["ppn", "luxury", "exempt"][usize::from(*category % 3)].into(),
                unit: Unit::Each,
                category: None,
                stock: dec!(0),
            };
            cart.add(&item, Decimal::from(*quantity)).unwrap();
        }
        let gross = cart.totals(&rules).unwrap().subtotal;
        let off = Decimal::from(discount).min(gross - Decimal::ONE);
        if off > Decimal::ZERO {
            cart.add_discount(Discount::Amount(off)).unwrap();
        }
        let total = cart.totals(&rules).unwrap().total;
        let mut payment = Payment::new(Currency::IDR, total, None);
        payment.add(TenderMethod::Cash, total).unwrap();
        let context = SaleContext {
            id: uuid::Uuid::nil(),
            device_id: "d".into(),
            completed_at: jiff::Timestamp::UNIX_EPOCH,
            business_date: jiff::civil::Date::constant(2026, 1, 1),
        };
        Sale::complete(context, &cart, &rules, &payment).unwrap()
    }

    /// The exact proportional tax of a refund's lines.
    fn exact_tax(s: &Sale, refund: &Refund) -> Decimal {
        refund
            .lines
            .iter()
            .map(|r| {
                let line = s.lines.iter().find(|l| l.number == r.number).unwrap();
                exact_line_tax(line, r.quantity)
            })
            .sum()
    }

    #[test]
    fn one_unit_of_many_lines_carries_its_proportional_tax() {
        // Six lines of three units at Rp 10,001 (PPN included): a line's PPN does not divide
        // by three, and the spare rupiah of the six lines must not pile up on the first slip.
        let lines: Vec<(i64, u32, u8)> = (0..6).map(|_| (10_001, 3, 0)).collect();
        let s = taxed_sale(&lines, 0);
        let mut returned = Returned::default();
        let mut slips = Vec::new();
        for _ in 0..3 {
            let one_each = (1..=6).map(|n| (n, dec!(1))).collect();
            let r = Refund::build(
                &s,
                context(1),
                &request(Some(one_each), RefundTo::Cash),
                &returned,
            )
            .unwrap();
            assert!(
                (r.tax - exact_tax(&s, &r)).abs() < Decimal::ONE,
                "{} vs {}",
                r.tax,
                exact_tax(&s, &r)
            );
            record(&mut returned, &r);
            slips.push(r);
        }
        assert_eq!(slips.iter().map(|r| r.tax).sum::<Decimal>(), s.tax_total);
        // M-08 still: what each unit gives back is what was paid for it.
        assert_eq!(slips.iter().map(|r| r.total).sum::<Decimal>(), s.total);
    }

    #[test]
    fn m08_uneven_discount_per_unit_is_unchanged_by_the_tax() {
        // 3 x 10.00 with 10.00 off = 20.00 paid: 6.67 / 6.67 / 6.66, one unit a refund.
        let s = sale(
            &[("4006381333931", dec!(10.00), dec!(3))],
            Discount::Amount(dec!(10.00)),
        );
        let mut returned = Returned::default();
        let mut amounts = Vec::new();
        for _ in 0..3 {
            let r = Refund::build(
                &s,
                context(1),
                &request(Some(vec![(1, dec!(1))]), RefundTo::Cash),
                &returned,
            )
            .unwrap();
            record(&mut returned, &r);
            amounts.push(r.total);
        }
        assert_eq!(amounts, vec![dec!(6.67), dec!(6.67), dec!(6.66)]);
    }

    fn tipped_sale() -> Sale {
        let rules = untaxed();
        let mut cart = Cart::new(Currency::USD);
        for (gtin, price, quantity) in [
            ("4006381333931", dec!(10.00), dec!(3)),
            ("1234567890128", dec!(5.00), dec!(1)),
        ] {
            let item = Item {
                gtin: Gtin::parse(gtin).unwrap(),
                sku: None,
                name: gtin.into(),
                price,
                tax_category: "none".into(),
                unit: Unit::Each,
                category: None,
                stock: dec!(0),
            };
            cart.add(&item, quantity).unwrap();
        }
        cart.add_discount(Discount::Amount(dec!(10.00))).unwrap();
        cart.set_charge(
            ChargeKind::Tip,
            Some(crate::cart::ChargeBasis::Amount(dec!(2.00))),
            None,
        )
        .unwrap();
        let total = cart.totals(&rules).unwrap().total;
        let mut payment = Payment::new(Currency::USD, total, None);
        payment
            .add(
                TenderMethod::card("A1", "4242", "VISA").unwrap(),
                dec!(20.00),
            )
            .unwrap();
        payment.add(TenderMethod::Cash, dec!(10.00)).unwrap();
        let context = SaleContext {
            id: uuid::Uuid::nil(),
            device_id: "d".into(),
            completed_at: jiff::Timestamp::UNIX_EPOCH,
            business_date: jiff::civil::Date::constant(2026, 1, 1),
        };
        Sale::complete(context, &cart, &rules, &payment).unwrap()
    }

    #[test]
    fn a_whole_refund_gives_back_the_total_with_the_tip_to_the_original_tenders() {
        let s = tipped_sale();
        // 35.00 of items, 10.00 off, 2.00 tip: 27.00; paid 20.00 card, 10.00 cash, 3.00 change.
        assert_eq!(s.total, dec!(27.00));
        let r = Refund::build(
            &s,
            context(1),
            &request(None, RefundTo::Original),
            &Returned::default(),
        )
        .unwrap();
        assert_eq!(r.total, dec!(27.00));
        assert_eq!((r.charges, r.tips), (dec!(2.00), dec!(2.00)));
        let tenders: Vec<_> = r
            .tenders
            .iter()
            .map(|t| (t.method.as_str(), t.tender_no, t.amount))
            .collect();
        assert_eq!(
            tenders,
            vec![
                ("card", Some(1), dec!(20.00)),
                ("cash", Some(2), dec!(7.00))
            ]
        );
    }

    #[test]
    fn the_tip_goes_back_with_the_last_units_and_only_once() {
        let s = tipped_sale();
        let mut returned = Returned::default();
        let first = Refund::build(
            &s,
            context(2),
            &request(Some(vec![(1, dec!(2))]), RefundTo::Cash),
            &returned,
        )
        .unwrap();
        assert!(first.charges.is_zero());
        assert_eq!(first.tenders.len(), 1);
        assert_eq!(first.tenders[0].method, "cash");
        record(&mut returned, &first);
        let rest =
            Refund::build(&s, context(2), &request(None, RefundTo::Cash), &returned).unwrap();
        assert_eq!(rest.charges, dec!(2.00));
        record(&mut returned, &rest);
        assert_eq!(returned.total, s.total);
        let err =
            Refund::build(&s, context(2), &request(None, RefundTo::Cash), &returned).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "everything of sale {} was already refunded",
                s.receipt_number
            )
        );
    }

    #[test]
    fn bad_refund_requests_name_the_line() {
        let s = tipped_sale();
        let none = Returned::default();
        let too_many = Refund::build(
            &s,
            context(1),
            &request(Some(vec![(2, dec!(2))]), RefundTo::Cash),
            &none,
        )
        .unwrap_err();
        assert_eq!(
            too_many.to_string(),
            "line 2: only 1 of line 2 is left to return"
        );
        let unknown = Refund::build(
            &s,
            context(1),
            &request(Some(vec![(9, dec!(1))]), RefundTo::Cash),
            &none,
        )
        .unwrap_err();
        assert_eq!(unknown.to_string(), "line `9` not found");
        let twice = Refund::build(
            &s,
            context(1),
            &request(Some(vec![(1, dec!(1)), (1, dec!(1))]), RefundTo::Cash),
            &none,
        )
        .unwrap_err();
        assert_eq!(twice.to_string(), "line: line 1 is given twice");
    }

    #[test]
    fn a_void_is_whole_on_the_same_day_and_before_any_refund() {
        let s = tipped_sale();
        let mut void = request(None, RefundTo::Original);
        void.kind = RefundKind::Void;
        let next_day = Refund::build(&s, context(2), &void, &Returned::default()).unwrap_err();
        assert!(
            next_day.to_string().contains("only a sale of today"),
            "{next_day}"
        );
        let same_day = Refund::build(&s, context(1), &void, &Returned::default()).unwrap();
        assert_eq!(same_day.total, s.total);
        let mut returned = Returned::default();
        record(&mut returned, &same_day);
        let again = Refund::build(&s, context(1), &void, &returned).unwrap_err();
        assert!(
            again
                .to_string()
                .contains("already voided or refunded in full"),
            "{again}"
        );
        // After a part refund, a void is refused for what it is.
        let part = request(Some(vec![(1, Decimal::ONE)]), RefundTo::Original);
        let first = Refund::build(&s, context(1), &part, &Returned::default()).unwrap();
        let mut partly = Returned::default();
        record(&mut partly, &first);
        let after_part = Refund::build(&s, context(1), &void, &partly).unwrap_err();
        assert!(
            after_part.to_string().contains("already refunded in part"),
            "{after_part}"
        );
    }

    /// A sale of `each` x 10.00, `other` x 3.33 and `grams` g at 7.99 a kg, `discount` cents
    /// off the order, a `tip` in cents, `card` percent of it paid by card and the rest in cash.
    fn shaped_sale(each: u32, other: u32, grams: u32, discount: i64, tip: i64, card: u8) -> Sale {
        let rules = untaxed();
        let mut cart = Cart::new(Currency::USD);
        let item = |gtin: &str, price, unit| Item {
            gtin: Gtin::parse(gtin).unwrap(),
            sku: None,
            name: gtin.into(),
            price,
            tax_category: "none".into(),
            unit,
            category: None,
            stock: dec!(0),
        };
        cart.add(
            &item("4006381333931", dec!(10.00), Unit::Each),
            Decimal::from(each),
        )
        .unwrap();
        cart.add(
            &item("1234567890128", dec!(3.33), Unit::Each),
            Decimal::from(other),
        )
        .unwrap();
        cart.add(
            &item("96385074", dec!(7.99), Unit::Kg),
            Decimal::new(i64::from(grams), 3),
        )
        .unwrap();
        let gross = cart.totals(&rules).unwrap().subtotal;
        let off = Decimal::new(discount, 2).min(gross - dec!(0.01));
        if off > Decimal::ZERO {
            cart.add_discount(Discount::Amount(off)).unwrap();
        }
        if tip > 0 {
            cart.set_charge(
                ChargeKind::Tip,
                Some(crate::cart::ChargeBasis::Amount(Decimal::new(tip, 2))),
                None,
            )
            .unwrap();
        }
        let total = cart.totals(&rules).unwrap().total;
        let mut payment = Payment::new(Currency::USD, total, None);
        let by_card = round(
            total * Decimal::from(card) / Decimal::ONE_HUNDRED,
            2,
            Rounding::Down,
        );
        if by_card > Decimal::ZERO {
            payment
                .add(TenderMethod::card("A1", "4242", "VISA").unwrap(), by_card)
                .unwrap();
        }
        if total > by_card {
            payment.add(TenderMethod::Cash, total - by_card).unwrap();
        }
        let context = SaleContext {
            id: uuid::Uuid::nil(),
            device_id: "d".into(),
            completed_at: jiff::Timestamp::UNIX_EPOCH,
            business_date: jiff::civil::Date::constant(2026, 1, 1),
        };
        Sale::complete(context, &cart, &rules, &payment).unwrap()
    }

    proptest::proptest! {
        /// However a sale is returned, in any number of partial refunds to any tenders, the
        /// refunds never give back more than was paid, per line, per tender or in all, and
        /// returning everything gives back exactly the total. Sales of every shape: items
        /// sold each and by weight, any discount, a tip or none, paid by card, cash or both.
        #[test]
        fn partial_refunds_never_give_back_more_than_was_paid(
            shape in (1u32..6, 1u32..4, 1u32..2000, 0i64..6000, 0i64..500, 0u8..=100),
            steps in proptest::collection::vec((0u32..5, 1u32..5, proptest::bool::ANY), 1..12),
        ) {
            let (each, other, grams, discount, tip, card) = shape;
            let s = shaped_sale(each, other, grams, discount, tip, card);
            let mut returned = Returned::default();
            for (line, n, cash) in steps {
                let to = if cash { RefundTo::Cash } else { RefundTo::Original };
                let quantity = if line == 3 {
                    Decimal::new(i64::from(n) * 125, 3)
                } else {
                    Decimal::from(n)
                };
                let req = request(Some(vec![(line, quantity)]), to);
                if let Ok(r) = Refund::build(&s, context(1), &req, &returned) {
                    proptest::prop_assert!(r.verify().is_ok());
                    record(&mut returned, &r);
                }
                proptest::prop_assert!(returned.total <= s.total);
                for l in &s.lines {
                    proptest::prop_assert!(
                        returned.quantities.get(&l.number).copied().unwrap_or_default()
                            <= l.quantity
                    );
                }
                for (n, amount) in &returned.by_tender {
                    let tender = &s.tenders[usize::try_from(*n).unwrap() - 1];
                    proptest::prop_assert!(*amount <= tender.applied());
                }
            }
            if let Ok(r) = Refund::build(&s, context(1), &request(None, RefundTo::Original), &returned) {
                record(&mut returned, &r);
            }
            proptest::prop_assert_eq!(returned.total, s.total);
        }

        /// Each partial refund's tax is within one rupiah of its proportional share (the
        /// exact share of every line's tax for the units it returns), and the refunds of the
        /// whole sale sum exactly to the sale's tax, whatever the lines, their tax categories,
        /// the discount, and the order and size of the refunds.
        #[test]
        fn each_refund_carries_its_proportional_tax_and_all_sum_to_the_sale_tax(
            lines in proptest::collection::vec((1_000i64..200_000, 1u32..7, 0u8..3), 1..6),
            discount in 0i64..50_000,
            steps in proptest::collection::vec(
                proptest::collection::vec((1u32..7, 1u32..4), 1..5), 1..10),
        ) {
            let s = taxed_sale(&lines, discount);
            let mut returned = Returned::default();
            let mut tax = Decimal::ZERO;
            for step in steps {
                let mut wanted: Vec<(u32, Decimal)> = Vec::new();
                for (line, n) in step {
                    if !wanted.iter().any(|(l, _)| *l == line) {
                        wanted.push((line, Decimal::from(n)));
                    }
                }
                let req = request(Some(wanted), RefundTo::Cash);
                if let Ok(r) = Refund::build(&s, context(1), &req, &returned) {
                    let exact = exact_tax(&s, &r);
                    proptest::prop_assert!(
                        (r.tax - exact).abs() < Decimal::ONE,
                        "slip tax {} against its share {}", r.tax, exact
                    );
                    proptest::prop_assert_eq!(r.tax, r.lines.iter().map(|l| l.tax).sum::<Decimal>());
                    tax += r.tax;
                    record(&mut returned, &r);
                }
            }
            if let Ok(r) = Refund::build(&s, context(1), &request(None, RefundTo::Cash), &returned) {
                let exact = exact_tax(&s, &r);
                proptest::prop_assert!((r.tax - exact).abs() < Decimal::ONE);
                tax += r.tax;
                record(&mut returned, &r);
            }
            proptest::prop_assert_eq!(tax, s.tax_total);
            proptest::prop_assert_eq!(returned.total, s.total);
        }
    }
}
