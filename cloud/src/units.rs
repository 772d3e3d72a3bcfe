//! Conversions between decimals and the integers the database stores: money in minor units of
//! the store's currency, quantities in thousandths. Integer columns make report sums exact.

use kasir_domain::DomainError;
use kasir_domain::money::Currency;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// `amount` in minor units; refused if it has a finer fraction than the currency.
pub(crate) fn to_minor(
    field: &str,
    amount: Decimal,
    currency: Currency,
) -> Result<i64, DomainError> {
    currency.check_scale(field, amount)?;
    let scaled = amount * Decimal::from(10i64.pow(currency.minor_units()));
    scaled
        .to_i64()
        .ok_or_else(|| DomainError::invalid(field, format!("{amount} is out of range")))
}

/// An amount from minor units.
pub(crate) fn from_minor(minor: i64, currency: Currency) -> Decimal {
    Decimal::new(minor, currency.minor_units())
}

/// A quantity in thousandths; refused beyond three decimals.
pub(crate) fn to_milli(field: &str, quantity: Decimal) -> Result<i64, DomainError> {
    let scaled = quantity * Decimal::from(1000);
    if !scaled.fract().is_zero() {
        return Err(DomainError::invalid(
            field,
            format!("{quantity} has more than three decimals"),
        ));
    }
    scaled
        .to_i64()
        .ok_or_else(|| DomainError::invalid(field, format!("{quantity} is out of range")))
}

/// A quantity from thousandths, without trailing zeros.
pub(crate) fn from_milli(milli: i64) -> Decimal {
    Decimal::new(milli, 3).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rupiah_are_whole_and_cents_are_hundredths() {
        assert_eq!(to_minor("a", dec!(10500), Currency::IDR).unwrap(), 10500);
        assert!(to_minor("a", dec!(10.5), Currency::IDR).is_err());
        let usd = Currency::from_code("USD").unwrap();
        assert_eq!(to_minor("a", dec!(12.34), usd).unwrap(), 1234);
        assert_eq!(from_minor(1234, usd), dec!(12.34));
    }

    #[test]
    fn quantities_are_thousandths() {
        assert_eq!(to_milli("q", dec!(1.25)).unwrap(), 1250);
        assert_eq!(to_milli("q", dec!(-3)).unwrap(), -3000);
        assert!(to_milli("q", dec!(0.0005)).is_err());
        assert_eq!(from_milli(-1250), dec!(-1.25));
    }
}
