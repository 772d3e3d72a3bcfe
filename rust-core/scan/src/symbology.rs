//! Symbologies and reads: what a scanner or decoder reports, and AIM symbology identifiers.
//!
//! A platform scanner (ML Kit, Vision), a keyboard-wedge scanner or the frame decoder gives
//! Kasir text and, when it knows, the symbology. Many hardware scanners can prefix the text
//! with its AIM symbology identifier (`]E0` EAN/UPC, `]C1` GS1-128, `]d2` GS1 DataMatrix,
//! `]Q3` GS1 QR, ...), which [`Read::resolve`] strips off and turns into the symbology. The
//! symbology is metadata: it decides how the text is read, never the product key.

use serde::{Deserialize, Serialize};

use crate::error::ScanError;

/// The kind of barcode a read came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Symbology {
    /// Not reported, for example digits typed by a clerk or a keyboard-wedge scanner.
    Unknown,
    /// EAN-13 (including ISBN and ISSN, and UPC-A reported as 13 digits).
    Ean13,
    /// EAN-8.
    Ean8,
    /// UPC-A (12 digits).
    UpcA,
    /// UPC-E (8 digits, expanded by the GS1 rules).
    UpcE,
    /// ITF, as ITF-14 on cases.
    Itf,
    /// Code 128 without FNC1: Kasir's own codes and SKUs.
    Code128,
    /// GS1-128: Code 128 with FNC1 first, carrying GS1 element strings.
    #[serde(rename = "gs1-128")]
    Gs1_128,
    /// GS1 DataBar (and its composite component).
    Gs1DataBar,
    /// QR Code with plain data (Kasir codes, Digital Link URIs).
    QrCode,
    /// GS1 QR Code: element strings with FNC1.
    Gs1Qr,
    /// Data Matrix with plain data.
    DataMatrix,
    /// GS1 DataMatrix: element strings with FNC1.
    Gs1DataMatrix,
    /// DotCode with plain data.
    DotCode,
    /// GS1 DotCode.
    Gs1DotCode,
    /// Code 39.
    Code39,
    /// Code 93.
    Code93,
    /// Codabar.
    Codabar,
    /// PDF417.
    Pdf417,
    /// Aztec.
    Aztec,
    /// Any other symbology a decoder reported.
    Other,
}

impl Symbology {
    /// Whether the data is GS1 element strings (FNC1 in first position).
    pub fn is_gs1(self) -> bool {
        matches!(
            self,
            Symbology::Gs1_128
                | Symbology::Gs1DataBar
                | Symbology::Gs1Qr
                | Symbology::Gs1DataMatrix
                | Symbology::Gs1DotCode
        )
    }

    /// Whether Kasir sells from this symbology. Code 39, Code 93, Codabar, PDF417 and Aztec
    /// carry no retail product keys; a read in one of them is refused as unsupported.
    pub fn is_supported(self) -> bool {
        !matches!(
            self,
            Symbology::Code39
                | Symbology::Code93
                | Symbology::Codabar
                | Symbology::Pdf417
                | Symbology::Aztec
                | Symbology::Other
        )
    }

    /// A name for people.
    pub fn name(self) -> &'static str {
        match self {
            Symbology::Unknown => "unknown",
            Symbology::Ean13 => "EAN-13",
            Symbology::Ean8 => "EAN-8",
            Symbology::UpcA => "UPC-A",
            Symbology::UpcE => "UPC-E",
            Symbology::Itf => "ITF",
            Symbology::Code128 => "Code 128",
            Symbology::Gs1_128 => "GS1-128",
            Symbology::Gs1DataBar => "GS1 DataBar",
            Symbology::QrCode => "QR Code",
            Symbology::Gs1Qr => "GS1 QR Code",
            Symbology::DataMatrix => "Data Matrix",
            Symbology::Gs1DataMatrix => "GS1 DataMatrix",
            Symbology::DotCode => "DotCode",
            Symbology::Gs1DotCode => "GS1 DotCode",
            Symbology::Code39 => "Code 39",
            Symbology::Code93 => "Code 93",
            Symbology::Codabar => "Codabar",
            Symbology::Pdf417 => "PDF417",
            Symbology::Aztec => "Aztec",
            Symbology::Other => "other",
        }
    }

    /// The symbology an AIM identifier (`]` + code + modifier) names.
    pub fn from_aim(identifier: &str) -> Result<Symbology, ScanError> {
        let bytes = identifier.as_bytes();
        if bytes.len() != 3 || bytes[0] != b']' || !bytes[2].is_ascii_alphanumeric() {
            return Err(ScanError::Symbology(format!(
                "`{identifier}` is not an AIM symbology identifier (`]` and two characters)"
            )));
        }
        let modifier = bytes[2];
        let symbology = match (bytes[1], modifier) {
            (b'C', b'1') => Symbology::Gs1_128,
            (b'C', b'0' | b'2' | b'4') => Symbology::Code128,
            (b'E', b'0' | b'3') => Symbology::Ean13,
            (b'E', b'4') => Symbology::Ean8,
            (b'e', b'0') => Symbology::Gs1DataBar,
            (b'd', b'2' | b'5') => Symbology::Gs1DataMatrix,
            (b'd', b'0'..=b'6') => Symbology::DataMatrix,
            (b'Q', b'3' | b'4') => Symbology::Gs1Qr,
            (b'Q', b'0'..=b'6') => Symbology::QrCode,
            (b'J', b'1') => Symbology::Gs1DotCode,
            (b'J', b'0') => Symbology::DotCode,
            (b'I', b'0' | b'1' | b'3') => Symbology::Itf,
            (b'A', _) => Symbology::Code39,
            (b'G', _) => Symbology::Code93,
            (b'F', _) => Symbology::Codabar,
            (b'L', _) => Symbology::Pdf417,
            (b'z', _) => Symbology::Aztec,
            (b'X', b'0'..=b'9') => Symbology::Other,
            _ => {
                return Err(ScanError::Symbology(format!(
                    "`{identifier}` is not a symbology identifier Kasir knows"
                )));
            }
        };
        Ok(symbology)
    }
}

/// One read: the text a scanner or decoder reported and its symbology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    /// The decoded text; GS1 separators (FNC1) as GS, 0x1D.
    pub text: String,
    /// The symbology, if the source said.
    pub symbology: Symbology,
}

/// The group separator that stands for FNC1 between GS1 element strings.
pub const GS: char = '\u{1d}';

impl Read {
    /// A read of `text` in `symbology`.
    pub fn new(text: impl Into<String>, symbology: Symbology) -> Read {
        Read {
            text: text.into(),
            symbology,
        }
    }

    /// Text typed or sent by a keyboard-wedge scanner: no symbology unless the text starts
    /// with an AIM identifier.
    pub fn typed(text: impl Into<String>) -> Read {
        Read::new(text, Symbology::Unknown)
    }

    /// Strips a leading AIM symbology identifier into the symbology. A read that does not
    /// start with `]` is returned as it is; one whose identifier is malformed or unknown is
    /// refused.
    pub fn resolve(&self) -> Result<Read, ScanError> {
        if !self.text.starts_with(']') {
            return Ok(self.clone());
        }
        let Some(identifier) = self.text.get(..3) else {
            return Err(ScanError::Symbology(format!(
                "`{}` is too short for a symbology identifier",
                self.text
            )));
        };
        let symbology = Symbology::from_aim(identifier)?;
        Ok(Read::new(&self.text[3..], symbology))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aim_identifiers_name_their_symbology() {
        let cases = [
            ("]C1", Symbology::Gs1_128),
            ("]C0", Symbology::Code128),
            ("]E0", Symbology::Ean13),
            ("]E4", Symbology::Ean8),
            ("]e0", Symbology::Gs1DataBar),
            ("]d2", Symbology::Gs1DataMatrix),
            ("]d1", Symbology::DataMatrix),
            ("]Q3", Symbology::Gs1Qr),
            ("]Q1", Symbology::QrCode),
            ("]J1", Symbology::Gs1DotCode),
            ("]A0", Symbology::Code39),
        ];
        for (id, expected) in cases {
            assert_eq!(Symbology::from_aim(id).unwrap(), expected, "{id}");
        }
    }

    #[test]
    fn unknown_and_short_identifiers_are_refused() {
        assert!(Read::typed("]").resolve().is_err());
        assert!(Read::typed("]X").resolve().is_err());
        assert!(Read::typed("]XX").resolve().is_err());
        assert!(Read::typed("]W0123").resolve().is_err());
    }

    #[test]
    fn resolving_strips_the_identifier() {
        let read = Read::typed("]E04006381333931").resolve().unwrap();
        assert_eq!(read, Read::new("4006381333931", Symbology::Ean13));
        let plain = Read::typed("4006381333931").resolve().unwrap();
        assert_eq!(plain.symbology, Symbology::Unknown);
    }
}
