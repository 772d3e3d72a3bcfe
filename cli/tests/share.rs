//! `kasir receipt N --png FILE` and `--pdf FILE`: a real sale's receipt written as a picture and
//! a PDF (read back with poppler's `pdftotext`), and a bad number or width writing nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Kasir {
    dir: tempfile::TempDir,
    store: PathBuf,
}

impl Kasir {
    /// A store with the sample catalog and one cash sale: Kecap Manis (Rp 4.000) paid with
    /// Rp 5.000.
    fn with_a_sale() -> Kasir {
        Kasir::with_sale(b"8990121011028\npay cash 5000\n")
    }

    /// A store with the sample catalog and the sale the register lines `input` ring up.
    fn with_sale(input: &[u8]) -> Kasir {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kasir.db");
        let kasir = Kasir { dir, store };
        let out = kasir.run(&["init"]);
        assert!(out.status.success(), "init: {}", text(&out.stderr));
        let mut child = kasir
            .command(&["register"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "register: {}", text(&out.stderr));
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
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The width and height in a PNG's header: the signature, then the IHDR chunk (length, type,
/// width and height as big-endian 32-bit numbers).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// The PDF's text as poppler's `pdftotext -layout` reads it, each line's spaces squeezed,
/// empty lines left out. The test fails, never skips, without the program.
fn pdf_lines(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils, see scripts/setup.sh) is needed");
    assert!(out.status.success(), "pdftotext: {}", text(&out.stderr));
    squeezed(&text(&out.stdout))
}

fn squeezed(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn receipt_png_and_pdf_write_the_receipt_the_terminal_shows() {
    let kasir = Kasir::with_a_sale();
    let (png, pdf) = (kasir.path("struk.png"), kasir.path("struk.pdf"));

    let out = kasir.run(&[
        "receipt",
        "D01-000001",
        "--width",
        "32",
        "--png",
        arg(&png),
        "--pdf",
        arg(&pdf),
    ]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("struk.png"),
        "{}",
        text(&out.stdout)
    );
    // 80 mm at 203 dots to the inch, as long as the receipt.
    let (width, height) = png_size(&std::fs::read(&png).unwrap());
    assert_eq!(width, 640);
    assert!(height > 500, "{height}");
    let shown = kasir.run(&["receipt", "D01-000001", "--width", "32"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let lines = pdf_lines(&pdf);
    assert_eq!(lines, squeezed(&text(&shown.stdout)));
    assert!(lines.contains(&"Tunai 5.000".to_string()), "{lines:?}");
    assert!(lines.contains(&"Kembali 1.000".to_string()), "{lines:?}");
    assert!(lines.contains(&"TOTAL Rp 4.000".to_string()), "{lines:?}");
}

#[test]
fn a_shared_receipt_marks_an_unverified_qr_tender_as_the_terminal_one_does() {
    let kasir = Kasir::with_sale(b"8990121011028\npay qr ref=DANA-1\n");
    let pdf = kasir.path("struk.pdf");
    let out = kasir.run(&["receipt", "D01-000001", "--pdf", arg(&pdf)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = kasir.run(&["receipt", "D01-000001"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let lines = pdf_lines(&pdf);
    assert_eq!(lines, squeezed(&text(&shown.stdout)));
    assert!(
        lines.iter().any(|l| l.contains("belum terverifikasi")),
        "{lines:?}"
    );
}

#[test]
fn receipt_pdf_alone_with_json_names_the_file_and_its_size() {
    let kasir = Kasir::with_a_sale();
    let pdf = kasir.path("receipt.pdf");

    let out = kasir.run(&["--json", "receipt", "D01-000001", "--pdf", arg(&pdf)]);

    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["receipt_number"], "D01-000001");
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert_eq!(v["files"]["pdf"]["bytes"].as_u64(), Some(size));
    assert!(v["files"].get("png").is_none());
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn a_receipt_number_without_a_sale_is_an_error_and_writes_no_file() {
    let kasir = Kasir::with_a_sale();
    let (png, pdf) = (kasir.path("x.png"), kasir.path("x.pdf"));

    let out = kasir.run(&[
        "receipt",
        "D01-000099",
        "--png",
        arg(&png),
        "--pdf",
        arg(&pdf),
    ]);

    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("D01-000099"),
        "{}",
        text(&out.stderr)
    );
    assert!(!png.exists() && !pdf.exists());
    // Nothing but the store's own files (no `.part` left behind either).
    let others: Vec<String> = std::fs::read_dir(kasir.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("kasir.db"))
        .collect();
    assert!(others.is_empty(), "{others:?}");
}

#[test]
fn a_width_the_picture_cannot_show_is_refused_by_name_and_writes_no_file() {
    let kasir = Kasir::with_a_sale();
    let png = kasir.path("wide.png");

    let out = kasir.run(&["receipt", "D01-000001", "--width", "80", "--png", arg(&png)]);

    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("columns") && err.contains("80 is outside 24 to 64"),
        "{err}"
    );
    assert!(!png.exists());
}
