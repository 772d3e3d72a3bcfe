//! Camera scanning: the apps hand over each camera frame's luminance (Y) plane and get back
//! what was read, already sorted into a new scan or a repeat of one still in view.
//!
//! One [`CameraScanner`] lives as long as the camera preview. Each frame is one call,
//! [`CameraScanner::frame`]; the pixels cross once (the app's copy of the Y plane) and are
//! borrowed from there by the core's [`FrameDecoder`]. Repeated reads of one code within the
//! quiet time count once through the core's [`Debouncer`], with the camera's own frame
//! timestamps as the clock, so the apps hold no scanning logic. A new read goes into the sale
//! with [`Register::scan`](crate::Register::scan), which takes any GTIN form.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kasir_scan::debounce::DEFAULT_QUIET_TIME;
use kasir_scan::{Debouncer, DecodeOptions, Format, Frame, FrameDecoder, Region, ScanError};

use crate::error::KasirError;

/// A barcode format the camera can look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CameraFormat {
    /// EAN-13 (and ISBN/ISSN).
    Ean13,
    /// EAN-8.
    Ean8,
    /// UPC-A.
    UpcA,
    /// UPC-E.
    UpcE,
    /// Code 128 and GS1-128.
    Code128,
    /// ITF (ITF-14 on cases).
    Itf,
    /// QR Code.
    QrCode,
    /// Data Matrix.
    DataMatrix,
}

impl From<CameraFormat> for Format {
    fn from(f: CameraFormat) -> Format {
        match f {
            CameraFormat::Ean13 => Format::Ean13,
            CameraFormat::Ean8 => Format::Ean8,
            CameraFormat::UpcA => Format::UpcA,
            CameraFormat::UpcE => Format::UpcE,
            CameraFormat::Code128 => Format::Code128,
            CameraFormat::Itf => Format::Itf,
            CameraFormat::QrCode => Format::QrCode,
            CameraFormat::DataMatrix => Format::DataMatrix,
        }
    }
}

/// How a [`CameraScanner`] decodes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CameraOptions {
    /// The formats to look for; fewer is faster and misreads less. Empty is refused.
    pub formats: Vec<CameraFormat>,
    /// How long a code must be out of view before reading it again counts again, in
    /// milliseconds.
    pub quiet_time_ms: u32,
    /// Shrink each frame by this whole factor before decoding (1 to 8; 1 = not at all).
    pub downscale: u32,
}

/// A rectangle of a frame to look in, in pixels from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct FrameRegion {
    /// Column of the left edge.
    pub left: u32,
    /// Row of the top edge.
    pub top: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A code read in a camera frame.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CameraRead {
    /// The decoded text (digits for EAN/UPC), for [`Register::scan`](crate::Register::scan).
    pub code: String,
    /// The symbology's name (`EAN-13`, `QR Code`...).
    pub symbology: String,
    /// True for a new scan (play the sound, add it to the sale); false for a repeat of a code
    /// still in view within the quiet time, to be ignored.
    pub is_new: bool,
}

/// Decodes a stream of camera frames; one per camera preview.
#[derive(uniffi::Object)]
pub struct CameraScanner {
    decoder: FrameDecoder,
    seen: Mutex<Debouncer>,
}

fn frame_error(e: ScanError) -> KasirError {
    match e {
        ScanError::Frame { field, reason } => KasirError::invalid(field, reason),
        other => KasirError::Internal {
            reason: other.to_string(),
        },
    }
}

#[uniffi::export]
impl CameraScanner {
    /// A scanner with `options`; refused with the field at fault when they make no sense.
    #[uniffi::constructor]
    pub fn new(options: CameraOptions) -> Result<Arc<CameraScanner>, KasirError> {
        let decoder = FrameDecoder::new(DecodeOptions {
            formats: options.formats.iter().copied().map(Format::from).collect(),
            try_harder: false,
            downscale: options.downscale,
        })
        .map_err(frame_error)?;
        let quiet = Duration::from_millis(u64::from(options.quiet_time_ms));
        Ok(Arc::new(CameraScanner {
            decoder,
            seen: Mutex::new(Debouncer::new(quiet)),
        }))
    }

    /// Decodes one frame: `pixels` is the Y plane, `width` x `height`, rows `row_stride` bytes
    /// apart, optionally only `region`; `timestamp_ms` is the frame's time from the camera
    /// (any fixed start, never going backwards). `None` when no code was read.
    pub fn frame(
        &self,
        pixels: Vec<u8>,
        width: u32,
        height: u32,
        row_stride: u32,
        region: Option<FrameRegion>,
        timestamp_ms: u64,
    ) -> Result<Option<CameraRead>, KasirError> {
        let frame = Frame {
            pixels: &pixels,
            width,
            height,
            row_stride,
            region: region.map(|r| Region {
                left: r.left,
                top: r.top,
                width: r.width,
                height: r.height,
            }),
        };
        let Some(read) = self.decoder.decode(&frame).map_err(frame_error)? else {
            return Ok(None);
        };
        let is_new = self
            .seen
            .lock()
            .map_err(|_| KasirError::Internal {
                reason: "an earlier frame panicked while scanning".into(),
            })?
            .accept(&read.text, Duration::from_millis(timestamp_ms));
        Ok(Some(CameraRead {
            code: read.text,
            symbology: read.symbology.name().to_string(),
            is_new,
        }))
    }

    /// Forgets the codes in view, so the next read of any counts (after a sale is completed).
    pub fn reset(&self) -> Result<(), KasirError> {
        self.seen
            .lock()
            .map_err(|_| KasirError::Internal {
                reason: "an earlier frame panicked while scanning".into(),
            })?
            .reset();
        Ok(())
    }
}

/// The options a register's camera starts with: the retail formats, Code 128 and QR Code, the
/// core's default quiet time, full resolution.
#[uniffi::export]
pub fn default_camera_options() -> CameraOptions {
    CameraOptions {
        formats: vec![
            CameraFormat::Ean13,
            CameraFormat::Ean8,
            CameraFormat::UpcA,
            CameraFormat::UpcE,
            CameraFormat::Code128,
            CameraFormat::QrCode,
        ],
        quiet_time_ms: u32::try_from(DEFAULT_QUIET_TIME.as_millis()).unwrap_or(1_000),
        downscale: 1,
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::kasir::{Kasir, NewStore};

    /// A real photo of a book's EAN-13 (ZXing blackbox set, see rust-core/scan/tests/data).
    const BOOK: &str = "ean13/ean13-3/01";

    fn photo(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../scan/tests/data/barcodes")
            .join(name)
    }

    fn expected(name: &str) -> String {
        std::fs::read_to_string(photo(name).with_extension("txt"))
            .expect("expected text")
            .trim()
            .to_string()
    }

    /// The photo as a camera would hand it over: rows padded to `pad` bytes more than the width,
    /// the padding filled with noise a decoder must not look at.
    fn padded_frame(name: &str, pad: u32) -> (Vec<u8>, u32, u32, u32) {
        let gray = kasir_scan::image_file::read(&photo(name).with_extension("png")).expect("photo");
        let stride = gray.width + pad;
        let mut pixels = vec![0u8; (stride * gray.height) as usize];
        for (y, row) in gray.pixels.chunks(gray.width as usize).enumerate() {
            let start = y * stride as usize;
            pixels[start..start + row.len()].copy_from_slice(row);
            for (i, b) in pixels[start + row.len()..start + stride as usize]
                .iter_mut()
                .enumerate()
            {
                *b = if (i + y) % 2 == 0 { 0 } else { 255 };
            }
        }
        (pixels, gray.width, gray.height, stride)
    }

    fn scanner() -> Arc<CameraScanner> {
        CameraScanner::new(default_camera_options()).expect("scanner")
    }

    #[test]
    fn a_padded_camera_frame_of_a_real_photo_reads_its_code() {
        let (pixels, width, height, stride) = padded_frame(BOOK, 64);
        let read = scanner()
            .frame(pixels, width, height, stride, None, 0)
            .expect("decodes")
            .expect("a code");
        assert_eq!(read.code, expected(BOOK));
        assert_eq!(read.symbology, "EAN-13");
        assert!(read.is_new);
    }

    #[test]
    fn the_same_code_in_view_counts_once_until_it_has_been_away_for_the_quiet_time() {
        let scanner = scanner();
        let (pixels, width, height, stride) = padded_frame(BOOK, 16);
        let at = |ms: u64| {
            scanner
                .frame(pixels.clone(), width, height, stride, None, ms)
                .expect("decodes")
                .expect("a code")
                .is_new
        };
        assert!(at(0));
        assert!(!at(33));
        assert!(!at(66));
        // Held in view for longer than the quiet time: still the same scan.
        assert!(!at(900));
        assert!(!at(1_800));
        // Away for more than the quiet time (1 s by default): scanning again counts again.
        assert!(at(3_000));
    }

    #[test]
    fn a_new_read_scanned_into_the_register_adds_the_photographed_item() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store.db").display().to_string();
        let new = NewStore {
            name: "Toko Buku".into(),
            device_code: "D01".into(),
            sample_catalog: false,
        };
        let kasir = Kasir::open(path, Some(new), None).expect("store opens");
        let code = expected(BOOK);
        let csv = format!(
            "gtin,sku,name,price,tax_category,unit,category,stock\n\
             {code},BK-1,Buku foto,85000,ppn,each,Buku,3\n"
        );
        assert_eq!(kasir.import_catalog(csv).expect("imports"), 1);
        let register = kasir.new_sale().expect("a sale");
        let scanner = scanner();
        let (pixels, width, height, stride) = padded_frame(BOOK, 32);
        for ms in [0, 40, 80, 120] {
            let read = scanner
                .frame(pixels.clone(), width, height, stride, None, ms)
                .expect("decodes")
                .expect("a code");
            if read.is_new {
                register.scan(read.code).expect("scans");
            }
        }
        let view = register.view().expect("view");
        assert_eq!(view.lines.len(), 1);
        assert_eq!(view.lines[0].name, "Buku foto");
        assert_eq!(view.lines[0].quantity, kasir_domain::Decimal::ONE);
        assert_eq!(view.totals.total, kasir_domain::Decimal::from(85_000));
    }

    #[test]
    fn a_region_outside_the_barcode_reads_nothing_and_a_bad_region_is_refused() {
        let scanner = scanner();
        let (pixels, width, height, stride) = padded_frame(BOOK, 8);
        let corner = FrameRegion {
            left: 0,
            top: 0,
            width: 8,
            height: 8,
        };
        let nothing = scanner
            .frame(pixels.clone(), width, height, stride, Some(corner), 0)
            .expect("decodes");
        assert_eq!(nothing, None);
        let outside = FrameRegion {
            left: width - 4,
            top: 0,
            width: 8,
            height: 8,
        };
        let refused = scanner.frame(pixels, width, height, stride, Some(outside), 0);
        assert!(
            matches!(&refused, Err(KasirError::InvalidInput { field, .. }) if field == "region"),
            "{refused:?}"
        );
    }

    #[test]
    fn a_frame_shorter_than_its_geometry_or_a_stride_below_the_width_is_refused() {
        let scanner = scanner();
        let short = scanner.frame(vec![255; 100], 20, 20, 20, None, 0);
        assert!(
            matches!(&short, Err(KasirError::InvalidInput { field, .. }) if field == "pixels"),
            "{short:?}"
        );
        let narrow = scanner.frame(vec![255; 400], 20, 20, 10, None, 0);
        assert!(
            matches!(&narrow, Err(KasirError::InvalidInput { field, .. }) if field == "row_stride"),
            "{narrow:?}"
        );
    }

    #[test]
    fn options_without_formats_are_refused() {
        let options = CameraOptions {
            formats: Vec::new(),
            ..default_camera_options()
        };
        let refused = CameraScanner::new(options).err();
        assert!(
            matches!(&refused, Some(KasirError::InvalidInput { field, .. }) if field == "formats"),
            "{refused:?}"
        );
    }
}
