//! `kasir scan IMAGE...` and scans at `kasir register` end to end: real barcode photos, scale
//! labels under the store's rules, GS1 data typed in brackets.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Kasir {
    dir: tempfile::TempDir,
    store: PathBuf,
}

impl Kasir {
    /// A store with the sample catalog plus a book, a weighed item and a deli item.
    fn new() -> Kasir {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kasir.db");
        let kasir = Kasir { dir, store };
        assert!(kasir.run(&["init"], None).status.success());
        let catalog = kasir.file(
            "extra.csv",
            "gtin,name,price,tax_category,unit\n\
             9780764544200,Buku resep,85000,exempt,each\n\
             2100001000004,Daging sapi,120000,exempt,kg\n\
             2000070000007,Ikan kakap,95000,exempt,each\n",
        );
        let out = kasir.run(&["catalog", "import", catalog.to_str().unwrap()], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
        kasir
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    fn run(&self, args: &[&str], input: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kasir"))
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("KASIR_STORE")
            .env_remove("KASIR_SCAN_RULES")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.unwrap_or("").as_bytes()).unwrap();
        drop(stdin);
        child.wait_with_output().unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn photo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rust-core/scan/tests/data/barcodes")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn scanning_a_photo_finds_the_product() {
    let kasir = Kasir::new();
    let book = photo("ean13/ean13-3/01.png");
    let blurry = photo("ean13/ean13-5/01.png");

    let out = kasir.run(&["--json", "scan", &book, &blurry], None);

    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["read"]["text"], "9780764544200");
    assert_eq!(lines[0]["read"]["symbology"], "ean13");
    assert_eq!(lines[0]["result"]["action"], "add-product");
    assert_eq!(lines[0]["result"]["item"]["name"], "Buku resep");
    assert_eq!(lines[0]["result"]["quantity"], "1");
    // Too blurry to read: nothing, not a guess.
    assert_eq!(lines[1]["read"], Value::Null);
    assert_eq!(lines[1]["result"], Value::Null);
}

#[test]
fn scanning_a_missing_file_fails() {
    let kasir = Kasir::new();
    let out = kasir.run(&["scan", "/nonexistent/pack.png"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("/nonexistent/pack.png"));
}

#[test]
fn the_register_rings_up_scale_labels_and_gs1_data() {
    let kasir = Kasir::new();
    let rules = kasir.file(
        "rules.json",
        r#"{"scale_rules": [{"layout": "21IIIIIWWWWWC", "decimals": 3},
                             {"layout": "20IIIIPPPPPPC", "decimals": 0}]}"#,
    );
    // 2.750 kg of beef at Rp 120.000/kg; a Rp 125.500 fish label; Kecap Manis by its GS1 data.
    let script = "2100001027506\n2000071255000\n(01)08990121011028(10)LOT7\npay cash\n";

    let out = kasir.run(
        &[
            "--json",
            "register",
            "--scan-rules",
            rules.to_str().unwrap(),
        ],
        Some(script),
    );

    assert!(out.status.success(), "{}", text(&out.stderr));
    let sale: Value = serde_json::from_str(text(&out.stdout).lines().last().unwrap()).unwrap();
    let lines = sale["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3, "{sale}");
    assert_eq!(lines[0]["name"], "Daging sapi");
    assert_eq!(lines[0]["quantity"], "2.750");
    assert_eq!(lines[1]["name"], "Ikan kakap");
    assert_eq!(lines[1]["unit_price"], "125500");
    assert_eq!(lines[2]["gtin"], "08990121011028");
    // 330.000 + 125.500 + the Kecap Manis price from the sample catalog.
    let kecap: i64 = lines[2]["unit_price"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        sale["total"].as_str().unwrap(),
        (455_500 + kecap).to_string()
    );
}

#[test]
fn a_scale_label_with_a_bad_check_digit_stops_the_script() {
    let kasir = Kasir::new();
    let rules = kasir.file(
        "rules.json",
        r#"{"scale_rules": [{"layout": "21IIIIIWWWWWC", "decimals": 3}]}"#,
    );
    let out = kasir.run(
        &["register", "--scan-rules", rules.to_str().unwrap()],
        Some("2100001027507\npay cash\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 1") && stderr.contains("check digit"),
        "{stderr}"
    );
}

#[test]
fn bad_scan_rules_are_refused_with_the_reason() {
    let kasir = Kasir::new();
    let rules = kasir.file(
        "rules.json",
        r#"{"scale_rules": [{"layout": "41IIIIIWWWWWC", "decimals": 3}]}"#,
    );
    let out = kasir.run(
        &["register", "--scan-rules", rules.to_str().unwrap()],
        Some(""),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("restricted-circulation"),
        "{}",
        text(&out.stderr)
    );
}
