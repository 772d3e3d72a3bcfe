//! Text measured in display cells: a Thai or CJK name is not as wide as its byte or char
//! count, and an East Asian wide character takes two cells.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The width of `text` in display cells.
pub fn cells(text: &str) -> usize {
    text.width()
}

/// `text` cut to at most `width` display cells.
pub fn truncate(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out
}

/// `text` padded with spaces on the right to `width` cells (cut if longer).
pub fn pad_right(text: &str, width: usize) -> String {
    let cut = truncate(text, width);
    let fill = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(fill))
}

/// `text` padded with spaces on the left to `width` cells (never cut).
pub fn pad_left(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(text.width())))
}

/// `left` and `right` on one line of `width` cells, `left` cut to leave room for `right`.
pub fn two_columns(left: &str, right: &str, width: usize) -> String {
    let room = width.saturating_sub(right.width() + 1);
    let left = truncate(left, room);
    let gap = width.saturating_sub(left.width() + right.width()).max(1);
    format!("{left}{}{right}", " ".repeat(gap))
}

/// `left` and `right` like [`two_columns`], but `left` is never cut: what does not fit beside
/// `right` goes on to further lines, indented by two cells (a word longer than a line is
/// broken between characters).
pub fn two_columns_wrapped(left: &str, right: &str, width: usize) -> Vec<String> {
    let room = width.saturating_sub(right.width() + 1);
    if left.width() <= room {
        return vec![two_columns(left, right, width)];
    }
    // With single spaces, the first wrapped line is a prefix of the text (a word too long for
    // the line is broken, not joined), so the rest is what follows it.
    let left = left.split_whitespace().collect::<Vec<_>>().join(" ");
    let first = wrap(&left, room).into_iter().next().unwrap_or_default();
    let rest = left.get(first.len()..).unwrap_or_default();
    let mut out = vec![two_columns(&first, right, width)];
    for line in wrap(rest, width.saturating_sub(2)) {
        out.push(format!("  {line}"));
    }
    out
}

/// `text` centred in `width` cells (spaces on the left only).
pub fn centre(text: &str, width: usize) -> String {
    let cut = truncate(text, width);
    let left = (width.saturating_sub(cut.width())) / 2;
    format!("{}{cut}", " ".repeat(left))
}

/// `text` wrapped at word boundaries into lines of at most `width` cells; a word longer than
/// a line is broken between characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.width() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head = truncate(&word, width);
            word = word[head.len()..].to_string();
            lines.push(head);
        }
        let needed = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_count_as_two_cells() {
        assert_eq!(pad_right("日本", 6).width(), 6);
        assert_eq!(truncate("日本語", 5), "日本");
        assert_eq!(
            two_columns("Teh Botol", "4.000", 20),
            "Teh Botol      4.000"
        );
        assert_eq!(two_columns("日本語の商品名です", "4.000", 12).width(), 12);
        assert_eq!(pad_left("4.000", 8), "   4.000");
    }

    #[test]
    fn two_wrapped_columns_keep_all_of_the_left_text() {
        assert_eq!(
            two_columns_wrapped("QRIS SIMQ-1", "30.000", 20),
            vec!["QRIS SIMQ-1   30.000"]
        );
        let reference = "DANA-20261204-0001234567890123456789";
        for width in 16..=80 {
            let lines = two_columns_wrapped(&format!("QRIS {reference}"), "1.250.000", width);
            assert!(lines[0].ends_with(" 1.250.000"), "{width}: {lines:?}");
            assert!(
                lines.iter().all(|l| l.width() <= width),
                "{width}: {lines:?}"
            );
            let joined: String = lines
                .iter()
                .flat_map(|l| l.trim_end_matches("1.250.000").split_whitespace())
                .collect();
            assert_eq!(joined, format!("QRIS{reference}"), "{width}: {lines:?}");
        }
    }

    #[test]
    fn wrapping_breaks_at_words() {
        assert_eq!(
            wrap("Abc Mie Selera Asal Ayam Bawang", 12),
            vec!["Abc Mie", "Selera Asal", "Ayam Bawang"]
        );
        assert_eq!(
            wrap("Supercalifragilistic", 8),
            vec!["Supercal", "ifragili", "stic"]
        );
        assert!(wrap("เดลฟี่ ท็อป คาราเมล", 10).iter().all(|l| l.width() <= 10));
    }

    #[test]
    fn a_wide_word_breaks_between_characters_not_inside_one() {
        // Seven ideographs are 14 cells; at 5 cells a line each line holds two (4 cells).
        assert_eq!(
            wrap("北京烤鸭套餐饭", 5),
            vec!["北京", "烤鸭", "套餐", "饭"]
        );
    }
}
