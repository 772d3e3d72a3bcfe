//! The receipt and printer cases, each with the value the case gives. (R-06 and
//! R-07, Bluetooth write sizes, belong to the transports of `kasir-devices`.)

mod common;

use kasir_escpos::doc::Block;
use kasir_escpos::encoder::{Encoder, qr_store};
use kasir_escpos::{
    CodePage, CodePageSlot, Document, PrinterProfile, Raster, ReceiptOptions, Style, receipt_bytes,
    receipt_document,
};
use unicode_width::UnicodeWidthStr;

const INIT: [u8; 2] = [0x1B, 0x40];

fn epson() -> PrinterProfile {
    PrinterProfile::by_name("epson-tm-t88").expect("built in")
}

/// The bytes after `ESC @`.
fn after_init(profile: &PrinterProfile, f: impl FnOnce(&mut Encoder<'_>)) -> Vec<u8> {
    let mut e = Encoder::new(profile);
    f(&mut e);
    let bytes = e.finish();
    assert_eq!(&bytes[..2], &INIT);
    bytes[2..].to_vec()
}

// R-01 ------------------------------------------------------------------------------------

#[test]
fn r01_text_goes_in_the_cp858_bytes_under_the_profiles_table_number() {
    let bytes = after_init(&epson(), |e| {
        e.line("bär 3€");
    });
    assert_eq!(
        bytes,
        [0x1B, 0x74, 0x13, 0x62, 0x84, 0x72, 0x20, 0x33, 0xD5, 0x0A]
    );
}

#[test]
fn r01_the_table_number_comes_from_the_profile_not_the_code_page() {
    let mut other = epson();
    other.code_pages = vec![
        CodePageSlot {
            page: CodePage::Cp437,
            table: 0,
        },
        CodePageSlot {
            page: CodePage::Cp858,
            table: 13,
        },
    ];
    let bytes = after_init(&other, |e| {
        e.line("bär 3€");
    });
    assert_eq!(
        bytes,
        [0x1B, 0x74, 0x0D, 0x62, 0x84, 0x72, 0x20, 0x33, 0xD5, 0x0A]
    );
}

#[test]
fn r01_through_windows_1252_the_umlaut_has_its_own_byte_not_0x84() {
    let mut only_1252 = epson();
    only_1252.code_pages = vec![CodePageSlot {
        page: CodePage::Windows1252,
        table: 16,
    }];
    let bytes = after_init(&only_1252, |e| {
        e.line("bär 3€");
    });
    // Windows-1252: ä = 0xE4, € = 0x80 (0x84 would print „).
    assert_eq!(
        bytes,
        [0x1B, 0x74, 0x10, 0x62, 0xE4, 0x72, 0x20, 0x33, 0x80, 0x0A]
    );
    assert_eq!(CodePage::Windows1252.decode(0x84), Some('„'));
}

#[test]
fn r01_a_character_missing_from_the_active_table_switches_to_one_that_has_it() {
    // "Ж" is only in CP866 (table 17), "€" in CP858 (19): no single table has both.
    let bytes = after_init(&epson(), |e| {
        e.line("Ж€");
    });
    // IBM866: Ж = 0x86.
    assert_eq!(
        bytes,
        [0x1B, 0x74, 0x11, 0x86, 0x1B, 0x74, 0x13, 0xD5, 0x0A]
    );
}

#[test]
fn r01_a_character_no_table_has_is_replaced_visibly_never_sent_as_utf8() {
    let mut text_only = PrinterProfile::generic();
    text_only.supports_raster = false;
    let bytes = after_init(&text_only, |e| {
        e.line("Pho 中 ok");
    });
    // 中 is two cells wide: two question marks keep the columns.
    assert_eq!(bytes, b"Pho ?? ok\n");
    let utf8 = "中".as_bytes();
    assert!(!bytes.windows(3).any(|w| w == utf8));
}

#[test]
fn r01_chinese_goes_as_gbk_double_bytes_on_a_printer_with_a_chinese_font() {
    let cn = PrinterProfile::by_name("xprinter-58-cn").expect("built in");
    let mut e = Encoder::new(&cn);
    e.line("茶 2");
    // ESC @, FS . (leave double-byte mode at start), FS & 茶 (B2 E8) FS ., " 2", LF.
    assert_eq!(
        e.finish(),
        [
            0x1B, 0x40, 0x1C, 0x2E, 0x1C, 0x26, 0xB2, 0xE8, 0x1C, 0x2E, 0x20, 0x32, 0x0A
        ]
    );
}

#[test]
fn r01_a_line_no_font_has_becomes_raster_text_where_the_printer_takes_images() {
    // Thai is in no code page of the generic profile, which prints raster images.
    let bytes = after_init(&PrinterProfile::generic(), |e| {
        e.line("ไก่ 2");
    });
    // 58 mm, 32 columns: 12 dots a cell; "ไก่ 2" is 4 cells = 48 dots = 6 bytes a row, and
    // Font A's 24 rows.
    assert_eq!(&bytes[..8], &[0x1D, 0x76, 0x30, 0x00, 6, 0, 24, 0]);
    assert_eq!(bytes.len(), 8 + 6 * 24);
    assert!(bytes[8..].iter().any(|b| *b != 0), "the glyphs are drawn");
}

// R-02 ------------------------------------------------------------------------------------

#[test]
fn r02_qr_store_length_is_k_plus_3_in_two_bytes() {
    let data = vec![b'A'; 340];
    let store = qr_store(&data);
    assert_eq!(
        &store[..8],
        &[0x1D, 0x28, 0x6B, 0x57, 0x01, 0x31, 0x50, 0x30]
    );
    assert_eq!(store.len(), 8 + 340);
    assert_eq!(&qr_store(&[b'A'; 252])[3..5], &[0xFF, 0x00]);
    assert_eq!(&qr_store(&[b'A'; 253])[3..5], &[0x00, 0x01]);
}

#[test]
fn r02_qr_data_beyond_the_printers_limit_goes_as_a_raster_image() {
    let cn = PrinterProfile::by_name("xprinter-58-cn").expect("built in");
    assert_eq!(cn.max_qr_bytes, 252);
    let native = after_init(&cn, |e| {
        e.qr(&"A".repeat(252), 4).expect("qr");
    });
    assert!(native.windows(3).any(|w| w == [0x1D, 0x28, 0x6B]));
    let raster = after_init(&cn, |e| {
        e.qr(&"A".repeat(253), 4).expect("qr");
    });
    assert!(!raster.windows(3).any(|w| w == [0x1D, 0x28, 0x6B]));
    assert_eq!(&raster[2..5], &[0x1D, 0x76, 0x30]);
}

#[test]
fn r02_data_too_long_for_any_qr_code_is_an_error_not_a_silent_skip() {
    let generic = PrinterProfile::generic();
    let mut e = Encoder::new(&generic);
    let err = e.qr(&"x".repeat(4000), 4).expect_err("too long");
    assert!(err.to_string().starts_with("QR code: "), "{err}");
}

// R-03 ------------------------------------------------------------------------------------

#[test]
fn r03_a_288_row_logo_goes_in_bands_of_255_and_33_rows() {
    let mut logo = Raster::new(384, 288);
    for y in 0..288 {
        logo.set(y % 384, y);
    }
    let bytes = logo.gs_v0();
    assert_eq!(
        &bytes[..8],
        &[0x1D, 0x76, 0x30, 0x00, 0x30, 0x00, 0xFF, 0x00]
    );
    let second = 8 + 12_240;
    assert_eq!(
        &bytes[second..second + 8],
        &[0x1D, 0x76, 0x30, 0x00, 0x30, 0x00, 0x21, 0x00]
    );
    assert_eq!(bytes.len(), second + 8 + 1_584);
    assert_eq!(12_240 + 1_584, 13_824);
    // Row 255 (the first of the second band) has its dot at x = 255: byte 31, bit 0.
    assert_eq!(bytes[second + 8 + 31], 0x01);
}

// R-04 ------------------------------------------------------------------------------------

#[test]
fn r04_a_220_dot_wide_image_has_28_bytes_a_row_and_white_padding() {
    let mut img = image::GrayImage::from_pixel(220, 220, image::Luma([255]));
    for y in 0..220 {
        img.put_pixel(219, y, image::Luma([0]));
        img.put_pixel(y % 220, y, image::Luma([0]));
    }
    let raster = Raster::from_image(&image::DynamicImage::ImageLuma8(img), 576);
    let bytes = raster.gs_v0();
    assert_eq!(
        &bytes[..8],
        &[0x1D, 0x76, 0x30, 0x00, 0x1C, 0x00, 0xDC, 0x00]
    );
    let data = &bytes[8..];
    assert_eq!(data.len(), 6_160);
    for y in 0..220 {
        let row = &data[y * 28..(y + 1) * 28];
        // x = 219: byte 27, bit 7 - 3 = 4; the last four bits are padding.
        assert_eq!(row[27] & 0x1F, 0x10, "row {y}");
        // The diagonal dot x = y.
        assert_ne!(row[y / 8] & (0x80 >> (y % 8)), 0, "row {y}");
    }
}

// R-05 ------------------------------------------------------------------------------------

fn name_lines(profile: &str) -> Vec<String> {
    let mut store = common::store();
    store.name = "Saltspring Bakery".into();
    let profile = PrinterProfile::by_name(profile).expect("built in");
    let doc = receipt_document(
        &common::small_sale(),
        &store,
        &ReceiptOptions::default(),
        &profile,
    )
    .expect("layout");
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text { text, style, .. } if style.width == 2 => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn r05_a_17_character_name_wraps_at_the_space_at_double_width_on_58_mm() {
    assert_eq!(name_lines("generic-58"), ["Saltspring", "Bakery"]);
}

#[test]
fn r05_the_same_name_stays_on_one_line_on_80_mm() {
    assert_eq!(name_lines("generic-80"), ["Saltspring Bakery"]);
}

#[test]
fn r05_each_wrapped_piece_is_its_own_printed_line() {
    let mut store = common::store();
    store.name = "Saltspring Bakery".into();
    let bytes = receipt_bytes(
        &common::small_sale(),
        &store,
        &ReceiptOptions::default(),
        &PrinterProfile::generic(),
    )
    .expect("bytes");
    // Centred, bold, double width and height, then the two pieces each ended by LF.
    let expected: Vec<u8> = [
        &[0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01, 0x1D, 0x21, 0x11][..],
        b"Saltspring\nBakery\n",
    ]
    .concat();
    assert_eq!(&bytes[2..2 + expected.len()], &expected[..]);
}

#[test]
fn r05_no_line_is_wider_than_the_columns_over_the_width_multiplier() {
    let mut store = common::store();
    store.name = "Toko Roti dan Kue Bu Sri 日本の店".into();
    store.address = vec!["Jalan Panjang Sekali Nomor 123456789012345678901234567890".into()];
    for profile in PrinterProfile::built_in() {
        let doc = receipt_document(
            &common::cafe_sale(),
            &store,
            &ReceiptOptions::default(),
            &profile,
        )
        .expect("layout");
        for block in &doc.blocks {
            if let Block::Text { text, style, .. } = block {
                assert!(
                    text.width() * usize::from(style.width) <= doc.columns,
                    "{} {text:?}",
                    profile.name
                );
            }
        }
    }
    // Double width halves the columns of a line.
    let doc = Document::new(kasir_escpos::Font::A, 32);
    assert_eq!(doc.columns_at(Style::LARGE), 16);
}
