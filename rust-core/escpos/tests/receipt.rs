//! The customer's receipt: what it shows, in which language, at which width, and that its
//! amounts are the stored ones.

mod common;

use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind};
use kasir_domain::money::Currency;
use kasir_domain::money::Locale;
use kasir_domain::payment::{CashRounding, Payment, TenderMethod};
use kasir_domain::rounding::Rounding;
use kasir_domain::sale::Sale;
use kasir_domain::tax::{PriceMode, TaxRules};
use kasir_escpos::{
    Block, EscposError, Font, PrinterProfile, QrPayload, Raster, ReceiptOptions, receipt_bytes,
    receipt_document, receipt_text,
};
use rust_decimal_macros::dec;

/// `left` and `right` on one line of 32 cells (ASCII only).
fn cols(left: &str, right: &str) -> String {
    format!("{left}{}{right}", " ".repeat(32 - left.len() - right.len()))
}

fn text(sale: &Sale, options: &ReceiptOptions) -> String {
    receipt_text(sale, &common::store(), options, &PrinterProfile::generic()).expect("text")
}

#[test]
fn the_58_mm_receipt_reads_line_for_line_as_laid_out_by_hand() {
    let expected = "        Warung Sederhana
    Jl. Merdeka 17, Bandung
   NPWP 01.234.567.8-901.000
--------------------------------
No D01-000042   03/12/2026 10:15
--------------------------------
Indomie Goreng
  3 x 3.500               10.500
--------------------------------
Subtotal (3 item)         10.500
TOTAL                  Rp 10.500
--------------------------------
Tunai                     20.000
Kembali                    9.500
--------------------------------
DPP PPN 12%                8.671
PPN 12%                    1.041
   (Harga sudah termasuk PPN)
--------------------------------
          Terima kasih
";
    assert_eq!(
        text(&common::small_sale(), &ReceiptOptions::default()),
        expected
    );
}

#[test]
fn amounts_are_the_stored_ones_never_recomputed() {
    let mut sale = common::small_sale();
    // A record whose numbers disagree: the receipt prints them as stored.
    sale.total = dec!(12345);
    sale.taxes[0].tax = dec!(777);
    let receipt = text(&sale, &ReceiptOptions::default());
    assert!(
        receipt.contains("TOTAL                  Rp 12.345"),
        "{receipt}"
    );
    assert!(
        receipt.contains("PPN 12%                      777"),
        "{receipt}"
    );
}

#[test]
fn an_english_store_gets_english_labels_and_number_style() {
    let mut store = common::store();
    store.locale = Locale::En;
    let receipt = receipt_text(
        &common::small_sale(),
        &store,
        &ReceiptOptions::default(),
        &PrinterProfile::generic(),
    )
    .expect("text");
    for line in [
        "Subtotal (3 items)        10,500",
        "Cash                      20,000",
        "Change                     9,500",
        "Base PPN 12%               8,671",
        "(Prices include tax)",
        "TOTAL                  Rp 10,500",
    ] {
        assert!(receipt.contains(line), "{line:?} in\n{receipt}");
    }
}

#[test]
fn the_receipt_language_option_overrides_the_stores() {
    let options = ReceiptOptions {
        language: Some(Locale::En),
        ..ReceiptOptions::default()
    };
    let receipt = text(&common::small_sale(), &options);
    assert!(receipt.contains("Change"), "{receipt}");
    assert!(!receipt.contains("Kembali"), "{receipt}");
}

#[test]
fn line_and_order_discounts_tip_and_split_tenders_are_shown() {
    let receipt = text(&common::cafe_sale(), &ReceiptOptions::default());
    for line in [
        "Es Kopi Susu Gula Aren",
        "  2 x 18.000              36.000",
        "  Diskon 10%              -3.500",
        "Subtotal (6 item)         73.500",
        "Diskon                    -5.000",
        "Tip                        5.000",
        "TOTAL                  Rp 73.500",
        "Kartu VISA **1234 A1B2C3  50.000",
        "Tunai                     33.500",
        "Kembali                   10.000",
        "DPP PPN 12%               56.569",
        "PPN 12%                    6.788",
    ] {
        assert!(receipt.contains(line), "{line:?} in\n{receipt}");
    }
}

#[test]
fn cash_rounding_shows_the_adjustment_and_the_amount_paid() {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(
        &common::item("8992388101016", "Indomie Goreng", dec!(3500), "Makanan"),
        dec!(3),
    )
    .expect("add");
    let rounding = CashRounding {
        increment: dec!(1000),
        rounding: Rounding::Down,
    };
    let mut payment = Payment::new(Currency::IDR, dec!(10500), Some(rounding));
    payment.add(TenderMethod::Cash, dec!(10000)).expect("cash");
    let sale = Sale::complete(common::context(), &cart, &rules, &payment).expect("sale");

    let receipt = text(&sale, &ReceiptOptions::default());

    assert!(
        receipt.contains("TOTAL                  Rp 10.500"),
        "{receipt}"
    );
    assert!(
        receipt.contains("Pembulatan                  -500"),
        "{receipt}"
    );
    assert!(
        receipt.contains("                       Rp 10.000"),
        "{receipt}"
    );
}

#[test]
fn tax_added_on_top_is_a_line_above_the_total_and_a_service_charge_is_shown() {
    let mut rules = TaxRules::indonesia_retail();
    rules.price_mode = PriceMode::TaxExcluded;
    let mut cart = Cart::new(Currency::IDR);
    cart.add(
        &common::item("8992388101016", "Indomie Goreng", dec!(3500), "Makanan"),
        dec!(3),
    )
    .expect("add");
    cart.set_charge(
        ChargeKind::ServiceCharge,
        Some(ChargeBasis::Amount(dec!(1000))),
        None,
    )
    .expect("service");
    let totals = cart.totals(&rules).expect("totals");
    let mut payment = Payment::new(Currency::IDR, totals.total, None);
    payment.add(TenderMethod::Cash, totals.total).expect("cash");
    let sale = Sale::complete(common::context(), &cart, &rules, &payment).expect("sale");

    let receipt = text(&sale, &ReceiptOptions::default());

    // 10.500 x 11/12 = 9.625 DPP, 12% of it = 1.155; + 1.000 service (untaxed) = 12.655.
    for line in [
        cols("Biaya layanan", "1.000"),
        cols("Pajak PPN 12%", "1.155"),
        cols("TOTAL", "Rp 12.655"),
        cols("DPP PPN 12%", "9.625"),
    ] {
        assert!(receipt.contains(&line), "{line:?} in\n{receipt}");
    }
    assert!(!receipt.contains("sudah termasuk"), "{receipt}");
}

#[test]
fn the_qr_link_carries_the_receipt_number_and_header_and_footer_lines_are_printed() {
    let options = ReceiptOptions {
        qr: QrPayload::ReceiptLink {
            base: "https://struk.example/r/".into(),
        },
        header: vec!["Cabang Dago".into()],
        footer: vec!["Follow @warung".into()],
        ..ReceiptOptions::default()
    };
    let doc = receipt_document(
        &common::small_sale(),
        &common::store(),
        &options,
        &PrinterProfile::generic(),
    )
    .expect("layout");
    assert!(doc.blocks.contains(&Block::Qr {
        data: "https://struk.example/r/D01-000042".into(),
        module: 6,
    }));
    let receipt = doc.text();
    assert!(receipt.contains("          Cabang Dago"), "{receipt}");
    assert!(
        receipt.ends_with("Terima kasih\n         Follow @warung\n"),
        "{receipt}"
    );
}

#[test]
fn font_b_takes_the_profiles_font_b_columns_and_selects_the_font() {
    let epson = PrinterProfile::by_name("epson-tm-t88").expect("built in");
    let options = ReceiptOptions {
        font: Font::B,
        ..ReceiptOptions::default()
    };
    let doc = receipt_document(&common::small_sale(), &common::store(), &options, &epson)
        .expect("layout");
    assert_eq!(doc.columns, 64);
    let bytes =
        receipt_bytes(&common::small_sale(), &common::store(), &options, &epson).expect("bytes");
    assert_eq!(&bytes[..5], &[0x1B, 0x40, 0x1B, 0x4D, 0x01]);
    let rule = [&b"-".repeat(64)[..], b"\n"].concat();
    assert!(bytes.windows(65).any(|w| w == &rule[..]));
}

#[test]
fn a_printed_receipt_wider_than_the_printer_is_refused() {
    let options = ReceiptOptions {
        columns: Some(48),
        ..ReceiptOptions::default()
    };
    let err = receipt_bytes(
        &common::small_sale(),
        &common::store(),
        &options,
        &PrinterProfile::generic(),
    )
    .expect_err("too wide");
    assert_eq!(
        err.to_string(),
        "receipt option `columns`: 48 is more than printer `generic-58` has in font A (32)"
    );
    // The terminal may be wider: the text layout takes any width from 16 to 200.
    assert!(text(&common::small_sale(), &options).contains(&"-".repeat(48)));
}

#[test]
fn a_width_outside_16_to_200_columns_is_refused_by_name() {
    let options = ReceiptOptions {
        columns: Some(8),
        ..ReceiptOptions::default()
    };
    let err = receipt_text(
        &common::small_sale(),
        &common::store(),
        &options,
        &PrinterProfile::generic(),
    )
    .expect_err("too narrow");
    assert_eq!(
        err.to_string(),
        "receipt option `columns`: 8 is outside 16 to 200"
    );
}

#[test]
fn a_logo_wider_than_the_paper_is_refused_and_a_text_only_printer_refuses_images() {
    let options = ReceiptOptions {
        logo: Some(Raster::new(576, 10)),
        ..ReceiptOptions::default()
    };
    let err = receipt_bytes(
        &common::small_sale(),
        &common::store(),
        &options,
        &PrinterProfile::generic(),
    )
    .expect_err("too wide");
    assert_eq!(err.to_string(), "image: 576 dots wide, the paper has 384");

    let mut text_only = PrinterProfile::generic();
    text_only.supports_raster = false;
    let options = ReceiptOptions {
        logo: Some(Raster::new(100, 10)),
        ..ReceiptOptions::default()
    };
    let err = receipt_bytes(
        &common::small_sale(),
        &common::store(),
        &options,
        &text_only,
    )
    .expect_err("no raster");
    assert!(matches!(
        err,
        EscposError::Unsupported { what: "images", .. }
    ));
}

#[test]
fn cut_and_drawer_pulse_end_the_job_when_asked() {
    let options = ReceiptOptions {
        cut: true,
        open_drawer: true,
        ..ReceiptOptions::default()
    };
    let bytes = receipt_bytes(
        &common::small_sale(),
        &common::store(),
        &options,
        &PrinterProfile::generic(),
    )
    .expect("bytes");
    assert!(bytes.ends_with(&[0x1D, 0x56, 0x42, 0x03, 0x1B, 0x70, 0x00, 0x19, 0xFA]));
    let plain = receipt_bytes(
        &common::small_sale(),
        &common::store(),
        &ReceiptOptions::default(),
        &PrinterProfile::generic(),
    )
    .expect("bytes");
    assert!(!plain.windows(2).any(|w| w == [0x1D, 0x56]));
}

#[test]
fn the_printed_bytes_carry_the_same_lines_as_the_text() {
    let sale = common::cafe_sale();
    let bytes = receipt_bytes(
        &sale,
        &common::store(),
        &ReceiptOptions::default(),
        &PrinterProfile::generic(),
    )
    .expect("bytes");
    for line in text(&sale, &ReceiptOptions::default()).lines() {
        let line = line.trim();
        if line.is_ascii() && !line.is_empty() {
            assert!(
                bytes.windows(line.len()).any(|w| w == line.as_bytes()),
                "{line:?} is not in the bytes"
            );
        }
    }
}
