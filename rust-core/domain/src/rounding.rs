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
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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

    // Each remainder is computed once, not once per comparison of the sort.
    let remainders: Vec<Decimal> = exact.iter().zip(&parts).map(|(e, p)| *e - *p).collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Stable sort keeps ties in their original order.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
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

/// Splits a table of amounts: cell `(i, j)` is row `i`'s share of column `j`, proportional to
/// the row totals, each a whole number of minor units, so that every row sums exactly to its
/// row total **and** every column to its column total.
///
/// Used where one amount must be split two ways at once: a bill split into parts (the rows,
/// each with the amount that part pays) whose tax, charges and items (the columns) must each
/// also add up to the bill's. Each cell is first truncated toward zero; the units left in each
/// row and column then go to cells with the largest remainders, one at most per cell, found as
/// a matching between the rows and columns still short (so a solution is always found when one
/// exists, which it does whenever the totals agree). All amounts must be non-negative, have at
/// most `decimals` places, and `sum(rows) == sum(columns)`.
pub fn allocate_grid(
    rows: &[Decimal],
    columns: &[Decimal],
    decimals: u32,
) -> Result<Vec<Vec<Decimal>>, DomainError> {
    let invalid = |reason: String| Err(DomainError::invalid("allocation", reason));
    for amount in rows.iter().chain(columns) {
        if amount.is_sign_negative() && !amount.is_zero() {
            return invalid(format!("{amount} is negative"));
        }
        if round(*amount, decimals, Rounding::Down) != *amount {
            return invalid(format!("{amount} has more than {decimals} decimal places"));
        }
    }
    let total: Decimal = rows.iter().sum();
    if total != columns.iter().sum::<Decimal>() {
        return invalid(format!(
            "the rows sum to {total} but the columns to {}",
            columns.iter().sum::<Decimal>()
        ));
    }
    let unit = Decimal::new(1, decimals);
    let zero = round(Decimal::ZERO, decimals, Rounding::Down);
    if total.is_zero() {
        return Ok(rows.iter().map(|_| vec![zero; columns.len()]).collect());
    }

    let exact: Vec<Vec<Decimal>> = rows
        .iter()
        .map(|r| columns.iter().map(|c| *r * *c / total).collect())
        .collect();
    let mut cells: Vec<Vec<Decimal>> = exact
        .iter()
        .map(|row| {
            row.iter()
                .map(|e| round(*e, decimals, Rounding::Down))
                .collect()
        })
        .collect();
    // Units still owed to each row and each column; whole numbers of `unit`, and each is
    // less than the number of cells in that row or column.
    let owed = |target: Decimal, have: Decimal| -> usize {
        usize::try_from(((target - have) / unit).trunc().mantissa()).unwrap_or(0)
    };
    let mut row_owed: Vec<usize> = rows
        .iter()
        .zip(&cells)
        .map(|(r, row)| owed(*r, row.iter().sum()))
        .collect();
    let mut column_owed: Vec<usize> = (0..columns.len())
        .map(|j| owed(columns[j], cells.iter().map(|row| row[j]).sum()))
        .collect();

    // Candidate cells, largest remainder first (ties: earlier row, then earlier column).
    let mut candidates: Vec<(usize, usize)> = (0..rows.len())
        .flat_map(|i| (0..columns.len()).map(move |j| (i, j)))
        .filter(|&(i, j)| exact[i][j] > cells[i][j])
        .collect();
    candidates
        .sort_by(|&(a, b), &(c, d)| (exact[c][d] - cells[c][d]).cmp(&(exact[a][b] - cells[a][b])));
    let mut given = vec![vec![false; columns.len()]; rows.len()];
    for &(i, j) in &candidates {
        if row_owed[i] > 0 && column_owed[j] > 0 {
            given[i][j] = true;
            row_owed[i] -= 1;
            column_owed[j] -= 1;
        }
    }
    // Greedy can leave a row and a column both short with no free cell between them; an
    // augmenting path through cells already given moves units until every total is met.
    while let Some(start) = row_owed.iter().position(|&o| o > 0) {
        let path =
            augmenting_path(start, &exact, &cells, &given, &column_owed).ok_or_else(|| {
                DomainError::invalid("allocation", "the table cannot be split exactly")
            })?;
        for &(i, j, add) in &path {
            given[i][j] = add;
        }
        let &(_, last_column, _) = path.first().unwrap_or(&(start, 0, true));
        row_owed[start] -= 1;
        column_owed[last_column] -= 1;
    }

    for (i, row) in cells.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            if given[i][j] {
                *cell += unit;
            }
        }
    }
    Ok(cells)
}

/// The shortest path (breadth first) from row `start`, which is owed a unit, to a column that
/// is owed one: row -> free cell -> column -> given cell -> row -> ... -> free cell -> column.
/// Each step is `(row, column, add)`: free cells on it are to be given, given ones taken back,
/// so that only `start` and the last column gain a unit. The first step names the last column.
fn augmenting_path(
    start: usize,
    exact: &[Vec<Decimal>],
    cells: &[Vec<Decimal>],
    given: &[Vec<bool>],
    column_owed: &[usize],
) -> Option<Vec<(usize, usize, bool)>> {
    let columns = column_owed.len();
    let mut column_from: Vec<Option<usize>> = vec![None; columns];
    let mut row_from: Vec<Option<usize>> = vec![None; exact.len()];
    let mut row_seen = vec![false; exact.len()];
    row_seen[start] = true;
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(row) = queue.pop_front() {
        for column in 0..columns {
            let free = exact[row][column] > cells[row][column] && !given[row][column];
            if !free || column_from[column].is_some() {
                continue;
            }
            column_from[column] = Some(row);
            if column_owed[column] > 0 {
                let mut path = Vec::new();
                let mut at = column;
                loop {
                    let from = column_from[at]?;
                    path.push((from, at, true));
                    if from == start {
                        break;
                    }
                    let back = row_from[from]?;
                    path.push((from, back, false));
                    at = back;
                }
                return Some(path);
            }
            for (other, flags) in given.iter().enumerate() {
                if flags[column] && !row_seen[other] {
                    row_seen[other] = true;
                    row_from[other] = Some(column);
                    queue.push_back(other);
                }
            }
        }
    }
    None
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
