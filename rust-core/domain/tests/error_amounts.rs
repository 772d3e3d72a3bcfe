//! Amounts in error messages are written as receipts write them: grouped, with the currency's
//! symbol (`Rp 100.000`, never `100000`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kasir_domain::cart::Cart;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::emvqr::qris;
use kasir_domain::giftcard::{EntryKind, check_redemption, entry_delta};
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::split::{SplitRule, split};
use kasir_domain::tax::TaxRules;
use rust_decimal_macros::dec;

fn cart(price: i64, quantity: i64) -> Cart {
    let item = Item {
        gtin: Gtin::parse("8990121011028").unwrap(),
        sku: None,
        name: "Kecap Manis".into(),
        price: price.into(),
        tax_category: "ppn".into(),
        unit: Unit::Each,
        category: None,
        stock: 0.into(),
    };
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&item, quantity.into()).unwrap();
    cart
}

#[test]
fn a_card_payment_over_what_is_due_names_both_amounts_grouped() {
    let mut payment = Payment::new(Currency::IDR, dec!(45000), None);
    let card = TenderMethod::qr("SIMQ-1").unwrap();
    let err = payment.add(card, dec!(100000)).unwrap_err().to_string();
    assert!(
        err.contains("qr of Rp 100.000 is more than the Rp 45.000 still due"),
        "{err}"
    );
}

#[test]
fn a_split_by_amounts_over_the_bill_names_both_amounts_grouped() {
    let totals = cart(25000, 3)
        .totals(&TaxRules::indonesia_retail())
        .unwrap();
    let rule = SplitRule::ByAmount {
        amounts: vec![dec!(50000), dec!(30000)],
    };
    let err = split(&totals, &rule).unwrap_err().to_string();
    assert!(
        err.contains("the amounts add up to Rp 80.000, more than the bill's Rp 75.000"),
        "{err}"
    );
    let rule = SplitRule::ByAmount {
        amounts: vec![dec!(-1500)],
    };
    let err = split(&totals, &rule).unwrap_err().to_string();
    assert!(err.contains("Rp -1.500 must be more than zero"), "{err}");
}

#[test]
fn gift_card_refusals_name_the_amounts_grouped() {
    let err = check_redemption(dec!(120000), dec!(1500000), Currency::IDR)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("has Rp 120.000 left, less than Rp 1.500.000"),
        "{err}"
    );
    let err = entry_delta(EntryKind::Load, dec!(-25000), Currency::IDR)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Rp -25.000 is negative"), "{err}");
}

#[test]
fn a_qris_amount_over_the_limit_is_written_the_indonesian_way() {
    let err = qris::check_amount(dec!(12500000)).unwrap_err().to_string();
    assert!(
        err.contains("Rp 12.500.000 is more than the Rp 10.000.000 one QRIS payment may be"),
        "{err}"
    );
}

#[test]
fn other_currencies_are_grouped_as_their_home_countries_write_them() {
    assert_eq!(Currency::IDR.display(dec!(1234567)), "Rp 1.234.567");
    assert_eq!(Currency::USD.display(dec!(1234.5)), "$ 1,234.50");
    let mut payment = Payment::new(Currency::USD, dec!(12.00), None);
    let err = payment
        .add(TenderMethod::qr("X-1").unwrap(), dec!(1500))
        .unwrap_err()
        .to_string();
    assert!(err.contains("$ 1,500.00 is more than the $ 12.00"), "{err}");
}
