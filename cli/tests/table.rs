//! Table service at the register: a bill split between payers, and the QRIS code of a payment
//! made from the store's sticker, end to end through `kasir register`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr).
const STICKER: &str = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                       51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                       Saifullah.id6014Kota Pontianak61057812463045F72";

struct Till {
    dir: tempfile::TempDir,
}

impl Till {
    fn new() -> Till {
        let till = Till {
            dir: tempfile::tempdir().unwrap(),
        };
        assert!(till.run(&["init"], "").status.success());
        till
    }

    fn run(&self, args: &[&str], input: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kasir"))
            .arg("--store")
            .arg(self.dir.path().join("kasir.db"))
            .args(args)
            .env_remove("KASIR_STORE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs a register script with --json and returns its JSON lines.
    fn script(&self, lines: &[&str]) -> Vec<Value> {
        let out = self.run(&["--json", "register"], &(lines.join("\n") + "\n"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// Kecap Manis 4,000, three Mie Sedaap 3,500, Ultra Milk 7,500 (the sample catalog): 22,000;
/// service charge 5% = 1,100; total 23,100.
const DINNER: [&str; 4] = [
    "8990121011028",
    "3*8998866200837",
    "8998009010552",
    "service 5%",
];

#[test]
fn a_bill_split_three_ways_gives_each_payer_a_third() {
    let till = Till::new();
    let mut script = DINNER.to_vec();
    script.extend(["split 3", "pay cash"]);

    let out = till.script(&script);

    let parts = out[0]["split"].as_array().unwrap();
    let totals: Vec<&str> = parts.iter().map(|p| p["total"].as_str().unwrap()).collect();
    assert_eq!(totals, ["7700", "7700", "7700"]);
    let charges: Vec<&str> = parts
        .iter()
        .map(|p| p["charges"].as_str().unwrap())
        .collect();
    // 1,100 / 3 = 366.67: one rupiah more for two parts, and still 7,700 each.
    assert_eq!(
        charges
            .iter()
            .map(|c| c.parse::<i64>().unwrap())
            .sum::<i64>(),
        1_100
    );
    assert_eq!(out[1]["total"], "23100");
}

#[test]
fn each_part_is_paid_by_its_own_tender() {
    let till = Till::new();
    let mut script = DINNER.to_vec();
    script.extend([
        "split amount 10000",
        "pay card 10000 approval=A1 last4=4242",
        "pay cash",
    ]);

    let out = till.script(&script);

    let parts = out[0]["split"].as_array().unwrap();
    assert_eq!(parts[0]["total"], "10000");
    assert_eq!(parts[1]["total"], "13100");
    let tenders = out[1]["tenders"].as_array().unwrap();
    assert_eq!(tenders.len(), 2);
    assert_eq!(tenders[1]["amount"], "13100");
}

#[test]
fn a_split_by_item_names_the_lines_of_each_payer() {
    let till = Till::new();
    let mut script = DINNER.to_vec();
    script.extend(["split items 1 2,3", "pay cash"]);

    let out = till.script(&script);

    let parts = out[0]["split"].as_array().unwrap();
    assert_eq!(parts[0]["lines"], serde_json::json!([1]));
    assert_eq!(parts[0]["items"], "4000");
    // Service follows the items: 1,100 x 4,000 / 22,000 = 200.
    assert_eq!(parts[0]["charges"], "200");
    assert_eq!(parts[0]["total"], "4200");
    assert_eq!(parts[1]["total"], "18900");
}

#[test]
fn the_qris_code_of_what_is_due_is_made_from_the_sticker() {
    let till = Till::new();
    assert!(
        till.run(&["settings", "set", "qris", STICKER], "")
            .status
            .success()
    );
    let mut script = DINNER.to_vec();
    script.extend(["pay cash 3100", "qris", "pay qr ref=DANA-88812"]);

    let out = till.script(&script);

    let payload = out[0]["qris"].as_str().unwrap();
    assert_eq!(out[0]["amount"], "20000");
    let parsed = till.run(&["--json", "qr", "parse", payload], "");
    let parsed: Value = serde_json::from_slice(&parsed.stdout).unwrap();
    assert_eq!(parsed["amount"], "20000");
    assert_eq!(parsed["initiation"], "dynamic");
    assert_eq!(parsed["merchant_name"], "Saifullah.id");
    assert_eq!(out[1]["tenders"][1]["method"], "qr");
}

#[test]
fn a_store_without_a_sticker_is_told_how_to_set_one() {
    let till = Till::new();
    let out = till.run(&["register"], "8990121011028\nqris\n");

    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kasir settings set qris"), "{err}");
}

#[test]
fn a_split_that_does_not_fit_the_bill_is_refused() {
    let till = Till::new();
    for bad in [
        "split 1",
        "split amount 30000",
        "split items 1 9",
        "split items 1,2",
    ] {
        let mut script = DINNER.join("\n");
        script.push('\n');
        script.push_str(bad);
        script.push('\n');
        let out = till.run(&["register"], &script);
        assert!(!out.status.success(), "{bad} was accepted");
    }
}

#[test]
fn a_bill_is_split_before_the_first_payment_not_after() {
    let till = Till::new();
    let mut script = DINNER.join("\n");
    script.push_str("\npay cash 5000\nsplit 2\n");

    let out = till.run(&["register"], &script);

    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("before the first payment"), "{err}");
}

#[test]
fn under_cash_rounding_each_part_is_payable_in_cash() {
    let till = Till::new();
    let set = till.run(&["settings", "set", "cash-rounding", "500"], "");
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let mut script = DINNER.to_vec();
    // 23,100 in cash is 23,000 (46 coins of 500): 8,000 + 7,500 + 7,500 in cash; the last
    // part's share of the bill is 7,600, its cash 7,500 with the rounding of -100.
    script.extend(["split 3", "pay cash 8000", "pay cash 7500", "pay cash"]);

    let out = till.script(&script);

    let parts = out[0]["split"].as_array().unwrap();
    let totals: Vec<&str> = parts.iter().map(|p| p["total"].as_str().unwrap()).collect();
    assert_eq!(totals, ["8000", "7500", "7600"]);
    let cash: Vec<&str> = parts.iter().map(|p| p["cash"].as_str().unwrap()).collect();
    assert_eq!(cash, ["8000", "7500", "7500"]);
    assert_eq!(parts[2]["cash_rounding"], "-100");
    let sale = &out[1];
    assert_eq!(sale["total"], "23100");
    assert_eq!(sale["cash_rounding"], "-100");
    assert_eq!(sale["change"], "0");

    // A part by amount that cash cannot pay is refused, naming it.
    let refused = till.run(
        &["register"],
        &(DINNER.join("\n") + "\nsplit amount 10100\n"),
    );
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("amounts[1]: Rp 10.100 cannot be paid in cash here"),
        "{err}"
    );
}
