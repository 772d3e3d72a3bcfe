//! The shared receipt as a PNG and a PDF: the picture decodes, is 80 mm wide and has ink where
//! the lines are; the PDF's text, as poppler's `pdftotext` reads it, is the receipt's lines.

#[path = "../../escpos/tests/common/mod.rs"]
mod common;

use std::process::Command;

use kasir_domain::money::Locale;
use kasir_escpos::{PrinterProfile, QrPayload, ReceiptOptions, receipt_text};
use kasir_render::{RenderError, file_name, receipt_pdf, receipt_png};

fn columns(n: u16) -> ReceiptOptions {
    ReceiptOptions {
        columns: Some(n),
        ..ReceiptOptions::default()
    }
}

fn decode(png: &[u8]) -> image::GrayImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("a PNG that decodes")
        .to_luma8()
}

/// Whether any pixel in the rectangle `x0..x1` by `y0..y1` is darker than half grey.
fn ink(img: &image::GrayImage, (x0, x1): (u32, u32), (y0, y1): (u32, u32)) -> bool {
    (y0..y1).any(|y| (x0..x1).any(|x| img.get_pixel(x, y).0[0] < 128))
}

/// Runs one of poppler's programs on `pdf`; the test fails, never skips, without it.
fn poppler(program: &str, pdf: &[u8], args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("receipt.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let out = Command::new(program)
        .args(args)
        .arg(&path)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "`{program}` (Debian package poppler-utils, see scripts/setup.sh) is needed: {e}"
            )
        });
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from poppler")
}

/// The lines of `text` that have characters, each with its runs of spaces as one.
fn words_by_line(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// The plain-text receipt's lines as the PDF must carry them: the `[QR]` note is the code
/// itself on the page.
fn expected_lines(
    sale: &kasir_domain::sale::Sale,
    store: &kasir_domain::settings::StoreSettings,
    options: &ReceiptOptions,
) -> Vec<String> {
    let profile = PrinterProfile::by_name("generic-80").expect("built in");
    let text = receipt_text(sale, store, options, &profile).expect("text");
    words_by_line(&text)
        .into_iter()
        .filter(|l| l != "[QR]")
        .collect()
}

#[test]
fn the_png_is_80_mm_wide_and_as_long_as_its_lines() {
    // 48 columns on 576 printed dots: 12-dot cells, 24-dot lines. The small sale has 20 lines,
    // of which the store's name and the total are double height: 18 x 24 + 2 x 48 = 528 dots,
    // and 24 dots of paper above and below.
    let png = receipt_png(&common::small_sale(), &common::store(), &columns(48)).expect("png");

    let img = decode(&png);

    assert_eq!((img.width(), img.height()), (640, 576));
}

#[test]
fn the_png_has_ink_on_each_line_and_white_paper_around_them() {
    let png = receipt_png(&common::small_sale(), &common::store(), &columns(48)).expect("png");
    let img = decode(&png);
    let (left, right) = (32, 608);

    // The margins are white.
    assert!(!ink(&img, (0, 640), (0, 24)), "top margin");
    assert!(!ink(&img, (0, 640), (552, 576)), "bottom margin");
    assert!(!ink(&img, (0, left), (0, 576)), "left margin");
    assert!(!ink(&img, (right, 640), (0, 576)), "right margin");
    // Every line has ink: the name 24..72, nine lines to 288, the total 288..336, then nine
    // lines of 24 dots to 552.
    let mut bands = vec![(24, 72)];
    bands.extend((0..9).map(|i| (72 + 24 * i, 96 + 24 * i)));
    bands.push((288, 336));
    bands.extend((0..9).map(|i| (336 + 24 * i, 360 + 24 * i)));
    for band in &bands {
        assert!(ink(&img, (left, right), *band), "no ink in rows {band:?}");
    }
    // `TOTAL` at the left and `Rp 10.500` at the right end of its double-height line.
    assert!(ink(&img, (left, left + 5 * 12), (288, 336)));
    assert!(ink(&img, (right - 9 * 12, right), (288, 336)));
    // `Tunai` (5 cells) and `20.000` (6 cells) on the line at 360 with white between them.
    assert!(ink(&img, (left, left + 5 * 12), (360, 384)));
    assert!(ink(&img, (right - 6 * 12, right), (360, 384)));
    assert!(!ink(&img, (left + 6 * 12, right - 7 * 12), (360, 384)));
}

#[test]
fn fewer_columns_make_wider_characters_on_the_same_paper() {
    // 32 columns: 18-dot cells and 36-dot lines, still 640 dots of paper.
    let sale = common::small_sale();
    let png = receipt_png(&sale, &common::store(), &columns(32)).expect("png");
    let text = receipt_text(
        &sale,
        &common::store(),
        &columns(32),
        &PrinterProfile::by_name("generic-80").expect("built in"),
    )
    .expect("text");
    let lines = u32::try_from(text.lines().count()).expect("lines");

    let img = decode(&png);

    // The store's name (16 characters) just fits the 16 columns of double width, so as at 48
    // columns the name and the total are the two double-height lines.
    assert_eq!(img.width(), 640);
    assert_eq!(lines, 20);
    assert_eq!(img.height(), 24 + 18 * 36 + 2 * 72 + 24);
}

#[test]
fn the_pdf_text_is_the_receipt_lines_as_pdftotext_reads_them() {
    let (sale, store, options) = (common::cafe_sale(), common::store(), columns(42));
    let pdf = receipt_pdf(&sale, &store, &options).expect("pdf");

    let text = poppler("pdftotext", &pdf, &["-layout", "-enc", "UTF-8"]);

    assert_eq!(
        words_by_line(&text),
        expected_lines(&sale, &store, &options)
    );
    // And, worked out by hand: 2 x 18.000 + 31.500 + 6.000 - 5.000 + tip 5.000.
    let lines = words_by_line(&text);
    assert!(lines.contains(&"TOTAL Rp 73.500".to_string()), "{lines:?}");
    assert!(lines.contains(&"Kembali 10.000".to_string()), "{lines:?}");
}

#[test]
fn an_indonesian_receipt_keeps_its_letters_in_the_pdf_text() {
    let mut store = common::store();
    store.name = "Kedai Kopi Séjahtera".into();
    store.address = vec!["Jl. Pramuka No. 5 – Jakarta Timur".into()];
    store.receipt_footer = "Terima kasih · Sampai jumpa".into();
    let mut sale = common::small_sale();
    sale.lines[0].name = "Kopi Crème Brûlée Ñusantara".into();
    let options = columns(48);

    let pdf = receipt_pdf(&sale, &store, &options).expect("pdf");
    let text = poppler("pdftotext", &pdf, &["-layout", "-enc", "UTF-8"]);
    let lines = words_by_line(&text);

    assert_eq!(lines, expected_lines(&sale, &store, &options));
    for line in [
        "Kedai Kopi Séjahtera",
        "Jl. Pramuka No. 5 – Jakarta Timur",
        "Kopi Crème Brûlée Ñusantara",
        "Tunai 20.000",
        "Kembali 9.500",
        "(Harga sudah termasuk PPN)",
        "Terima kasih · Sampai jumpa",
    ] {
        assert!(
            lines.contains(&line.to_string()),
            "{line:?} not in {lines:?}"
        );
    }
}

#[test]
fn an_english_receipt_pdf_has_the_english_words() {
    let options = ReceiptOptions {
        language: Some(Locale::En),
        ..columns(48)
    };
    let (sale, store) = (common::small_sale(), common::store());

    let pdf = receipt_pdf(&sale, &store, &options).expect("pdf");
    let lines = words_by_line(&poppler("pdftotext", &pdf, &["-layout", "-enc", "UTF-8"]));

    assert_eq!(lines, expected_lines(&sale, &store, &options));
    assert!(lines.contains(&"Cash 20,000".to_string()), "{lines:?}");
    assert!(lines.contains(&"Change 9,500".to_string()), "{lines:?}");
}

#[test]
fn the_pdf_is_one_page_80_mm_wide_with_its_font_embedded() {
    let pdf = receipt_pdf(&common::small_sale(), &common::store(), &columns(48)).expect("pdf");

    let info = poppler("pdfinfo", &pdf, &[]);
    let fonts = poppler("pdffonts", &pdf, &[]);

    assert!(
        info.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Pages:", "1"]),
        "{info}"
    );
    // 80 mm is 226.8 points; the page is 640 dots at 203 to the inch (227.0 points) by 576.
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .expect("page size");
    let numbers: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(numbers.len(), 2, "{size}");
    assert!((226.0..228.0).contains(&numbers[0]), "{size}");
    assert!((204.0..205.0).contains(&numbers[1]), "{size}");
    assert!(
        info.contains("Warung Sederhana D01-000042"),
        "title: {info}"
    );
    // Embedded, a subset, with a ToUnicode map.
    let row = fonts
        .lines()
        .find(|l| l.contains("DejaVuSansMono"))
        .unwrap_or_else(|| panic!("{fonts}"));
    assert!(row.contains("yes yes yes"), "{row}");
}

#[test]
fn the_qr_code_of_the_receipt_link_reads_back_from_the_png_and_its_link_is_in_the_pdf() {
    let options = ReceiptOptions {
        qr: QrPayload::ReceiptLink {
            base: "https://struk.example/r/".into(),
        },
        ..columns(48)
    };
    let (sale, store) = (common::small_sale(), common::store());

    let img = decode(&receipt_png(&sale, &store, &options).expect("png"));
    let pdf = receipt_pdf(&sale, &store, &options).expect("pdf");

    let decoder = kasir_scan::FrameDecoder::new(kasir_scan::DecodeOptions {
        formats: vec![kasir_scan::Format::QrCode],
        ..kasir_scan::DecodeOptions::default()
    })
    .expect("decoder");
    let read = decoder
        .decode(&kasir_scan::Frame::packed(
            img.as_raw(),
            img.width(),
            img.height(),
        ))
        .expect("decode")
        .expect("a QR code in the picture");
    assert_eq!(read.text, "https://struk.example/r/D01-000042");
    let lines = words_by_line(&poppler("pdftotext", &pdf, &["-layout", "-enc", "UTF-8"]));
    assert_eq!(lines, expected_lines(&sale, &store, &options));
    assert!(lines.contains(&"https://struk.example/r/D01-000042".to_string()));
    // The page holds the code as a picture: pdfimages lists one 1-bit image.
    let images = poppler("pdfimages", &pdf, &["-list"]);
    assert_eq!(images.lines().count(), 3, "{images}");
}

#[test]
fn columns_outside_what_a_shared_receipt_shows_are_refused_by_name() {
    let err = receipt_png(&common::small_sale(), &common::store(), &columns(16)).expect_err("16");

    assert!(
        matches!(
            err,
            RenderError::BadOption {
                field: "columns",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("16 is outside 24 to 64"), "{err}");
}

#[test]
fn a_shared_file_is_named_after_the_receipt_in_the_store_language() {
    let sale = common::small_sale();

    assert_eq!(file_name(&sale, Locale::Id, "png"), "struk-D01-000042.png");
    assert_eq!(
        file_name(&sale, Locale::En, "pdf"),
        "receipt-D01-000042.pdf"
    );
}
