//! GS1 Digital Link URIs: `https://brand.example/01/09520123456788/10/ABC1?17=261231`.
//!
//! A QR code on a pack may hold a web address that is also a product key: after any stem, the
//! path holds a GS1 primary key (here the GTIN (01)) and its key qualifiers (CPV (22), batch
//! (10), serial (21)) as `/AI/value` pairs, and the query holds further attributes such as
//! expiry or net weight. [`parse`] turns the URI into the same [`ElementString`] a GS1
//! DataMatrix would carry, checked against the syntax dictionary and the Digital Link rules
//! (key-qualifier order, which AIs may be attributes, no duplicates).
//!
//! Kasir is lenient where the GS1 syntax engine offers options for legacy links: a GTIN in
//! (01) written with 8, 12 or 13 digits is padded to 14, and the deprecated convenience names
//! (`/gtin/`, `/lot/`, `/ser/`, ...) are read as their AIs. AIs GS1 does not define are
//! refused.

use crate::error::ScanError;
use crate::gs1::{Dictionary, ElementString, Entry, Field};

/// Deprecated alphabetic names for AIs in Digital Link paths.
const CONVENIENCE_NAMES: [(&str, &str); 22] = [
    ("cpid", "8010"),
    ("cpsn", "8011"),
    ("cpv", "22"),
    ("gcn", "255"),
    ("gdti", "253"),
    ("giai", "8004"),
    ("ginc", "401"),
    ("gln", "414"),
    ("glnx", "254"),
    ("gmn", "8013"),
    ("grai", "8003"),
    ("gsin", "402"),
    ("gsrn", "8018"),
    ("gsrnp", "8017"),
    ("gtin", "01"),
    ("itip", "8006"),
    ("lot", "10"),
    ("party", "417"),
    ("refno", "8020"),
    ("ser", "21"),
    ("srin", "8019"),
    ("sscc", "00"),
];

/// The schemes a Digital Link may have: all lower case or all upper case.
const SCHEMES: [&str; 4] = ["https://", "HTTPS://", "http://", "HTTP://"];

/// Whether `text` starts like a Digital Link (`http://` or `https://`, in one case).
pub fn is_web_uri(text: &str) -> bool {
    SCHEMES.iter().any(|s| text.starts_with(s))
}

fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

fn is_bad_domain_char(c: char) -> bool {
    "_~?#@!$&'()*+,;=%".contains(c)
}

fn lookup<'d>(dictionary: &'d Dictionary, name: &str) -> Option<(String, &'d Entry)> {
    if (3..=5).contains(&name.len()) && !name.starts_with(|c: char| c.is_ascii_digit()) {
        if let Some((_, ai)) = CONVENIENCE_NAMES.iter().find(|(n, _)| *n == name) {
            return dictionary.entry(ai).map(|e| (ai.to_string(), e));
        }
        return None;
    }
    if (2..=4).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_digit()) {
        return dictionary.entry(name).map(|e| (name.to_string(), e));
    }
    None
}

fn unescape(text: &str, query: bool, ai: &str) -> Result<String, ScanError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |c: u8| (c as char).to_digit(16);
        if b == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            let decoded = (h * 16 + l) as u8;
            if decoded == 0 {
                return Err(ScanError::digital_link(
                    format!("AI ({ai})"),
                    "the value decodes to a NUL character",
                ));
            }
            out.push(decoded);
            i += 3;
            continue;
        }
        out.push(if query && b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|_| ScanError::digital_link(format!("AI ({ai})"), "the value is not valid text"))
}

/// A GTIN in (01) written with 8, 12 or 13 digits, padded to 14.
fn pad_gtin(ai: &str, value: String) -> String {
    if ai == "01" && matches!(value.len(), 8 | 12 | 13) {
        format!("{value:0>14}")
    } else {
        value
    }
}

/// Whether `qualifiers` after the primary key `key` follow one of its allowed orders.
fn valid_sequence(key: &Entry, qualifiers: &[&str]) -> bool {
    let Some(alternatives) = &key.dl_key else {
        return false;
    };
    alternatives.iter().any(|allowed| {
        let mut position = 0;
        qualifiers
            .iter()
            .all(|q| match allowed[position..].iter().position(|a| a == q) {
                Some(found) => {
                    position += found + 1;
                    true
                }
                None => false,
            })
    })
}

/// Parses a GS1 Digital Link URI into its element strings: the path's key and qualifiers,
/// then the query's attributes, each in the order given.
pub fn parse(uri: &str) -> Result<ElementString, ScanError> {
    let dictionary = Dictionary::gs1();
    if let Some(bad) = uri.chars().find(|c| !is_uri_char(*c)) {
        return Err(ScanError::digital_link(
            "uri",
            format!("`{}` may not appear in a URI", bad.escape_default()),
        ));
    }
    let rest = SCHEMES
        .iter()
        .find_map(|scheme| uri.strip_prefix(scheme))
        .ok_or_else(|| {
            ScanError::digital_link("scheme", "must be http:// or https:// (one case)")
        })?;
    let slash = rest
        .find('/')
        .ok_or_else(|| ScanError::digital_link("path", "the URI has no path after the domain"))?;
    let domain = &rest[..slash];
    if domain.is_empty() {
        return Err(ScanError::digital_link("domain", "is empty"));
    }
    if let Some(bad) = domain.chars().find(|c| is_bad_domain_char(*c)) {
        return Err(ScanError::digital_link(
            "domain",
            format!("`{bad}` may not appear in a domain"),
        ));
    }
    let mut path = &rest[slash..];
    if let Some(hash) = path.find('#') {
        path = &path[..hash];
    }
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };

    // Walk back over `/AI/value` pairs from the end to the rightmost primary key.
    let segments: Vec<&str> = path.split('/').collect();
    let mut root = None;
    let mut k = segments.len();
    while k >= 3 {
        let Some((_, entry)) = lookup(dictionary, segments[k - 2]) else {
            break;
        };
        if entry.dl_key.is_some() {
            root = Some(k - 2);
            break;
        }
        k -= 2;
    }
    let root = root.ok_or_else(|| {
        ScanError::digital_link("key", "the path holds no GS1 primary key such as /01/GTIN")
    })?;

    let mut fields = Vec::new();
    let mut path_ais: Vec<String> = Vec::new();
    for pair in segments[root..].chunks(2) {
        let (ai, entry) = lookup(dictionary, pair[0]).ok_or_else(|| {
            ScanError::digital_link("path", format!("`{}` is not an AI", pair[0]))
        })?;
        let raw = pair.get(1).copied().unwrap_or("");
        if raw.is_empty() {
            return Err(ScanError::digital_link(
                format!("AI ({ai})"),
                "the path gives no value",
            ));
        }
        let value = pad_gtin(&ai, unescape(raw, false, &ai)?);
        entry.check_value(&ai, &value)?;
        path_ais.push(ai.clone());
        fields.push(Field::new(ai, value));
    }

    let mut attributes = Vec::new();
    for parameter in query.unwrap_or("").split('&') {
        let Some((key, raw)) = parameter.split_once('=') else {
            continue;
        };
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let entry = dictionary.entry(key).ok_or_else(|| {
            ScanError::digital_link(
                "query",
                format!("`{key}` is not a GS1 Application Identifier"),
            )
        })?;
        if raw.is_empty() {
            return Err(ScanError::digital_link(
                format!("AI ({key})"),
                "the query gives no value",
            ));
        }
        let value = pad_gtin(key, unescape(raw, true, key)?);
        entry.check_value(key, &value)?;
        attributes.push((key.to_string(), entry));
        fields.push(Field::new(key, value));
    }

    let key_entry = dictionary
        .entry(&path_ais[0])
        .ok_or_else(|| ScanError::digital_link("key", "unknown primary key"))?;
    let qualifiers: Vec<&str> = path_ais[1..].iter().map(String::as_str).collect();
    if !valid_sequence(key_entry, &qualifiers) {
        return Err(ScanError::digital_link(
            "path",
            format!(
                "({}) may not be qualified by {}",
                path_ais[0],
                qualifiers
                    .iter()
                    .map(|q| format!("({q})"))
                    .collect::<String>()
            ),
        ));
    }
    for (i, a) in fields.iter().enumerate() {
        if fields[..i].iter().any(|b| b.ai == a.ai) {
            return Err(ScanError::digital_link(
                format!("AI ({})", a.ai),
                "appears more than once",
            ));
        }
    }
    for (ai, entry) in &attributes {
        if !entry.dl_attribute {
            return Err(ScanError::digital_link(
                format!("AI ({ai})"),
                "is not allowed as a query attribute",
            ));
        }
        for position in 0..qualifiers.len() + 1 {
            let mut trial: Vec<&str> = qualifiers.clone();
            trial.insert(position, ai);
            if valid_sequence(key_entry, &trial) {
                return Err(ScanError::digital_link(
                    format!("AI ({ai})"),
                    format!("qualifies ({}) and belongs in the path", path_ais[0]),
                ));
            }
        }
    }
    Ok(ElementString { fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_resolves_to_its_gtin_and_attributes() {
        let parsed =
            parse("https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426").unwrap();
        assert_eq!(parsed.get("01"), Some("09520123456788"));
        assert_eq!(parsed.batch(), Some("ABC1"));
        assert_eq!(parsed.serial(), Some("12345"));
        assert_eq!(parsed.get("17"), Some("180426"));
    }

    #[test]
    fn a_stem_before_the_key_is_skipped() {
        let parsed =
            parse("https://brand.example.com/some-extra/pathinfo/01/9520123456788").unwrap();
        assert_eq!(parsed.get("01"), Some("09520123456788"));
    }

    #[test]
    fn qualifiers_must_keep_their_order() {
        let err = parse("https://a/01/12312312312333/10/ABC/22/X")
            .unwrap_err()
            .to_string();
        assert!(err.contains("may not be qualified"), "{err}");
    }

    #[test]
    fn a_qualifier_in_the_query_belongs_in_the_path() {
        let err = parse("https://example.com/01/09520123456788?10=ABC123")
            .unwrap_err()
            .to_string();
        assert!(err.contains("belongs in the path"), "{err}");
    }

    #[test]
    fn a_plain_web_address_has_no_key() {
        let err = parse("https://example.com/about").unwrap_err();
        assert!(
            matches!(err, ScanError::DigitalLink { ref field, .. } if field == "key"),
            "{err}"
        );
    }
}
