//! Character code pages: which byte a character has in each single-byte table a printer may
//! carry. The table *number* a printer uses for a code page (`ESC t n`) is not here: it differs
//! between models and lives in the printer profile.

use serde::{Deserialize, Serialize};

use crate::tables;

/// A single-byte character table of a receipt printer. Bytes 0x20 to 0x7E are ASCII in every
/// one of them; the upper half differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodePage {
    /// IBM PC (USA), the table every printer starts in.
    Cp437,
    /// Multilingual Latin 1 (DOS).
    Cp850,
    /// Latin 2, Central Europe (DOS).
    Cp852,
    /// CP850 with the euro sign at 0xD5.
    Cp858,
    /// Portuguese (DOS).
    Cp860,
    /// Nordic (DOS).
    Cp865,
    /// Cyrillic (DOS), through `encoding_rs`'s IBM866.
    Cp866,
    /// Windows Latin 1, through `encoding_rs`'s windows-1252.
    Windows1252,
}

impl CodePage {
    /// The byte of `ch` in this table, if it has one. ASCII maps to itself.
    pub fn encode(self, ch: char) -> Option<u8> {
        if (' '..='~').contains(&ch) {
            return u8::try_from(u32::from(ch)).ok();
        }
        match self {
            CodePage::Cp866 => encode_single(encoding_rs::IBM866, ch),
            CodePage::Windows1252 => encode_single(encoding_rs::WINDOWS_1252, ch),
            own => {
                let table = own.table()?;
                let at = table.iter().position(|c| *c == ch)?;
                u8::try_from(0x80 + at).ok()
            }
        }
    }

    /// The character that `byte` prints in this table (`None` for control bytes).
    pub fn decode(self, byte: u8) -> Option<char> {
        if (0x20..0x7F).contains(&byte) {
            return Some(char::from(byte));
        }
        if byte < 0x80 {
            return None;
        }
        match self {
            CodePage::Cp866 => decode_single(encoding_rs::IBM866, byte),
            CodePage::Windows1252 => decode_single(encoding_rs::WINDOWS_1252, byte),
            own => own.table().map(|t| t[usize::from(byte - 0x80)]),
        }
    }

    fn table(self) -> Option<&'static [char; 128]> {
        match self {
            CodePage::Cp437 => Some(&tables::CP437),
            CodePage::Cp850 => Some(&tables::CP850),
            CodePage::Cp852 => Some(&tables::CP852),
            CodePage::Cp858 => Some(&tables::CP858),
            CodePage::Cp860 => Some(&tables::CP860),
            CodePage::Cp865 => Some(&tables::CP865),
            CodePage::Cp866 | CodePage::Windows1252 => None,
        }
    }
}

fn encode_single(encoding: &'static encoding_rs::Encoding, ch: char) -> Option<u8> {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding.encode(ch.encode_utf8(&mut buf));
    match (unmappable, bytes.as_ref()) {
        (false, [b]) if *b >= 0x80 => Some(*b),
        _ => None,
    }
}

fn decode_single(encoding: &'static encoding_rs::Encoding, byte: u8) -> Option<char> {
    let bytes = [byte];
    let (text, malformed) = encoding.decode_without_bom_handling(&bytes);
    let mut chars = text.chars();
    match (malformed, chars.next(), chars.next()) {
        (false, Some(c), None) => Some(c),
        _ => None,
    }
}

/// The two bytes of `ch` in GBK (the double-byte part of GB18030 that printers with a Chinese
/// font carry), if it has them.
pub fn gbk_bytes(ch: char) -> Option<[u8; 2]> {
    if ch.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(ch.encode_utf8(&mut buf));
    match (unmappable, bytes.as_ref()) {
        (false, [a, b]) => Some([*a, *b]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp858_has_the_euro_where_cp850_has_dotless_i() {
        assert_eq!(CodePage::Cp858.encode('€'), Some(0xD5));
        assert_eq!(CodePage::Cp850.encode('€'), None);
        assert_eq!(CodePage::Cp850.encode('ı'), Some(0xD5));
        assert_eq!(CodePage::Cp858.encode('ä'), Some(0x84));
    }

    #[test]
    fn windows_1252_byte_0x84_is_a_low_quote_not_a_umlaut() {
        assert_eq!(CodePage::Windows1252.decode(0x84), Some('„'));
        assert_eq!(CodePage::Windows1252.encode('€'), Some(0x80));
        assert_eq!(CodePage::Windows1252.encode('ä'), Some(0xE4));
    }

    #[test]
    fn cp866_carries_cyrillic() {
        // IBM866: А = 0x80, я = 0xEF.
        assert_eq!(CodePage::Cp866.encode('А'), Some(0x80));
        assert_eq!(CodePage::Cp866.encode('я'), Some(0xEF));
        assert_eq!(CodePage::Cp866.encode('é'), None);
    }

    #[test]
    fn gbk_gives_two_bytes_for_hanzi_and_none_for_thai() {
        // 中 is D6 D0 in GB2312 / GBK.
        assert_eq!(gbk_bytes('中'), Some([0xD6, 0xD0]));
        assert_eq!(gbk_bytes('ก'), None);
        assert_eq!(gbk_bytes('a'), None);
    }

    #[test]
    fn every_upper_half_byte_round_trips() {
        for page in [
            CodePage::Cp437,
            CodePage::Cp850,
            CodePage::Cp858,
            CodePage::Cp866,
        ] {
            for byte in 0x80..=0xFF_u8 {
                let ch = page.decode(byte).expect("upper half is printable");
                if ch != '\u{A0}' {
                    assert_eq!(page.encode(ch), Some(byte), "{page:?} {byte:#x}");
                }
            }
        }
    }
}
