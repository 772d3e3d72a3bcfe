//! Kasir's own codes: gift cards, member (loyalty) cards and receipts.
//!
//! Kasir prints these as QR codes or Code 128 in one scheme, `KASIR:<KIND>:<ID>`:
//!
//! | kind | alias | routed to | example |
//! |---|---|---|---|
//! | `GIFT` | `G` | open the gift card | `KASIR:GIFT:GC-7F3K-92QD` |
//! | `MEMBER` | `M` | look up the customer | `KASIR:MEMBER:M-000381` |
//! | `RECEIPT` | `R` | show the receipt (for a refund) | `KASIR:RECEIPT:D01-000042` |
//!
//! The id is 1 to 40 characters of `A-Z`, `0-9` and `-`. Upper case keeps a QR code in its
//! compact alphanumeric mode; a scanner that sends lower case (caps lock on a keyboard-wedge
//! scanner) is read as upper case. The one-letter aliases keep Code 128 short enough for
//! 58 mm receipt paper. A `KASIR:` code never reaches the catalog.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ScanError;

/// The prefix every Kasir code starts with.
pub const PREFIX: &str = "KASIR:";

/// The longest id.
pub const MAX_ID_CHARS: usize = 40;

/// What a Kasir code points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KasirKind {
    /// A gift card.
    GiftCard,
    /// A member (loyalty) card: a customer.
    Member,
    /// A completed sale's receipt.
    Receipt,
}

impl KasirKind {
    /// The kind's word in the code.
    pub fn word(self) -> &'static str {
        match self {
            KasirKind::GiftCard => "GIFT",
            KasirKind::Member => "MEMBER",
            KasirKind::Receipt => "RECEIPT",
        }
    }
}

/// A parsed Kasir code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KasirCode {
    /// What it points at.
    pub kind: KasirKind,
    /// The gift card number, member number or receipt number, upper case.
    pub id: String,
}

impl KasirCode {
    /// A code for `kind` and `id`, checked.
    pub fn new(kind: KasirKind, id: &str) -> Result<KasirCode, ScanError> {
        let id = id.trim().to_ascii_uppercase();
        if id.is_empty() || id.chars().count() > MAX_ID_CHARS {
            return Err(ScanError::KasirCode {
                field: "id".into(),
                reason: format!("`{id}` must have 1 to {MAX_ID_CHARS} characters"),
            });
        }
        if let Some(bad) = id
            .chars()
            .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(ScanError::KasirCode {
                field: "id".into(),
                reason: format!("`{id}`: `{bad}` is not a letter, digit or -"),
            });
        }
        Ok(KasirCode { kind, id })
    }

    /// Whether `text` claims to be a Kasir code (starts with `KASIR:` in any case).
    pub fn is_kasir(text: &str) -> bool {
        text.get(..PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
    }

    /// Parses `KASIR:<KIND>:<ID>`.
    pub fn parse(text: &str) -> Result<KasirCode, ScanError> {
        if !KasirCode::is_kasir(text) {
            return Err(ScanError::KasirCode {
                field: "prefix".into(),
                reason: format!("`{text}` does not start with {PREFIX}"),
            });
        }
        let rest = &text[PREFIX.len()..];
        let (kind, id) = rest.split_once(':').ok_or_else(|| ScanError::KasirCode {
            field: "kind".into(),
            reason: format!("`{text}` must be {PREFIX}KIND:ID"),
        })?;
        let kind = match kind.to_ascii_uppercase().as_str() {
            "GIFT" | "G" => KasirKind::GiftCard,
            "MEMBER" | "M" => KasirKind::Member,
            "RECEIPT" | "R" => KasirKind::Receipt,
            other => {
                return Err(ScanError::KasirCode {
                    field: "kind".into(),
                    reason: format!("`{other}` is not GIFT, MEMBER or RECEIPT"),
                });
            }
        };
        KasirCode::new(kind, id)
    }
}

impl fmt::Display for KasirCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}:{}", self.kind.word(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_parses_and_prints_back() {
        for (text, kind, id) in [
            (
                "KASIR:GIFT:GC-7F3K-92QD",
                KasirKind::GiftCard,
                "GC-7F3K-92QD",
            ),
            ("KASIR:MEMBER:M-000381", KasirKind::Member, "M-000381"),
            ("KASIR:RECEIPT:D01-000042", KasirKind::Receipt, "D01-000042"),
        ] {
            let code = KasirCode::parse(text).unwrap();
            assert_eq!((code.kind, code.id.as_str()), (kind, id));
            assert_eq!(code.to_string(), text);
        }
    }

    #[test]
    fn aliases_and_lower_case_are_read() {
        let code = KasirCode::parse("kasir:r:d01-000042").unwrap();
        assert_eq!(code.kind, KasirKind::Receipt);
        assert_eq!(code.id, "D01-000042");
    }

    #[test]
    fn malformed_codes_name_the_part() {
        let err = KasirCode::parse("KASIR:COUPON:X1").unwrap_err().to_string();
        assert!(err.contains("kind"), "{err}");
        let err = KasirCode::parse("KASIR:GIFT:").unwrap_err().to_string();
        assert!(err.contains("id"), "{err}");
        let err = KasirCode::parse("KASIR:GIFT:AB_12")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`_`"), "{err}");
        assert!(KasirCode::parse("KASIR-GIFT-1").is_err());
    }
}
