//! Golden bytes of the encoder, written out by hand from the ESC/POS command reference, and
//! properties of the layout that hold for any text.

use kasir_escpos::text::wrap;
use kasir_escpos::{Align, Document, Font, PrinterProfile, Style, encode, test_page};
use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

#[test]
fn a_small_slip_encodes_to_the_commands_written_out_by_hand() {
    let mut doc = Document::new(Font::A, 16);
    doc.styled("KASIR".into(), Align::Centre, Style::LARGE);
    doc.rule();
    doc.styled("Total".into(), Align::Left, Style::BOLD);
    doc.styled(
        "ok".into(),
        Align::Right,
        Style {
            underline: true,
            ..Style::NORMAL
        },
    );
    doc.cut = true;
    doc.open_drawer = true;

    let bytes = encode(&doc, &PrinterProfile::generic()).expect("encode");

    let expected: Vec<u8> = [
        &[0x1B, 0x40][..],   // ESC @
        &[0x1B, 0x61, 0x01], // ESC a 1: centre
        &[0x1B, 0x45, 0x01], // ESC E 1: bold
        &[0x1D, 0x21, 0x11], // GS ! 0x11: double width and height
        b"KASIR\n",
        &[0x1B, 0x61, 0x00], // left
        &[0x1B, 0x45, 0x00], // bold off
        &[0x1D, 0x21, 0x00], // normal size
        b"----------------\n",
        &[0x1B, 0x45, 0x01],
        b"Total\n",
        &[0x1B, 0x61, 0x02], // ESC a 2: right
        &[0x1B, 0x45, 0x00],
        &[0x1B, 0x2D, 0x01], // ESC - 1: underline
        b"ok\n",
        &[0x1B, 0x2D, 0x00],
        &[0x1B, 0x61, 0x00],
        &[0x1D, 0x56, 0x42, 0x03],       // GS V 66 3: feed and partial cut
        &[0x1B, 0x70, 0x00, 0x19, 0xFA], // ESC p 0: drawer pin 2, 50 ms / 500 ms
    ]
    .concat();
    assert_eq!(bytes, expected);
}

#[test]
fn a_printer_without_a_cutter_gets_a_feed_to_tear_at() {
    let cn = PrinterProfile::by_name("xprinter-58-cn").expect("built in");
    let mut doc = Document::new(Font::A, 32);
    doc.cut = true;
    let bytes = encode(&doc, &cn).expect("encode");
    assert_eq!(bytes, [0x1B, 0x40, 0x1C, 0x2E, 0x1B, 0x64, 0x04]);
}

#[test]
fn the_test_page_names_the_profile_rules_both_fonts_and_cuts() {
    let epson = PrinterProfile::by_name("epson-tm-t88").expect("built in");
    let page = test_page(&epson);
    assert_eq!(&page[..2], &[0x1B, 0x40]);
    assert!(page.windows(12).any(|w| w == b"epson-tm-t88"));
    let ruler_b: Vec<u8> = (1..=64u8).map(|i| b'0' + i % 10).collect();
    assert!(page.windows(64).any(|w| w == &ruler_b[..]));
    assert!(
        page.windows(3).any(|w| w == [0x1B, 0x4D, 0x01]),
        "font B selected"
    );
    assert!(page.ends_with(&[0x1D, 0x56, 0x42, 0x03]));
}

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Nasi",
        "Goreng",
        "Spesial",
        "Saltspring",
        "Bakery",
        "北京烤鸭",
        "ราคา",
        "Müller",
        "Supercalifragilisticexpialidocious",
        "日本語の商品名",
        "Es",
        "teh",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #[test]
    fn no_wrapped_line_is_wider_than_its_columns_and_no_word_is_lost(
        words in prop::collection::vec(word(), 1..8),
        columns in 8usize..48,
        double in any::<bool>(),
    ) {
        let text = words.join(" ");
        let style = if double { Style::LARGE } else { Style::NORMAL };
        let mut doc = Document::new(Font::A, columns);
        doc.wrapped(&text, Align::Centre, style);
        let room = columns / usize::from(style.width);
        let mut joined = String::new();
        for block in &doc.blocks {
            if let kasir_escpos::Block::Text { text, .. } = block {
                prop_assert!(text.width() <= room.max(2), "{text:?} over {room}");
                joined.push_str(text);
            }
        }
        let squeezed: String = text.split_whitespace().collect();
        let got: String = joined.split_whitespace().collect();
        prop_assert_eq!(got, squeezed);
        prop_assert_eq!(wrap(&text, room).len(), doc.blocks.len());
    }
}
