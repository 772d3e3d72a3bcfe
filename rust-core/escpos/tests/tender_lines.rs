//! The tender lines of a receipt: a QR tender still unverified is marked, in the store's
//! language, and a long provider reference is wrapped on to further lines, never cut, at
//! every width.

mod common;

use kasir_domain::cart::Cart;
use kasir_domain::money::{Currency, Locale};
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::Sale;
use kasir_domain::tax::TaxRules;
use kasir_escpos::{PrinterProfile, ReceiptOptions, receipt_text, text::cells};
use rust_decimal_macros::dec;

const REFERENCE: &str = "DANA-20261204-000123456789-ABCDEF";

/// Three Indomie (10.500) paid with 500 in cash, 4.000 by a QR tender with a long reference
/// and 6.000 by another QR tender.
fn qr_sale() -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(
        &common::item("8992388101016", "Indomie Goreng", dec!(3500), "Makanan"),
        dec!(3),
    )
    .expect("add");
    let mut payment = Payment::new(Currency::IDR, dec!(10500), None);
    payment.add(TenderMethod::Cash, dec!(500)).expect("cash");
    payment
        .add(TenderMethod::qr(REFERENCE).expect("qr"), dec!(4000))
        .expect("qr");
    payment
        .add(TenderMethod::qr("SIMQ-7").expect("qr"), dec!(6000))
        .expect("qr");
    let mut sale = Sale::complete(common::context(), &cart, &rules, &payment).expect("sale");
    sale.receipt_number = "D01-000043".into();
    sale
}

fn receipt(locale: Locale, unverified: &[u32], columns: u16) -> String {
    let mut store = common::store();
    store.locale = locale;
    let options = ReceiptOptions {
        columns: Some(columns),
        unverified_tenders: unverified.to_vec(),
        ..ReceiptOptions::default()
    };
    receipt_text(&qr_sale(), &store, &options, &PrinterProfile::generic()).expect("text")
}

#[test]
fn an_unverified_qr_tender_is_marked_in_the_stores_language() {
    let id = receipt(Locale::Id, &[3], 48);
    assert!(
        id.lines()
            .any(|l| l.starts_with("QRIS (belum terverifikasi) SIMQ-7") && l.ends_with("6.000")),
        "{id}"
    );
    // The verified one is not marked.
    assert_eq!(id.matches("belum terverifikasi").count(), 1, "{id}");

    let en = receipt(Locale::En, &[3], 48);
    assert!(
        en.lines()
            .any(|l| l.starts_with("QR (unverified) SIMQ-7") && l.ends_with("6,000")),
        "{en}"
    );
    // Nothing unverified: nothing marked.
    let none = receipt(Locale::Id, &[], 48);
    assert!(!none.contains("terverifikasi"), "{none}");
}

#[test]
fn a_long_reference_is_wrapped_never_cut_at_every_width() {
    for columns in 24..=80 {
        for unverified in [&[][..], &[2, 3][..]] {
            let text = receipt(Locale::Id, unverified, columns);
            let width = usize::from(columns);
            assert!(
                text.lines().all(|l| cells(l) <= width),
                "{columns}:\n{text}"
            );
            // The reference's tender: from its QRIS line to the next tender's line.
            let lines: Vec<&str> = text.lines().collect();
            let start = lines
                .iter()
                .position(|l| l.starts_with("QRIS") && l.ends_with("4.000"))
                .unwrap_or_else(|| panic!("{columns}: no QR line for 4.000 in\n{text}"));
            let end = lines
                .iter()
                .position(|l| l.ends_with("6.000"))
                .unwrap_or_else(|| panic!("{columns}: no QR line for 6.000 in\n{text}"));
            let joined: String = lines[start..end]
                .iter()
                .map(|l| l.trim_end_matches("4.000"))
                .flat_map(|l| l.split_whitespace())
                .collect();
            assert!(joined.contains(REFERENCE), "{columns}: {joined}\n{text}");
        }
    }
}

#[test]
fn at_32_42_and_48_columns_the_reference_goes_on_indented_lines() {
    let text = receipt(Locale::Id, &[2], 42);
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with("4.000"))
        .expect("the QR line");
    assert!(
        lines[at].starts_with("QRIS (belum terverifikasi)"),
        "{text}"
    );
    assert!(lines[at + 1].starts_with("  DANA-"), "{text}");
    // At 48 the reference fits a line of its own; at 32 (30 after the indent) it is broken
    // between characters.
    let text = receipt(Locale::Id, &[2], 48);
    assert!(text.contains(&format!("\n  {REFERENCE}\n")), "{text}");
    let text = receipt(Locale::Id, &[2], 32);
    assert!(
        text.contains("\n  DANA-20261204-000123456789-ABC\n  DEF\n"),
        "{text}"
    );
}
