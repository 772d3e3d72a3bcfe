//! `kasir qr parse` and `kasir qr make` end to end: a merchant checks a printed QRIS sticker and
//! makes the code of one payment from it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use serde_json::Value;

/// A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr).
const STICKER: &str = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                       51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                       Saifullah.id6014Kota Pontianak61057812463045F72";

fn kasir(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kasir"))
        .args(args)
        // No store is needed: a missing one must not matter.
        .env("KASIR_STORE", "/nonexistent/kasir.db")
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = kasir(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_static_sticker_is_read_back_with_its_merchant() {
    let summary = json(&["qr", "parse", STICKER]);

    assert_eq!(summary["qris"], true);
    assert_eq!(summary["initiation"], "static");
    assert_eq!(summary["merchant_name"], "Saifullah.id");
    assert_eq!(summary["currency"], "IDR");
    assert_eq!(summary["amount"], Value::Null);
    assert_eq!(summary["merchant_accounts"][1]["guid"], "ID.CO.QRIS.WWW");
}

#[test]
fn the_code_of_one_payment_carries_the_amount_and_a_new_checksum() {
    let made = json(&["qr", "make", "--from", STICKER, "--amount", "38500"]);
    let payload = made["payload"].as_str().unwrap();

    // Tag 01 becomes 12, tag 54 holds 38500 after the currency, the checksum is recomputed
    // (worked out with CRC-16/CCITT-FALSE over the new body).
    assert!(payload.starts_with("000201010212"), "{payload}");
    assert!(payload.contains("5303360540538500"), "{payload}");
    assert!(payload.ends_with("630473AD"), "{payload}");
    let back = json(&["qr", "parse", payload]);
    assert_eq!(back["initiation"], "dynamic");
    assert_eq!(back["amount"], "38500");
}

#[test]
fn a_damaged_payload_is_refused_naming_the_checksum() {
    let damaged = STICKER.replace("Saifullah", "Saifulloh");
    let out = kasir(&["qr", "parse", &damaged]);

    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("checksum is 5F72"), "{err}");
}

#[test]
fn amounts_a_qris_payment_cannot_have_are_refused() {
    for amount in ["38.500", "10000001", "0", "-5000"] {
        let flag = format!("--amount={amount}");
        let out = kasir(&["qr", "make", "--from", STICKER, &flag]);
        assert!(!out.status.success(), "{amount} was accepted");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("amount"),
            "{amount}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_new_code_is_made_from_its_fields_and_drawn() {
    let out = kasir(&[
        "qr",
        "make",
        "--guid",
        "ID.CO.QRIS.WWW",
        "--account",
        "ID1019004699079",
        "--name",
        "Warung Sari",
        "--city",
        "Jakarta",
        "--amount",
        "12000",
        "--reference",
        "D01-000001",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let payload = text.lines().last().unwrap();

    assert!(text.contains('█'), "the code is drawn");
    let back = json(&["qr", "parse", payload]);
    assert_eq!(back["merchant_name"], "Warung Sari");
    assert_eq!(back["amount"], "12000");
    assert_eq!(back["reference"], "D01-000001");
    assert_eq!(back["rule_issues"], serde_json::json!([]));
}
