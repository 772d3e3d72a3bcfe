//! What a read is: a product key, a scale label, GS1 data, a Kasir code, or other text.
//!
//! [`classify`] is pure: it looks at the symbology and the text, never at the catalog. The
//! symbology decides how strict it is: a read that a scanner says is an EAN-13 must be a valid
//! EAN-13, while typed text (no symbology) may also be a SKU, an ISBN-10 or ISSN as printed,
//! GS1 data in brackets, or a Digital Link address.

use kasir_domain::gtin::{Gtin, check_digit};
use serde::Serialize;

use crate::digital_link;
use crate::error::ScanError;
use crate::gs1::ElementString;
use crate::kasir_code::KasirCode;
use crate::scale::{ScaleLabel, ScaleRule, rule_for};
use crate::symbology::{GS, Read, Symbology};

/// A read, understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Code {
    /// A retail product key: the GTIN readings to look up, in order (an 8-digit code may be
    /// an EAN-8 or a UPC-E).
    Product {
        /// The text as read.
        text: String,
        /// The GTINs it may stand for.
        candidates: Vec<Gtin>,
    },
    /// Digits that could be a GTIN but whose check digit fails; typed, so it may still be a
    /// SKU.
    BadGtin {
        /// The text as read.
        text: String,
        /// Why it is not a GTIN.
        error: ScanError,
    },
    /// A store scale label, read by one of the store's rules.
    ScaleLabel(ScaleLabel),
    /// GS1 element strings (GS1-128, DataBar, DataMatrix, QR, a Digital Link, or an EAN/UPC
    /// with its composite component).
    Gs1 {
        /// The text as read.
        text: String,
        /// The element strings.
        data: ElementString,
    },
    /// One of Kasir's own codes.
    Kasir(KasirCode),
    /// Text that is not a product key: maybe a SKU, maybe nothing Kasir knows.
    Text {
        /// The text as read.
        text: String,
    },
}

/// Classifies `read`, reading restricted-circulation codes with `rules`.
pub fn classify(read: &Read, rules: &[ScaleRule]) -> Result<Code, ScanError> {
    let read = read.resolve()?;
    let text = read
        .text
        .trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
    let symbology = read.symbology;
    if !symbology.is_supported() {
        return Err(ScanError::Symbology(format!(
            "{} is not a symbology Kasir sells from",
            symbology.name()
        )));
    }
    if symbology.is_gs1() {
        let data = ElementString::parse(text.trim_start_matches(GS))?;
        return Ok(Code::Gs1 {
            text: text.to_string(),
            data,
        });
    }
    match symbology {
        Symbology::Ean13 | Symbology::Ean8 | Symbology::UpcA | Symbology::UpcE | Symbology::Itf => {
            retail(text, symbology, rules)
        }
        _ => plain(text, symbology, rules),
    }
}

/// EAN/UPC/ITF: the scanner vouches for the symbology, so the digits must be a valid key.
fn retail(text: &str, symbology: Symbology, rules: &[ScaleRule]) -> Result<Code, ScanError> {
    // An EAN/UPC with a GS1 composite component arrives as `primary|]e0...`.
    let (primary, composite) = match text.split_once('|') {
        Some((p, c)) => (p, Some(c)),
        None => (text, None),
    };
    let name = symbology.name();
    let digits_only = !primary.is_empty() && primary.bytes().all(|b| b.is_ascii_digit());
    if !digits_only {
        return Err(ScanError::malformed(
            name,
            format!("`{primary}` must be digits"),
        ));
    }
    let primary = match (symbology, primary.len()) {
        // An EAN-13 with a 2- or 5-digit add-on (`]E3`): the add-on is not part of the key.
        (Symbology::Ean13, 15 | 18) => &primary[..13],
        _ => primary,
    };
    let expected: &[usize] = match symbology {
        Symbology::Ean13 => &[13],
        Symbology::Ean8 => &[8],
        Symbology::UpcA => &[12, 13],
        Symbology::UpcE => &[8],
        _ => &[14],
    };
    if !expected.contains(&primary.len()) {
        if symbology == Symbology::Itf {
            // ITF that is not an ITF-14 carries some other number: treat it as text.
            return Ok(Code::Text {
                text: primary.to_string(),
            });
        }
        return Err(ScanError::malformed(
            name,
            format!("`{primary}` has {} digits", primary.len()),
        ));
    }
    let gtin = if symbology == Symbology::UpcE {
        if !matches!(primary.as_bytes()[0], b'0' | b'1') {
            return Err(ScanError::malformed(
                name,
                format!("`{primary}` must start with number system 0 or 1"),
            ));
        }
        Gtin::from_upce(primary)
    } else {
        Gtin::parse(primary)
    }
    .map_err(|e| ScanError::check_digit("gtin", e))?;
    if let Some(composite) = composite {
        let composite = composite
            .strip_prefix("]e0")
            .ok_or_else(|| ScanError::malformed(name, "the composite part must start with ]e0"))?;
        let mut data = ElementString::parse(composite.trim_start_matches(GS))?;
        data.fields
            .insert(0, crate::gs1::Field::new("01", gtin.as_str()));
        return Ok(Code::Gs1 {
            text: text.to_string(),
            data,
        });
    }
    Ok(key_or_label(primary, vec![gtin], rules))
}

/// A valid GTIN, read as a scale label when a store rule covers it.
fn key_or_label(text: &str, candidates: Vec<Gtin>, rules: &[ScaleRule]) -> Code {
    if let [gtin] = candidates.as_slice()
        && gtin.is_restricted_circulation()
    {
        let code13 = &gtin.as_str()[1..];
        if let Some(rule) = rule_for(rules, code13)
            && let Ok(label) = rule.read(code13)
        {
            return Code::ScaleLabel(label);
        }
    }
    Code::Product {
        text: text.to_string(),
        candidates,
    }
}

/// Text from a plain symbology or typed: Kasir codes, Digital Links, bracketed GS1 data,
/// GTINs in any form, ISBN/ISSN as printed, else text to try as a SKU.
fn plain(text: &str, symbology: Symbology, rules: &[ScaleRule]) -> Result<Code, ScanError> {
    if text.is_empty() {
        return Err(ScanError::malformed("code", "is empty"));
    }
    if KasirCode::is_kasir(text) {
        return KasirCode::parse(text).map(Code::Kasir);
    }
    if digital_link::is_web_uri(text) {
        return match digital_link::parse(text) {
            Ok(data) => Ok(Code::Gs1 {
                text: text.to_string(),
                data,
            }),
            // A web address with no GS1 key is just an address.
            Err(ScanError::DigitalLink { field, .. }) if field == "key" => Ok(Code::Text {
                text: text.to_string(),
            }),
            Err(e) => Err(e),
        };
    }
    if text.starts_with('(') && text[1..].starts_with(|c: char| c.is_ascii_digit()) {
        let data = ElementString::parse_bracketed(text)?;
        return Ok(Code::Gs1 {
            text: text.to_string(),
            data,
        });
    }
    if text.contains(GS) {
        let data = ElementString::parse(text.trim_start_matches(GS))?;
        return Ok(Code::Gs1 {
            text: text.to_string(),
            data,
        });
    }
    if let Some(gtin) = book_number(text) {
        return Ok(Code::Product {
            text: text.to_string(),
            candidates: vec![gtin],
        });
    }
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    if digits && matches!(text.len(), 8 | 12 | 13 | 14) {
        return Ok(match Gtin::candidates(text) {
            Ok(candidates) => key_or_label(text, candidates, rules),
            Err(e) => Code::BadGtin {
                text: text.to_string(),
                error: ScanError::check_digit("gtin", e),
            },
        });
    }
    // A keyboard-wedge scanner may drop the GS1 identifier and separators: GS1 data that
    // parses whole is taken as such.
    if symbology == Symbology::Unknown
        && digits
        && text.len() > 14
        && let Ok(data) = ElementString::parse(text)
    {
        return Ok(Code::Gs1 {
            text: text.to_string(),
            data,
        });
    }
    Ok(Code::Text {
        text: text.to_string(),
    })
}

/// An ISBN-10 (`0-306-40615-2`, `030640615X`) or a hyphenated ISSN (`0317-8471`) as printed
/// on the item, turned into the EAN-13 (978..., 977...) its barcode carries. `None` when the
/// text does not have that shape or its mod-11 check character fails.
fn book_number(text: &str) -> Option<Gtin> {
    let compact = text.replace('-', "").to_ascii_uppercase();
    let shaped = |len: usize| {
        compact.len() == len
            && compact[..len - 1].bytes().all(|b| b.is_ascii_digit())
            && (compact.ends_with('X') || compact.as_bytes()[len - 1].is_ascii_digit())
    };
    let body = if shaped(10) {
        format!("978{}", &compact[..9])
    } else if shaped(8) && text.len() == 9 && text.as_bytes()[4] == b'-' {
        format!("977{}00", &compact[..7])
    } else {
        return None;
    };
    let data = &compact[..compact.len() - 1];
    let weights = (2..=data.len() as u32 + 1).rev();
    let sum: u32 = data
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let expected = match (11 - sum % 11) % 11 {
        10 => 'X',
        d => char::from(b'0' + d as u8),
    };
    if !compact.ends_with(expected) {
        return None;
    }
    let check = check_digit(&body).ok()?;
    Gtin::parse(&format!("{body}{check}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Code {
        classify(&Read::typed(text), &[]).unwrap()
    }

    fn key(code: &Code) -> Vec<String> {
        match code {
            Code::Product { candidates, .. } => {
                candidates.iter().map(|g| g.as_str().to_string()).collect()
            }
            other => panic!("not a product: {other:?}"),
        }
    }

    #[test]
    fn a_upc_a_is_one_key_in_every_form() {
        // Case B-03.
        let twelve = classify(&Read::new("123456789012", Symbology::UpcA), &[]).unwrap();
        let thirteen = classify(&Read::new("0123456789012", Symbology::Ean13), &[]).unwrap();
        assert_eq!(key(&twelve), vec!["00123456789012"]);
        assert_eq!(key(&thirteen), vec!["00123456789012"]);
        let upce = classify(&Read::new("01234565", Symbology::UpcE), &[]).unwrap();
        assert_eq!(key(&upce), vec!["00012345000065"]);
    }

    #[test]
    fn upc_e_is_expanded_not_padded() {
        // Case B-02.
        let code = classify(&Read::new("07838604", Symbology::UpcE), &[]).unwrap();
        assert_eq!(key(&code), vec!["00078000003864"]);
        let code = classify(&Read::new("04252614", Symbology::UpcE), &[]).unwrap();
        assert_eq!(key(&code), vec!["00042100005264"]);
    }

    #[test]
    fn a_reported_symbology_must_hold() {
        let err = classify(&Read::new("1234567890120", Symbology::Ean13), &[]).unwrap_err();
        assert!(matches!(err, ScanError::CheckDigit { .. }), "{err:?}");
        let err = classify(&Read::new("123456789012", Symbology::Ean13), &[]).unwrap_err();
        assert!(err.to_string().contains("12 digits"), "{err}");
    }

    #[test]
    fn typed_digits_with_a_bad_check_digit_may_still_be_a_sku() {
        assert!(matches!(typed("1234567890120"), Code::BadGtin { .. }));
        assert!(matches!(typed("SKU-00001"), Code::Text { .. }));
    }

    #[test]
    fn book_numbers_as_printed_become_their_ean() {
        assert_eq!(key(&typed("0-306-40615-2")), vec!["09780306406157"]);
        assert_eq!(key(&typed("0317-8471")), vec!["09770317847001"]);
        // A wrong check character is not a book number: it may be a SKU.
        assert!(matches!(typed("0-306-40615-3"), Code::Text { .. }));
    }

    #[test]
    fn unsupported_symbologies_are_refused() {
        let err = classify(&Read::typed("]A0ABC-123"), &[]).unwrap_err();
        assert!(matches!(err, ScanError::Symbology(_)), "{err:?}");
    }

    #[test]
    fn a_web_address_without_a_key_is_text() {
        assert!(matches!(
            typed("https://example.com/menu"),
            Code::Text { .. }
        ));
        assert!(matches!(
            typed("https://id.gs1.org/01/09520123456788"),
            Code::Gs1 { .. }
        ));
    }

    #[test]
    fn an_ean_with_a_composite_keeps_both() {
        let read = Read::typed("]E02112345678900|]e099COMPOSITE\u{1d}98XYZ");
        let Code::Gs1 { data, .. } = classify(&read, &[]).unwrap() else {
            panic!("not GS1");
        };
        assert_eq!(data.get("01"), Some("02112345678900"));
        assert_eq!(data.get("99"), Some("COMPOSITE"));
    }
}
