//! GTINs: the key every catalog item is stored under.
//!
//! EAN-8, UPC-A, EAN-13 and GTIN-14 codes are checked with the GS1 mod-10 check digit and
//! left-padded to 14 digits; UPC-E is expanded to its UPC-A by the GS1 rules first (never
//! zero-padded). The symbology a scanner reports is metadata, never part of the key.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;

/// A validated GTIN normalised to 14 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin(String);

/// The GS1 check digit for `data`, the digits before the check digit: weights 3, 1, 3, ...
/// counted from the right.
pub fn check_digit(data: &str) -> Result<u8, DomainError> {
    if data.is_empty() || !data.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::invalid(
            "gtin",
            format!("`{data}` is not all digits"),
        ));
    }
    let sum: u32 = data
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    Ok(((10 - sum % 10) % 10) as u8)
}

fn verify(code: &str, what: &str) -> Result<(), DomainError> {
    let (data, given) = code.split_at(code.len() - 1);
    let expected = check_digit(data)?;
    if given.as_bytes()[0] - b'0' != expected {
        return Err(DomainError::invalid(
            "gtin",
            format!("{what} `{code}` has check digit {given}, but it must be {expected}"),
        ));
    }
    Ok(())
}

/// Expands an 8-digit UPC-E code (number system 0 or 1, six digits, check digit) to the
/// 12-digit UPC-A it stands for, and verifies the check digit against that UPC-A.
pub fn expand_upce(code: &str) -> Result<String, DomainError> {
    let code = code.trim();
    if code.len() != 8 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::invalid(
            "gtin",
            format!("UPC-E `{code}` must be 8 digits"),
        ));
    }
    let digits = code.as_bytes();
    let number_system = digits[0];
    if number_system != b'0' && number_system != b'1' {
        return Err(DomainError::invalid(
            "gtin",
            format!("UPC-E `{code}` must start with number system 0 or 1"),
        ));
    }
    let x: Vec<char> = code[1..7].chars().collect();
    let ns = number_system as char;
    let check = digits[7] as char;
    let body: String = match x[5] {
        '0'..='2' => format!("{ns}{}{}{}0000{}{}{}", x[0], x[1], x[5], x[2], x[3], x[4]),
        '3' => format!("{ns}{}{}{}00000{}{}", x[0], x[1], x[2], x[3], x[4]),
        '4' => format!("{ns}{}{}{}{}00000{}", x[0], x[1], x[2], x[3], x[4]),
        _ => format!("{ns}{}{}{}{}{}0000{}", x[0], x[1], x[2], x[3], x[4], x[5]),
    };
    let upca = format!("{body}{check}");
    verify(&upca, "UPC-E").map_err(|_| {
        let expected = check_digit(&body).unwrap_or(0);
        DomainError::invalid(
            "gtin",
            format!(
                "UPC-E `{code}` (UPC-A {upca}) has check digit {check}, but it must be {expected}"
            ),
        )
    })?;
    Ok(upca)
}

impl Gtin {
    /// Parses an EAN-8, UPC-A (12), EAN-13 or GTIN-14 code, verifying its check digit.
    ///
    /// An 8-digit code is read as EAN-8; use [`Gtin::from_upce`] or [`Gtin::candidates`] when
    /// it may be a UPC-E.
    pub fn parse(code: &str) -> Result<Gtin, DomainError> {
        let code = code.trim();
        if code.is_empty() {
            return Err(DomainError::invalid("gtin", "is empty"));
        }
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                "gtin",
                format!("`{code}` must be digits only"),
            ));
        }
        let what = match code.len() {
            8 => "EAN-8",
            12 => "UPC-A",
            13 => "EAN-13",
            14 => "GTIN-14",
            n => {
                return Err(DomainError::invalid(
                    "gtin",
                    format!("`{code}` has {n} digits; a GTIN has 8, 12, 13 or 14"),
                ));
            }
        };
        verify(code, what)?;
        Ok(Gtin(format!("{code:0>14}")))
    }

    /// Parses an 8-digit UPC-E code by expanding it to its UPC-A.
    pub fn from_upce(code: &str) -> Result<Gtin, DomainError> {
        let upca = expand_upce(code)?;
        Ok(Gtin(format!("{upca:0>14}")))
    }

    /// The keys a scanned or typed code may stand for when its symbology is unknown, in the
    /// order to look them up. An 8-digit code may be an EAN-8 or a UPC-E; both readings whose
    /// check digit holds are returned, EAN-8 first. Fails when no reading is valid.
    pub fn candidates(code: &str) -> Result<Vec<Gtin>, DomainError> {
        let code = code.trim();
        if code.len() != 8 {
            return Gtin::parse(code).map(|g| vec![g]);
        }
        let ean8 = Gtin::parse(code);
        let upce = Gtin::from_upce(code);
        match (ean8, upce) {
            (Ok(a), Ok(b)) if a != b => Ok(vec![a, b]),
            (Ok(a), _) => Ok(vec![a]),
            (Err(_), Ok(b)) => Ok(vec![b]),
            (Err(e), Err(_)) => Err(e),
        }
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as printed under the barcode: 8 digits for a GTIN-8, 13 for the rest (a
    /// UPC-A shows as its EAN-13 with a leading 0), 14 for a GTIN-14.
    pub fn short_form(&self) -> &str {
        if self.0.starts_with("000000") {
            &self.0[6..]
        } else if self.0.starts_with('0') {
            &self.0[1..]
        } else {
            &self.0
        }
    }

    /// Whether the code is in a GS1 restricted-circulation range (prefix 02 or 20-29 of the
    /// GTIN-13): store-internal codes such as scale labels.
    pub fn is_restricted_circulation(&self) -> bool {
        let gtin13 = &self.0[1..];
        self.0.starts_with('0') && (gtin13.starts_with("02") || gtin13.starts_with('2'))
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Gtin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Gtin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Gtin::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ean13_check_digits_from_outside_the_code() {
        // Case B-01: known-good codes taken from GS1 examples and real packs.
        for good in [
            "4006381333931",
            "1234567890128",
            "4780000000007",
            "2004770027357",
        ] {
            assert!(Gtin::parse(good).is_ok(), "{good} rejected");
        }
        for bad in ["1234567890120", "4780000000000", "2004770027358"] {
            assert!(Gtin::parse(bad).is_err(), "{bad} accepted");
        }
        let err = Gtin::parse("1234567890120").unwrap_err().to_string();
        assert!(err.contains("must be 8"), "{err}");
    }

    #[test]
    fn upce_is_expanded_not_padded() {
        // Case B-02.
        assert_eq!(expand_upce("04252614").unwrap(), "042100005264");
        assert_eq!(expand_upce("07838604").unwrap(), "078000003864");
        assert_eq!(
            Gtin::from_upce("07838604").unwrap().as_str(),
            "00078000003864"
        );
        assert_eq!(expand_upce("01234565").unwrap(), "012345000065");
        assert!(expand_upce("07838605").is_err());
        assert!(expand_upce("27838604").is_err());
    }

    #[test]
    fn every_upce_rule_expands_by_its_last_digit() {
        // One code per rule, each expanded by hand from the GS1 table.
        assert_eq!(expand_upce("01234505").unwrap()[..11], *"01200000345");
        assert_eq!(expand_upce("01234531").unwrap()[..11], *"01230000045");
        assert_eq!(expand_upce("01234543").unwrap()[..11], *"01234000005");
        assert_eq!(expand_upce("01234572").unwrap()[..11], *"01234500007");
    }

    #[test]
    fn one_product_one_key_whatever_the_scanner_reports() {
        // Case B-03.
        let upca = Gtin::parse("123456789012").unwrap();
        let ean13 = Gtin::parse("0123456789012").unwrap();
        assert_eq!(upca, ean13);
        assert_eq!(upca.as_str(), "00123456789012");
        let upce = Gtin::candidates("01234565").unwrap();
        assert!(
            upce.contains(&Gtin::parse("012345000065").unwrap()),
            "{upce:?}"
        );
    }

    #[test]
    fn eight_digit_codes_try_both_readings() {
        // 96385074 is a valid EAN-8 and starts with 9, so it cannot be a UPC-E.
        assert_eq!(
            Gtin::candidates("96385074").unwrap(),
            vec![Gtin::parse("96385074").unwrap()]
        );
        assert!(Gtin::candidates("96385075").is_err());
    }

    #[test]
    fn malformed_codes_say_why() {
        assert!(Gtin::parse("").unwrap_err().to_string().contains("empty"));
        assert!(
            Gtin::parse("12345")
                .unwrap_err()
                .to_string()
                .contains("5 digits")
        );
        assert!(
            Gtin::parse("89912A4567890")
                .unwrap_err()
                .to_string()
                .contains("digits only")
        );
    }

    #[test]
    fn short_forms_and_restricted_ranges() {
        assert_eq!(Gtin::parse("96385074").unwrap().short_form(), "96385074");
        assert_eq!(
            Gtin::parse("4006381333931").unwrap().short_form(),
            "4006381333931"
        );
        assert!(
            Gtin::parse("2100001000004")
                .unwrap()
                .is_restricted_circulation()
        );
        assert!(
            !Gtin::parse("4006381333931")
                .unwrap()
                .is_restricted_circulation()
        );
    }
}
