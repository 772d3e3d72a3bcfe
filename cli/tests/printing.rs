//! `kasir` end to end with printers and the card reader: a real sale's receipt printed to a
//! local TCP listener (a port-9100 printer) and to a file, the simulated Bluetooth printer,
//! failed jobs and reprints, and card payments through the simulated reader.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Kasir {
    dir: tempfile::TempDir,
    store: PathBuf,
}

impl Kasir {
    fn new() -> Kasir {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kasir.db");
        let kasir = Kasir { dir, store };
        let out = kasir.run(&["init"]);
        assert!(out.status.success(), "init: {}", text(&out.stderr));
        kasir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kasir"));
        command
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("KASIR_STORE");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn register(&self, script: &str, env: &[(&str, &str)]) -> Output {
        let mut child = self
            .command(&["register"])
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Sells one pack of Mie Sedaap (Rp 11,000 in the sample catalog) for cash.
    fn sale(&self) {
        let out = self.register("8998866200301\npay cash 20000\n", &[]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A one-job printer on a local port: returns its target and a handle yielding what arrived.
fn tcp_printer() -> (String, std::thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut received = Vec::new();
        socket.read_to_end(&mut received).unwrap();
        received
    });
    (format!("tcp:127.0.0.1:{port}"), handle)
}

fn all_store_bytes(store: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut name = store.as_os_str().to_owned();
        name.push(suffix);
        if let Ok(bytes) = std::fs::read(PathBuf::from(name)) {
            all.extend(bytes);
        }
    }
    all
}

#[test]
fn receipt_printed_to_a_tcp_printer_and_to_a_file_is_the_same_esc_pos_job() {
    let kasir = Kasir::new();
    kasir.sale();
    let (target, printer) = tcp_printer();
    let file = kasir.path("receipt.bin");
    let file_target = format!("file:{}", file.display());

    let tcp = kasir.run(&["receipt", "D01-000001", "--print", &target]);
    let to_file = kasir.run(&["receipt", "D01-000001", "--print", &file_target]);

    assert!(tcp.status.success(), "{}", text(&tcp.stderr));
    assert!(to_file.status.success(), "{}", text(&to_file.stderr));
    let received = printer.join().unwrap();
    let written = std::fs::read(&file).unwrap();
    // The listener does not answer the status request (DLE EOT 2), so the job follows it.
    assert_eq!(received[..3], [0x10, 0x04, 0x02]);
    let received = &received[3..];
    assert_eq!(received, written);
    // ESC @ (initialise) first; the receipt number, the item and its price as text; a cut.
    assert_eq!(received[..2], [0x1B, 0x40]);
    assert!(contains(received, b"D01-000001"));
    assert!(contains(received, b"Mie Sedaap"));
    assert!(contains(received, b"11.000"));
    assert!(contains(received, &[0x1D, 0x56]));
}

#[test]
fn named_printer_is_added_listed_and_printed_to() {
    let kasir = Kasir::new();
    kasir.sale();
    let file = kasir.path("counter.bin");
    let target = format!("file:{}", file.display());

    let added = kasir.run(&[
        "printer",
        "add",
        "counter",
        &target,
        "--profile",
        "generic-80",
    ]);
    let list = kasir.json(&["printer", "list"]);
    let printed = kasir.run(&["receipt", "D01-000001", "--print", "counter"]);

    assert!(added.status.success(), "{}", text(&added.stderr));
    assert_eq!(list[0]["name"], "counter");
    assert_eq!(list[0]["target"], target.as_str());
    assert_eq!(list[0]["profile"], "generic-80");
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    assert!(contains(&std::fs::read(&file).unwrap(), b"D01-000001"));
}

#[test]
fn bad_target_is_refused_and_nothing_is_saved() {
    let kasir = Kasir::new();

    let out = kasir.run(&["printer", "add", "counter", "tcp:printer"]);

    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("tcp:HOST:PORT"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(kasir.json(&["printer", "list"]), Value::Array(Vec::new()));
}

#[test]
fn receipt_on_the_simulated_bluetooth_printer_goes_in_chunks_of_mtu_minus_3() {
    let kasir = Kasir::new();
    kasir.sale();

    let out = kasir.json(&["receipt", "D01-000001", "--print", "sim:"]);

    assert_eq!(out["status"], "printed");
    let bytes = out["bytes"].as_u64().unwrap();
    assert_eq!(out["simulated"]["received"].as_u64().unwrap(), bytes);
    // The simulated printer agrees to MTU 185: 182 bytes a write.
    assert_eq!(out["simulated"]["largest_write"], 182);
    assert_eq!(
        out["simulated"]["writes"].as_u64().unwrap(),
        bytes.div_ceil(182)
    );
}

#[test]
fn printer_nobody_answers_fails_the_job_and_a_reprint_elsewhere_prints_it() {
    let kasir = Kasir::new();
    kasir.sale();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("tcp:127.0.0.1:{port}");

    let failed = kasir.run(&["receipt", "D01-000001", "--print", &dead]);
    let jobs = kasir.json(&["printer", "jobs"]);
    let id = jobs["needing_attention"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let file = kasir.path("again.bin");
    let again = kasir.run(&[
        "printer",
        "reprint",
        &id,
        "--to",
        &format!("file:{}", file.display()),
    ]);

    assert!(!failed.status.success());
    let message = text(&failed.stderr);
    assert!(
        message.contains("did not print") && message.contains(&dead),
        "{message}"
    );
    assert_eq!(jobs["needing_attention"][0]["status"], "failed");
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(contains(&std::fs::read(&file).unwrap(), b"D01-000001"));
    let after = kasir.json(&["printer", "jobs"]);
    assert_eq!(after["needing_attention"], Value::Array(Vec::new()));
    assert_eq!(after["recent"][0]["reprint_of"], id.as_str());
}

#[test]
fn test_page_prints_to_a_file() {
    let kasir = Kasir::new();
    let file = kasir.path("test.bin");

    let out = kasir.run(&["printer", "test", &format!("file:{}", file.display())]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(contains(&std::fs::read(&file).unwrap(), b"KASIR TEST PAGE"));
}

#[test]
fn simulated_scan_lists_the_simulated_printer() {
    let kasir = Kasir::new();

    let found = kasir.json(&["printer", "scan", "--simulated", "--seconds", "1"]);

    assert_eq!(found[0]["target"], "sim:");
    assert!(
        found[0]["services"]
            .as_array()
            .unwrap()
            .contains(&Value::from("000018f0-0000-1000-8000-00805f9b34fb"))
    );
}

#[test]
fn card_payment_on_the_reader_completes_the_sale_with_code_brand_and_last_four() {
    let kasir = Kasir::new();

    let out = kasir.register("8998866200301\npay reader\n", &[("KASIR_LOG", "trace")]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("reader: present the card"), "{stdout}");
    assert!(stdout.contains("Sale D01-000001 recorded."), "{stdout}");
    let sales = kasir.json(&["sales", "list"]);
    assert_eq!(sales.as_array().unwrap().len(), 1);
    let receipt = kasir.json(&["receipt", "D01-000001"]);
    let tender = &receipt["tenders"][0];
    assert_eq!(tender["method"], "card");
    assert_eq!(tender["approval_code"], "A00001");
    assert_eq!(tender["brand"], "VISA");
    assert_eq!(tender["last4"], "1111");
    assert_eq!(tender["amount"], "11000");
}

#[test]
fn card_number_from_the_reader_is_not_in_the_store_nor_the_logs() {
    let kasir = Kasir::new();

    let out = kasir.register("8998866200301\npay reader\n", &[("KASIR_LOG", "trace")]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    let output = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!output.contains("4111111111111111"), "{output}");
    let stored = all_store_bytes(&kasir.store);
    assert!(!contains(&stored, b"4111111111111111"));
    assert!(!contains(
        &stored,
        &[0x41, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11]
    ));
}

#[test]
fn declined_card_records_nothing_and_says_so() {
    let kasir = Kasir::new();

    let out = kasir.register("8998866200301\npay reader sim=decline\n", &[]);

    assert!(!out.status.success());
    let message = text(&out.stderr);
    assert!(
        message.contains("card declined (DO NOT HONOUR): nothing was charged"),
        "{message}"
    );
    assert_eq!(kasir.json(&["sales", "list"]), Value::Array(Vec::new()));
}

#[test]
fn a_tip_chosen_on_the_reader_joins_the_sale_and_the_card_covers_it() {
    let kasir = Kasir::new();

    let out = kasir.register("8998866200301\npay reader tip=10,15 sim-tip=15\n", &[]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    // Mie Sedaap 11.000; 15% tip on 11.000 = 1.650, untaxed: PPN stays 1.090 (11.000 x 12/112
    // on the 11/12 base); total 12.650, all on the card.
    let receipt = kasir.json(&["receipt", "D01-000001"]);
    assert_eq!(receipt["items_total"], "11000");
    assert_eq!(receipt["charges"][0]["kind"], "tip");
    assert_eq!(receipt["charges"][0]["amount"], "1650");
    assert_eq!(receipt["charges"][0]["tax"], "0");
    assert_eq!(receipt["tax_total"], "1090");
    assert_eq!(receipt["total"], "12650");
    assert_eq!(receipt["tenders"].as_array().unwrap().len(), 1);
    assert_eq!(receipt["tenders"][0]["method"], "card");
    assert_eq!(receipt["tenders"][0]["amount"], "12650");
    let printed = text(&kasir.run(&["receipt", "D01-000001"]).stdout);
    assert!(
        printed.contains("Tip                                  1.650"),
        "{printed}"
    );
    let day = kasir.json(&["report", "day"]);
    assert_eq!(day["tips_by_staff"][0]["staff"], Value::Null);
    assert_eq!(day["tips_by_staff"][0]["tips"], "1650");
    assert_eq!(day["tenders"][0]["amount"], "12650");

    // No tip picked: the sale is the items alone.
    let out = kasir.register("8998866200301\npay reader tip=10,15 sim-tip=none\n", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let receipt = kasir.json(&["receipt", "D01-000002"]);
    assert_eq!(receipt["charges_total"], "0");
    assert_eq!(receipt["total"], "11000");
    assert_eq!(receipt["tenders"][0]["amount"], "11000");
}

#[test]
fn reader_tips_are_refused_where_the_card_cannot_cover_them() {
    let kasir = Kasir::new();
    for (script, expected) in [
        (
            "8998866200301\npay reader tip=10,15 sim-tip=20\n",
            "`sim-tip=20` is not one of the tip choices",
        ),
        (
            "8998866200301\npay reader tip=10,60\n",
            "`60` is not a tip choice",
        ),
        (
            "8998866200301\npay reader 5000 tip=10\n",
            "need the card to pay the whole sale",
        ),
        (
            "8998866200301\ntip 500\npay reader tip=10\n",
            "the sale already has a tip",
        ),
    ] {
        let out = kasir.register(script, &[]);
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{script:?}: {stderr}");
    }
    assert_eq!(kasir.json(&["sales", "list"]), Value::Array(Vec::new()));
}

#[test]
fn a_taxed_tip_on_the_reader_includes_its_tax_and_the_card_pays_exactly_the_sale() {
    let kasir = Kasir::new();
    for setting in [["tip-tax", "ppn"], ["price-mode", "tax-excluded"]] {
        let out = kasir.run(&["settings", "set", setting[0], setting[1]]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }

    let out = kasir.register("8998866200301\npay reader tip=10,15 sim-tip=15\n", &[]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    // Mie Sedaap 11.000 before tax; PPN 12% on 11/12 = 1.210; due 12.210. The customer picks
    // 15% on the reader: 1.831 (12.210 x 15% as the reader rounds it), which the card pays on
    // top. That tip includes its PPN: 1.831 x 0.11 / 1.11 = 181.45 -> 181 (half away from
    // zero), so the tip charge is 1.650 and the sale's PPN 1.210 + 181 = 1.391.
    let receipt = kasir.json(&["receipt", "D01-000001"]);
    assert_eq!(receipt["items_total"], "11000");
    assert_eq!(receipt["charges"][0]["kind"], "tip");
    assert_eq!(receipt["charges"][0]["amount"], "1650");
    assert_eq!(receipt["charges"][0]["tax"], "181");
    assert_eq!(receipt["tax_total"], "1391");
    assert_eq!(receipt["taxes"][0]["tax"], "1391");
    assert_eq!(receipt["total"], "14041");
    assert_eq!(receipt["tenders"].as_array().unwrap().len(), 1);
    assert_eq!(receipt["tenders"][0]["method"], "card");
    assert_eq!(receipt["tenders"][0]["amount"], "14041");
    assert_eq!(receipt["change"], "0");
    let printed = text(&kasir.run(&["receipt", "D01-000001"]).stdout);
    for line in [
        "Tip                                  1.650",
        "TOTAL                            Rp 14.041",
    ] {
        assert!(printed.contains(line), "{line}: {printed}");
    }
}

#[test]
fn reader_payment_of_part_then_cash_for_the_rest_completes_the_sale() {
    let kasir = Kasir::new();

    let out = kasir.register("8998866200301\npay reader 5000\npay cash\n", &[]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    let receipt = kasir.json(&["receipt", "D01-000001"]);
    assert_eq!(receipt["tenders"][0]["method"], "card");
    assert_eq!(receipt["tenders"][0]["amount"], "5000");
    assert_eq!(receipt["tenders"][1]["method"], "cash");
    assert_eq!(receipt["tenders"][1]["amount"], "6000");
}

#[test]
fn reader_amount_above_what_is_due_is_refused_before_the_card_is_charged() {
    let kasir = Kasir::new();

    let out = kasir.register("8998866200301\npay reader 20000\n", &[]);

    assert!(!out.status.success());
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("Card reader connected"), "{stdout}");
    assert!(
        text(&out.stderr).contains("more than the 11.000 still due"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn register_names_a_receipt_that_did_not_print_and_how_to_reprint_it() {
    let kasir = Kasir::new();
    kasir.sale();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let failed = kasir.run(&[
        "receipt",
        "D01-000001",
        "--print",
        &format!("tcp:127.0.0.1:{port}"),
    ]);
    assert!(!failed.status.success());

    let out = kasir.register("quit\n", &[]);

    let message = text(&out.stderr);
    assert!(
        message.contains("note: receipt D01-000001 did not print on tcp:127.0.0.1:")
            && message.contains("`kasir printer reprint "),
        "{message}"
    );
}

#[test]
fn receipt_printed_to_standard_output_is_the_job_alone() {
    let kasir = Kasir::new();
    kasir.sale();
    let file = kasir.path("same.bin");
    let to_file = kasir.run(&[
        "receipt",
        "D01-000001",
        "--print",
        &format!("file:{}", file.display()),
    ]);
    assert!(to_file.status.success(), "{}", text(&to_file.stderr));

    let out = kasir.run(&["receipt", "D01-000001", "--print", "file:-"]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(out.stdout, std::fs::read(&file).unwrap());
    assert!(text(&out.stderr).contains("Printed receipt D01-000001"));
}

#[test]
fn offline_card_approval_is_refused_when_the_merchant_allows_none() {
    let kasir = Kasir::new();

    let out = kasir.register("8998866200301\npay reader sim=offline\n", &[]);

    assert!(!out.status.success());
    let message = text(&out.stderr);
    assert!(
        message.contains("offline card payments are turned off"),
        "{message}"
    );
    assert_eq!(kasir.json(&["sales", "list"]), Value::Array(Vec::new()));
}

#[test]
fn offline_card_payments_are_kept_within_the_total_limit_and_listed() {
    let kasir = Kasir::new();
    // At most Rp 20,000 a payment and Rp 30,000 waiting in all, for 24 hours.
    let limits = [("KASIR_OFFLINE_CARD_LIMITS", "20000,30000,24")];
    let two =
        "8998866200301\npay reader sim=offline\n8998866200301\npay reader sim=offline\noffline\n";

    let first = kasir.register(two, &limits);
    let third = kasir.register("8998866200301\npay reader sim=offline\n", &limits);

    assert!(first.status.success(), "{}", text(&first.stderr));
    let stdout = text(&first.stdout);
    assert!(
        stdout.contains("2 card payment(s), 22.000 in all"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("VISA **1111  11.000").count(), 2, "{stdout}");
    // 22,000 wait; 11,000 more would make 33,000, over the 30,000 limit.
    assert!(!third.status.success());
    let message = text(&third.stderr);
    assert!(
        message.contains("would pass the limit of 30000"),
        "{message}"
    );
    assert_eq!(kasir.json(&["sales", "list"]).as_array().unwrap().len(), 2);
}
