//! What a refund gives back: what was paid for the returned units, not their list price.
//!
//! A line's paid amount (after its discounts, plus its tax when prices exclude tax) is split
//! over its units by largest remainder, so refunding every unit, in any number of refunds,
//! gives back exactly what was paid and never more.

use rust_decimal::Decimal;

use crate::catalog::Unit;
use crate::error::DomainError;
use crate::rounding::{Rounding, allocate, round};
use crate::sale::SaleLine;
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
            format!("only {left} of line {} is left to return", line.number),
        ));
    }
    let paid = paid_for_line(line, price_mode);

    match line.unit {
        Unit::Each => {
            let units = usize::try_from(line.quantity.trunc().mantissa())
                .map_err(|_| DomainError::invalid("quantity", "is out of range"))?;
            let shares = allocate(paid, &vec![Decimal::ONE; units], decimals)?;
            let from = usize::try_from(already_returned.trunc().mantissa()).unwrap_or(units);
            let to = from + usize::try_from(returning.trunc().mantissa()).unwrap_or(0);
            Ok(round(
                shares[from..to.min(units)].iter().sum(),
                decimals,
                Rounding::Down,
            ))
        }
        Unit::Kg => {
            // Telescoping shares: refunds of every part sum exactly to what was paid.
            let share = |quantity: Decimal| {
                round(
                    paid * quantity / line.quantity,
                    decimals,
                    Rounding::HalfAwayFromZero,
                )
            };
            Ok(share(already_returned + returning) - share(already_returned))
        }
    }
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
            "quantity: only 0 of line 1 is left to return"
        );
    }
}
