//! Content checks ("linters") that the GS1 syntax dictionary names per component.
//!
//! Each takes one component's text, already checked for its character set and length, and
//! says what is wrong with it. Linters that need reference tables Kasir does not carry (GS1
//! Company Prefix positions, ISO country and currency code lists, IBAN, coupon layouts) accept
//! any value of the right shape.
// TODO: check ISO 3166 and ISO 4217 codes against their lists; a retail checkout never relies
// on them (they appear in logistics AIs and 393n, whose currency Kasir compares by number).

/// Runs the linter `name` over `text`.
pub fn check(name: &str, text: &str) -> Result<(), String> {
    match name {
        "csum" => check_digit(text),
        "yymmd0" => date(text, true),
        "yymmdd" => date(text, false),
        "yyyymmdd" => full_date(text),
        "hhmi" => clock(text, &[23, 59]),
        "hh" => clock(text, &[23]),
        "mi" | "ss" => clock(text, &[59]),
        "zero" => expect(text == "0", || format!("`{text}` must be 0")),
        "nonzero" => expect(text.bytes().any(|b| b != b'0'), || {
            format!("`{text}` must not be zero")
        }),
        "nozeroprefix" => expect(text == "0" || !text.starts_with('0'), || {
            format!("`{text}` must not start with 0")
        }),
        "yesno" => expect(matches!(text, "0" | "1"), || {
            format!("`{text}` must be 0 (no) or 1 (yes)")
        }),
        "winding" => expect(matches!(text, "0" | "1" | "9"), || {
            format!("`{text}` must be 0, 1 or 9")
        }),
        "iso5218" => expect(matches!(text, "0" | "1" | "2" | "9"), || {
            format!("`{text}` is not an ISO 5218 sex code (0, 1, 2, 9)")
        }),
        "hyphen" => expect(text.chars().all(|c| c == '-'), || {
            format!("`{text}` must be a hyphen")
        }),
        "hasnondigit" => expect(text.bytes().any(|b| !b.is_ascii_digit()), || {
            format!("`{text}` must contain a character that is not a digit")
        }),
        "pieceoftotal" => piece_of_total(text),
        "latitude" => within(text, 1_800_000_000, "latitude"),
        "longitude" => within(text, 3_600_000_000, "longitude"),
        "pcenc" => percent_encoding(text),
        "posinseqslash" => position_in_sequence(text),
        _ => Ok(()),
    }
}

fn expect(ok: bool, reason: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(reason()) }
}

fn digits(text: &str) -> Vec<u32> {
    text.bytes()
        .map(|b| u32::from(b.wrapping_sub(b'0')))
        .collect()
}

/// The GS1 mod-10 check digit over the digits before the last.
fn check_digit(text: &str) -> Result<(), String> {
    let d = digits(text);
    let Some((last, data)) = d.split_last() else {
        return Err("is empty".into());
    };
    let sum: u32 = data
        .iter()
        .rev()
        .enumerate()
        .map(|(i, v)| v * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    let expected = (10 - sum % 10) % 10;
    expect(*last == expected, || {
        format!("`{text}` has check digit {last}, but it must be {expected}")
    })
}

fn two(text: &str, at: usize) -> u32 {
    let d = digits(&text[at..at + 2]);
    d[0] * 10 + d[1]
}

/// Days in `month` of a year that is a leap year when `leap`.
pub(crate) fn days_in_month(month: u32, leap: bool) -> u32 {
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn date(text: &str, day_zero: bool) -> Result<(), String> {
    let (yy, month, day) = (two(text, 0), two(text, 2), two(text, 4));
    // The century is decided when the date is used; 20YY is leap exactly when YY is.
    check_day(text, month, day, yy % 4 == 0, day_zero)
}

fn full_date(text: &str) -> Result<(), String> {
    let year = two(text, 0) * 100 + two(text, 2);
    let (month, day) = (two(text, 4), two(text, 6));
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    check_day(text, month, day, leap, false)
}

fn check_day(text: &str, month: u32, day: u32, leap: bool, day_zero: bool) -> Result<(), String> {
    if !(1..=12).contains(&month) {
        return Err(format!("`{text}` has month {month:02}"));
    }
    if (day == 0 && !day_zero) || day > days_in_month(month, leap) {
        return Err(format!("`{text}` has day {day:02} in month {month:02}"));
    }
    Ok(())
}

fn clock(text: &str, limits: &[u32]) -> Result<(), String> {
    for (i, limit) in limits.iter().enumerate() {
        let value = two(text, i * 2);
        if value > *limit {
            return Err(format!("`{text}` is not a valid time"));
        }
    }
    Ok(())
}

fn piece_of_total(text: &str) -> Result<(), String> {
    let (piece, total) = (two(text, 0), two(text, 2));
    expect(piece >= 1 && total >= 1 && piece <= total, || {
        format!("`{text}`: piece {piece} of {total} is impossible")
    })
}

fn within(text: &str, max: u64, what: &str) -> Result<(), String> {
    let value: u64 = text.parse().unwrap_or(u64::MAX);
    expect(value <= max, || format!("`{text}` is not a {what}"))
}

fn percent_encoding(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let ok = bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit();
            if !ok {
                return Err(format!("`{text}` has a bad percent escape"));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

fn position_in_sequence(text: &str) -> Result<(), String> {
    let ok = match text.split_once('/') {
        Some((p, s)) => match (p.parse::<u32>(), s.parse::<u32>()) {
            (Ok(p), Ok(s)) => p >= 1 && p <= s,
            _ => false,
        },
        None => false,
    };
    expect(ok, || {
        format!("`{text}` is not a position in a sequence (P/S)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_use_gs1_weights() {
        assert!(check("csum", "12345678901231").is_ok());
        let err = check("csum", "12345678901234").unwrap_err();
        assert!(err.contains("must be 1"), "{err}");
    }

    #[test]
    fn day_zero_is_allowed_only_where_the_dictionary_says() {
        assert!(check("yymmd0", "261200").is_ok());
        assert!(check("yymmdd", "261200").is_err());
        assert!(check("yymmdd", "240229").is_ok());
        assert!(check("yymmdd", "250229").is_err());
        assert!(check("yymmdd", "251301").is_err());
        assert!(check("yyyymmdd", "19000229").is_err());
        assert!(check("yyyymmdd", "20000229").is_ok());
    }

    #[test]
    fn small_linters() {
        assert!(check("hhmi", "2359").is_ok());
        assert!(check("hhmi", "2400").is_err());
        assert!(check("pieceoftotal", "0102").is_ok());
        assert!(check("pieceoftotal", "0302").is_err());
        assert!(check("nonzero", "000").is_err());
        assert!(check("nozeroprefix", "012").is_err());
        assert!(check("pcenc", "a%2Fb").is_ok());
        assert!(check("pcenc", "a%2").is_err());
        assert!(check("posinseqslash", "1/3").is_ok());
        assert!(check("posinseqslash", "4/3").is_err());
    }
}
