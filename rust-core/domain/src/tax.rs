//! Tax rates, tax categories and the tax of a sale.
//!
//! A [`TaxRate`] is a percentage on a base that may be a fraction of the price (Indonesian PPN
//! since 2025: 12% on a base of 11/12 of the price for non-luxury goods). A tax category (what
//! an item or a charge carries) applies zero or more rates, none compounding on another. The
//! tax is computed exactly, as a product of the amount and the rate's fraction with a single
//! division at the end, and rounded only at the level the store chose: per line, per rate
//! (tax group) or once per document. Whatever the level, the rounded tax is then split back
//! onto the lines and the rates by largest remainder, so that lines, rates and the document
//! always agree to the last minor unit.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::rounding::{Rounding, allocate, round};

/// One tax: a percentage applied to a fraction of the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TaxRate {
    /// Short stable key, for example `ppn`.
    pub code: String,
    /// What the receipt prints, for example `PPN 12%`.
    pub label: String,
    /// The statutory percentage, for example `12`.
    pub percent: Decimal,
    /// Numerator of the share of the amount that is taxed (11 for PPN's 11/12 base).
    pub base_numerator: u32,
    /// Denominator of that share (12 for PPN's 11/12 base; 1 for a full base).
    pub base_denominator: u32,
}

impl TaxRate {
    /// A rate on the full amount.
    pub fn simple(code: &str, label: &str, percent: Decimal) -> TaxRate {
        TaxRate {
            code: code.into(),
            label: label.into(),
            percent,
            base_numerator: 1,
            base_denominator: 1,
        }
    }

    /// Checks that the rate is usable: a code, a percentage from 0 to 100 and a base share
    /// between 0 and 1.
    pub fn validate(&self) -> Result<(), DomainError> {
        let field = format!("tax rate `{}`", self.code);
        if self.code.trim().is_empty() {
            return Err(DomainError::invalid("tax rate", "code is empty"));
        }
        if self.percent.is_sign_negative() || self.percent > Decimal::ONE_HUNDRED {
            return Err(DomainError::invalid(field, "percent must be from 0 to 100"));
        }
        if self.base_denominator == 0 || self.base_numerator > self.base_denominator {
            return Err(DomainError::invalid(
                field,
                "base share must be a fraction from 0/1 to 1/1",
            ));
        }
        Ok(())
    }

    /// The rate as an exact fraction `numerator / denominator` of the amount.
    fn fraction(&self) -> (Decimal, Decimal) {
        (
            self.percent * Decimal::from(self.base_numerator),
            Decimal::ONE_HUNDRED * Decimal::from(self.base_denominator),
        )
    }

    /// The effective percentage (11 for PPN 12% on 11/12), for display.
    pub fn effective_percent(&self) -> Decimal {
        let (numerator, denominator) = self.fraction();
        numerator * Decimal::ONE_HUNDRED / denominator
    }
}

/// A set of rates that items or charges refer to by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TaxCategory {
    /// The key items carry in the catalog, for example `ppn` or `exempt`.
    pub code: String,
    /// A name for people.
    pub label: String,
    /// Codes of the rates this category applies; empty for untaxed goods.
    pub rates: Vec<String>,
}

/// Whether shelf prices include tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum PriceMode {
    /// Prices include tax; the receipt shows the tax contained (Indonesian retail).
    #[default]
    TaxIncluded,
    /// Tax is added on top of prices (Indonesian restaurants with PB1, US sales tax).
    TaxExcluded,
}

/// Where tax amounts are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum TaxRoundingLevel {
    /// Each line's tax is rounded, then summed.
    Line,
    /// The exact tax of each rate is summed over the sale, then rounded once per rate.
    Group,
    /// The exact tax of the whole sale is rounded once, then split over the rates.
    #[default]
    Document,
}

impl TaxRoundingLevel {
    /// Parses `line`, `group` or `document`.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "line" => Ok(TaxRoundingLevel::Line),
            "group" => Ok(TaxRoundingLevel::Group),
            "document" => Ok(TaxRoundingLevel::Document),
            _ => Err(DomainError::invalid(
                "tax rounding level",
                format!("`{text}` is not `line`, `group` or `document`"),
            )),
        }
    }
}

/// A store's tax rules: its rates and categories, whether prices include tax, and how tax
/// amounts are rounded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TaxRules {
    /// Every rate the store charges.
    pub rates: Vec<TaxRate>,
    /// Every category items and charges may carry.
    pub categories: Vec<TaxCategory>,
    /// Whether prices include tax.
    pub price_mode: PriceMode,
    /// Where tax is rounded.
    pub level: TaxRoundingLevel,
    /// How tax amounts are rounded (Indonesia since 2025: half up to whole rupiah).
    pub rounding: Rounding,
}

impl TaxRules {
    /// Indonesian retail since 2025: tax-inclusive shelf prices; `ppn` is 12% on an 11/12
    /// base, `luxury` is 12% on the full price, `exempt` carries none; PPN is rounded half up
    /// once per document.
    pub fn indonesia_retail() -> TaxRules {
        TaxRules {
            rates: vec![
                TaxRate {
                    code: "ppn".into(),
                    label: "PPN 12%".into(),
                    percent: Decimal::from(12),
                    base_numerator: 11,
                    base_denominator: 12,
                },
                TaxRate::simple("ppn-luxury", "PPN 12% (barang mewah)", Decimal::from(12)),
            ],
            categories: vec![
                TaxCategory {
                    code: "ppn".into(),
                    label: "PPN".into(),
                    rates: vec!["ppn".into()],
                },
                TaxCategory {
                    code: "luxury".into(),
                    label: "PPN barang mewah".into(),
                    rates: vec!["ppn-luxury".into()],
                },
                TaxCategory {
                    code: "exempt".into(),
                    label: "Bebas PPN".into(),
                    rates: vec![],
                },
            ],
            price_mode: PriceMode::TaxIncluded,
            level: TaxRoundingLevel::Document,
            rounding: Rounding::HalfAwayFromZero,
        }
    }

    /// Checks rates and categories: unique codes, usable rates, categories naming known rates.
    pub fn validate(&self) -> Result<(), DomainError> {
        for (i, rate) in self.rates.iter().enumerate() {
            rate.validate()?;
            if self.rates[..i].iter().any(|r| r.code == rate.code) {
                return Err(DomainError::invalid(
                    "tax rate",
                    format!("`{}` is listed twice", rate.code),
                ));
            }
        }
        for (i, category) in self.categories.iter().enumerate() {
            if self.categories[..i].iter().any(|c| c.code == category.code) {
                return Err(DomainError::invalid(
                    "tax category",
                    format!("`{}` is listed twice", category.code),
                ));
            }
            for code in &category.rates {
                if self.rate(code).is_none() {
                    return Err(DomainError::invalid(
                        format!("tax category `{}`", category.code),
                        format!("names unknown rate `{code}`"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The rate with `code`.
    pub fn rate(&self, code: &str) -> Option<&TaxRate> {
        self.rates.iter().find(|r| r.code == code)
    }

    /// The category with `code`.
    pub fn category(&self, code: &str) -> Result<&TaxCategory, DomainError> {
        self.categories
            .iter()
            .find(|c| c.code == code)
            .ok_or_else(|| DomainError::not_found("tax category", code))
    }
}

/// One rate's share of one line's tax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LineTax {
    /// The rate's code.
    pub rate: String,
    /// The tax, rounded, in the sale's currency.
    pub amount: Decimal,
}

/// The tax of one rate over a whole sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RateTotal {
    /// The rate's code.
    pub rate: String,
    /// The rate's label as printed.
    pub label: String,
    /// The statutory percentage.
    pub percent: Decimal,
    /// The amounts this rate applied to, excluding tax (sales value before tax).
    pub net: Decimal,
    /// The tax base: `net` times the rate's base share (the DPP for PPN), rounded half away
    /// from zero, for the receipt.
    pub base: Decimal,
    /// The tax, rounded.
    pub tax: Decimal,
}

/// The tax of a sale: per component (line or charge) and per rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxBreakdown {
    /// For each component given, in order, the tax of each of its rates.
    pub components: Vec<Vec<LineTax>>,
    /// Per rate, in the order of the store's rates.
    pub rates: Vec<RateTotal>,
    /// The tax of the sale: the sum of `rates[].tax` and of every component's tax.
    pub total: Decimal,
}

/// A taxable amount: a line after discounts, or a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxable<'a> {
    /// The amount, as shown on the shelf (including tax in a tax-included store).
    pub amount: Decimal,
    /// The tax category it carries.
    pub category: &'a str,
}

/// Computes the tax of `components` under `rules`, in a currency with `decimals` places.
///
/// Amounts must not be negative. The result's component taxes sum to each rate's tax, and the
/// rates' taxes sum to the total, at every rounding level.
pub fn compute(
    rules: &TaxRules,
    components: &[Taxable<'_>],
    decimals: u32,
) -> Result<TaxBreakdown, DomainError> {
    // Each category's rates, resolved once per category rather than once per component:
    // the rate indices and fractions, and for tax-included prices the sum of the fractions
    // n_i/d_i as one exact fraction sn/sd, so that each contained tax
    // T * (n_i/d_i) / (1 + sn/sd) takes one division.
    let mut resolved: Vec<Option<ResolvedCategory<'_>>> = vec![None; rules.categories.len()];
    // For each component, the index of its category in `rules.categories`.
    let mut component_category: Vec<usize> = Vec::with_capacity(components.len());
    // exact[c][k]: the unrounded tax of rate k on component c.
    let mut exact: Vec<Vec<Decimal>> = Vec::with_capacity(components.len());
    for component in components {
        if component.amount.is_sign_negative() && !component.amount.is_zero() {
            return Err(DomainError::invalid(
                "amount",
                "a taxable amount must not be negative",
            ));
        }
        let at = rules
            .categories
            .iter()
            .position(|c| c.code == component.category)
            .ok_or_else(|| DomainError::not_found("tax category", component.category))?;
        if resolved[at].is_none() {
            resolved[at] = Some(ResolvedCategory::new(rules, &rules.categories[at])?);
        }
        let category = resolved[at].as_ref().expect("resolved above");
        component_category.push(at);
        let mut row = vec![Decimal::ZERO; rules.rates.len()];
        match rules.price_mode {
            PriceMode::TaxExcluded => {
                for &(index, n, d) in &category.fractions {
                    row[index] = component.amount * n / d;
                }
            }
            PriceMode::TaxIncluded => {
                let sd = category.sd;
                for (&(index, n, _), denominator) in category
                    .fractions
                    .iter()
                    .zip(&category.included_denominators)
                {
                    row[index] = component.amount * n * sd / *denominator;
                }
            }
        }
        exact.push(row);
    }

    let rate_count = rules.rates.len();
    let rate_exact: Vec<Decimal> = (0..rate_count)
        .map(|k| exact.iter().map(|row| row[k]).sum())
        .collect();

    // rounded[c][k]: the rounded tax of rate k on component c.
    let mut rounded: Vec<Vec<Decimal>> =
        vec![vec![round(Decimal::ZERO, decimals, Rounding::Down); rate_count]; components.len()];
    match rules.level {
        TaxRoundingLevel::Line => {
            for (c, row) in exact.iter().enumerate() {
                for (k, value) in row.iter().enumerate() {
                    rounded[c][k] = round(*value, decimals, rules.rounding);
                }
            }
        }
        TaxRoundingLevel::Group | TaxRoundingLevel::Document => {
            let rate_rounded: Vec<Decimal> = if rules.level == TaxRoundingLevel::Group {
                rate_exact
                    .iter()
                    .map(|t| round(*t, decimals, rules.rounding))
                    .collect()
            } else {
                let document = round(rate_exact.iter().sum(), decimals, rules.rounding);
                allocate(document, &rate_exact, decimals)?
            };
            for k in 0..rate_count {
                let weights: Vec<Decimal> = exact.iter().map(|row| row[k]).collect();
                let shares = allocate(rate_rounded[k], &weights, decimals)?;
                for (c, share) in shares.into_iter().enumerate() {
                    rounded[c][k] = share;
                }
            }
        }
    }

    let component_taxes: Vec<Vec<LineTax>> = component_category
        .iter()
        .enumerate()
        .map(|(c, &at)| {
            let category = resolved[at].as_ref().expect("resolved above");
            category
                .fractions
                .iter()
                .zip(category.codes)
                .map(|(&(k, _, _), code)| LineTax {
                    rate: code.clone(),
                    amount: rounded[c][k],
                })
                .collect()
        })
        .collect();

    let mut rates = Vec::new();
    for (k, rate) in rules.rates.iter().enumerate() {
        let applies: Vec<usize> = (0..components.len())
            .filter(|&c| component_taxes[c].iter().any(|t| t.rate == rate.code))
            .collect();
        if applies.is_empty() {
            continue;
        }
        let tax: Decimal = applies.iter().map(|&c| rounded[c][k]).sum();
        let net: Decimal = applies
            .iter()
            .map(|&c| match rules.price_mode {
                PriceMode::TaxExcluded => components[c].amount,
                PriceMode::TaxIncluded => {
                    components[c].amount
                        - component_taxes[c].iter().map(|t| t.amount).sum::<Decimal>()
                }
            })
            .sum();
        let (n, d) = (
            Decimal::from(rate.base_numerator),
            Decimal::from(rate.base_denominator),
        );
        rates.push(RateTotal {
            rate: rate.code.clone(),
            label: rate.label.clone(),
            percent: rate.percent,
            net,
            base: round(net * n / d, decimals, Rounding::HalfAwayFromZero),
            tax,
        });
    }

    let total = round(rates.iter().map(|r| r.tax).sum(), decimals, Rounding::Down);
    Ok(TaxBreakdown {
        components: component_taxes,
        rates,
        total,
    })
}

/// A tax category's rates looked up once for a whole computation.
#[derive(Clone)]
struct ResolvedCategory<'a> {
    /// The category's rate codes, in its order.
    codes: &'a [String],
    /// Per rate of the category, in its order: the rate's index in the rules and its exact
    /// fraction `n / d`.
    fractions: Vec<(usize, Decimal, Decimal)>,
    /// The product of the fractions' denominators (`sd`).
    sd: Decimal,
    /// Per rate, `d * (sd + sn)`: the denominator of its contained tax when prices include tax.
    included_denominators: Vec<Decimal>,
}

impl<'a> ResolvedCategory<'a> {
    fn new(rules: &TaxRules, category: &'a TaxCategory) -> Result<Self, DomainError> {
        let fractions: Vec<(usize, Decimal, Decimal)> = category
            .rates
            .iter()
            .map(|code| {
                let index = rules
                    .rates
                    .iter()
                    .position(|r| &r.code == code)
                    .ok_or_else(|| DomainError::not_found("tax rate", code.clone()))?;
                let (n, d) = rules.rates[index].fraction();
                Ok((index, n, d))
            })
            .collect::<Result<_, DomainError>>()?;
        let sd: Decimal = fractions.iter().map(|f| f.2).product();
        let sn: Decimal = fractions.iter().map(|&(_, n, d)| n * sd / d).sum();
        let included_denominators = fractions.iter().map(|&(_, _, d)| d * (sd + sn)).collect();
        Ok(ResolvedCategory {
            codes: &category.rates,
            fractions,
            sd,
            included_denominators,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn rules(price_mode: PriceMode, level: TaxRoundingLevel, rates: Vec<TaxRate>) -> TaxRules {
        let categories = rates
            .iter()
            .map(|r| TaxCategory {
                code: r.code.clone(),
                label: r.label.clone(),
                rates: vec![r.code.clone()],
            })
            .collect();
        TaxRules {
            rates,
            categories,
            price_mode,
            level,
            rounding: Rounding::HalfAwayFromZero,
        }
    }

    fn taxable(amount: Decimal, category: &str) -> Taxable<'_> {
        Taxable { amount, category }
    }

    #[test]
    fn per_document_rounding_is_honoured() {
        // Case M-01: 21% exclusive; net 9.37, tax 1.9677 -> 1.97 per document, 1.96 per line.
        let vat = vec![TaxRate::simple("vat", "VAT 21%", dec!(21))];
        let lines = [dec!(5.92), dec!(1.52), dec!(1.54), dec!(0.39)];
        let parts: Vec<Taxable> = lines.iter().map(|a| taxable(*a, "vat")).collect();

        let document = compute(
            &rules(
                PriceMode::TaxExcluded,
                TaxRoundingLevel::Document,
                vat.clone(),
            ),
            &parts,
            2,
        )
        .unwrap();
        assert_eq!(document.total, dec!(1.97));
        let per_line_sum: Decimal = document.components.iter().flatten().map(|t| t.amount).sum();
        assert_eq!(per_line_sum, dec!(1.97));

        let line = compute(
            &rules(PriceMode::TaxExcluded, TaxRoundingLevel::Line, vat),
            &parts,
            2,
        )
        .unwrap();
        assert_eq!(line.total, dec!(1.96));
    }

    #[test]
    fn half_cents_add_up_per_document() {
        // Case M-01, second input: 0.014 + 0.011 = 0.025 -> 0.03 per document, 0.02 per line.
        let ten = vec![TaxRate::simple("t10", "10%", dec!(10))];
        let parts = [taxable(dec!(0.14), "t10"), taxable(dec!(0.11), "t10")];
        let doc = compute(
            &rules(
                PriceMode::TaxExcluded,
                TaxRoundingLevel::Document,
                ten.clone(),
            ),
            &parts,
            2,
        )
        .unwrap();
        assert_eq!(doc.total, dec!(0.03));
        let line = compute(
            &rules(PriceMode::TaxExcluded, TaxRoundingLevel::Line, ten),
            &parts,
            2,
        )
        .unwrap();
        assert_eq!(line.total, dec!(0.02));
    }

    #[test]
    fn included_tax_at_two_rates_keeps_net_and_tax_from_one_split() {
        // Case M-02: 28.90 incl. 22% and 1.25 incl. 10%; per document the tax is 5.33.
        let rates = vec![
            TaxRate::simple("a", "22%", dec!(22)),
            TaxRate::simple("b", "10%", dec!(10)),
        ];
        let parts = [taxable(dec!(28.90), "a"), taxable(dec!(1.25), "b")];
        let doc = compute(
            &rules(
                PriceMode::TaxIncluded,
                TaxRoundingLevel::Document,
                rates.clone(),
            ),
            &parts,
            2,
        )
        .unwrap();
        assert_eq!(doc.total, dec!(5.33));
        let net: Decimal = doc.rates.iter().map(|r| r.net).sum();
        assert_eq!(net + doc.total, dec!(30.15));

        let group = compute(
            &rules(PriceMode::TaxIncluded, TaxRoundingLevel::Group, rates),
            &parts,
            2,
        )
        .unwrap();
        assert_eq!(group.total, dec!(5.32));
        let net: Decimal = group.rates.iter().map(|r| r.net).sum();
        assert_eq!(net, dec!(24.83));
    }

    #[test]
    fn ppn_is_twelve_percent_of_eleven_twelfths_rounded_half_up() {
        // Case M-04: price Rp 8,945 -> PPN 983.95 -> 984; Rp 100,000 -> exactly 11,000.
        let mut r = TaxRules::indonesia_retail();
        r.price_mode = PriceMode::TaxExcluded;
        let tax = compute(&r, &[taxable(dec!(8945), "ppn")], 0).unwrap();
        assert_eq!(tax.total, dec!(984));
        assert_eq!(tax.rates[0].base, dec!(8200));
        let tax = compute(&r, &[taxable(dec!(100000), "ppn")], 0).unwrap();
        assert_eq!(tax.total, dec!(11000));

        // 11% on Rp 4,550 is 500.50: half up gives 501; the old round-down rule gives 500.
        let eleven = TaxRules {
            rates: vec![TaxRate::simple("ppn11", "PPN 11%", dec!(11))],
            ..r.clone()
        };
        let eleven = TaxRules {
            categories: vec![TaxCategory {
                code: "ppn".into(),
                label: "PPN".into(),
                rates: vec!["ppn11".into()],
            }],
            ..eleven
        };
        assert_eq!(
            compute(&eleven, &[taxable(dec!(4550), "ppn")], 0)
                .unwrap()
                .total,
            dec!(501)
        );
        let down = TaxRules {
            rounding: Rounding::Down,
            ..eleven
        };
        assert_eq!(
            compute(&down, &[taxable(dec!(4550), "ppn")], 0)
                .unwrap()
                .total,
            dec!(500)
        );
    }

    #[test]
    fn ppn_contained_in_an_inclusive_basket() {
        // Tax notes example C: 35,000 inclusive -> 3,468 per document, 3,469 per line.
        let r = TaxRules::indonesia_retail();
        let parts = [
            taxable(dec!(10500), "ppn"),
            taxable(dec!(8000), "ppn"),
            taxable(dec!(16500), "ppn"),
        ];
        assert_eq!(compute(&r, &parts, 0).unwrap().total, dec!(3468));
        let per_line = TaxRules {
            level: TaxRoundingLevel::Line,
            ..r.clone()
        };
        assert_eq!(compute(&per_line, &parts, 0).unwrap().total, dec!(3469));

        // Example B: Rp 55,500 inclusive contains exactly Rp 5,500.
        assert_eq!(
            compute(&r, &[taxable(dec!(55500), "ppn")], 0)
                .unwrap()
                .total,
            dec!(5500)
        );
    }

    #[test]
    fn exempt_goods_carry_no_tax() {
        let r = TaxRules::indonesia_retail();
        let tax = compute(&r, &[taxable(dec!(16500), "exempt")], 0).unwrap();
        assert_eq!(tax.total, dec!(0));
        assert!(tax.rates.is_empty());
    }

    #[test]
    fn unknown_categories_and_bad_rates_are_refused() {
        let r = TaxRules::indonesia_retail();
        let err = compute(&r, &[taxable(dec!(1), "vat")], 0).unwrap_err();
        assert_eq!(err.to_string(), "tax category `vat` not found");
        let mut bad = r.clone();
        bad.rates[0].base_numerator = 13;
        assert!(bad.validate().is_err());
        let mut bad = r;
        bad.categories[0].rates.push("gst".into());
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("unknown rate `gst`")
        );
    }
}
