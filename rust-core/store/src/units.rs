//! Conversions between decimals and the integers the schema stores: money in minor units of
//! the store's currency, quantities in thousandths. Integer columns make SQL sums exact.

use kasir_domain::money::Currency;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::StoreError;

/// `amount` in minor units; refused if it has a finer fraction than the currency.
pub(crate) fn to_minor(amount: Decimal, currency: Currency) -> Result<i64, StoreError> {
    currency.check_scale("amount", amount)?;
    let scaled = amount * Decimal::from(10i64.pow(currency.minor_units()));
    scaled.to_i64().ok_or_else(|| {
        kasir_domain::DomainError::invalid(
            "amount",
            format!("{} is out of range", currency.display(amount)),
        )
        .into()
    })
}

/// An amount from minor units.
pub(crate) fn from_minor(minor: i64, currency: Currency) -> Decimal {
    Decimal::new(minor, currency.minor_units())
}

/// A quantity in thousandths; refused beyond three decimals.
pub(crate) fn to_milli(quantity: Decimal) -> Result<i64, StoreError> {
    let scaled = quantity * Decimal::from(1000);
    if scaled.fract() != Decimal::ZERO {
        return Err(kasir_domain::DomainError::invalid(
            "quantity",
            format!("{quantity} has more than three decimals"),
        )
        .into());
    }
    scaled.to_i64().ok_or_else(|| {
        kasir_domain::DomainError::invalid("quantity", format!("{quantity} is out of range")).into()
    })
}

/// A quantity from thousandths, without trailing zeros.
pub(crate) fn from_milli(milli: i64) -> Decimal {
    Decimal::new(milli, 3).normalize()
}
