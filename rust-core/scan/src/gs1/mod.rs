//! GS1 element strings: Application Identifiers and their values.
//!
//! GS1-128, GS1 DataBar, GS1 DataMatrix and GS1 QR carry a run of element strings, each an AI
//! of two to four digits followed by its value. An AI whose length the syntax dictionary
//! predefines (GTIN (01), expiry (17), net weight (310n), ...) needs no separator after it; a
//! variable-length value (batch (10), serial (21), price (392n), ...) ends at a GS (FNC1,
//! 0x1D) or at the end of the data. A value that runs past its maximum length is reported as a
//! probable missing separator rather than cut by guesswork.
//!
//! [`ElementString`] holds the parsed fields in order; its accessors give the ones a checkout
//! uses: the GTIN, batch, serial, expiry (day 00 meaning the month's last day), net weight and
//! price.

pub mod dictionary;
pub mod linters;

use jiff::civil::Date;
use kasir_domain::gtin::Gtin;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ScanError;
use crate::symbology::GS;
pub use dictionary::{Dictionary, Entry, matches_pattern};

/// The most element strings one symbol may carry (the GS1 syntax engine's limit).
pub const MAX_FIELDS: usize = 64;

/// One element string: an AI and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The Application Identifier, 2 to 4 digits.
    pub ai: String,
    /// Its value, as encoded.
    pub value: String,
}

impl Field {
    /// A field of `ai` with `value`.
    pub fn new(ai: impl Into<String>, value: impl Into<String>) -> Field {
        Field {
            ai: ai.into(),
            value: value.into(),
        }
    }
}

/// A price in a GS1 element string: (392n) in the local currency or (393n) with its ISO 4217
/// currency number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gs1Price {
    /// The amount, with the decimals the AI's last digit gives.
    pub amount: Decimal,
    /// The ISO 4217 numeric currency code for (393n); `None` means the store's currency.
    pub currency_number: Option<String>,
}

/// Parsed GS1 element strings, in the order they were encoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementString {
    /// The fields in order.
    pub fields: Vec<Field>,
}

impl ElementString {
    /// Parses element-string data as a scanner sends it after the symbology identifier: AIs
    /// and values with GS (0x1D) between a variable-length value and the next AI. A GS where
    /// none is needed (after a predefined-length value, or at the end) is tolerated.
    pub fn parse(data: &str) -> Result<ElementString, ScanError> {
        let dictionary = Dictionary::gs1();
        let mut fields = Vec::new();
        let mut rest = data;
        loop {
            rest = rest.trim_start_matches(GS);
            if rest.is_empty() {
                break;
            }
            let Some((ai, entry)) = dictionary.ai_at_start(rest) else {
                let shown: String = rest.chars().take(4).collect();
                let reason = if fields.is_empty() {
                    format!("`{shown}` does not start with a GS1 Application Identifier")
                } else {
                    let last: &Field = &fields[fields.len() - 1];
                    format!(
                        "`{shown}` after ({}) {} is not an Application Identifier",
                        last.ai, last.value
                    )
                };
                return Err(ScanError::gs1("AI", reason));
            };
            let ai = ai.to_string();
            rest = &rest[ai.len()..];
            let field = format!("AI ({ai})");
            let value: &str = if entry.predefined_length {
                let length = entry.max_length();
                let end = rest
                    .char_indices()
                    .nth(length)
                    .map_or(rest.len(), |(i, _)| i);
                let candidate = &rest[..end];
                if let Some(cut) = candidate.find(GS) {
                    return Err(ScanError::gs1(
                        field,
                        format!(
                            "`{}` is too short: {} has exactly {length} characters",
                            &candidate[..cut],
                            entry.title
                        ),
                    ));
                }
                candidate
            } else {
                let end = rest.find(GS).unwrap_or(rest.len());
                let candidate = &rest[..end];
                let max = entry.max_length();
                if candidate.chars().count() > max {
                    return Err(ScanError::gs1(
                        field,
                        format!(
                            "`{candidate}` is longer than the {max} characters {} may have: \
                             a GS separator is probably missing before the next AI",
                            entry.title
                        ),
                    ));
                }
                candidate
            };
            entry
                .check_value(&ai, value)
                .map_err(|e| hint_missing_separator(e, entry, value))?;
            rest = &rest[value.len()..];
            fields.push(Field::new(ai, value));
            if fields.len() > MAX_FIELDS {
                return Err(ScanError::gs1(
                    "data",
                    format!("more than {MAX_FIELDS} element strings"),
                ));
            }
        }
        if fields.is_empty() {
            return Err(ScanError::gs1("data", "there are no element strings"));
        }
        Ok(ElementString { fields })
    }

    /// Parses the human-readable bracketed form, `(01)09520123456788(17)201225`. A bracket
    /// inside a value is written `\(`.
    pub fn parse_bracketed(text: &str) -> Result<ElementString, ScanError> {
        let dictionary = Dictionary::gs1();
        let mut fields: Vec<Field> = Vec::new();
        let mut chars = text.chars().peekable();
        if chars.peek() != Some(&'(') {
            return Err(ScanError::gs1(
                "data",
                format!("`{text}` must start with (AI)"),
            ));
        }
        while let Some(open) = chars.next() {
            debug_assert_eq!(open, '(');
            let mut ai = String::new();
            loop {
                match chars.next() {
                    Some(')') => break,
                    Some(c) => ai.push(c),
                    None => {
                        return Err(ScanError::gs1("AI", format!("`({ai}` is not closed")));
                    }
                }
            }
            if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ScanError::gs1(
                    "AI",
                    format!("`({ai})` is not 2 to 4 digits"),
                ));
            }
            let entry = dictionary
                .entry(&ai)
                .ok_or_else(|| ScanError::gs1(format!("AI ({ai})"), "GS1 defines no such AI"))?;
            let mut value = String::new();
            while let Some(c) = chars.peek().copied() {
                if c == '(' {
                    break;
                }
                chars.next();
                if c == '\\' && chars.peek() == Some(&'(') {
                    value.push('(');
                    chars.next();
                } else {
                    value.push(c);
                }
            }
            entry.check_value(&ai, &value)?;
            fields.push(Field::new(ai, value));
        }
        Ok(ElementString { fields })
    }

    /// The fields in the unbracketed form used in GS1's own examples: FNC1 written as `^`,
    /// one leading `^`, and `^` after each variable-length value that is not last.
    pub fn to_unbracketed(&self) -> String {
        let dictionary = Dictionary::gs1();
        let mut out = String::from("^");
        for (i, field) in self.fields.iter().enumerate() {
            out.push_str(&field.ai);
            out.push_str(&field.value);
            let predefined = dictionary
                .entry(&field.ai)
                .is_some_and(|e| e.predefined_length);
            if !predefined && i + 1 < self.fields.len() {
                out.push('^');
            }
        }
        out
    }

    /// The human-readable form, `(01)09520123456788(10)ABC`.
    pub fn to_bracketed(&self) -> String {
        self.fields
            .iter()
            .map(|f| format!("({}){}", f.ai, f.value.replace('(', "\\(")))
            .collect()
    }

    /// The value of the first field with `ai`.
    pub fn get(&self, ai: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.ai == ai)
            .map(|f| f.value.as_str())
    }

    /// The first field whose AI matches `pattern` (`n` = any digit), as (AI, value).
    fn find(&self, pattern: &str) -> Option<&Field> {
        self.fields.iter().find(|f| matches_pattern(&f.ai, pattern))
    }

    /// The trade item's GTIN (01).
    pub fn gtin(&self) -> Option<Result<Gtin, ScanError>> {
        self.get("01")
            .map(|v| Gtin::parse(v).map_err(|e| ScanError::check_digit("AI (01)", e)))
    }

    /// The batch or lot number (10).
    pub fn batch(&self) -> Option<&str> {
        self.get("10")
    }

    /// The serial number (21).
    pub fn serial(&self) -> Option<&str> {
        self.get("21")
    }

    /// The expiry date (17), with the century chosen around `today` by the GS1 rule and day
    /// 00 read as the last day of the month.
    pub fn expiry(&self, today: Date) -> Option<Date> {
        self.get("17").and_then(|v| gs1_date(v, today))
    }

    /// The best-before date (15), read like [`ElementString::expiry`].
    pub fn best_before(&self, today: Date) -> Option<Date> {
        self.get("15").and_then(|v| gs1_date(v, today))
    }

    /// The net weight in kilograms (310n: six digits, `n` of them decimals).
    pub fn net_weight_kg(&self) -> Option<Decimal> {
        let field = self.find("310n")?;
        measure(&field.ai, &field.value)
    }

    /// The price to pay: (392n) in the local currency or (393n) with an ISO 4217 number.
    pub fn price(&self) -> Option<Gs1Price> {
        if let Some(field) = self.find("392n") {
            return measure(&field.ai, &field.value).map(|amount| Gs1Price {
                amount,
                currency_number: None,
            });
        }
        let field = self.find("393n")?;
        let (currency, digits) = field.value.split_at(3.min(field.value.len()));
        measure(&field.ai, digits).map(|amount| Gs1Price {
            amount,
            currency_number: Some(currency.to_string()),
        })
    }

    /// Checks the rules between fields: an AI repeated with different values, AIs that
    /// exclude each other (`ex=`), AIs that need others (`req=`), and a digital signature
    /// (8030) over a key without its serial component.
    pub fn check_associations(&self) -> Result<(), ScanError> {
        check_associations(&self.fields)
    }
}

/// A field's value as a number with the decimals the AI's last digit gives.
fn measure(ai: &str, digits: &str) -> Option<Decimal> {
    let decimals = u32::from(ai.as_bytes().last()?.wrapping_sub(b'0'));
    let value: i64 = digits.parse().ok()?;
    Some(Decimal::new(value, decimals))
}

/// A GS1 YYMMDD date. The century follows GS1 General Specifications 7.12: a year more than
/// 50 years ahead of `today` is in the previous century, one 50 or more years behind is in
/// the next. Day 00 means the last day of the month.
pub fn gs1_date(text: &str, today: Date) -> Option<Date> {
    if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().ok();
    let (yy, month, day) = (number(0..2)?, number(2..4)?, number(4..6)?);
    let current = today.year();
    let century = current - current % 100;
    let difference = yy - current % 100;
    let year = if difference >= 51 {
        century - 100 + yy
    } else if difference <= -50 {
        century + 100 + yy
    } else {
        century + yy
    };
    let month = i8::try_from(month).ok()?;
    let first = Date::new(year, month, 1).ok()?;
    if day == 0 {
        return Some(first.last_of_month());
    }
    Date::new(year, month, i8::try_from(day).ok()?).ok()
}

fn hint_missing_separator(error: ScanError, entry: &Entry, value: &str) -> ScanError {
    // A numeric variable-length value that ran into letters usually swallowed the next field.
    match error {
        ScanError::Gs1 { field, reason }
            if !entry.predefined_length
                && value.chars().count() > 1
                && reason.contains("is not allowed") =>
        {
            ScanError::Gs1 {
                field,
                reason: format!("{reason}; is a GS separator missing before the next AI?"),
            }
        }
        other => other,
    }
}

/// Checks the association rules of the syntax dictionary over `fields` (see
/// [`ElementString::check_associations`]). AIs the dictionary does not define are only
/// checked for repeats.
pub fn check_associations(fields: &[Field]) -> Result<(), ScanError> {
    let dictionary = Dictionary::gs1();
    for (i, a) in fields.iter().enumerate() {
        if let Some(b) = fields[..i]
            .iter()
            .find(|b| b.ai == a.ai && b.value != a.value)
        {
            return Err(ScanError::gs1(
                format!("AI ({})", a.ai),
                format!(
                    "appears twice with different values `{}` and `{}`",
                    b.value, a.value
                ),
            ));
        }
    }
    for field in fields {
        let Some(entry) = dictionary.entry(&field.ai) else {
            continue;
        };
        for pattern in &entry.excludes {
            if let Some(other) = fields
                .iter()
                .find(|o| o.ai != field.ai && matches_pattern(&o.ai, pattern))
            {
                return Err(ScanError::gs1(
                    format!("AI ({})", field.ai),
                    format!("may not appear with ({})", other.ai),
                ));
            }
        }
        for requirement in &entry.requires {
            let met = requirement.iter().any(|group| {
                group
                    .iter()
                    .all(|pattern| fields.iter().any(|o| matches_pattern(&o.ai, pattern)))
            });
            if !met {
                let wanted: Vec<String> = requirement
                    .iter()
                    .map(|g| g.iter().map(|p| format!("({p})")).collect::<String>())
                    .collect();
                return Err(ScanError::gs1(
                    format!("AI ({})", field.ai),
                    format!("needs one of {} with it", wanted.join(", ")),
                ));
            }
        }
    }
    if fields.iter().any(|f| f.ai == "8030") {
        for key in ["253", "255", "8003"] {
            let Some(field) = fields.iter().find(|f| f.ai == key) else {
                continue;
            };
            let entry = dictionary.entry(key).ok_or_else(|| {
                ScanError::gs1(format!("AI ({key})"), "missing from the dictionary")
            })?;
            if field.value.chars().count() <= entry.mandatory_max_length() {
                return Err(ScanError::gs1(
                    "AI (8030)",
                    format!("a digital signature needs ({key}) with its serial component"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn a_four_digit_ai_is_not_read_as_two() {
        // Case B-06: (241) ABC1234 then (10) 0815, not AI 24.
        let parsed = ElementString::parse("241ABC1234\u{1d}100815").unwrap();
        assert_eq!(
            parsed.fields,
            vec![Field::new("241", "ABC1234"), Field::new("10", "0815")]
        );
    }

    #[test]
    fn predefined_lengths_need_no_separator() {
        let parsed = ElementString::parse("0109520123456788172612003103001250").unwrap();
        assert_eq!(parsed.get("01"), Some("09520123456788"));
        assert_eq!(parsed.get("17"), Some("261200"));
        assert_eq!(parsed.net_weight_kg(), Some(dec!(1.250)));
    }

    #[test]
    fn a_variable_value_without_its_separator_is_not_guessed_apart() {
        // Without GS the batch swallows what follows until it is too long for (10).
        let err = ElementString::parse("10ABCDEFGHIJKLMNOPQRS21XYZ")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("AI (10)") && err.contains("separator"),
            "{err}"
        );
        // A count (30, digits) that runs into a batch's letters says the same.
        let err = ElementString::parse("0109520123456788301210ABC")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("AI (30)") && err.contains("separator"),
            "{err}"
        );
    }

    #[test]
    fn unknown_ais_are_named() {
        let err = ElementString::parse("891234").unwrap_err().to_string();
        assert!(err.contains("8912"), "{err}");
        let err = ElementString::parse("0109520123456788891234")
            .unwrap_err()
            .to_string();
        assert!(err.contains("after (01)"), "{err}");
    }

    #[test]
    fn a_bad_gtin_check_digit_is_a_check_digit_error() {
        let err = ElementString::parse("0109520123456789").unwrap_err();
        assert!(matches!(err, ScanError::CheckDigit { .. }), "{err:?}");
    }

    #[test]
    fn expiry_day_zero_is_the_last_day_of_the_month() {
        let today = date(2026, 1, 15);
        let parsed = ElementString::parse("0109520123456788172602001012").unwrap();
        assert_eq!(parsed.expiry(today), Some(date(2026, 2, 28)));
        let leap = ElementString::parse("0109520123456788172802001012").unwrap();
        assert_eq!(leap.expiry(today), Some(date(2028, 2, 29)));
        assert_eq!(parsed.batch(), Some("12"));
    }

    #[test]
    fn the_century_follows_the_gs1_window() {
        let today = date(2026, 6, 1);
        assert_eq!(gs1_date("761231", today), Some(date(2076, 12, 31)));
        assert_eq!(gs1_date("771231", today), Some(date(1977, 12, 31)));
        assert_eq!(
            gs1_date("991231", date(2098, 1, 1)),
            Some(date(2099, 12, 31))
        );
        assert_eq!(gs1_date("010101", date(2098, 1, 1)), Some(date(2101, 1, 1)));
    }

    #[test]
    fn prices_carry_their_decimals_and_currency() {
        let local = ElementString::parse("0109520123456788310300019539220299").unwrap();
        assert_eq!(local.price().unwrap().amount, dec!(2.99));
        assert_eq!(local.price().unwrap().currency_number, None);
        let rupiah = ElementString::parse("01095201234567883103000195\u{1d}393036019400").unwrap();
        let price = rupiah.price().unwrap();
        assert_eq!(price.amount, dec!(19400));
        assert_eq!(price.currency_number.as_deref(), Some("360"));
    }

    #[test]
    fn bracketed_and_unbracketed_forms_round_trip() {
        let parsed =
            ElementString::parse_bracketed("(01)12345678901231(10)12345(11)991225").unwrap();
        assert_eq!(parsed.to_unbracketed(), "^01123456789012311012345^11991225");
        assert_eq!(
            parsed.to_bracketed(),
            "(01)12345678901231(10)12345(11)991225"
        );
    }
}
