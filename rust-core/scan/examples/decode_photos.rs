//! Decodes every image of the `<format>/<set>/<name>.png` folders under a directory and prints,
//! per format, how many decoded to the expected text, how many to nothing and how many to a
//! wrong text, with the time per image.
//!
//! `cargo run --release -p kasir-scan --features image --example decode_photos -- DIR [--json]`
//!
//! The layout is the zxing blackbox one of `tests/data/barcodes/` (see its README): each image
//! beside a `.txt` file with its exact expected text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kasir_scan::frame::{DecodeOptions, Format, FrameDecoder};
use kasir_scan::image_file;

#[derive(Default)]
struct Tally {
    right: u32,
    none: u32,
    wrong: u32,
    micros: u128,
}

fn expected_matches(format: &str, expected: &str, got: &str) -> bool {
    let normalise = |s: &str| s.replace("\r\n", "\n");
    if normalise(expected) == normalise(got) {
        return true;
    }
    // A UPC-A may come back as its 13-digit EAN form.
    format == "upca" && got.len() == 13 && got.starts_with('0') && &got[1..] == expected
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: decode_photos DIR [--json]");
        std::process::exit(2);
    };
    let json = args.iter().any(|a| a == "--json");
    let decoder = FrameDecoder::new(DecodeOptions {
        formats: Format::ALL.to_vec(),
        try_harder: true,
        downscale: 1,
    })
    .expect("valid options");
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut formats: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    formats.sort();
    for format_dir in formats {
        let format = format_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let mut images: Vec<PathBuf> = Vec::new();
        for set in std::fs::read_dir(&format_dir)
            .expect("format directory")
            .flatten()
        {
            if let Ok(files) = std::fs::read_dir(set.path()) {
                images.extend(
                    files
                        .flatten()
                        .map(|f| f.path())
                        .filter(|p| p.extension().is_some_and(|e| e == "png")),
                );
            }
        }
        images.sort();
        for path in images {
            let expected_path = path.with_extension("txt");
            let expected = std::fs::read_to_string(&expected_path).expect("expected text");
            let image = image_file::read(&path).expect("image");
            let start = Instant::now();
            let read = decoder.decode(&image.frame()).expect("frame");
            let micros = start.elapsed().as_micros();
            let tally = tallies.entry(format.clone()).or_default();
            tally.micros += micros;
            let outcome = match &read {
                None => {
                    tally.none += 1;
                    "none"
                }
                Some(r) if expected_matches(&format, &expected, &r.text) => {
                    tally.right += 1;
                    "right"
                }
                Some(_) => {
                    tally.wrong += 1;
                    "WRONG"
                }
            };
            if json {
                println!(
                    "{{\"file\":{:?},\"outcome\":\"{outcome}\",\"text\":{:?},\"micros\":{micros}}}",
                    rel(&dir, &path),
                    read.map(|r| r.text).unwrap_or_default()
                );
            } else if outcome != "right" {
                println!(
                    "{outcome:5} {} expected {expected:?} got {:?}",
                    rel(&dir, &path),
                    read.map(|r| r.text)
                );
            }
        }
    }
    for (format, t) in &tallies {
        let n = t.right + t.none + t.wrong;
        // Integer microseconds per image, printed as milliseconds with one decimal.
        let per_image = t.micros / u128::from(n.max(1));
        eprintln!(
            "{format:8} {:3}/{n:<3} decoded, {:3} nothing, {} wrong, {}.{} ms/image",
            t.right,
            t.none,
            t.wrong,
            per_image / 1000,
            per_image % 1000 / 100
        );
    }
}

fn rel(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}
