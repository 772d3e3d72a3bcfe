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

/// `amount` as a person wrote it (an owner's catalog price, a card's value, a payment the bank
/// reported) in minor units: refused when it is written with more decimals than the currency
/// has, even trailing zeros. In Indonesia `100.000` is a hundred thousand, so an IDR amount
/// written that way is refused rather than read as a hundred, as the register refuses it.
pub(crate) fn to_minor_as_written(
    field: &str,
    amount: Decimal,
    currency: Currency,
) -> Result<i64, DomainError> {
    if amount.scale() > currency.minor_units() {
        let places = if currency.minor_units() == 0 {
            format!("{} amounts are whole numbers", currency.code())
        } else {
            format!(
                "{} amounts have at most {} decimal places",
                currency.code(),
                currency.minor_units()
            )
        };
        return Err(DomainError::invalid(
            field,
            format!(
                "`{amount}` is written with {} decimal places, but {places}; write digits without grouping separators, e.g. `100000`",
                amount.scale()
            ),
        ));
    }
    to_minor(field, amount, currency)
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
    fn amounts_as_written_refuse_grouping_dots_and_extra_places() {
        let written =
            |text: &str, currency| to_minor_as_written("a", text.parse().unwrap(), currency);
        assert_eq!(written("100000", Currency::IDR).unwrap(), 100000);
        let error = written("100.000", Currency::IDR).unwrap_err().to_string();
        assert!(
            error.contains("`100.000`") && error.contains("whole"),
            "{error}"
        );
        assert!(written("4.0", Currency::IDR).is_err());
        let usd = Currency::from_code("USD").unwrap();
        assert_eq!(written("12.30", usd).unwrap(), 1230);
        assert!(written("12.340", usd).is_err());
        // Computed amounts (from devices) keep the lenient reading of trailing zeros.
        assert_eq!(
            to_minor("a", "100.000".parse().unwrap(), Currency::IDR).unwrap(),
            100
        );
    }

    #[test]
    fn quantities_are_thousandths() {
        assert_eq!(to_milli("q", dec!(1.25)).unwrap(), 1250);
        assert_eq!(to_milli("q", dec!(-3)).unwrap(), -3000);
        assert!(to_milli("q", dec!(0.0005)).is_err());
        assert_eq!(from_milli(-1250), dec!(-1.25));
    }
}
