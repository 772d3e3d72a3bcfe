//! The one place where money is rounded.
//!
//! `rust_decimal`'s plain `round_dp` rounds half to even (2.50 x 0.21 = 0.525 becomes 0.52),
//! which no receipt or tax office expects. Every rounding of an amount in Kasir goes through
//! [`round`] or [`round_to_increment`] with a named [`Rounding`] strategy, and the largest
//! remainder split in [`allocate`] is the only way an amount is divided into parts.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// How an amount that falls between two representable values is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// Half away from zero: 0.525 -> 0.53, -0.525 -> -0.53. Kasir's default, and what the
    /// Indonesian tax office calls "half up" (PER-11/PJ/2025): a refund mirrors its sale.
    #[default]
    HalfAwayFromZero,
    /// Half to even (banker's rounding). Only for jurisdictions that ask for it.
    HalfEven,
    /// Toward zero, dropping the fraction: the pre-2025 Indonesian rule for PPN amounts.
    Down,
    /// Away from zero for any fraction.
    Up,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
        }
    }

    /// The name used in settings files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Rounding::HalfAwayFromZero => "half-away-from-zero",
            Rounding::HalfEven => "half-even",
            Rounding::Down => "down",
            Rounding::Up => "up",
        }
    }

    /// Parses a settings name (see [`Rounding::name`]); `half-up` is accepted as the
    /// Indonesian name of half away from zero.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "half-away-from-zero" | "half-up" => Ok(Rounding::HalfAwayFromZero),
            "half-even" => Ok(Rounding::HalfEven),
            "down" => Ok(Rounding::Down),
            "up" => Ok(Rounding::Up),
            _ => Err(DomainError::invalid(
                "rounding",
                format!(
                    "`{text}` is not a rounding strategy (half-away-from-zero, half-even, down, up)"
                ),
            )),
        }
    }
}

/// Rounds `amount` to `decimals` places with `rounding`.
pub fn round(amount: Decimal, decimals: u32, rounding: Rounding) -> Decimal {
    let mut rounded = amount.round_dp_with_strategy(decimals, rounding.strategy());
    // Keep a fixed scale so that 1.5 and 1.50 print and compare alike in stored text.
    rounded.rescale(decimals);
    rounded
}

/// Rounds `amount` to a whole multiple of `increment` (for example cash to Rp 100).
///
/// `increment` must be positive; the result keeps the scale of `decimals`.
pub fn round_to_increment(
    amount: Decimal,
    increment: Decimal,
    decimals: u32,
    rounding: Rounding,
) -> Decimal {
    debug_assert!(increment > Decimal::ZERO, "increment must be positive");
    let units = (amount / increment).round_dp_with_strategy(0, rounding.strategy());
    round(units * increment, decimals, rounding)
}

/// Splits `total` into parts proportional to `weights`, each a whole number of minor units
/// (`decimals` places), so that the parts sum exactly to `total` (largest remainder method).
///
/// Every part is first truncated toward zero; the units left over go one each to the parts
/// with the largest remainders, ties to the earlier part. `total` must itself have at most
/// `decimals` places, the weights must not be negative, and a non-zero `total` needs a
/// positive weight. A negative `total` is split like its absolute value and negated.
pub fn allocate(
    total: Decimal,
    weights: &[Decimal],
    decimals: u32,
) -> Result<Vec<Decimal>, DomainError> {
    if weights.iter().any(|w| w.is_sign_negative() && !w.is_zero()) {
        return Err(DomainError::invalid(
            "allocation",
            "weights must not be negative",
        ));
    }
    if round(total, decimals, Rounding::Down) != total {
        return Err(DomainError::invalid(
            "allocation",
            format!("{total} has more than {decimals} decimal places"),
        ));
    }

    let weight_sum: Decimal = weights.iter().sum();
    if weight_sum.is_zero() {
        if total.is_zero() {
            return Ok(weights
                .iter()
                .map(|_| round(Decimal::ZERO, decimals, Rounding::Down))
                .collect());
        }
        return Err(DomainError::invalid(
            "allocation",
            "nothing to allocate the amount to",
        ));
    }

    let negative = total.is_sign_negative();
    let magnitude = total.abs();
    let unit = Decimal::new(1, decimals);
    let exact: Vec<Decimal> = weights
        .iter()
        .map(|w| magnitude * *w / weight_sum)
        .collect();
    let mut parts: Vec<Decimal> = exact
        .iter()
        .map(|e| round(*e, decimals, Rounding::Down))
        .collect();
    let mut left = magnitude - parts.iter().copied().sum::<Decimal>();

    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Stable sort keeps ties in their original order.
    order.sort_by(|&a, &b| (exact[b] - parts[b]).cmp(&(exact[a] - parts[a])));
    for &index in order.iter().cycle() {
        if left <= Decimal::ZERO {
            break;
        }
        if weights[index].is_zero() {
            continue;
        }
        parts[index] += unit;
        left -= unit;
    }

    if negative {
        parts.iter_mut().for_each(|p| *p = -*p);
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn half_away_from_zero_never_rounds_half_to_even() {
        // Case M-03: the values that banker's rounding gets wrong.
        assert_eq!(
            round(dec!(2.50) * dec!(0.21), 2, Rounding::HalfAwayFromZero),
            dec!(0.53)
        );
        assert_eq!(
            round(dec!(500.50), 0, Rounding::HalfAwayFromZero),
            dec!(501)
        );
        assert_eq!(
            round(dec!(0.025), 2, Rounding::HalfAwayFromZero),
            dec!(0.03)
        );
        assert_eq!(
            round(dec!(-0.025), 2, Rounding::HalfAwayFromZero),
            dec!(-0.03)
        );
    }

    #[test]
    fn other_strategies_do_what_their_names_say() {
        assert_eq!(round(dec!(0.525), 2, Rounding::HalfEven), dec!(0.52));
        assert_eq!(round(dec!(983.95), 0, Rounding::Down), dec!(983));
        assert_eq!(round(dec!(983.01), 0, Rounding::Up), dec!(984));
        assert_eq!(
            round(dec!(1.5), 2, Rounding::HalfAwayFromZero).to_string(),
            "1.50"
        );
    }

    #[test]
    fn cash_rounds_to_the_increment() {
        assert_eq!(
            round_to_increment(dec!(35050), dec!(100), 0, Rounding::HalfAwayFromZero),
            dec!(35100)
        );
        assert_eq!(
            round_to_increment(dec!(35049), dec!(100), 0, Rounding::HalfAwayFromZero),
            dec!(35000)
        );
        assert_eq!(
            round_to_increment(dec!(35099), dec!(100), 0, Rounding::Down),
            dec!(35000)
        );
        assert_eq!(
            round_to_increment(dec!(1.02), dec!(0.05), 2, Rounding::HalfAwayFromZero),
            dec!(1.00)
        );
        assert_eq!(
            round_to_increment(dec!(1.03), dec!(0.05), 2, Rounding::HalfAwayFromZero),
            dec!(1.05)
        );
    }

    #[test]
    fn uneven_allocation_gives_the_spare_cents_to_the_first_parts() {
        // Case M-08: 10.00 over three equal units.
        let parts = allocate(dec!(10.00), &[dec!(1), dec!(1), dec!(1)], 2).unwrap();
        assert_eq!(parts, vec![dec!(3.34), dec!(3.33), dec!(3.33)]);
        let parts = allocate(dec!(20.00), &[dec!(1), dec!(1), dec!(1)], 2).unwrap();
        assert_eq!(parts, vec![dec!(6.67), dec!(6.67), dec!(6.66)]);
    }

    #[test]
    fn allocation_follows_the_largest_remainder() {
        let parts = allocate(dec!(100), &[dec!(1), dec!(2), dec!(3)], 0).unwrap();
        // Exact shares 16.67, 33.33, 50: the spare unit goes to the first (remainder .67).
        assert_eq!(parts, vec![dec!(17), dec!(33), dec!(50)]);
        let parts = allocate(dec!(-100), &[dec!(1), dec!(2), dec!(3)], 0).unwrap();
        assert_eq!(parts, vec![dec!(-17), dec!(-33), dec!(-50)]);
    }

    #[test]
    fn zero_weights_receive_nothing() {
        let parts = allocate(dec!(5), &[dec!(0), dec!(1), dec!(0)], 0).unwrap();
        assert_eq!(parts, vec![dec!(0), dec!(5), dec!(0)]);
        assert!(allocate(dec!(5), &[dec!(0), dec!(0)], 0).is_err());
        assert!(allocate(dec!(5.5), &[dec!(1)], 0).is_err());
    }
}
