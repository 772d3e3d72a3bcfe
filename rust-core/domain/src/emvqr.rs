//! EMV merchant-presented QR codes (EMVCo MPM): QRIS, PIX, PromptPay, DuitNow, SGQR and the
//! rest of the family, parsed and made.
//!
//! A payload is a list of TLV fields: a two-digit tag, a two-digit length and the value. The
//! length counts **characters**, not bytes (a Thai or Chinese merchant name is longer in UTF-8
//! than its length says). The last field is always the checksum, tag `63` of length `04`: the
//! CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF) of the **UTF-8 bytes** of
//! everything before its value, `6304` included, written as four upper-case hex digits. Tags
//! 26 to 51 (merchant accounts), 62 (additional data), 64 (a second language) and 80 to 99 are
//! templates holding TLV fields of their own (80 to 99 hold opaque data in some real codes, kept
//! as text).
//!
//! [`Payload::parse`] is strict: a missing, short or wrong checksum, a length that runs past the
//! end, a tag that is not two digits, a repeated tag or a template whose content is not TLV is
//! refused with the position and the reason. Rules of the EMVCo specification that real codes
//! break (DuitNow's format indicator `02`, PromptPay's person-to-person codes without merchant
//! name) are not refusals: [`Payload::rule_issues`] lists them, and each scheme decides.
//! [`Payload::encode`] writes the fields back in their order, so a parsed code is regenerated
//! byte for byte. [`qris`] turns a merchant's static QRIS sticker into the dynamic code of one
//! payment.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use thiserror::Error;

use crate::error::DomainError;
use crate::money::Currency;

/// Why a payload was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmvQrError {
    /// The payload has no checksum field `6304XXXX` at its end.
    #[error("the payload does not end with a checksum (tag 63, length 04, four hex digits)")]
    MissingCrc,
    /// The checksum field is there but is not four hexadecimal digits.
    #[error("the checksum `{0}` is not four hexadecimal digits")]
    MalformedCrc(String),
    /// The checksum does not match the payload.
    #[error("the checksum is {found} but the payload's content gives {computed}")]
    CrcMismatch {
        /// The checksum written in the payload.
        found: String,
        /// The checksum of the payload's content, as four upper-case hex digits.
        computed: String,
    },
    /// The TLV structure is broken at a position (in characters from the start).
    #[error("at character {position}{}: {reason}", in_template(*.template))]
    Malformed {
        /// The character position where the fault was found.
        position: usize,
        /// The template tag the fault is inside, if any.
        template: Option<u8>,
        /// What is wrong.
        reason: String,
    },
    /// A field's value is not valid for its tag.
    #[error("field {tag:02} ({}): {reason}", tag_name(*.tag))]
    InvalidField {
        /// The tag of the field.
        tag: u8,
        /// What is wrong.
        reason: String,
    },
}

/// What a top-level tag holds, for error messages.
pub fn tag_name(tag: u8) -> &'static str {
    match tag {
        0 => "payload format indicator",
        1 => "point of initiation",
        2..=25 => "merchant account",
        26..=51 => "merchant account template",
        52 => "merchant category code",
        53 => "currency",
        54 => "amount",
        55 => "tip indicator",
        56 => "fixed convenience fee",
        57 => "percentage convenience fee",
        58 => "country",
        59 => "merchant name",
        60 => "merchant city",
        61 => "postal code",
        62 => "additional data",
        63 => "checksum",
        64 => "merchant information in another language",
        _ => "unreserved template",
    }
}

fn in_template(template: Option<u8>) -> String {
    template.map_or_else(String::new, |t| format!(" (inside template {t:02})"))
}

impl From<EmvQrError> for DomainError {
    fn from(error: EmvQrError) -> Self {
        DomainError::invalid("qr_payload", error.to_string())
    }
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
/// The check value of `123456789` is 0x29B1.
pub fn crc16_ccitt(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for byte in bytes {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The checksum of `body` (everything up to and including `6304`) as the payload writes it:
/// four upper-case hex digits, leading zeros kept.
pub fn crc_text(body: &str) -> String {
    format!("{:04X}", crc16_ccitt(body.as_bytes()))
}

/// A field's content: text, or the fields of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A primitive value.
    Text(String),
    /// A template: TLV fields nested one level.
    Template(Vec<Field>),
}

/// One TLV field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The tag, 00 to 99.
    pub tag: u8,
    /// The value.
    pub value: Value,
}

impl Field {
    /// A primitive field.
    pub fn text(tag: u8, value: impl Into<String>) -> Field {
        Field {
            tag,
            value: Value::Text(value.into()),
        }
    }

    /// A template field.
    pub fn template(tag: u8, fields: Vec<Field>) -> Field {
        Field {
            tag,
            value: Value::Template(fields),
        }
    }

    /// The value as text: the primitive value, or the template's fields encoded.
    pub fn value_text(&self) -> String {
        match &self.value {
            Value::Text(text) => text.clone(),
            Value::Template(fields) => encode_fields(fields),
        }
    }

    /// The sub-field `tag` of a template.
    pub fn sub(&self, tag: u8) -> Option<&str> {
        match &self.value {
            Value::Template(fields) => fields.iter().find_map(|f| match &f.value {
                Value::Text(text) if f.tag == tag => Some(text.as_str()),
                _ => None,
            }),
            Value::Text(_) => None,
        }
    }
}

/// Tags whose value is a template of TLV fields (80 to 99 only when their content is TLV).
pub fn is_template_tag(tag: u8) -> bool {
    matches!(tag, 26..=51 | 62 | 64 | 80..=99)
}

fn encode_field(out: &mut String, field: &Field) {
    let value = field.value_text();
    out.push_str(&format!("{:02}{:02}", field.tag, value.chars().count()));
    out.push_str(&value);
}

fn encode_fields(fields: &[Field]) -> String {
    let mut out = String::new();
    for field in fields {
        encode_field(&mut out, field);
    }
    out
}

/// Reads TLV fields from `chars`; `offset` is where `chars` starts in the whole payload, for
/// error positions.
fn parse_fields(
    chars: &[char],
    offset: usize,
    template: Option<u8>,
) -> Result<Vec<Field>, EmvQrError> {
    let malformed = |position: usize, reason: String| EmvQrError::Malformed {
        position,
        template,
        reason,
    };
    let mut fields: Vec<Field> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if chars.len() - at < 4 {
            return Err(malformed(
                offset + at,
                format!(
                    "{} character(s) left, too few for a tag and a length",
                    chars.len() - at
                ),
            ));
        }
        let tag = two_digits(&chars[at..at + 2])
            .ok_or_else(|| malformed(offset + at, "a tag must be two digits".into()))?;
        let length = two_digits(&chars[at + 2..at + 4]).ok_or_else(|| {
            malformed(
                offset + at + 2,
                format!("the length of tag {tag:02} must be two digits"),
            )
        })?;
        let start = at + 4;
        let end = start + usize::from(length);
        if end > chars.len() {
            return Err(malformed(
                offset + at,
                format!(
                    "tag {tag:02} says {length} characters but only {} remain",
                    chars.len() - start
                ),
            ));
        }
        if length == 0 {
            return Err(malformed(
                offset + at,
                format!("tag {tag:02} has an empty value"),
            ));
        }
        if fields.iter().any(|f| f.tag == tag) {
            return Err(malformed(
                offset + at,
                format!("tag {tag:02} appears twice"),
            ));
        }
        let raw = &chars[start..end];
        let value = if template.is_some() || !is_template_tag(tag) {
            Value::Text(raw.iter().collect())
        } else if (80..=99).contains(&tag) {
            // Unreserved templates: real codes put opaque data there too (a signature, a
            // UTF-16 hex string), so content that is not TLV is kept as text.
            parse_fields(raw, offset + start, Some(tag))
                .map_or_else(|_| Value::Text(raw.iter().collect()), Value::Template)
        } else {
            Value::Template(parse_fields(raw, offset + start, Some(tag))?)
        };
        fields.push(Field { tag, value });
        at = end;
    }
    Ok(fields)
}

fn two_digits(chars: &[char]) -> Option<u8> {
    match chars {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            let tens = a.to_digit(10)?;
            let ones = b.to_digit(10)?;
            u8::try_from(tens * 10 + ones).ok()
        }
        _ => None,
    }
}

/// Whether a code is for one payment of a set amount or for any payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initiation {
    /// `11`: a static code (a sticker on the counter); the payer types the amount.
    Static,
    /// `12`: a dynamic code made for one payment.
    Dynamic,
}

/// What the payer is asked for as a tip (tags 55 to 57).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TipRule {
    /// `01`: the payer's app asks for a tip.
    Prompt,
    /// `02`: a fixed convenience fee (tag 56).
    Fixed(Decimal),
    /// `03`: a percentage convenience fee (tag 57).
    Percentage(Decimal),
}

/// One merchant account template (tags 26 to 51): the scheme's globally unique identifier
/// (sub-tag 00) and the rest of its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantAccount<'a> {
    /// The template's tag.
    pub tag: u8,
    /// Sub-tag 00: the scheme's identifier (`ID.CO.QRIS.WWW`, `br.gov.bcb.pix`, an AID...).
    pub guid: Option<&'a str>,
    /// All the template's fields, sub-tag 00 included.
    pub fields: &'a [Field],
}

/// A merchant-presented payload: its fields without the checksum, in their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    fields: Vec<Field>,
}

impl FromStr for Payload {
    type Err = EmvQrError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Payload::parse(text)
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl Payload {
    /// A payload with these fields (the checksum is added by [`Payload::encode`]; a tag 63
    /// given here is dropped).
    pub fn new(fields: Vec<Field>) -> Payload {
        Payload {
            fields: fields.into_iter().filter(|f| f.tag != 63).collect(),
        }
    }

    /// Parses a payload strictly: well-formed TLV and a correct checksum, or an error that says
    /// where and why.
    pub fn parse(text: &str) -> Result<Payload, EmvQrError> {
        let chars: Vec<char> = text.chars().collect();
        // The checksum field is the last eight characters: `6304` and four hex digits.
        if chars.len() < 8 {
            return Err(EmvQrError::MissingCrc);
        }
        let crc_start = chars.len() - 8;
        let crc_header: String = chars[crc_start..crc_start + 4].iter().collect();
        if crc_header != "6304" {
            return Err(find_short_crc(&chars).unwrap_or(EmvQrError::MissingCrc));
        }
        let found: String = chars[crc_start + 4..].iter().collect();
        if !found.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(EmvQrError::MalformedCrc(found));
        }
        let fields = parse_fields(&chars[..crc_start], 0, None)?;
        let body: String = chars[..crc_start + 4].iter().collect();
        let computed = crc16_ccitt(body.as_bytes());
        // Compared as numbers: the value matters, not how its digits were cased.
        if u16::from_str_radix(&found, 16).ok() != Some(computed) {
            return Err(EmvQrError::CrcMismatch {
                found,
                computed: format!("{computed:04X}"),
            });
        }
        let payload = Payload { fields };
        payload.check_structure()?;
        Ok(payload)
    }

    /// Structural rules every scheme keeps: tag 00 first, amounts that are numbers.
    fn check_structure(&self) -> Result<(), EmvQrError> {
        match self.fields.first() {
            Some(first) if first.tag == 0 => {}
            _ => {
                return Err(EmvQrError::InvalidField {
                    tag: 0,
                    reason: "the payload format indicator (tag 00) must come first".into(),
                });
            }
        }
        if let Some(text) = self.text(54) {
            parse_emv_amount(54, text)?;
        }
        Ok(())
    }

    /// The payload as it is shown in the QR code, checksum included.
    pub fn encode(&self) -> String {
        let mut body = encode_fields(&self.fields);
        body.push_str("6304");
        let crc = crc_text(&body);
        body.push_str(&crc);
        body
    }

    /// All fields, in order, without the checksum.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The field with `tag`.
    pub fn field(&self, tag: u8) -> Option<&Field> {
        self.fields.iter().find(|f| f.tag == tag)
    }

    /// The text of the primitive field `tag`.
    pub fn text(&self, tag: u8) -> Option<&str> {
        self.field(tag).and_then(|f| match &f.value {
            Value::Text(text) => Some(text.as_str()),
            Value::Template(_) => None,
        })
    }

    /// Sets the primitive field `tag` to `value`, in place if present, otherwise before the
    /// first field with a higher tag (so that tags stay in ascending order).
    pub fn set_text(&mut self, tag: u8, value: impl Into<String>) {
        let value = Value::Text(value.into());
        if let Some(field) = self.fields.iter_mut().find(|f| f.tag == tag) {
            field.value = value;
            return;
        }
        let at = self
            .fields
            .iter()
            .position(|f| f.tag > tag)
            .unwrap_or(self.fields.len());
        self.fields.insert(at, Field { tag, value });
    }

    /// Removes the field `tag`, if present.
    pub fn remove(&mut self, tag: u8) {
        self.fields.retain(|f| f.tag != tag);
    }

    /// Tag 00, the payload format indicator (`01` in the specification).
    pub fn format_indicator(&self) -> Option<&str> {
        self.text(0)
    }

    /// Tag 01: static or dynamic; `None` when the code leaves it out (allowed).
    pub fn initiation(&self) -> Option<Initiation> {
        match self.text(1) {
            Some("11") => Some(Initiation::Static),
            Some("12") => Some(Initiation::Dynamic),
            _ => None,
        }
    }

    /// The merchant account templates (tags 26 to 51), in order.
    pub fn merchant_accounts(&self) -> Vec<MerchantAccount<'_>> {
        self.fields
            .iter()
            .filter(|f| (26..=51).contains(&f.tag))
            .filter_map(|f| match &f.value {
                Value::Template(fields) => Some(MerchantAccount {
                    tag: f.tag,
                    guid: f.sub(0),
                    fields,
                }),
                Value::Text(_) => None,
            })
            .collect()
    }

    /// Tag 52, the merchant category code.
    pub fn merchant_category(&self) -> Option<&str> {
        self.text(52)
    }

    /// Tag 53 as a currency Kasir knows (ISO 4217 numeric code, e.g. `360` for rupiah).
    pub fn currency(&self) -> Option<Currency> {
        self.text(53).and_then(currency_from_numeric)
    }

    /// Tag 54, the amount, if the code carries one.
    pub fn amount(&self) -> Option<Decimal> {
        self.text(54).and_then(|t| parse_emv_amount(54, t).ok())
    }

    /// Tags 55 to 57: the tip or convenience fee the payer is asked for.
    pub fn tip_rule(&self) -> Option<TipRule> {
        match self.text(55)? {
            "01" => Some(TipRule::Prompt),
            "02" => self
                .text(56)
                .and_then(|t| parse_emv_amount(56, t).ok())
                .map(TipRule::Fixed),
            "03" => self
                .text(57)
                .and_then(|t| parse_emv_amount(57, t).ok())
                .map(TipRule::Percentage),
            _ => None,
        }
    }

    /// Tag 58, the merchant's country (ISO 3166-1 alpha-2).
    pub fn country(&self) -> Option<&str> {
        self.text(58)
    }

    /// Tag 59, the merchant's name.
    pub fn merchant_name(&self) -> Option<&str> {
        self.text(59)
    }

    /// Tag 60, the merchant's city.
    pub fn merchant_city(&self) -> Option<&str> {
        self.text(60)
    }

    /// Tag 61, the postal code.
    pub fn postal_code(&self) -> Option<&str> {
        self.text(61)
    }

    /// A sub-field of the additional data template (tag 62): 01 bill number, 05 reference
    /// label, 07 terminal label, ...
    pub fn additional(&self, sub_tag: u8) -> Option<&str> {
        self.field(62).and_then(|f| f.sub(sub_tag))
    }

    /// Breaches of the EMVCo specification's field rules that do not make the payload
    /// unreadable; real codes of some schemes have them, so they are reported, not refused.
    pub fn rule_issues(&self) -> Vec<String> {
        let mut issues = Vec::new();
        match self.format_indicator() {
            Some("01") => {}
            Some(other) => issues.push(format!(
                "tag 00 payload format indicator is `{other}`; EMVCo requires `01`"
            )),
            None => issues.push("tag 00 payload format indicator is missing".into()),
        }
        if let Some(value) = self.text(1)
            && value != "11"
            && value != "12"
        {
            issues.push(format!(
                "tag 01 point of initiation is `{value}`; it must be `11` or `12`"
            ));
        }
        if self.merchant_accounts().is_empty()
            && !self.fields.iter().any(|f| (2..=25).contains(&f.tag))
        {
            issues.push("no merchant account information (tags 02 to 51)".into());
        }
        for (tag, name, width) in [(52, "merchant category code", 4), (53, "currency", 3)] {
            match self.text(tag) {
                None => issues.push(format!("tag {tag} {name} is missing")),
                Some(value)
                    if value.chars().count() != width
                        || !value.chars().all(|c| c.is_ascii_digit()) =>
                {
                    issues.push(format!("tag {tag} {name} `{value}` is not {width} digits"))
                }
                Some(_) => {}
            }
        }
        if self.text(58).is_none() {
            issues.push("tag 58 country code is missing".into());
        }
        for (tag, name, max) in [(59, "merchant name", 25), (60, "merchant city", 15)] {
            match self.text(tag) {
                None => issues.push(format!("tag {tag} {name} is missing")),
                Some(value) if value.chars().count() > max => issues.push(format!(
                    "tag {tag} {name} has {} characters; at most {max} are allowed",
                    value.chars().count()
                )),
                Some(_) => {}
            }
        }
        issues
    }
}

/// If the payload ends in a checksum field of the wrong length (`6303B8B`, a CRC written
/// without its leading zero), says so rather than "missing".
fn find_short_crc(chars: &[char]) -> Option<EmvQrError> {
    for digits in [1usize, 2, 3] {
        if chars.len() < 4 + digits {
            continue;
        }
        let start = chars.len() - 4 - digits;
        let header: String = chars[start..start + 4].iter().collect();
        if header == format!("63{digits:02}") {
            let crc: String = chars[start + 4..].iter().collect();
            return Some(EmvQrError::MalformedCrc(crc));
        }
    }
    None
}

/// An EMV amount: digits with an optional `.` and fraction, at most 13 characters, not
/// negative.
fn parse_emv_amount(tag: u8, text: &str) -> Result<Decimal, EmvQrError> {
    let invalid = |reason: &str| EmvQrError::InvalidField {
        tag,
        reason: format!("`{text}` {reason}"),
    };
    if text.is_empty() || text.chars().count() > 13 {
        return Err(invalid("must be 1 to 13 characters"));
    }
    let mut parts = text.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits_only(whole) || fraction.is_some_and(|f| !digits_only(f)) {
        return Err(invalid("is not an amount (digits and an optional `.`)"));
    }
    if whole.is_empty() && fraction.is_none_or(str::is_empty) {
        return Err(invalid("has no digits"));
    }
    Decimal::from_str(text).map_err(|_| invalid("is not an amount"))
}

/// ISO 4217 numeric codes of the currencies Kasir knows.
const NUMERIC_CODES: &[(&str, &str)] = &[
    ("360", "IDR"),
    ("840", "USD"),
    ("978", "EUR"),
    ("826", "GBP"),
    ("036", "AUD"),
    ("702", "SGD"),
    ("458", "MYR"),
    ("764", "THB"),
    ("608", "PHP"),
    ("356", "INR"),
    ("156", "CNY"),
    ("986", "BRL"),
    ("392", "JPY"),
    ("410", "KRW"),
    ("704", "VND"),
    ("048", "BHD"),
    ("414", "KWD"),
];

/// The currency of an ISO 4217 numeric code.
pub fn currency_from_numeric(code: &str) -> Option<Currency> {
    NUMERIC_CODES
        .iter()
        .find(|(numeric, _)| *numeric == code)
        .and_then(|(_, alpha)| Currency::from_code(alpha).ok())
}

/// The ISO 4217 numeric code of a currency.
pub fn numeric_code(currency: Currency) -> Option<&'static str> {
    NUMERIC_CODES
        .iter()
        .find(|(_, alpha)| *alpha == currency.code())
        .map(|(numeric, _)| *numeric)
}

/// The amount as an EMV amount field: the currency's minor units, no grouping, no sign.
pub fn amount_text(amount: Decimal, currency: Currency) -> Result<String, EmvQrError> {
    let invalid = |reason: String| EmvQrError::InvalidField { tag: 54, reason };
    if amount <= Decimal::ZERO {
        return Err(invalid(format!(
            "the amount {} must be more than zero",
            currency.display(amount)
        )));
    }
    currency
        .check_scale("amount", amount)
        .map_err(|e| invalid(e.to_string()))?;
    let mut scaled = amount;
    scaled.rescale(currency.minor_units());
    let text = scaled.to_string();
    if text.chars().count() > 13 {
        return Err(invalid(format!(
            "{text} has more than the 13 characters an EMV amount may have"
        )));
    }
    Ok(text)
}

/// QRIS, Indonesia's national QR standard, on top of EMV MPM.
pub mod qris {
    use rust_decimal::Decimal;

    use super::{EmvQrError, Payload, amount_text};
    use crate::money::Currency;

    /// The most one QRIS payment may be: Rp 10,000,000.
    pub const MAX_AMOUNT: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);

    /// The national QRIS identifier in merchant account template 51.
    pub const NATIONAL_GUID: &str = "ID.CO.QRIS.WWW";

    /// Whether a parsed payload is a QRIS code: rupiah (360), Indonesia, and a merchant
    /// account (QRIS codes name the national repository or an issuer's domain).
    pub fn is_qris(payload: &Payload) -> bool {
        payload.text(53) == Some("360")
            && payload.country() == Some("ID")
            && !payload.merchant_accounts().is_empty()
    }

    /// Checks that an amount can be paid with QRIS: more than zero, whole rupiah, at most
    /// Rp 10,000,000.
    pub fn check_amount(amount: Decimal) -> Result<String, EmvQrError> {
        if amount > MAX_AMOUNT {
            return Err(EmvQrError::InvalidField {
                tag: 54,
                reason: format!(
                    "{} is more than the {} one QRIS payment may be",
                    Currency::IDR.display(amount),
                    Currency::IDR.display(MAX_AMOUNT)
                ),
            });
        }
        amount_text(amount, Currency::IDR)
    }

    /// The dynamic code of one payment of `amount` rupiah, made from the merchant's static
    /// code: point of initiation 12, the amount in tag 54, a new checksum. Everything else
    /// is kept as the sticker has it.
    pub fn to_dynamic(static_code: &str, amount: Decimal) -> Result<String, EmvQrError> {
        let mut payload = Payload::parse(static_code)?;
        if !is_qris(&payload) {
            return Err(EmvQrError::InvalidField {
                tag: 53,
                reason: "not a QRIS code: it must be in rupiah (53 = 360), from Indonesia \
                         (58 = ID) and name a merchant account"
                    .into(),
            });
        }
        let amount = check_amount(amount)?;
        payload.set_text(1, "12");
        payload.set_text(54, amount);
        Ok(payload.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_value_of_the_standard_string() {
        assert_eq!(crc16_ccitt(b"123456789"), 0x29B1);
    }

    #[test]
    fn a_crc_with_a_leading_zero_keeps_four_digits() {
        // Case P-01.
        let body = "00020126230014BR.GOV.BCB.PIX0101352040000530398654040.015802BR5906MYSELF\
                    6004HERE62050501*6304";
        assert_eq!(crc_text(body), "0B8B");
        let payload = Payload::parse(&format!("{body}0B8B")).unwrap();
        assert_eq!(payload.encode(), format!("{body}0B8B"));
        assert_eq!(
            Payload::parse(&format!("{}6303B8B", &body[..body.len() - 4])),
            Err(EmvQrError::MalformedCrc("B8B".into()))
        );
    }

    #[test]
    fn lengths_count_characters_and_the_crc_covers_utf8_bytes() {
        // Case P-02.
        let body = "00020101021251400116A00000067701011202060012340306001234520412345303764\
                    54035005802TH5907ร้านค้า6007Bangkok6304";
        assert_eq!(crc_text(body), "599E");
        let text = format!("{body}599E");
        let payload = Payload::parse(&text).unwrap();
        assert_eq!(payload.merchant_name(), Some("ร้านค้า"));
        assert_eq!(payload.encode(), text);
        assert_eq!(payload.amount(), Some(Decimal::new(500, 0)));
    }

    #[test]
    fn a_wrong_crc_names_both_values() {
        let body = "0002010102115204000053033605802ID5904TOKO6007JAKARTA6304";
        let err = Payload::parse(&format!("{body}FFFF")).unwrap_err();
        assert!(matches!(err, EmvQrError::CrcMismatch { ref found, .. } if found == "FFFF"));
    }

    #[test]
    fn a_length_past_the_end_is_refused_with_its_position() {
        let body = "0002015999AB6304";
        let text = format!("{body}{}", crc_text(body));
        let err = Payload::parse(&text).unwrap_err();
        assert_eq!(
            err,
            EmvQrError::Malformed {
                position: 6,
                template: None,
                reason: "tag 59 says 99 characters but only 2 remain".into()
            }
        );
    }

    #[test]
    fn static_qris_becomes_dynamic_with_whole_rupiah() {
        let body = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                    51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                    Saifullah.id6014Kota Pontianak61057812463045F72";
        let dynamic = qris::to_dynamic(body, Decimal::new(25_000, 0)).unwrap();
        let parsed = Payload::parse(&dynamic).unwrap();
        assert_eq!(parsed.initiation(), Some(Initiation::Dynamic));
        assert_eq!(parsed.text(54), Some("25000"));
        assert!(dynamic.contains("530336054052500058"), "{dynamic}");
        assert!(qris::to_dynamic(body, Decimal::new(10_000_001, 0)).is_err());
        assert!(qris::to_dynamic(body, Decimal::new(25_0005, 1)).is_err());
        assert!(qris::to_dynamic(body, Decimal::ZERO).is_err());
        assert!(qris::to_dynamic(body, Decimal::new(10_000_000, 0)).is_ok());
    }
}
