//! Store scale labels: restricted-circulation codes with the weight or price inside.
//!
//! A deli scale prints an EAN-13 whose prefix is in a GS1 restricted-circulation range (02 or
//! 20-29): the store decides what the other digits mean. Each [`ScaleRule`] describes one
//! layout as 13 characters, for example `21IIIIIWWWWWC`:
//!
//! | character | meaning |
//! |---|---|
//! | digit | the prefix the label must start with |
//! | `I` | the item code (PLU) |
//! | `W` | the weight, `decimals` of it after the point, in kilograms |
//! | `P` | the price, `decimals` of it after the point, in the store's currency |
//! | `F` | a filler or price check digit, kept as printed |
//! | `C` | the EAN-13 check digit |
//!
//! The item is looked up by the label with the value digits set to zero and the check digit
//! recomputed: `2100001027506` (2.750 kg) is sold as the product stored under
//! `2100001000004`. Rupiah prices need six or more `P` digits (`20IIIIPPPPPPC` prices up to
//! Rp 999.999), which is why the layout belongs to the store, not to Kasir. A UPC-A label
//! (number system 2) is matched in its 13-digit form, `02...`.

use kasir_domain::gtin::{Gtin, check_digit};
use kasir_domain::money::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ScanError;

/// What a label's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// A weight in kilograms.
    Weight,
    /// A price in the store's currency.
    Price,
}

/// One layout of scale labels the store prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleRule {
    /// The 13-character layout (see the module documentation).
    pub layout: String,
    /// Digits of the value after the decimal point: 3 for grams as kg, the currency's minor
    /// units (or fewer) for a price.
    pub decimals: u32,
}

/// A label read by a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleLabel {
    /// The label as printed, 13 digits.
    pub code: String,
    /// The item code (PLU) digits.
    pub item_code: String,
    /// The key the item is stored under: the label with the value zeroed.
    pub key: Gtin,
    /// Whether the value is a weight or a price.
    pub kind: ValueKind,
    /// The value: kilograms for a weight, an amount for a price.
    pub value: Decimal,
}

impl ScaleRule {
    /// A rule with `layout` and `decimals`, checked against the store's `currency`.
    pub fn new(layout: &str, decimals: u32, currency: Currency) -> Result<ScaleRule, ScanError> {
        let rule = ScaleRule {
            layout: layout.to_string(),
            decimals,
        };
        rule.validate(currency)?;
        Ok(rule)
    }

    /// The literal digits the label starts with.
    pub fn prefix(&self) -> &str {
        let end = self
            .layout
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.layout.len());
        &self.layout[..end]
    }

    fn span(&self, letter: char) -> Option<(usize, usize)> {
        let start = self.layout.find(letter)?;
        let end = self.layout.rfind(letter)? + 1;
        Some((start, end))
    }

    /// Whether the value is a weight or a price (by the layout's `W` or `P`).
    pub fn kind(&self) -> Option<ValueKind> {
        match (self.layout.contains('W'), self.layout.contains('P')) {
            (true, false) => Some(ValueKind::Weight),
            (false, true) => Some(ValueKind::Price),
            _ => None,
        }
    }

    /// Checks the layout and the decimals for a store trading in `currency`.
    pub fn validate(&self, currency: Currency) -> Result<(), ScanError> {
        let layout = &self.layout;
        if layout.chars().count() != 13 {
            return Err(ScanError::rule(
                "layout",
                format!("`{layout}` must have 13 characters, one per digit of the EAN-13"),
            ));
        }
        if let Some(bad) = layout.chars().find(|c| !"0123456789IWPFC".contains(*c)) {
            return Err(ScanError::rule(
                "layout",
                format!("`{layout}`: `{bad}` is not a digit or one of I, W, P, F, C"),
            ));
        }
        let prefix = self.prefix();
        if !(prefix.starts_with("02") || prefix.starts_with('2')) {
            return Err(ScanError::rule(
                "layout",
                format!("`{layout}` must start with a restricted-circulation prefix (02 or 20-29)"),
            ));
        }
        if layout[prefix.len()..].contains(|c: char| c.is_ascii_digit()) {
            return Err(ScanError::rule(
                "layout",
                format!("`{layout}`: fixed digits may only stand at the start"),
            ));
        }
        if !layout.ends_with('C') || layout.matches('C').count() != 1 {
            return Err(ScanError::rule(
                "layout",
                format!("`{layout}` must end with the check digit C, and have only that one"),
            ));
        }
        let kind = self.kind().ok_or_else(|| {
            ScanError::rule(
                "layout",
                format!("`{layout}` must have a weight (W) or a price (P), not both"),
            )
        })?;
        let letter = if kind == ValueKind::Weight { 'W' } else { 'P' };
        for (name, l) in [("item code", 'I'), ("value", letter)] {
            let Some((start, end)) = self.span(l) else {
                return Err(ScanError::rule(
                    "layout",
                    format!("`{layout}` has no {name} ({l})"),
                ));
            };
            if layout[start..end].chars().any(|c| c != l) {
                return Err(ScanError::rule(
                    "layout",
                    format!("`{layout}`: the {name} digits ({l}) must be together"),
                ));
            }
        }
        let (start, end) = self.span(letter).unwrap_or((0, 0));
        let digits = end - start;
        if self.decimals as usize > digits {
            return Err(ScanError::rule(
                "decimals",
                format!("{} is more than the {digits} value digits", self.decimals),
            ));
        }
        match kind {
            ValueKind::Weight if self.decimals > 3 => Err(ScanError::rule(
                "decimals",
                format!(
                    "{} is finer than grams; a weight has at most 3",
                    self.decimals
                ),
            )),
            ValueKind::Price if self.decimals > currency.minor_units() => Err(ScanError::rule(
                "decimals",
                format!(
                    "{} is more than {} has ({})",
                    self.decimals,
                    currency.code(),
                    currency.minor_units()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Whether the 13-digit `code` starts with this rule's prefix.
    pub fn matches(&self, code: &str) -> bool {
        code.len() == 13 && code.starts_with(self.prefix())
    }

    /// Reads the 13-digit `code` by this rule: verifies the check digit, takes the item code
    /// and the value, and makes the lookup key.
    pub fn read(&self, code: &str) -> Result<ScaleLabel, ScanError> {
        if !self.matches(code) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ScanError::malformed(
                "scale label",
                format!("`{code}` does not fit the layout {}", self.layout),
            ));
        }
        let gtin = Gtin::parse(code).map_err(|e| ScanError::check_digit("scale label", e))?;
        let kind = self
            .kind()
            .ok_or_else(|| ScanError::rule("layout", "has no value"))?;
        let letter = if kind == ValueKind::Weight { 'W' } else { 'P' };
        let (start, end) = self.span(letter).unwrap_or((0, 0));
        let (item_start, item_end) = self.span('I').unwrap_or((0, 0));
        let raw: i64 = code[start..end]
            .parse()
            .map_err(|_| ScanError::malformed("scale label", "the value is not a number"))?;
        let value = Decimal::new(raw, self.decimals);

        let mut body: String = code[..12].to_string();
        body.replace_range(start..end, &"0".repeat(end - start));
        let check =
            check_digit(&body).map_err(|e| ScanError::malformed("scale label", e.to_string()))?;
        let key = Gtin::parse(&format!("{body}{check}"))
            .map_err(|e| ScanError::malformed("scale label", e.to_string()))?;
        debug_assert!(gtin.is_restricted_circulation());
        Ok(ScaleLabel {
            code: code.to_string(),
            item_code: code[item_start..item_end].to_string(),
            key,
            kind,
            value,
        })
    }
}

/// Finds the rule for a 13-digit restricted-circulation `code`: the matching rule with the
/// longest prefix, the first one listed among equals.
pub fn rule_for<'r>(rules: &'r [ScaleRule], code: &str) -> Option<&'r ScaleRule> {
    rules
        .iter()
        .filter(|r| r.matches(code))
        .fold(None, |best: Option<&ScaleRule>, r| match best {
            Some(b) if b.prefix().len() >= r.prefix().len() => Some(b),
            _ => Some(r),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_weight_label_gives_kilograms_and_the_zeroed_key() {
        // Case B-04.
        let rule = ScaleRule::new("21IIIIIWWWWWC", 3, Currency::IDR).unwrap();
        let label = rule.read("2100001027506").unwrap();
        assert_eq!(label.value, dec!(2.750));
        assert_eq!(label.kind, ValueKind::Weight);
        assert_eq!(label.item_code, "00001");
        assert_eq!(label.key.short_form(), "2100001000004");
    }

    #[test]
    fn a_bad_check_digit_is_rejected() {
        let rule = ScaleRule::new("21IIIIIWWWWWC", 3, Currency::IDR).unwrap();
        let err = rule.read("2100001027507").unwrap_err();
        assert!(matches!(err, ScanError::CheckDigit { .. }), "{err:?}");
    }

    #[test]
    fn the_decimals_belong_to_the_rule() {
        // Case B-05: the same digits are EUR 19.40 or Rp 1.940.
        let eur = ScaleRule::new("20IIIIFPPPPPC", 2, Currency::EUR).unwrap();
        let label = eur.read("2000021019409").unwrap();
        assert_eq!(label.item_code, "0002");
        assert_eq!(label.value, dec!(19.40));
        let idr = ScaleRule::new("20IIIIFPPPPPC", 0, Currency::IDR).unwrap();
        assert_eq!(idr.read("2000021019409").unwrap().value, dec!(1940));
        // Two decimals cannot be charged in rupiah.
        assert!(ScaleRule::new("20IIIIFPPPPPC", 2, Currency::IDR).is_err());
    }

    #[test]
    fn rupiah_layouts_take_six_price_digits() {
        let rule = ScaleRule::new("20IIIIPPPPPPC", 0, Currency::IDR).unwrap();
        // 20 0007 125500 + check digit.
        let body = "200007125500";
        let code = format!("{body}{}", check_digit(body).unwrap());
        let label = rule.read(&code).unwrap();
        assert_eq!(label.value, dec!(125500));
        assert_eq!(label.item_code, "0007");
        assert_eq!(&label.key.short_form()[..12], "200007000000");
    }

    #[test]
    fn bad_layouts_say_why() {
        let cases = [
            ("21IIIIIWWWWC", "13 characters"),
            ("41IIIIIWWWWWC", "restricted-circulation"),
            ("21IIIIIWWWWWP", "check digit"),
            ("21IIIIIIIIIIC", "weight (W) or a price (P)"),
            ("21IIWWIIWWWWC", "together"),
            ("21IIIII5WWWWC", "at the start"),
        ];
        for (layout, expected) in cases {
            let err = ScaleRule::new(layout, 3, Currency::IDR)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{layout}: {err}");
        }
        let err = ScaleRule::new("21IIIIIWWWWWC", 4, Currency::IDR)
            .unwrap_err()
            .to_string();
        assert!(err.contains("decimals"), "{err}");
    }

    #[test]
    fn the_longest_prefix_wins() {
        let rules = vec![
            ScaleRule::new("2IIIIIIWWWWWC", 3, Currency::IDR).unwrap(),
            ScaleRule::new("21IIIIIWWWWWC", 3, Currency::IDR).unwrap(),
        ];
        assert_eq!(rule_for(&rules, "2100001027506").unwrap().prefix(), "21");
        assert_eq!(rule_for(&rules, "2200001027503").unwrap().prefix(), "2");
        assert!(rule_for(&rules, "4006381333931").is_none());
    }
}
