//! BER-TLV (ISO/IEC 8825-1 as EMV Book 3, Annex B uses it), read so that card numbers never
//! get through.
//!
//! The only way in is [`EmvData::parse`], which drops the tags that carry a card number or the
//! cardholder's identity while it reads: their values are never copied out of the input. What
//! is kept is safe to store and to log. Of the card number only the last four digits survive.

use std::fmt;

use crate::DeviceError;

/// Tags dropped on reading: they carry the card number (PAN), track data, the cardholder's
/// name or PIN data.
pub const REDACTED_TAGS: [u32; 9] = [
    0x5A,   // Application PAN
    0x57,   // Track 2 equivalent data (PAN, expiry, service code)
    0x56,   // Track 1 data
    0x9F6B, // Track 2 data (contactless)
    0x9F1F, // Track 1 discretionary data
    0x9F20, // Track 2 discretionary data
    0x5F20, // Cardholder name
    0x9F0B, // Cardholder name extended
    0x99,   // Transaction PIN data
];

const MAX_DEPTH: usize = 8;

/// One data object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tlv {
    /// The tag, its bytes read as one big-endian number (`0x9F02`).
    pub tag: u32,
    /// The value.
    pub value: Value,
}

/// A data object's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Bytes.
    Primitive(Vec<u8>),
    /// Nested data objects (the tag's first byte has bit 6 set).
    Constructed(Vec<Tlv>),
}

/// EMV data from a card reader, with card numbers removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmvData {
    /// The data objects that are safe to keep.
    pub objects: Vec<Tlv>,
    /// Tags that were present and dropped.
    pub redacted: Vec<u32>,
    /// The card number's last four digits, from tag `5A` (or `57`) before it was dropped.
    pub pan_last_four: Option<String>,
}

impl EmvData {
    /// Reads BER-TLV bytes. Errors name the offset and the fault.
    pub fn parse(bytes: &[u8]) -> Result<EmvData, DeviceError> {
        let mut data = EmvData::default();
        data.objects = read_all(bytes, 0, 0, &mut data)?;
        Ok(data)
    }

    /// The first object with `tag`, at any depth.
    pub fn find(&self, tag: u32) -> Option<&Tlv> {
        find_in(&self.objects, tag)
    }

    /// The bytes of the first primitive object with `tag`.
    pub fn bytes(&self, tag: u32) -> Option<&[u8]> {
        match self.find(tag) {
            Some(Tlv {
                value: Value::Primitive(v),
                ..
            }) => Some(v),
            _ => None,
        }
    }

    /// The kept objects, encoded again (what may be stored).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for object in &self.objects {
            encode(object, &mut out);
        }
        out
    }
}

impl fmt::Display for EmvData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, object) in self.objects.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{:X}=", object.tag)?;
            match &object.value {
                Value::Primitive(v) => v.iter().try_for_each(|b| write!(f, "{b:02X}"))?,
                Value::Constructed(inner) => write!(f, "[{} objects]", inner.len())?,
            }
        }
        Ok(())
    }
}

fn find_in(objects: &[Tlv], tag: u32) -> Option<&Tlv> {
    objects.iter().find_map(|o| {
        if o.tag == tag {
            return Some(o);
        }
        match &o.value {
            Value::Constructed(inner) => find_in(inner, tag),
            Value::Primitive(_) => None,
        }
    })
}

fn fault(offset: usize, what: &str) -> DeviceError {
    DeviceError::Reader(format!("EMV data at byte {offset}: {what}"))
}

fn read_all(
    bytes: &[u8],
    base: usize,
    depth: usize,
    data: &mut EmvData,
) -> Result<Vec<Tlv>, DeviceError> {
    if depth > MAX_DEPTH {
        return Err(fault(base, "nested deeper than 8 levels"));
    }
    let mut objects = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        // EMV Book 3, B1: 00 bytes may pad before, between and after data objects.
        if bytes[at] == 0x00 {
            at += 1;
            continue;
        }
        let start = at;
        let first = bytes[at];
        let mut tag = u32::from(first);
        at += 1;
        if first & 0x1F == 0x1F {
            loop {
                let Some(&b) = bytes.get(at) else {
                    return Err(fault(base + start, "the tag is cut off"));
                };
                if at - start >= 4 {
                    return Err(fault(base + start, "a tag longer than 4 bytes"));
                }
                tag = (tag << 8) | u32::from(b);
                at += 1;
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        let Some(&l) = bytes.get(at) else {
            return Err(fault(base + at, "the length is missing"));
        };
        at += 1;
        let len = if l < 0x80 {
            usize::from(l)
        } else if l == 0x80 {
            return Err(fault(
                base + at - 1,
                "indefinite length is not allowed in EMV",
            ));
        } else {
            let n = usize::from(l & 0x7F);
            if n > 3 {
                return Err(fault(base + at - 1, "a length of more than 3 bytes"));
            }
            let Some(len_bytes) = bytes.get(at..at + n) else {
                return Err(fault(base + at, "the length is cut off"));
            };
            at += n;
            len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        };
        let Some(value) = bytes.get(at..at + len) else {
            return Err(fault(
                base + start,
                &format!(
                    "tag {tag:X} says {len} bytes but {} remain",
                    bytes.len() - at
                ),
            ));
        };
        let value_offset = base + at;
        at += len;
        if REDACTED_TAGS.contains(&tag) {
            if data.pan_last_four.is_none() && (tag == 0x5A || tag == 0x57) {
                data.pan_last_four = last_four(value, tag == 0x57);
            }
            if !data.redacted.contains(&tag) {
                data.redacted.push(tag);
            }
            continue;
        }
        let constructed = (tag >> (8 * (tag_len(tag) - 1))) & 0x20 != 0;
        let value = if constructed {
            Value::Constructed(read_all(value, value_offset, depth + 1, data)?)
        } else {
            Value::Primitive(value.to_vec())
        };
        objects.push(Tlv { tag, value });
    }
    Ok(objects)
}

fn tag_len(tag: u32) -> u32 {
    match tag {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 3,
        _ => 4,
    }
}

/// The last four digits of a BCD card number (`F`-padded), or of track 2 data (digits up to
/// the `D` separator), without building the whole number.
fn last_four(value: &[u8], track2: bool) -> Option<String> {
    let nibbles = value.iter().flat_map(|b| [b >> 4, b & 0x0F]);
    let mut digits = [0u8; 4];
    let mut count = 0usize;
    for n in nibbles {
        match n {
            0..=9 => {
                digits.rotate_left(1);
                digits[3] = b'0' + n;
                count += 1;
            }
            0x0D if track2 => break,
            0x0F => break,
            _ => return None,
        }
    }
    (count >= 4).then(|| digits.iter().map(|d| char::from(*d)).collect())
}

/// Encodes one data object (definite lengths, shortest form).
pub fn encode(object: &Tlv, out: &mut Vec<u8>) {
    let n = tag_len(object.tag);
    for i in (0..n).rev() {
        out.push(((object.tag >> (8 * i)) & 0xFF) as u8);
    }
    let mut value = Vec::new();
    match &object.value {
        Value::Primitive(v) => value.extend_from_slice(v),
        Value::Constructed(inner) => inner.iter().for_each(|o| encode(o, &mut value)),
    }
    encode_len(value.len(), out);
    out.extend_from_slice(&value);
}

fn encode_len(len: usize, out: &mut Vec<u8>) {
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        0x100..=0xFFFF => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        _ => out.extend_from_slice(&[0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]),
    }
}

/// A primitive object, for building reader messages.
pub fn primitive(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    encode(
        &Tlv {
            tag,
            value: Value::Primitive(value.to_vec()),
        },
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        (0..clean.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).expect("hex"))
            .collect()
    }

    #[test]
    fn two_byte_tag_and_short_length_are_read() {
        // 9F02 (Amount, Authorised) = 000000012345: 6 bytes of BCD.
        let data = EmvData::parse(&hex("9F02 06 000000012345")).expect("valid");
        assert_eq!(data.bytes(0x9F02), Some(&hex("000000012345")[..]));
    }

    #[test]
    fn constructed_template_nests_its_objects() {
        // 70 (record template) holding 5F2A (currency 0360) and 9A (date 26-12-03).
        let data = EmvData::parse(&hex("70 0A 5F2A 02 0360 9A 03 261203")).expect("valid");
        let Some(Tlv {
            value: Value::Constructed(inner),
            ..
        }) = data.find(0x70)
        else {
            panic!("70 is constructed");
        };
        assert_eq!(inner.len(), 2);
        assert_eq!(data.bytes(0x5F2A), Some(&[0x03, 0x60][..]));
    }

    #[test]
    fn long_form_length_81_is_read() {
        let mut bytes = hex("9F10 81 80");
        bytes.extend(std::iter::repeat_n(0xAB, 128));
        let data = EmvData::parse(&bytes).expect("valid");
        assert_eq!(data.bytes(0x9F10).map(<[u8]>::len), Some(128));
    }

    #[test]
    fn three_byte_tag_is_read() {
        // DF8101: a private tag whose second byte has bit 8 set, so a third byte follows.
        let data = EmvData::parse(&hex("DF8101 01 02")).expect("valid");
        assert_eq!(data.bytes(0xDF8101), Some(&[0x02][..]));
    }

    #[test]
    fn zero_padding_between_objects_is_skipped() {
        let data = EmvData::parse(&hex("00 95 05 0000008000 00 00 9C 01 00")).expect("valid");
        assert_eq!(data.objects.len(), 2);
    }

    #[test]
    fn value_longer_than_the_input_is_refused_with_the_tag() {
        let e = EmvData::parse(&hex("9F26 08 0102")).expect_err("truncated");
        assert!(
            e.to_string().contains("9F26 says 8 bytes but 2 remain"),
            "{e}"
        );
    }

    #[test]
    fn indefinite_length_is_refused() {
        assert!(EmvData::parse(&hex("70 80 9C 01 00 00 00")).is_err());
    }

    #[test]
    fn cut_off_tag_is_refused() {
        assert!(EmvData::parse(&hex("9F")).is_err());
        assert!(EmvData::parse(&hex("9F02")).is_err());
    }

    #[test]
    fn card_number_and_track_2_never_leave_the_parser() {
        // PAN 4111 1111 1111 1111 in 5A, the same in track 2 (57), the name in 5F20,
        // inside a 70 template, next to an amount.
        let bytes = hex("70 30 5A 08 4111111111111111 \
             57 10 4111111111111111D28122010000000F \
             5F20 08 444F452F4A414E45 \
             9F02 06 000000012345");
        let data = EmvData::parse(&bytes).expect("valid");

        assert_eq!(data.pan_last_four.as_deref(), Some("1111"));
        assert_eq!(data.redacted, vec![0x5A, 0x57, 0x5F20]);
        assert!(data.find(0x5A).is_none() && data.find(0x57).is_none());
        let kept = data.to_bytes();
        assert!(!kept.windows(4).any(|w| w == [0x41, 0x11, 0x11, 0x11]));
        let shown = format!("{data} {data:?}");
        assert!(!shown.contains("4111111111111111") && !shown.contains("41111111"));
        assert!(!shown.contains("DOE/JANE") && !shown.contains("444F452F"));
        assert_eq!(data.bytes(0x9F02), Some(&hex("000000012345")[..]));
    }

    #[test]
    fn last_four_comes_from_an_odd_length_pan_padded_with_f() {
        // A 15-digit PAN 3782 822463 10005 is stored as 378282246310005F.
        let data = EmvData::parse(&hex("5A 08 378282246310005F")).expect("valid");
        assert_eq!(data.pan_last_four.as_deref(), Some("0005"));
        assert!(data.objects.is_empty());
    }

    #[test]
    fn encoding_uses_the_shortest_length_form() {
        assert_eq!(primitive(0x9C, &[0x00]), hex("9C 01 00"));
        assert_eq!(primitive(0x9F10, &[0u8; 200])[..4], hex("9F10 81 C8")[..]);
        assert_eq!(primitive(0xDF8102, b"A1")[..], hex("DF8102 02 4131")[..]);
    }
}
