//! Splitting a bill between payers: evenly, by amount, or by item.
//!
//! Each part gets its share of every component of the bill: the items after discount (and the
//! discount itself), each charge (service charge, tip), and the tax of each rate. Every component
//! is split so that the parts add up to the bill exactly, and within a part the total is the sum
//! of its shares (`items + charges`, plus the tax when prices exclude it). Evenly and by amount,
//! the part totals are fixed first (largest remainder, so even parts differ by at most one
//! minor unit) and the components are split two ways at once with
//! [`crate::rounding::allocate_grid`]. By item, each part takes its lines (or a share of a line
//! that several payers share), and the charges follow the items, since a service charge is a
//! percentage of them.
//!
//! When the store rounds cash (say to Rp 100), [`split_with_cash_rounding`] makes the parts
//! payable in cash: evenly, every part but the last is a whole number of increments, and the
//! last takes the bill's remainder, which a cash payer settles with the same rounding a single
//! cash tender of the whole bill would record (the parts before it being whole increments, the
//! rest due when it pays has the bill's remainder). By amount, the amounts given must be whole
//! increments, and the rest part is rounded like the last part of an even split. The parts
//! still add up to the bill exactly; the rounding is the payment's, recorded when the cash that
//! settles the sale is taken ([`crate::payment::Payment`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cart::{ChargeKind, Totals};
use crate::error::DomainError;
use crate::payment::CashRounding;
use crate::rounding::{Rounding, allocate, allocate_grid, round, round_to_increment};
use crate::tax::PriceMode;

/// How to split a bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum SplitRule {
    /// Into this many equal parts.
    Evenly {
        /// How many parts (2 or more).
        parts: u32,
    },
    /// Each payer pays the amount given; one more part takes what is left, if anything.
    ByAmount {
        /// The amounts, in the bill's currency.
        amounts: Vec<Decimal>,
    },
    /// Each part takes lines of the bill; a line shared by several parts is split by the
    /// weights given (for example 1 and 1 for half each, or 2 and 1 by quantity).
    ByItem {
        /// For each part, the lines it takes.
        parts: Vec<Vec<ItemShare>>,
    },
}

/// A part's claim on one line of the bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemShare {
    /// The cart line's number.
    pub line: u32,
    /// Its weight against the other parts that share the line (1 when the part takes it all).
    pub weight: Decimal,
}

impl ItemShare {
    /// The whole line.
    pub fn whole(line: u32) -> ItemShare {
        ItemShare {
            line,
            weight: Decimal::ONE,
        }
    }
}

/// A part's share of one charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeShare {
    /// Service charge or tip.
    pub kind: ChargeKind,
    /// The part's share of the charge, as priced.
    pub amount: Decimal,
}

/// A part's share of one tax rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxShare {
    /// The rate's code.
    pub rate: String,
    /// The part's share of the rate's tax.
    pub tax: Decimal,
}

/// A part's share of one line (by item only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineShare {
    /// The cart line's number.
    pub line: u32,
    /// The part's share of the line's amount after discounts.
    pub amount: Decimal,
}

/// One payer's part of the bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillPart {
    /// 1, 2, ... in the order the rule gave.
    pub number: u32,
    /// The lines taken (by item only; empty otherwise).
    pub lines: Vec<LineShare>,
    /// The part's share of the items after discounts, as priced.
    pub items: Decimal,
    /// The part's share of the discounts (already taken off `items`).
    pub discount: Decimal,
    /// Its share of each charge, in the bill's order.
    pub charges: Vec<ChargeShare>,
    /// Sum of `charges`.
    pub charges_total: Decimal,
    /// Its share of each rate's tax, in the bill's order.
    pub taxes: Vec<TaxShare>,
    /// Sum of `taxes` (contained in `total` when prices include tax).
    pub tax: Decimal,
    /// What this part pays, before any cash rounding.
    pub total: Decimal,
    /// The cash rounding recorded when this part is the cash that settles the sale (only
    /// the last part of a split under the store's cash rounding has one; zero otherwise).
    #[serde(default)]
    pub cash_rounding: Decimal,
    /// What a payer of this part in cash hands over: `total + cash_rounding`.
    #[serde(default)]
    pub cash: Decimal,
}

/// Splits the bill whose totals are `totals` by `rule`, without cash rounding.
pub fn split(totals: &Totals, rule: &SplitRule) -> Result<Vec<BillPart>, DomainError> {
    split_with_cash_rounding(totals, rule, None)
}

/// Splits the bill whose totals are `totals` by `rule`, so that each part can be paid in
/// cash under the store's `cash_rounding` (see the module docs).
pub fn split_with_cash_rounding(
    totals: &Totals,
    rule: &SplitRule,
    cash_rounding: Option<CashRounding>,
) -> Result<Vec<BillPart>, DomainError> {
    let decimals = totals.currency.minor_units();
    let mut parts = match (rule, cash_rounding) {
        (SplitRule::Evenly { parts }, Some(cash)) => {
            by_part_totals(totals, &even_cash_parts(totals, *parts, cash)?)?
        }
        (SplitRule::ByAmount { amounts }, Some(cash)) => {
            for (index, amount) in amounts.iter().enumerate() {
                let whole = round_to_increment(*amount, cash.increment, decimals, Rounding::Down);
                if whole != *amount {
                    return Err(DomainError::invalid(
                        format!("amounts[{}]", index + 1),
                        format!(
                            "{} cannot be paid in cash here: the store rounds cash to {}; \
                             give a multiple of it",
                            totals.currency.display(*amount),
                            totals.currency.display(cash.increment)
                        ),
                    ));
                }
            }
            by_part_totals(totals, &amount_parts(totals, amounts)?)?
        }
        _ => split_exact(totals, rule)?,
    };
    // The last part is the one whose cash settles the sale: it carries the rounding a single
    // cash tender of what is then due would record.
    let zero = round(Decimal::ZERO, decimals, Rounding::Down);
    let count = parts.len();
    for (index, part) in parts.iter_mut().enumerate() {
        part.cash_rounding = match cash_rounding {
            Some(cash) if index + 1 == count => {
                round_to_increment(part.total, cash.increment, decimals, cash.rounding) - part.total
            }
            _ => zero,
        };
        part.cash = part.total + part.cash_rounding;
    }
    // A last part that rounds to nothing in cash cannot be paid: the earlier parts' cash would
    // already settle the sale.
    if let (Some(cash), Some(last)) = (cash_rounding, parts.last())
        && last.cash <= Decimal::ZERO
    {
        return Err(DomainError::invalid(
            "parts",
            format!(
                "the last part, {}, rounds to nothing in cash (the store rounds cash to {}): \
                 give the earlier parts less",
                totals.currency.display(last.total),
                totals.currency.display(cash.increment)
            ),
        ));
    }
    Ok(parts)
}

/// The part totals of an even split payable in cash: the bill as a single cash tender would
/// pay it (rounded to the increment), split into whole increments by largest remainder; the
/// last part gives back the rounding, so the parts sum to the bill.
fn even_cash_parts(
    totals: &Totals,
    parts: u32,
    cash: CashRounding,
) -> Result<Vec<Decimal>, DomainError> {
    if parts < 2 {
        return Err(DomainError::invalid(
            "parts",
            format!("a bill is split into 2 or more parts, not {parts}"),
        ));
    }
    let decimals = totals.currency.minor_units();
    let paid = round_to_increment(totals.total, cash.increment, decimals, cash.rounding);
    let adjustment = paid - totals.total;
    let weights = vec![Decimal::ONE; usize::try_from(parts).unwrap_or(0)];
    let units = allocate((paid / cash.increment).trunc(), &weights, 0)?;
    let mut part_totals: Vec<Decimal> = units
        .iter()
        .map(|u| round(*u * cash.increment, decimals, Rounding::Down))
        .collect();
    if let Some(last) = part_totals.last_mut() {
        *last -= adjustment;
    }
    if part_totals.iter().any(|p| *p <= Decimal::ZERO) {
        return Err(DomainError::invalid(
            "parts",
            format!(
                "a bill of {} cannot be paid in {parts} cash parts of whole {}s",
                totals.currency.display(totals.total),
                totals.currency.display(cash.increment)
            ),
        ));
    }
    Ok(part_totals)
}

/// Splits exactly, to the minor unit.
fn split_exact(totals: &Totals, rule: &SplitRule) -> Result<Vec<BillPart>, DomainError> {
    let decimals = totals.currency.minor_units();
    let parts = match rule {
        SplitRule::Evenly { parts } => {
            if *parts < 2 {
                return Err(DomainError::invalid(
                    "parts",
                    format!("a bill is split into 2 or more parts, not {parts}"),
                ));
            }
            let weights = vec![Decimal::ONE; usize::try_from(*parts).unwrap_or(0)];
            let part_totals = allocate(totals.total, &weights, decimals)?;
            by_part_totals(totals, &part_totals)?
        }
        SplitRule::ByAmount { amounts } => by_part_totals(totals, &amount_parts(totals, amounts)?)?,
        SplitRule::ByItem { parts } => by_items(totals, parts)?,
    };
    debug_assert!(check_sums(totals, &parts).is_ok());
    Ok(parts)
}

/// The part totals of a split by amount: the amounts given, then the rest if any.
fn amount_parts(totals: &Totals, amounts: &[Decimal]) -> Result<Vec<Decimal>, DomainError> {
    if amounts.is_empty() {
        return Err(DomainError::invalid("amounts", "give at least one amount"));
    }
    for (index, amount) in amounts.iter().enumerate() {
        let field = format!("amounts[{}]", index + 1);
        if *amount <= Decimal::ZERO {
            return Err(DomainError::invalid(
                field,
                format!(
                    "{} must be more than zero",
                    totals.currency.display(*amount)
                ),
            ));
        }
        totals.currency.check_scale(&field, *amount)?;
    }
    let given: Decimal = amounts.iter().sum();
    if given > totals.total {
        return Err(DomainError::invalid(
            "amounts",
            format!(
                "the amounts add up to {}, more than the bill's {}",
                totals.currency.display(given),
                totals.currency.display(totals.total)
            ),
        ));
    }
    let mut parts = amounts.to_vec();
    if given < totals.total {
        parts.push(totals.total - given);
    }
    if parts.len() < 2 {
        return Err(DomainError::invalid(
            "amounts",
            "one amount equal to the whole bill is not a split",
        ));
    }
    Ok(parts)
}

/// Splits every component two ways at once: part totals fixed, components exact.
fn by_part_totals(totals: &Totals, part_totals: &[Decimal]) -> Result<Vec<BillPart>, DomainError> {
    let decimals = totals.currency.minor_units();
    let exclusive = totals.price_mode == PriceMode::TaxExcluded;

    // The columns that make up the total: the items, each charge, and (prices before tax)
    // each rate's tax.
    let mut columns = vec![totals.items_total];
    columns.extend(totals.charges.iter().map(|c| c.amount));
    if exclusive {
        columns.extend(totals.taxes.iter().map(|t| t.tax));
    }
    let grid = allocate_grid(part_totals, &columns, decimals)?;
    let charges = totals.charges.len();

    // Prices with tax: the tax is inside the items and charges, split by the part totals.
    let tax_grid = if exclusive {
        None
    } else {
        let tax_rows = allocate(totals.tax_total, part_totals, decimals)?;
        let rate_taxes: Vec<Decimal> = totals.taxes.iter().map(|t| t.tax).collect();
        Some(allocate_grid(&tax_rows, &rate_taxes, decimals)?)
    };
    let discounts = allocate(totals.discount_total, part_totals, decimals)?;

    let mut parts = Vec::with_capacity(part_totals.len());
    for (index, row) in grid.iter().enumerate() {
        let charge_shares: Vec<ChargeShare> = totals
            .charges
            .iter()
            .zip(&row[1..=charges])
            .map(|(charge, amount)| ChargeShare {
                kind: charge.kind,
                amount: *amount,
            })
            .collect();
        let rate_row: &[Decimal] = match &tax_grid {
            Some(tax_grid) => &tax_grid[index],
            None => &row[1 + charges..],
        };
        let taxes: Vec<TaxShare> = totals
            .taxes
            .iter()
            .zip(rate_row)
            .map(|(rate, tax)| TaxShare {
                rate: rate.rate.clone(),
                tax: *tax,
            })
            .collect();
        parts.push(part(
            index,
            Vec::new(),
            row[0],
            discounts[index],
            charge_shares,
            taxes,
            exclusive,
        ));
    }
    Ok(parts)
}

fn part(
    index: usize,
    lines: Vec<LineShare>,
    items: Decimal,
    discount: Decimal,
    charges: Vec<ChargeShare>,
    taxes: Vec<TaxShare>,
    exclusive: bool,
) -> BillPart {
    let charges_total: Decimal = charges.iter().map(|c| c.amount).sum();
    let tax: Decimal = taxes.iter().map(|t| t.tax).sum();
    BillPart {
        number: u32::try_from(index + 1).unwrap_or(u32::MAX),
        lines,
        items,
        discount,
        charges,
        charges_total,
        taxes,
        tax,
        total: items + charges_total + if exclusive { tax } else { Decimal::ZERO },
        cash_rounding: Decimal::ZERO,
        cash: Decimal::ZERO,
    }
}

/// Splits by the lines each part takes; the charges follow the parts' items.
fn by_items(totals: &Totals, claims: &[Vec<ItemShare>]) -> Result<Vec<BillPart>, DomainError> {
    let decimals = totals.currency.minor_units();
    let exclusive = totals.price_mode == PriceMode::TaxExcluded;
    if claims.len() < 2 {
        return Err(DomainError::invalid(
            "parts",
            "a bill is split into 2 or more parts",
        ));
    }
    let count = claims.len();

    // For each line, each part's weight on it.
    let mut weights: Vec<Vec<Decimal>> = vec![vec![Decimal::ZERO; count]; totals.lines.len()];
    for (part_index, claim) in claims.iter().enumerate() {
        if claim.is_empty() {
            return Err(DomainError::invalid(
                format!("part {}", part_index + 1),
                "a part must take at least one line",
            ));
        }
        for share in claim {
            let field = format!("part {}, line {}", part_index + 1, share.line);
            let line_index = totals
                .lines
                .iter()
                .position(|l| l.number == share.line)
                .ok_or_else(|| DomainError::invalid(&field, "no such line on the bill"))?;
            if share.weight <= Decimal::ZERO {
                return Err(DomainError::invalid(
                    &field,
                    format!("the weight {} must be more than zero", share.weight),
                ));
            }
            if !weights[line_index][part_index].is_zero() {
                return Err(DomainError::invalid(
                    &field,
                    "the part names the line twice",
                ));
            }
            weights[line_index][part_index] = share.weight;
        }
    }
    if let Some(line) = totals
        .lines
        .iter()
        .zip(&weights)
        .find(|(_, w)| w.iter().all(|w| w.is_zero()))
    {
        return Err(DomainError::invalid(
            format!("line {}", line.0.number),
            "no part takes this line",
        ));
    }

    let rate_codes: Vec<&str> = totals.taxes.iter().map(|t| t.rate.as_str()).collect();
    let mut items = vec![Decimal::ZERO; count];
    let mut discounts = vec![Decimal::ZERO; count];
    let mut lines: Vec<Vec<LineShare>> = vec![Vec::new(); count];
    let mut rate_tax = vec![vec![Decimal::ZERO; rate_codes.len()]; count];
    let add_taxes = |part_rates: &mut Vec<Vec<Decimal>>,
                     taxes: &[crate::tax::LineTax],
                     weights: &[Decimal]|
     -> Result<(), DomainError> {
        for tax in taxes {
            let rate = rate_codes
                .iter()
                .position(|code| *code == tax.rate)
                .ok_or_else(|| DomainError::not_found("tax rate", tax.rate.clone()))?;
            for (part_index, share) in allocate(tax.amount, weights, decimals)?.iter().enumerate() {
                part_rates[part_index][rate] += *share;
            }
        }
        Ok(())
    };
    for (line, line_weights) in totals.lines.iter().zip(&weights) {
        let gross = allocate(line.gross, line_weights, decimals)?;
        let discount = allocate(
            line.line_discount + line.order_discount,
            line_weights,
            decimals,
        )?;
        for part_index in 0..count {
            if line_weights[part_index].is_zero() {
                continue;
            }
            let amount = gross[part_index] - discount[part_index];
            items[part_index] += amount;
            discounts[part_index] += discount[part_index];
            lines[part_index].push(LineShare {
                line: line.number,
                amount,
            });
        }
        add_taxes(&mut rate_tax, &line.taxes, line_weights)?;
    }

    // Charges (a percentage of the items, or a tip for the table) follow the items.
    let charge_weights: Vec<Decimal> = if items.iter().all(|i| i.is_zero()) {
        vec![Decimal::ONE; count]
    } else {
        items.clone()
    };
    let mut charges: Vec<Vec<ChargeShare>> = vec![Vec::new(); count];
    for charge in &totals.charges {
        for (part_index, amount) in allocate(charge.amount, &charge_weights, decimals)?
            .into_iter()
            .enumerate()
        {
            charges[part_index].push(ChargeShare {
                kind: charge.kind,
                amount,
            });
        }
        add_taxes(&mut rate_tax, &charge.taxes, &charge_weights)?;
    }

    Ok((0..count)
        .map(|index| {
            let taxes = rate_codes
                .iter()
                .zip(&rate_tax[index])
                .map(|(code, tax)| TaxShare {
                    rate: (*code).to_string(),
                    tax: *tax,
                })
                .collect();
            part(
                index,
                std::mem::take(&mut lines[index]),
                items[index],
                discounts[index],
                std::mem::take(&mut charges[index]),
                taxes,
                exclusive,
            )
        })
        .collect())
}

/// Checks that the parts add up to the bill, component by component.
pub fn check_sums(totals: &Totals, parts: &[BillPart]) -> Result<(), DomainError> {
    let fail = |what: &str| {
        Err(DomainError::invalid(
            "split",
            format!("the parts' {what} do not add up to the bill's"),
        ))
    };
    let sum = |f: &dyn Fn(&BillPart) -> Decimal| parts.iter().map(f).sum::<Decimal>();
    if sum(&|p| p.total) != totals.total {
        return fail("totals");
    }
    if sum(&|p| p.items) != totals.items_total {
        return fail("items");
    }
    if sum(&|p| p.discount) != totals.discount_total {
        return fail("discounts");
    }
    if sum(&|p| p.tax) != totals.tax_total {
        return fail("taxes");
    }
    for (index, charge) in totals.charges.iter().enumerate() {
        if sum(&|p| p.charges[index].amount) != charge.amount {
            return fail("charges");
        }
    }
    for (index, rate) in totals.taxes.iter().enumerate() {
        if sum(&|p| p.taxes[index].tax) != rate.tax {
            return fail("rate taxes");
        }
    }
    Ok(())
}
