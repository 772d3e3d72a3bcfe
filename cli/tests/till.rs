//! Refunds, staff and shifts through the `kasir` command: a refund of part of a sale with its
//! slip, the manager's PIN that refunds, voids, large discounts and the drawer ask for, and a
//! shift's Z report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Kasir {
    dir: tempfile::TempDir,
}

impl Kasir {
    fn new() -> Kasir {
        let kasir = Kasir {
            dir: tempfile::tempdir().unwrap(),
        };
        let out = kasir.run(&["init"], "");
        assert!(out.status.success(), "init: {}", text(&out.stderr));
        kasir
    }

    fn run(&self, args: &[&str], input: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kasir"))
            .arg("--store")
            .arg(self.dir.path().join("kasir.db"))
            .args(args)
            .env_remove("KASIR_STORE")
            .env_remove("KASIR_STAFF")
            .env_remove("KASIR_PIN")
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

    fn ok(&self, args: &[&str], input: &str) -> String {
        let out = self.run(args, input);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all, "")).unwrap()
    }

    fn fails(&self, args: &[&str], input: &str) -> String {
        let out = self.run(args, input);
        assert!(
            !out.status.success(),
            "{args:?} should fail: {}",
            text(&out.stdout)
        );
        text(&out.stderr)
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn amount(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

/// Kecap Manis 3 x 4.000 and Ultra Milk 7.500, 10% off, a Rp 1.000 tip, paid in cash.
const SALE: &str = "3*8990121011028\n8998009010552\ndiscount 10%\ntip 1000\npay cash 50000\n";

#[test]
fn part_of_a_sale_is_refunded_with_a_slip_restocked_and_netted_in_the_day_report() {
    let kasir = Kasir::new();
    let sale: Value = serde_json::from_str(kasir.ok(&["--json", "register"], SALE).trim()).unwrap();
    let receipt = sale["receipt_number"].as_str().unwrap();
    let stock = |k: &Kasir| amount(&k.json(&["catalog", "show", "8990121011028"])["stock"]);
    let before = stock(&kasir);

    // Two of the three Kecap Manis: 12.000 less 10% is 10.800 paid, 3.600 each.
    let refund = kasir.json(&[
        "refund",
        receipt,
        "--line",
        "1",
        "--qty",
        "2",
        "--to",
        "cash",
        "--restock",
        "--reason",
        "dented",
    ]);
    assert_eq!(refund["refund_number"], "D01-R000001");
    assert_eq!(amount(&refund["total"]), "7200");
    assert_eq!(refund["tenders"][0]["method"], "cash");
    assert_ne!(stock(&kasir), before);

    let slip = kasir.ok(&["receipt", "D01-R000001"], "");
    // The store is Indonesian: so is the slip.
    assert!(slip.contains("PENGEMBALIAN"), "{slip}");
    assert!(slip.contains(receipt), "{slip}");
    assert!(slip.contains("7.200"), "{slip}");
    assert!(slip.contains("Alasan: dented"), "{slip}");

    let err = kasir.fails(&["refund", receipt, "--line", "1", "--qty", "2"], "");
    assert!(
        err.contains("line 1: only 1 of line 1 is left to return"),
        "{err}"
    );
    let err = kasir.fails(
        &["refund", receipt, "--line", "1", "--qty", "1", "--qty", "2"],
        "",
    );
    assert!(err.contains("--qty"), "{err}");

    // The rest: the last Kecap Manis, the milk and the tip.
    let rest = kasir.json(&["refund", receipt]);
    let total: i64 = sale["total"].as_str().unwrap().parse().unwrap();
    let rest_total: i64 = amount(&rest["total"]).parse().unwrap();
    assert_eq!(7200 + rest_total, total);
    let err = kasir.fails(&["refund", receipt], "");
    assert!(err.contains("already refunded"), "{err}");

    let report = kasir.json(&["report", "day", sale["business_date"].as_str().unwrap()]);
    assert_eq!(report["refunds"]["count"], 2);
    assert_eq!(amount(&report["refunds"]["total"]), total.to_string());
    assert_eq!(amount(&report["refunds"]["net_total"]), "0");
    let text_report = kasir.ok(
        &["report", "day", sale["business_date"].as_str().unwrap()],
        "",
    );
    assert!(
        text_report.contains("Pengembalian (2, 0 pembatalan)"),
        "{text_report}"
    );
    assert!(
        text_report.contains("Bersih setelah pengembalian"),
        "{text_report}"
    );
    let listed = kasir.json(&["refunds"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let outbox = kasir.json(&["outbox"]);
    let kinds: Vec<&str> = outbox["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["SaleCompleted", "SaleRefunded", "SaleRefunded"]);
}

#[test]
fn staff_pins_guard_refunds_voids_discounts_and_the_drawer() {
    let kasir = Kasir::new();
    let err = kasir.fails(&["staff", "add", "Ani", "--new-pin", "1234"], "");
    assert!(err.contains("must be a manager"), "{err}");
    kasir.ok(
        &[
            "staff",
            "add",
            "Mira",
            "--role",
            "manager",
            "--new-pin",
            "9876",
        ],
        "",
    );
    let err = kasir.fails(&["staff", "add", "Ani", "--new-pin", "1234"], "");
    assert!(err.contains("needs a staff sign-in"), "{err}");
    kasir.ok(
        &[
            "staff",
            "add",
            "Ani",
            "--new-pin",
            "1234",
            "--staff",
            "Mira",
            "--pin",
            "9876",
        ],
        "",
    );
    let listed = kasir.ok(&["staff", "list"], "");
    assert!(
        listed.contains("Ani") && listed.contains("manager"),
        "{listed}"
    );
    assert!(!listed.contains("1234"));

    // The register wants a sign-in; the sale records who rang it.
    let err = kasir.fails(&["register"], "8998009010552\npay cash\n");
    assert!(err.contains("sign in first"), "{err}");
    let err = kasir.fails(&["register", "--staff", "Ani", "--pin", "1111"], "");
    assert!(err.contains("wrong PIN for Ani"), "{err}");
    let out = kasir.ok(
        &["--json", "register", "--staff", "Ani", "--pin", "1234"],
        "8998009010552\ntip 500\npay cash\n",
    );
    let sale: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(sale["staff"], "Ani");
    let receipt = sale["receipt_number"].as_str().unwrap();

    // Refunds and voids: a manager's PIN, and a wrong one changes nothing.
    let err = kasir.fails(&["refund", receipt], "");
    assert!(err.contains("needs a staff sign-in"), "{err}");
    let err = kasir.fails(&["refund", receipt, "--staff", "Ani", "--pin", "1234"], "");
    assert!(
        err.contains("needs a manager's PIN: Ani is a cashier"),
        "{err}"
    );
    let err = kasir.fails(&["void", receipt, "--staff", "Mira", "--pin", "0000"], "");
    assert!(err.contains("wrong PIN for Mira"), "{err}");
    assert_eq!(kasir.json(&["refunds"]).as_array().unwrap().len(), 0);
    let void = kasir.json(&["void", receipt, "--staff", "Mira", "--pin", "9876"]);
    assert_eq!(void["kind"], "void");
    assert_eq!(void["staff"], "Mira");
    assert_eq!(void["total"], sale["total"]);
    let err = kasir.fails(&["void", receipt, "--staff", "Mira", "--pin", "9876"], "");
    assert!(
        err.contains("was already voided or refunded in full: nothing is left to void"),
        "{err}"
    );
    assert_eq!(kasir.json(&["refunds"]).as_array().unwrap().len(), 1);

    // Discounts over the limit need a manager at the register.
    kasir.ok(
        &[
            "staff",
            "discount-limit",
            "20%",
            "--staff",
            "Mira",
            "--pin",
            "9876",
        ],
        "",
    );
    let err = kasir.fails(
        &["register", "--staff", "Ani", "--pin", "1234"],
        "8998009010552\ndiscount 30%\npay cash\n",
    );
    assert!(err.contains("a discount over 20% needs a manager"), "{err}");
    let out = kasir.ok(
        &["--json", "register", "--staff", "Ani", "--pin", "1234"],
        "8998009010552\ndiscount 15%\npay cash\n8998009010552\nmanager Mira 9876\ndiscount 30%\npay cash\n",
    );
    assert_eq!(out.lines().count(), 2, "{out}");

    // The drawer: a manager, recorded.
    let err = kasir.fails(&["drawer", "--staff", "Ani", "--pin", "1234"], "");
    assert!(err.contains("Ani is a cashier"), "{err}");
    kasir.ok(
        &[
            "drawer", "--staff", "Mira", "--pin", "9876", "--reason", "change",
        ],
        "",
    );
    let err = kasir.fails(&["register", "--staff", "Ani", "--pin", "1234"], "drawer\n");
    assert!(err.contains("opening the drawer needs a manager"), "{err}");

    let err = kasir.fails(
        &[
            "staff", "disable", "Mira", "--staff", "Mira", "--pin", "9876",
        ],
        "",
    );
    assert!(err.contains("last manager"), "{err}");
    kasir.ok(
        &[
            "staff", "disable", "Ani", "--staff", "Mira", "--pin", "9876",
        ],
        "",
    );
    let err = kasir.fails(&["register", "--staff", "Ani", "--pin", "1234"], "");
    assert!(err.contains("Ani is disabled"), "{err}");
}

#[test]
fn five_wrong_pins_lock_a_cashier_out_until_a_manager_lifts_it() {
    let kasir = Kasir::new();
    let manager = ["--staff", "Mira", "--pin", "9876"];
    kasir.ok(
        &[
            "staff",
            "add",
            "Mira",
            "--role",
            "manager",
            "--new-pin",
            "9876",
        ],
        "",
    );
    let mut add = vec!["staff", "add", "Ani", "--new-pin", "1234"];
    add.extend_from_slice(&manager);
    kasir.ok(&add, "");

    for n in 1..=4 {
        let err = kasir.fails(&["register", "--staff", "Ani", "--pin", "1111"], "");
        assert!(
            err.contains(&format!("wrong PIN for Ani ({n} of 5 tries")),
            "{err}"
        );
    }
    let err = kasir.fails(&["register", "--staff", "Ani", "--pin", "1111"], "");
    assert!(
        err.contains("Ani is locked out after 5 wrong PINs"),
        "{err}"
    );
    // Locked: the right PIN is refused too, and nothing is sold.
    let err = kasir.fails(
        &["register", "--staff", "Ani", "--pin", "1234"],
        "8998009010552\npay cash\n",
    );
    assert!(err.contains("locked out"), "{err}");
    assert!(!err.contains("1234"), "{err}");
    assert_eq!(kasir.json(&["sales", "list"]).as_array().unwrap().len(), 0);

    // A cashier cannot lift it; a manager can.
    let err = kasir.fails(
        &["staff", "unlock", "Ani", "--staff", "Ani", "--pin", "1234"],
        "",
    );
    assert!(err.contains("locked out"), "{err}");
    let mut unlock = vec!["staff", "unlock", "Ani"];
    unlock.extend_from_slice(&manager);
    assert!(kasir.ok(&unlock, "").contains("Ani may sign in again."));
    kasir.ok(
        &["register", "--staff", "Ani", "--pin", "1234"],
        "8998009010552\npay cash\n",
    );
    assert_eq!(kasir.json(&["sales", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_shift_closes_with_a_z_report_of_expected_and_counted_cash_and_tips_per_staff() {
    let kasir = Kasir::new();
    kasir.ok(&["shift", "open", "100000"], "");
    let err = kasir.fails(&["shift", "open", "100000"], "");
    assert!(err.contains("shift 1 is still open"), "{err}");
    // Ultra Milk 7.500 + 500 tip = 8.000, paid 10.000 in cash: 2.000 change.
    let sale: Value = serde_json::from_str(
        kasir
            .ok(
                &["--json", "register"],
                "8998009010552\ntip 500\npay cash 10000\n",
            )
            .trim(),
    )
    .unwrap();
    assert_eq!(amount(&sale["change"]), "2000");
    kasir.ok(&["shift", "payin", "20000", "--reason", "coins"], "");
    kasir.ok(&["shift", "payout", "5000", "--reason", "ice"], "");
    let err = kasir.fails(&["shift", "payout", "abc", "--reason", "ice"], "");
    assert!(err.contains("amount"), "{err}");
    let x = kasir.ok(&["shift", "report"], "");
    assert!(x.contains("Laporan X, shift 1"), "{x}");

    let z = kasir.json(&["shift", "close", "122500"]);
    // 100.000 + 10.000 - 2.000 + 20.000 - 5.000 = 123.000 expected; 500 short.
    assert_eq!(amount(&z["expected_cash"]), "123000");
    assert_eq!(amount(&z["counted_cash"]), "122500");
    assert_eq!(amount(&z["difference"]), "-500");
    assert_eq!(z["tips_by_staff"][0]["staff"], Value::Null);
    assert_eq!(amount(&z["tips_by_staff"][0]["net"]), "500");
    let text = kasir.ok(&["shift", "report", "1"], "");
    assert!(text.contains("Laporan Z, shift 1"), "{text}");
    assert!(text.contains("Selisih"), "{text}");
}
