//! Decodes every image of the `<format>/<set>/<name>.png` folders under a directory and prints,
//! per format, how many decoded to the expected text, how many to nothing and how many to a
//! wrong text, with the time per image (CPU time of the decoding thread where Linux reports
//! it, so a busy machine does not inflate it).
//!
//! `cargo run --release -p kasir-scan --features image --example decode_photos -- DIR [--json]`
//!
//! The layout is the zxing blackbox one of `tests/data/barcodes/` (see its README): each image
//! beside a `.txt` file with its exact expected text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kasir_scan::frame::{DecodeOptions, Format, Frame, FrameDecoder, Region};
use kasir_scan::image_file::{self, GrayImage};

/// A clock for one decode: the calling thread's CPU time on Linux, so that other work on a
/// shared machine does not count; the wall clock elsewhere.
struct Clock(Result<u128, Instant>);

impl Clock {
    fn start() -> Clock {
        Clock(cpu_nanos().ok_or_else(Instant::now))
    }

    fn micros(&self) -> u128 {
        match (&self.0, cpu_nanos()) {
            (Ok(start), Some(now)) => now.saturating_sub(*start) / 1000,
            (Err(start), _) => start.elapsed().as_micros(),
            (Ok(_), None) => 0,
        }
    }
}

#[cfg(target_os = "linux")]
fn cpu_nanos() -> Option<u128> {
    use rustix::time::{ClockId, clock_gettime};
    let now = clock_gettime(ClockId::ThreadCPUTime);
    let seconds = u128::try_from(now.tv_sec).ok()?;
    let nanos = u128::try_from(now.tv_nsec).ok()?;
    Some(seconds * 1_000_000_000 + nanos)
}

#[cfg(not(target_os = "linux"))]
fn cpu_nanos() -> Option<u128> {
    None
}

#[derive(Default)]
struct Tally {
    right: u32,
    none: u32,
    wrong: u32,
    micros: u128,
    frame_right: u32,
    frame_micros: u128,
    roi_right: u32,
    roi_micros: u128,
}

/// The photo pasted in the middle of a grey 1280x720 camera-sized frame (cropped if larger),
/// and the region it covers with a margin.
fn camera_frame(photo: &GrayImage) -> (Vec<u8>, Region) {
    let (width, height) = (1280u32, 720u32);
    let mut pixels = vec![128u8; (width * height) as usize];
    let (w, h) = (photo.width.min(width), photo.height.min(height));
    let (left, top) = ((width - w) / 2, (height - h) / 2);
    for y in 0..h {
        let from = (y * photo.width) as usize;
        let to = ((top + y) * width + left) as usize;
        pixels[to..to + w as usize].copy_from_slice(&photo.pixels[from..from + w as usize]);
    }
    let margin = 16;
    let region = Region {
        left: left.saturating_sub(margin),
        top: top.saturating_sub(margin),
        width: (w + 2 * margin).min(width - left.saturating_sub(margin)),
        height: (h + 2 * margin).min(height - top.saturating_sub(margin)),
    };
    (pixels, region)
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
    // A live camera decoder: no extra effort, every format (a checkout does not know).
    let live = FrameDecoder::new(DecodeOptions {
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
            let clock = Clock::start();
            let read = decoder.decode(&image.frame()).expect("frame");
            let micros = clock.micros();
            let (canvas, region) = camera_frame(&image);
            let full = Frame::packed(&canvas, 1280, 720);
            let clock = Clock::start();
            let frame_read = live.decode(&full).expect("frame");
            let frame_micros = clock.micros();
            let clock = Clock::start();
            let roi_read = live.decode(&full.with_region(region)).expect("frame");
            let roi_micros = clock.micros();
            let tally = tallies.entry(format.clone()).or_default();
            tally.micros += micros;
            tally.frame_micros += frame_micros;
            tally.roi_micros += roi_micros;
            for (read, counter) in [
                (&frame_read, &mut tally.frame_right),
                (&roi_read, &mut tally.roi_right),
            ] {
                match read {
                    Some(r) if expected_matches(&format, &expected, &r.text) => *counter += 1,
                    Some(r) => println!(
                        "WRONG (camera frame) {} expected {expected:?} got {:?}",
                        rel(&dir, &path),
                        r.text
                    ),
                    None => {}
                }
            }
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
                let row = serde_json::json!({
                    "file": rel(&dir, &path),
                    "outcome": outcome,
                    "text": read.map(|r| r.text).unwrap_or_default(),
                    "micros": micros as u64,
                    "frame_text": frame_read.map(|r| r.text).unwrap_or_default(),
                    "frame_micros": frame_micros as u64,
                    "roi_text": roi_read.map(|r| r.text).unwrap_or_default(),
                    "roi_micros": roi_micros as u64,
                });
                println!("{row}");
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
        let ms = |micros: u128| {
            let per = micros / u128::from(n.max(1));
            format!("{}.{} ms", per / 1000, per % 1000 / 100)
        };
        eprintln!(
            "{format:8} photos {:3}/{n:<3} decoded, {:3} nothing, {} wrong, {}/image | 1280x720 frame {:3}/{n} {}/frame | with region {:3}/{n} {}/frame",
            t.right,
            t.none,
            t.wrong,
            ms(t.micros),
            t.frame_right,
            ms(t.frame_micros),
            t.roi_right,
            ms(t.roi_micros)
        );
    }
}

fn rel(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}
