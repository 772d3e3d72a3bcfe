//! 1D barcodes printed by the printer itself (`GS k`, function B: a symbology number and a
//! length byte), checked before they are sent so that a printer never silently skips one.

use crate::error::EscposError;

/// The 1D symbologies ESC/POS printers draw themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbology {
    /// UPC-A: 11 digits, or 12 with the check digit.
    UpcA,
    /// EAN-13: 12 digits, or 13 with the check digit.
    Ean13,
    /// EAN-8: 7 digits, or 8 with the check digit.
    Ean8,
    /// Code 39: digits, capitals, space and `$%+-./`.
    Code39,
    /// Code 128 (code set B): printable ASCII.
    Code128,
}

impl Symbology {
    /// The symbology's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Symbology::UpcA => "UPC-A",
            Symbology::Ean13 => "EAN-13",
            Symbology::Ean8 => "EAN-8",
            Symbology::Code39 => "CODE39",
            Symbology::Code128 => "CODE128",
        }
    }

    /// The `m` of `GS k m n` (function B).
    fn command(self) -> u8 {
        match self {
            Symbology::UpcA => 65,
            Symbology::Ean13 => 67,
            Symbology::Ean8 => 68,
            Symbology::Code39 => 69,
            Symbology::Code128 => 73,
        }
    }
}

/// A barcode to print: what, how tall, and whether its digits are printed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barcode {
    /// The symbology.
    pub symbology: Symbology,
    /// The data (without Code 128's code set prefix).
    pub data: String,
    /// Bar height in dots (1 to 255).
    pub height: u8,
    /// Print the human-readable text below.
    pub text_below: bool,
}

impl Barcode {
    /// A barcode of `data`, 80 dots tall with its text below, checked for `symbology`.
    pub fn new(symbology: Symbology, data: &str) -> Result<Barcode, EscposError> {
        let bad = |reason: String| {
            Err(EscposError::Barcode {
                symbology: symbology.name(),
                reason,
            })
        };
        let digits = data.bytes().all(|b| b.is_ascii_digit());
        let len = data.len();
        match symbology {
            Symbology::UpcA | Symbology::Ean13 | Symbology::Ean8 => {
                let (short, full) = match symbology {
                    Symbology::UpcA => (11, 12),
                    Symbology::Ean13 => (12, 13),
                    _ => (7, 8),
                };
                if !digits || (len != short && len != full) {
                    return bad(format!("needs {short} or {full} digits, got `{data}`"));
                }
                if len == full && !check_digit_ok(data) {
                    return bad(format!("`{data}` has a wrong check digit"));
                }
            }
            Symbology::Code39 => {
                let ok =
                    |b: u8| b.is_ascii_digit() || b.is_ascii_uppercase() || b" $%+-./".contains(&b);
                if data.is_empty() || len > 255 || !data.bytes().all(ok) {
                    return bad(format!(
                        "takes 1 to 255 of 0-9, A-Z, space and $%+-./, got `{data}`"
                    ));
                }
            }
            Symbology::Code128 => {
                if data.is_empty() || len > 253 || !data.bytes().all(|b| (0x20..0x7F).contains(&b))
                {
                    return bad("takes 1 to 253 printable ASCII characters".into());
                }
            }
        }
        Ok(Barcode {
            symbology,
            data: data.to_string(),
            height: 80,
            text_below: true,
        })
    }

    /// The commands: height (`GS h`), text position (`GS H`), then `GS k m n d1..dn`.
    pub fn commands(&self) -> Vec<u8> {
        let mut out = vec![0x1D, 0x68, self.height.max(1), 0x1D, 0x48];
        out.push(if self.text_below { 2 } else { 0 });
        let mut data = self.data.as_bytes().to_vec();
        if self.symbology == Symbology::Code128 {
            data.splice(0..0, *b"{B");
        }
        out.extend_from_slice(&[0x1D, 0x6B, self.symbology.command()]);
        out.push(u8::try_from(data.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&data);
        out
    }
}

/// The GS1 mod-10 check (weights 3 and 1 from the right, the check digit included).
fn check_digit_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 1 { 3 } else { 1 })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ean13_is_sent_as_function_b_with_its_length() {
        let code = Barcode::new(Symbology::Ean13, "8992388101016").expect("valid");
        assert_eq!(
            code.commands(),
            [
                0x1D, 0x68, 80, 0x1D, 0x48, 2, 0x1D, 0x6B, 67, 13, b'8', b'9', b'9', b'2', b'3',
                b'8', b'8', b'1', b'0', b'1', b'0', b'1', b'6'
            ]
        );
    }

    #[test]
    fn ean13_with_a_wrong_check_digit_is_refused() {
        let err = Barcode::new(Symbology::Ean13, "8992388101017").expect_err("bad check");
        assert_eq!(
            err.to_string(),
            "barcode EAN-13: `8992388101017` has a wrong check digit"
        );
    }

    #[test]
    fn code128_gets_the_code_set_b_prefix() {
        let code = Barcode::new(Symbology::Code128, "D01-000042").expect("valid");
        let bytes = code.commands();
        assert_eq!(&bytes[6..11], &[0x1D, 0x6B, 73, 12, b'{']);
        assert_eq!(&bytes[11..], b"BD01-000042");
    }

    #[test]
    fn code39_refuses_lower_case() {
        assert!(Barcode::new(Symbology::Code39, "abc").is_err());
        assert!(Barcode::new(Symbology::Code39, "ABC-1").is_ok());
    }
}
