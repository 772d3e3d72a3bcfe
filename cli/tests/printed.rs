//! What the register prints and tells the clerk: refund and void slips and the X, Z and day
//! reports in the store's language and local time, unverified QR tenders marked on receipts
//! and apart in reports, long QR references wrapped, amounts in errors grouped as on
//! receipts, no warning log for a wrong PIN, and a quiet end when the output pipe closes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const KECAP: &str = "8990121011028";
const MILK: &str = "8998009010552";
const REFERENCE: &str = "DANA-20261204-000123456789-ABCDEF";

struct Kasir {
    dir: tempfile::TempDir,
}

impl Kasir {
    fn new() -> Kasir {
        let kasir = Kasir {
            dir: tempfile::tempdir().unwrap(),
        };
        kasir.ok(&["init"], "");
        kasir
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kasir"));
        command
            .arg("--store")
            .arg(self.dir.path().join("kasir.db"))
            .args(args)
            .env_remove("KASIR_STORE")
            .env_remove("KASIR_STAFF")
            .env_remove("KASIR_PIN")
            .env_remove("KASIR_LOG");
        command
    }

    fn run(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
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

    fn fails(&self, args: &[&str], input: &str) -> Output {
        let out = self.run(args, input);
        assert!(
            !out.status.success(),
            "{args:?} should fail: {}",
            text(&out.stdout)
        );
        out
    }

    /// Rings up `script` and returns the sale.
    fn sell(&self, script: &str) -> Value {
        let out = self.ok(&["--json", "register"], script);
        out.lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|v| v.get("receipt_number").is_some())
            .unwrap_or_else(|| panic!("no sale in {out}"))
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A stored UTC time in `zone`, as receipts write times.
fn local(stored: &str, zone: &str) -> String {
    let at: jiff::Timestamp = stored.parse().unwrap();
    at.to_zoned_datetime(jiff::tz::TimeZone::get(zone).unwrap())
        .strftime("%d/%m/%Y %H:%M")
        .to_string()
}

#[test]
fn refund_and_void_slips_are_in_the_stores_language() {
    let kasir = Kasir::new();
    let sale = kasir.sell(&format!("{KECAP}\n{MILK}\npay cash 20000\n"));
    let receipt = sale["receipt_number"].as_str().unwrap();
    let slip = kasir.ok(
        &[
            "refund",
            receipt,
            "--line",
            "1",
            "--to",
            "cash",
            "--restock",
            "--reason",
            "penyok",
        ],
        "",
    );
    for words in [
        "PENGEMBALIAN",
        "Struk asal",
        "Tanggal",
        "dikembalikan",
        "DIKEMBALIKAN",
        "Ke Tunai",
        "Barang dikembalikan ke stok.",
        "Alasan: penyok",
    ] {
        assert!(slip.contains(words), "{words:?} in\n{slip}");
    }
    for english in ["REFUND", "Of sale", "returned", "Reason", "To cash"] {
        assert!(!slip.contains(english), "{english:?} in\n{slip}");
    }

    // An English store's slip, of a void.
    kasir.ok(&["settings", "set", "locale", "en"], "");
    let sale = kasir.sell(&format!("{KECAP}\npay cash\n"));
    let receipt = sale["receipt_number"].as_str().unwrap();
    let slip = kasir.ok(&["void", receipt], "");
    assert!(slip.contains("\nVOID\n"), "{slip}");
    assert!(slip.contains("Of sale"), "{slip}");
    assert!(slip.contains("To Cash"), "{slip}");

    // Back in Indonesian, the stored void's slip says Pembatalan.
    kasir.ok(&["settings", "set", "locale", "id"], "");
    let slip = kasir.ok(&["receipt", "D01-R000002"], "");
    assert!(slip.contains("\nPEMBATALAN\n"), "{slip}");
    assert!(slip.contains("Pembatalan"), "{slip}");
}

#[test]
fn slips_and_shift_reports_show_the_stores_local_time_as_receipts_do() {
    let kasir = Kasir::new();
    // Far from UTC, so a UTC time would show.
    kasir.ok(&["settings", "set", "timezone", "Asia/Jayapura"], "");
    kasir.ok(&["shift", "open", "100000"], "");
    let sale = kasir.sell(&format!("{KECAP}\npay cash\n"));
    let receipt = sale["receipt_number"].as_str().unwrap();
    let shown = kasir.ok(&["receipt", receipt], "");
    let sold_at = local(sale["completed_at"].as_str().unwrap(), "Asia/Jayapura");
    assert!(shown.contains(&sold_at), "{sold_at} in\n{shown}");

    let refund = kasir.json(&["refund", receipt]);
    let slip = kasir.ok(&["receipt", refund["refund_number"].as_str().unwrap()], "");
    let refunded_at = local(refund["created_at"].as_str().unwrap(), "Asia/Jayapura");
    assert!(slip.contains(&refunded_at), "{refunded_at} in\n{slip}");

    let x = kasir.json(&["shift", "report"]);
    let opened_at = local(x["opened_at"].as_str().unwrap(), "Asia/Jayapura");
    let text = kasir.ok(&["shift", "report"], "");
    assert!(text.contains("Laporan X, shift 1"), "{text}");
    assert!(text.contains(&format!("Dibuka {opened_at}")), "{text}");
    assert!(!text.contains(x["opened_at"].as_str().unwrap()), "{text}");

    let z = kasir.json(&["shift", "close", "104000"]);
    let closed_at = local(z["closed_at"].as_str().unwrap(), "Asia/Jayapura");
    let text = kasir.ok(&["shift", "report", "1"], "");
    for words in [
        "Laporan Z, shift 1".to_string(),
        format!("Ditutup {closed_at}"),
        "Modal awal laci".into(),
        "Seharusnya di laci".into(),
        "Uang dihitung".into(),
        "Selisih".into(),
        "Per pembayaran".into(),
        "Tunai (1)".into(),
    ] {
        assert!(text.contains(&words), "{words:?} in\n{text}");
    }
}

#[test]
fn an_unverified_qr_tender_is_marked_on_the_receipt_and_apart_in_reports() {
    let kasir = Kasir::new();
    kasir.ok(&["shift", "open", "0"], "");
    // Kecap Manis 4.000 by a QR tender only the clerk confirmed, Ultra Milk 7.500 in cash.
    let qr = kasir.sell(&format!("{KECAP}\npay qr ref=DANA-1\n"));
    kasir.sell(&format!("{MILK}\npay cash\n"));
    let receipt = kasir.ok(&["receipt", qr["receipt_number"].as_str().unwrap()], "");
    assert!(
        receipt
            .lines()
            .any(|l| l.starts_with("QRIS (belum terverifikasi) DANA-1") && l.ends_with("4.000")),
        "{receipt}"
    );

    let day = kasir.json(&["report", "day"]);
    assert_eq!(day["qr"]["unverified_count"], 1);
    assert_eq!(day["qr"]["unverified"], "4000");
    assert_eq!(day["qr"]["verified_count"], 0);
    let text = kasir.ok(&["report", "day"], "");
    let unverified = text
        .lines()
        .find(|l| l.contains("belum terverifikasi (1)"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(unverified.ends_with("4.000"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("terverifikasi (0)") && l.ends_with(" 0")),
        "{text}"
    );

    let shift = kasir.json(&["shift", "report"]);
    assert_eq!(shift["qr"]["unverified"], "4000");
    let text = kasir.ok(&["shift", "report"], "");
    assert!(
        text.lines()
            .any(|l| l.contains("belum terverifikasi (1)") && l.ends_with("4.000")),
        "{text}"
    );

    // An English store: the same, in English.
    kasir.ok(&["settings", "set", "locale", "en"], "");
    let receipt = kasir.ok(&["receipt", qr["receipt_number"].as_str().unwrap()], "");
    assert!(receipt.contains("QR (unverified) DANA-1"), "{receipt}");
    let text = kasir.ok(&["report", "day"], "");
    assert!(text.contains("unverified (1)"), "{text}");
}

#[test]
fn a_long_qr_reference_is_wrapped_at_32_42_and_48_columns() {
    let kasir = Kasir::new();
    let sale = kasir.sell(&format!("{KECAP}\npay qr ref={REFERENCE}\n"));
    let number = sale["receipt_number"].as_str().unwrap();
    for width in ["32", "42", "48"] {
        let receipt = kasir.ok(&["receipt", number, "--width", width], "");
        let columns: usize = width.parse().unwrap();
        assert!(
            receipt.lines().all(|l| l.chars().count() <= columns),
            "{width}:\n{receipt}"
        );
        let lines: Vec<&str> = receipt.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("QRIS (belum terverifikasi)"))
            .unwrap_or_else(|| panic!("{width}:\n{receipt}"));
        let joined: String = lines[at..]
            .iter()
            .take_while(|l| !l.starts_with("---"))
            .flat_map(|l| l.trim_end_matches("4.000").split_whitespace())
            .collect();
        assert!(joined.contains(REFERENCE), "{width}: {joined}\n{receipt}");
    }
}

#[test]
fn amounts_in_errors_are_grouped_as_on_the_receipt() {
    let kasir = Kasir::new();
    // Kecap Manis is 4.000: a card payment of more is refused.
    let out = kasir.fails(
        &["register"],
        &format!("{KECAP}\npay card 100000 approval=A1 last4=4242\n"),
    );
    let err = text(&out.stderr);
    assert!(err.contains("100.000") && err.contains("4.000"), "{err}");
    assert!(!err.contains("100000"), "{err}");

    let out = kasir.fails(&["register"], &format!("{KECAP}\npay qr 250000 ref=X-1\n"));
    let err = text(&out.stderr);
    assert!(err.contains("250.000"), "{err}");
    assert!(!err.contains("250000"), "{err}");

    // A gift card with less on it than asked.
    kasir.sell(&format!(
        "giftcard sell 10000 GC-7F3K-92QD\n{KECAP}\npay cash\n"
    ));
    let out = kasir.fails(&["giftcard", "redeem", "GC-7F3K-92QD", "15000"], "");
    let err = text(&out.stderr);
    assert!(err.contains("10.000") && err.contains("15.000"), "{err}");
}

#[test]
fn a_wrong_pin_is_refused_plainly_without_a_warning_log() {
    let kasir = Kasir::new();
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
    let out = kasir.fails(&["register", "--staff", "Mira", "--pin", "1111"], "");
    let err = text(&out.stderr);
    assert!(err.contains("wrong PIN for Mira"), "{err}");
    assert!(!err.contains("WARN"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("1111"), "{err}");

    // With logs asked for, the refusal is there at info, and the PIN is not.
    let out = kasir
        .command(&["register", "--staff", "Mira", "--pin", "1111"])
        .env("KASIR_LOG", "info")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(err.contains("INFO") && err.contains("wrong PIN"), "{err}");
    assert!(!err.contains("WARN"), "{err}");
    assert!(!err.contains("1111"), "{err}");
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let kasir = Kasir::new();
    kasir.sell(&format!("{KECAP}\npay cash\n"));
    for args in [
        &["catalog", "search", "kecap"][..],
        &["report", "day"][..],
        &["--json", "catalog", "search", "a", "--limit", "1000"][..],
        &["receipt", "D01-000001"][..],
    ] {
        // The reading end is closed before the command writes anything, as when `head` has
        // read all it wanted.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = kasir
            .command(args)
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(!err.contains("failed printing"), "{args:?}: {err}");
    }
}
