//! `kasir` against a simulated BlueZ: python-dbusmock's bluez5 template on a private system
//! bus, with one Bluetooth LE printer (service 18F0, write characteristic 2AF1, MTU 185). The
//! real `btleplug` link scans, connects, finds the characteristic and writes the job.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MOCK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bluez/mock_printer.py");

struct Kasir {
    dir: tempfile::TempDir,
    store: PathBuf,
}

impl Kasir {
    fn new() -> Kasir {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kasir.db");
        let kasir = Kasir { dir, store };
        let out = kasir.plain(&["init"]);
        assert!(out.status.success(), "init: {}", text(&out.stderr));
        kasir
    }

    fn plain(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kasir"))
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("KASIR_STORE")
            .output()
            .unwrap()
    }

    /// Runs kasir with the mocked BlueZ; returns its output and what the printer received.
    fn with_bluez(&self, args: &[&str]) -> (Output, Vec<u8>, Vec<usize>) {
        let received = self.dir.path().join("received.bin");
        let out = Command::new("/usr/bin/python3")
            .arg(MOCK)
            .arg(&received)
            .arg(env!("CARGO_BIN_EXE_kasir"))
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("KASIR_STORE")
            .output()
            .unwrap();
        let bytes = std::fs::read(&received).unwrap_or_default();
        let sizes = std::fs::read_to_string(sizes_path(&received))
            .unwrap_or_default()
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        (out, bytes, sizes)
    }
}

fn sizes_path(received: &Path) -> PathBuf {
    let mut name = received.as_os_str().to_owned();
    name.push(".sizes");
    PathBuf::from(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn scan_through_bluez_finds_the_printer_by_its_service() {
    let kasir = Kasir::new();

    let (out, _, _) = kasir.with_bluez(&["--json", "printer", "scan", "--seconds", "1"]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found[0]["target"], "ble:AA:BB:CC:DD:EE:FF");
    assert_eq!(found[0]["name"], "Mock Printer");
}

#[test]
fn test_page_through_bluez_arrives_whole_in_writes_of_mtu_minus_3() {
    let kasir = Kasir::new();
    let file = kasir.dir.path().join("page.bin");
    let out = kasir.plain(&["printer", "test", &format!("file:{}", file.display())]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = std::fs::read(&file).unwrap();

    let (out, received, sizes) = kasir.with_bluez(&["printer", "test", "ble:AA:BB:CC:DD:EE:FF"]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(received, page);
    // MTU 185: every write but the last is 182 bytes.
    assert_eq!(sizes.len(), page.len().div_ceil(182));
    assert!(
        sizes[..sizes.len() - 1].iter().all(|n| *n == 182),
        "{sizes:?}"
    );
    assert_eq!(sizes.iter().sum::<usize>(), page.len());
}

#[test]
fn real_sale_receipt_through_bluez_is_the_same_job_as_in_a_file() {
    let kasir = Kasir::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kasir"))
        .arg("--store")
        .arg(&kasir.store)
        .arg("register")
        .env_remove("KASIR_STORE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"8998866200301\npay cash 20000\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
    let file = kasir.dir.path().join("receipt.bin");
    let out = kasir.plain(&[
        "receipt",
        "D01-000001",
        "--print",
        &format!("file:{}", file.display()),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let (out, received, _) =
        kasir.with_bluez(&["receipt", "D01-000001", "--print", "ble:AA:BB:CC:DD:EE:FF"]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(received, std::fs::read(&file).unwrap());
}
