//! Currencies, amounts typed by people, and amounts shown to people.
//!
//! An amount is a `rust_decimal::Decimal` in a [`Currency`]; a sale has one currency and every
//! amount in it is a whole number of that currency's minor units. Rounding lives in
//! [`crate::rounding`], never here.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;

/// An ISO 4217 currency and the number of minor units Kasir uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_units: u32,
}

/// The currencies Kasir knows. IDR is listed with 0 minor units: ISO 4217 gives it 2, but sen
/// are not used in practice, and prices, receipts and QRIS amounts are whole rupiah.
const CURRENCIES: &[Currency] = &[
    Currency {
        code: "IDR",
        minor_units: 0,
    },
    Currency {
        code: "USD",
        minor_units: 2,
    },
    Currency {
        code: "EUR",
        minor_units: 2,
    },
    Currency {
        code: "GBP",
        minor_units: 2,
    },
    Currency {
        code: "AUD",
        minor_units: 2,
    },
    Currency {
        code: "SGD",
        minor_units: 2,
    },
    Currency {
        code: "MYR",
        minor_units: 2,
    },
    Currency {
        code: "THB",
        minor_units: 2,
    },
    Currency {
        code: "PHP",
        minor_units: 2,
    },
    Currency {
        code: "INR",
        minor_units: 2,
    },
    Currency {
        code: "CNY",
        minor_units: 2,
    },
    Currency {
        code: "BRL",
        minor_units: 2,
    },
    Currency {
        code: "JPY",
        minor_units: 0,
    },
    Currency {
        code: "KRW",
        minor_units: 0,
    },
    Currency {
        code: "VND",
        minor_units: 0,
    },
    Currency {
        code: "BHD",
        minor_units: 3,
    },
    Currency {
        code: "KWD",
        minor_units: 3,
    },
];

impl Currency {
    /// Indonesian rupiah, Kasir's home currency.
    pub const IDR: Currency = Currency {
        code: "IDR",
        minor_units: 0,
    };
    /// US dollar.
    pub const USD: Currency = Currency {
        code: "USD",
        minor_units: 2,
    };
    /// Euro.
    pub const EUR: Currency = Currency {
        code: "EUR",
        minor_units: 2,
    };

    /// Looks a currency up by its ISO 4217 code (case-insensitive).
    pub fn from_code(code: &str) -> Result<Currency, DomainError> {
        let wanted = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .copied()
            .find(|c| c.code == wanted)
            .ok_or_else(|| {
                DomainError::invalid(
                    "currency",
                    format!("`{code}` is not a currency Kasir supports"),
                )
            })
    }

    /// The ISO 4217 code, for example `IDR`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// How many decimal places an amount in this currency has (IDR 0, USD 2).
    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }

    /// The smallest amount: 1 for IDR, 0.01 for USD.
    pub fn smallest_unit(&self) -> Decimal {
        Decimal::new(1, self.minor_units)
    }

    /// Checks that `amount` is a whole number of minor units.
    pub fn check_scale(&self, field: &str, amount: Decimal) -> Result<(), DomainError> {
        if amount.normalize().scale() > self.minor_units {
            return Err(DomainError::invalid(
                field,
                self.too_many_places(&amount.normalize().to_string()),
            ));
        }
        Ok(())
    }

    fn too_many_places(&self, text: &str) -> String {
        if self.minor_units == 0 {
            format!(
                "`{text}` has a fraction, but {} amounts are whole numbers",
                self.code
            )
        } else {
            format!(
                "`{text}` has more than {} decimal places for {}",
                self.minor_units, self.code
            )
        }
    }

    /// Parses an amount typed by a person or read from a file: digits with an optional `.`
    /// and fraction, no grouping separators (in Indonesia `35.000` means thirty-five thousand,
    /// elsewhere thirty-five, so Kasir accepts neither reading). The result is not negative
    /// and has at most the currency's minor units.
    pub fn parse_amount(&self, field: &str, text: &str) -> Result<Decimal, DomainError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(DomainError::invalid(field, "is empty"));
        }
        if self.minor_units == 0
            && trimmed.contains(['.', ','])
            && trimmed
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        {
            // `3.000` is three thousand to an Indonesian clerk and three to a parser: refuse
            // the dot rather than guess, in the register and in catalog files alike.
            return Err(DomainError::invalid(
                field,
                whole_number_hint(trimmed, self.code),
            ));
        }
        let (whole, fraction) = match trimmed.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (trimmed, None),
        };
        let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits_only(whole) || fraction.is_some_and(|f| !digits_only(f)) {
            let reason = if trimmed.starts_with('-') {
                format!("`{trimmed}` is negative")
            } else {
                format!("`{trimmed}` is not an amount (digits, optionally a `.` and decimals)")
            };
            return Err(DomainError::invalid(field, reason));
        }
        if whole.len() > 15 {
            return Err(DomainError::invalid(
                field,
                format!("`{trimmed}` is too large"),
            ));
        }
        let amount = Decimal::from_str(trimmed)
            .map_err(|e| DomainError::invalid(field, format!("`{trimmed}`: {e}")))?;
        if fraction.is_some_and(|f| f.trim_end_matches('0').len() as u32 > self.minor_units) {
            return Err(DomainError::invalid(field, self.too_many_places(trimmed)));
        }
        let mut amount = amount;
        amount.rescale(self.minor_units);
        Ok(amount)
    }

    /// Formats `amount` with grouping for people to read, for example `35.000` (Indonesian)
    /// or `35,000` (English); always with the currency's minor units.
    pub fn format(&self, amount: Decimal, locale: Locale) -> String {
        let (group, point) = match locale {
            Locale::Id => ('.', ','),
            Locale::En => (',', '.'),
        };
        let mut scaled = amount;
        scaled.rescale(self.minor_units);
        let text = scaled.abs().to_string();
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w.to_string(), Some(f.to_string())),
            None => (text, None),
        };

        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3 + 4);
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(ch);
        }
        if let Some(fraction) = fraction {
            grouped.push(point);
            grouped.push_str(&fraction);
        }
        if scaled.is_sign_negative() && !scaled.is_zero() {
            grouped.insert(0, '-');
        }
        grouped
    }

    /// Like [`Currency::format`] with the currency's symbol in front, for example `Rp 35.000`.
    pub fn format_with_symbol(&self, amount: Decimal, locale: Locale) -> String {
        let symbol = match self.code {
            "IDR" => "Rp",
            "USD" => "$",
            "EUR" => "€",
            other => other,
        };
        format!("{symbol} {}", self.format(amount, locale))
    }

    /// `amount` for a message (an error's reason) written where the store's language is not
    /// known: with the symbol, grouped as the currency's home country writes it (`Rp 100.000`,
    /// `$ 1,234.50`), as an Indonesian store's receipt would show a rupiah amount.
    pub fn display(&self, amount: Decimal) -> String {
        self.format_with_symbol(amount, self.home_locale())
    }

    /// The number style of the currency's home country: Indonesian for the rupiah, English
    /// (`1,234.50`) for the others.
    pub fn home_locale(&self) -> Locale {
        match self.code {
            "IDR" => Locale::Id,
            _ => Locale::En,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Currency::from_code(&code).map_err(serde::de::Error::custom)
    }
}

/// The language and number style of receipts and screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Indonesian: `Rp 1.234.567`.
    #[default]
    Id,
    /// English: `Rp 1,234,567`.
    En,
}

impl Locale {
    /// Parses `id` or `en`.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "id" => Ok(Locale::Id),
            "en" => Ok(Locale::En),
            _ => Err(DomainError::invalid(
                "language",
                format!("`{text}` is not `id` or `en`"),
            )),
        }
    }
}

/// Why `typed` (digits with dots or commas) is refused as an amount of `code`, a currency
/// without minor units, and what to type instead. Written with grouping separators
/// (`35.000`, `1,250,000`) it means the digits alone; with only zeros after one separator
/// (`4000.00`) the whole part; anything else has decimals the currency does not have, and the
/// clerk decides (no guess).
fn whole_number_hint(typed: &str, code: &str) -> String {
    let mut groups = typed.split(['.', ',']);
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    let grouped = (1..=3).contains(&first.len())
        && !rest.is_empty()
        && rest.iter().all(|g| g.len() == 3)
        && !(rest.len() == 1 && rest[0] == "000" && first == "0");
    let only_zeros_after =
        rest.len() == 1 && !first.is_empty() && rest[0].bytes().all(|b| b == b'0');
    if grouped {
        format!(
            "`{typed}`: {code} amounts are whole numbers; type them without dots or commas, like {}",
            typed.replace(['.', ','], "")
        )
    } else if only_zeros_after {
        format!("`{typed}`: {code} amounts are whole numbers; type {first}")
    } else {
        format!("`{typed}`: {code} has no decimals; type a whole amount, without dots or commas")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_typed_with_a_dot_gets_the_hint_its_reading_asks_for() {
        let hint = |typed: &str| {
            Currency::IDR
                .parse_amount("amount", typed)
                .unwrap_err()
                .to_string()
        };
        // Grouped thousands: the digits alone.
        assert_eq!(
            hint("35.000"),
            "amount: `35.000`: IDR amounts are whole numbers; type them without dots or commas, like 35000"
        );
        assert!(
            hint("1,250,000").ends_with("like 1250000"),
            "{}",
            hint("1,250,000")
        );
        // Zeros after the point: the whole part, never a hundred times more.
        assert_eq!(
            hint("4000.00"),
            "amount: `4000.00`: IDR amounts are whole numbers; type 4000"
        );
        assert_eq!(
            hint("4000.0"),
            "amount: `4000.0`: IDR amounts are whole numbers; type 4000"
        );
        // Real decimals: no guess.
        for typed in ["12345.5", "0.5", "1.25"] {
            assert_eq!(
                hint(typed),
                format!(
                    "amount: `{typed}`: IDR has no decimals; type a whole amount, without dots or commas"
                )
            );
        }
    }
    use rust_decimal_macros::dec;

    #[test]
    fn rupiah_amounts_are_whole() {
        assert_eq!(
            Currency::IDR.parse_amount("price", "35000").unwrap(),
            dec!(35000)
        );
        let err = Currency::IDR.parse_amount("price", "1500.50").unwrap_err();
        assert!(err.to_string().contains("has no decimals"), "{err}");
        // Grouped the Indonesian way, `3.000` is three thousand: refused, never read as 3.
        for grouped in ["3.000", "35.000", "35000.00", "1,500"] {
            let err = Currency::IDR
                .parse_amount("amount", grouped)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("amounts are whole numbers"),
                "{grouped}: {err}"
            );
        }
    }

    #[test]
    fn typed_amounts_are_strict() {
        for bad in [
            "",
            "12,5a",
            "-3",
            "1e3",
            "35.000.000",
            ".5",
            "5.",
            "Rp 100",
            "nan",
        ] {
            assert!(
                Currency::USD.parse_amount("amount", bad).is_err(),
                "{bad:?} was accepted"
            );
        }
        assert_eq!(
            Currency::USD
                .parse_amount("amount", "2.5")
                .unwrap()
                .to_string(),
            "2.50"
        );
        let err = Currency::USD.parse_amount("amount", "2.505").unwrap_err();
        assert!(err.to_string().starts_with("amount:"), "{err}");
    }

    #[test]
    fn amounts_are_grouped_per_locale() {
        assert_eq!(Currency::IDR.format(dec!(1234567), Locale::Id), "1.234.567");
        assert_eq!(Currency::IDR.format(dec!(1234567), Locale::En), "1,234,567");
        assert_eq!(Currency::USD.format(dec!(-1234.5), Locale::En), "-1,234.50");
        assert_eq!(Currency::EUR.format(dec!(0.5), Locale::Id), "0,50");
        assert_eq!(Currency::IDR.format(dec!(100), Locale::Id), "100");
        assert_eq!(
            Currency::IDR.format_with_symbol(dec!(35000), Locale::Id),
            "Rp 35.000"
        );
    }

    #[test]
    fn currency_codes_round_trip() {
        assert_eq!(Currency::from_code("idr").unwrap(), Currency::IDR);
        assert_eq!(Currency::from_code("JPY").unwrap().minor_units(), 0);
        assert!(Currency::from_code("XXX").is_err());
    }
}
