//! The GS1 Barcode Syntax Dictionary, embedded and parsed once.
//!
//! `data/gs1-syntax-dictionary.txt` is GS1's own machine-readable table of Application
//! Identifiers (Apache-2.0, see `data/README.md`): for each AI or range of AIs, whether its
//! length is predefined (no FNC1 separator needed after it), the components of its value
//! (character set, length, optional or not, content checks called linters), the AIs it
//! requires or excludes, and its role in GS1 Digital Link URIs. Kasir validates against the
//! file itself rather than a transcription, so updating GS1's table is a file copy.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::error::ScanError;
use crate::gs1::linters;

const DICTIONARY: &str = include_str!("../../data/gs1-syntax-dictionary.txt");

/// The character set of a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `N`: digits.
    Numeric,
    /// `X`: GS1 character set 82 (ISO 646 invariant subset).
    Cset82,
    /// `Y`: GS1 character set 39 (upper-case letters, digits, `#`, `-`, `/`).
    Cset39,
    /// `Z`: base64url (character set 64).
    Cset64,
}

const CSET82: &str =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const CSET39: &str = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

impl Charset {
    fn parse(letter: char) -> Option<Charset> {
        match letter {
            'N' => Some(Charset::Numeric),
            'X' => Some(Charset::Cset82),
            'Y' => Some(Charset::Cset39),
            'Z' => Some(Charset::Cset64),
            _ => None,
        }
    }

    /// Whether `c` belongs to the set.
    pub fn contains(self, c: char) -> bool {
        match self {
            Charset::Numeric => c.is_ascii_digit(),
            Charset::Cset82 => CSET82.contains(c),
            Charset::Cset39 => CSET39.contains(c),
            Charset::Cset64 => c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=',
        }
    }

    /// The set's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Charset::Numeric => "digits",
            Charset::Cset82 => "GS1 character set 82",
            Charset::Cset39 => "GS1 character set 39",
            Charset::Cset64 => "base64url",
        }
    }
}

/// One component of an AI's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Its character set.
    pub charset: Charset,
    /// Fewest characters.
    pub min: usize,
    /// Most characters.
    pub max: usize,
    /// Whether it may be left out (only at the end of the value).
    pub optional: bool,
    /// Names of the content checks applied to it.
    pub linters: Vec<String>,
}

/// One line of the dictionary: an AI or a range of AIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The first AI of the range.
    pub first: String,
    /// The last AI of the range (equal to `first` for a single AI).
    pub last: String,
    /// Whether the value has a predefined length, so no FNC1 separator follows it.
    pub predefined_length: bool,
    /// Whether the AI may appear as a GS1 Digital Link query attribute.
    pub dl_attribute: bool,
    /// The value's components, in order.
    pub components: Vec<Component>,
    /// Requirements: each inner list is one `req=` attribute, satisfied when one of its
    /// alternatives (a list of AI patterns that must all be present) is.
    pub requires: Vec<Vec<Vec<String>>>,
    /// AI patterns that must not appear with it (`n` matches any digit).
    pub excludes: Vec<String>,
    /// As a Digital Link primary key: the alternative ordered lists of key qualifiers.
    pub dl_key: Option<Vec<Vec<String>>>,
    /// GS1's short title, for example `BATCH/LOT`.
    pub title: String,
}

impl Entry {
    /// The most characters a value may have.
    pub fn max_length(&self) -> usize {
        self.components.iter().map(|c| c.max).sum()
    }

    /// The characters a value has at least (its mandatory components at their minimum).
    pub fn min_length(&self) -> usize {
        self.components
            .iter()
            .filter(|c| !c.optional)
            .map(|c| c.min)
            .sum()
    }

    /// The length of the mandatory components at their maximum: a longer value has its
    /// optional part present.
    pub fn mandatory_max_length(&self) -> usize {
        self.components
            .iter()
            .filter(|c| !c.optional)
            .map(|c| c.max)
            .sum()
    }

    /// Checks `value` of `ai` against the components: lengths, character sets and linters.
    pub fn check_value(&self, ai: &str, value: &str) -> Result<(), ScanError> {
        let field = format!("AI ({ai})");
        if value.is_empty() {
            return Err(ScanError::gs1(field, "the value is empty"));
        }
        let chars: Vec<char> = value.chars().collect();
        let mut position = 0;
        for (index, component) in self.components.iter().enumerate() {
            let remaining = chars.len() - position;
            if remaining == 0 && component.optional {
                break;
            }
            let take = remaining.min(component.max);
            if take < component.min {
                let reason = if index == 0 && self.components.len() == 1 {
                    format!(
                        "`{value}` has {} characters; {} needs {}",
                        chars.len(),
                        self.title,
                        length_text(component.min, component.max)
                    )
                } else {
                    format!(
                        "`{value}` is too short: part {} needs {}",
                        index + 1,
                        length_text(component.min, component.max)
                    )
                };
                return Err(ScanError::gs1(field, reason));
            }
            let part: String = chars[position..position + take].iter().collect();
            if let Some(bad) = part.chars().find(|c| !component.charset.contains(*c)) {
                return Err(ScanError::gs1(
                    field,
                    format!(
                        "`{}` is not allowed in {} ({} only)",
                        bad.escape_default(),
                        self.title,
                        component.charset.name()
                    ),
                ));
            }
            for linter in &component.linters {
                linters::check(linter, &part).map_err(|reason| {
                    if linter == "csum" {
                        ScanError::CheckDigit {
                            field: field.clone(),
                            reason,
                        }
                    } else {
                        ScanError::gs1(field.clone(), reason)
                    }
                })?;
            }
            position += take;
        }
        if position < chars.len() {
            return Err(ScanError::gs1(
                field,
                format!(
                    "`{value}` has {} characters; {} takes at most {}",
                    chars.len(),
                    self.title,
                    self.max_length()
                ),
            ));
        }
        Ok(())
    }
}

fn length_text(min: usize, max: usize) -> String {
    if min == max {
        format!("{min} characters")
    } else {
        format!("{min} to {max} characters")
    }
}

/// The whole dictionary, with a lookup from every AI to its entry.
#[derive(Debug)]
pub struct Dictionary {
    entries: Vec<Entry>,
    by_ai: HashMap<String, usize>,
}

/// Whether `ai` matches `pattern`, where `n` in the pattern stands for any digit.
pub fn matches_pattern(ai: &str, pattern: &str) -> bool {
    ai.len() == pattern.len()
        && ai
            .bytes()
            .zip(pattern.bytes())
            .all(|(a, p)| p == b'n' || a == p)
}

impl Dictionary {
    /// The embedded dictionary, parsed on first use.
    pub fn gs1() -> &'static Dictionary {
        static PARSED: OnceLock<Dictionary> = OnceLock::new();
        PARSED.get_or_init(|| {
            // The file is part of the binary and covered by tests, so a parse failure is a
            // build defect, not an input error.
            Dictionary::parse(DICTIONARY).expect("the embedded GS1 syntax dictionary parses")
        })
    }

    /// Parses dictionary text in GS1's format.
    pub fn parse(text: &str) -> Result<Dictionary, ScanError> {
        let mut entries = Vec::new();
        let mut by_ai = HashMap::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = parse_entry(line).map_err(|reason| {
                ScanError::gs1("dictionary", format!("line {}: {reason}", number + 1))
            })?;
            let width = entry.first.len();
            let first: u32 = entry.first.parse().unwrap_or(0);
            let last: u32 = entry.last.parse().unwrap_or(0);
            for ai in first..=last {
                by_ai.insert(format!("{ai:0width$}"), entries.len());
            }
            entries.push(entry);
        }
        Ok(Dictionary { entries, by_ai })
    }

    /// The entry of `ai` (2 to 4 digits), if GS1 defines it.
    pub fn entry(&self, ai: &str) -> Option<&Entry> {
        self.by_ai.get(ai).map(|i| &self.entries[*i])
    }

    /// Every entry, in the file's order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every defined AI.
    pub fn ais(&self) -> impl Iterator<Item = &str> {
        self.by_ai.keys().map(String::as_str)
    }

    /// The AI that starts `data`: the 2, 3 or 4 leading digits that name a defined AI. The
    /// AI table is prefix-free, so at most one length matches.
    pub fn ai_at_start<'d>(&self, data: &'d str) -> Option<(&'d str, &Entry)> {
        (2..=4).find_map(|len| {
            let ai = data.get(..len)?;
            if !ai.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            self.entry(ai).map(|e| (ai, e))
        })
    }
}

fn parse_entry(line: &str) -> Result<Entry, String> {
    let (body, title) = match line.split_once('#') {
        Some((b, t)) => (b, t.trim().to_string()),
        None => (line, String::new()),
    };
    let mut tokens = body.split_whitespace().peekable();
    let ais = tokens.next().ok_or("no AI")?;
    let (first, last) = match ais.split_once('-') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (ais.to_string(), ais.to_string()),
    };
    if first.len() != last.len()
        || !(2..=4).contains(&first.len())
        || !first
            .bytes()
            .chain(last.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(format!("`{ais}` is not an AI or a range of AIs"));
    }
    let mut flags = "";
    if let Some(token) = tokens.peek()
        && !token.starts_with(['N', 'X', 'Y', 'Z', '['])
    {
        flags = token;
        tokens.next();
    }

    let mut components = Vec::new();
    let mut requires = Vec::new();
    let mut excludes = Vec::new();
    let mut dl_key = None;
    for token in tokens {
        if token.starts_with(['N', 'X', 'Y', 'Z', '[']) && !token.contains('=') {
            components.push(parse_component(token)?);
        } else if let Some(list) = token.strip_prefix("req=") {
            requires.push(
                list.split(',')
                    .map(|alt| alt.split('+').map(str::to_string).collect())
                    .collect(),
            );
        } else if let Some(list) = token.strip_prefix("ex=") {
            excludes.extend(list.split(',').map(str::to_string));
        } else if token == "dlpkey" {
            dl_key = Some(vec![Vec::new()]);
        } else if let Some(list) = token.strip_prefix("dlpkey=") {
            dl_key = Some(
                list.split('|')
                    .map(|alt| alt.split(',').map(str::to_string).collect())
                    .collect(),
            );
        }
        // Other attributes (for example `ex` variants added later) do not affect reading.
    }
    if components.is_empty() {
        return Err(format!("AI {ais} has no components"));
    }
    Ok(Entry {
        first,
        last,
        predefined_length: flags.contains('*'),
        dl_attribute: flags.contains('?'),
        components,
        requires,
        excludes,
        dl_key,
        title,
    })
}

fn parse_component(token: &str) -> Result<Component, String> {
    let (kind, linters) = match token.split_once(',') {
        Some((k, l)) => (k, l.split(',').map(str::to_string).collect()),
        None => (token, Vec::new()),
    };
    let (kind, optional) = match kind.strip_prefix('[') {
        Some(inner) => (
            inner
                .strip_suffix(']')
                .ok_or_else(|| format!("`{token}`: unclosed ["))?,
            true,
        ),
        None => (kind, false),
    };
    let mut chars = kind.chars();
    let charset = chars
        .next()
        .and_then(Charset::parse)
        .ok_or_else(|| format!("`{token}`: unknown character set"))?;
    let length = chars.as_str();
    let number = |s: &str| {
        s.parse::<usize>()
            .map_err(|_| format!("`{token}`: bad length"))
    };
    let (min, max) = match length.split_once("..") {
        Some(("", max)) => (1, number(max)?),
        Some((min, max)) => (number(min)?, number(max)?),
        None => {
            let n = number(length)?;
            (n, n)
        }
    };
    Ok(Component {
        charset,
        min,
        max,
        optional,
        linters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_dictionary_parses_whole() {
        let dictionary = Dictionary::gs1();
        // The file's README counts 224 entries.
        assert_eq!(dictionary.entries().len(), 224);
        let gtin = dictionary.entry("01").unwrap();
        assert!(gtin.predefined_length);
        assert_eq!(gtin.max_length(), 14);
        assert_eq!(gtin.title, "GTIN");
        let batch = dictionary.entry("10").unwrap();
        assert!(!batch.predefined_length);
        assert_eq!((batch.components[0].min, batch.max_length()), (1, 20));
        assert!(dictionary.entry("3103").unwrap().predefined_length);
        assert!(dictionary.entry("3106").is_none());
        assert_eq!(dictionary.entry("95").unwrap().title, "INTERNAL");
    }

    #[test]
    fn ais_are_prefix_free() {
        // Reading an AI off the front of data relies on no AI being a prefix of another.
        let dictionary = Dictionary::gs1();
        let ais: Vec<&str> = dictionary.ais().collect();
        for a in &ais {
            for b in &ais {
                assert!(a == b || !b.starts_with(a), "({a}) is a prefix of ({b})");
            }
        }
    }

    #[test]
    fn ai_length_comes_from_the_table() {
        // Case B-06: 241 is an AI, 24 is not.
        let (ai, entry) = Dictionary::gs1().ai_at_start("241ABC1234").unwrap();
        assert_eq!(ai, "241");
        assert_eq!(entry.title, "CUST. PART No.");
        assert!(Dictionary::gs1().ai_at_start("891234").is_none());
    }

    #[test]
    fn patterns_match_digits_for_n() {
        assert!(matches_pattern("3925", "392n"));
        assert!(matches_pattern("3100", "31nn"));
        assert!(!matches_pattern("3100", "392n"));
        assert!(!matches_pattern("01", "011"));
    }
}
