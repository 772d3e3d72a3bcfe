//! Camera frames: a grayscale luminance buffer decoded with `rxing`.
//!
//! Both apps hand the core the luminance (Y) plane of a camera frame, so Android and iOS decode
//! exactly alike and the decoder is tested here. A frame is `width` x `height` bytes, one per
//! pixel, rows `row_stride` bytes apart (camera buffers often pad their rows), and may name a
//! region of interest: the decoder looks only there, which is the biggest single speed-up on a
//! 1280x720 frame after restricting the formats. Nothing is copied unless the frame is scaled
//! down.

use std::borrow::Cow;
use std::collections::HashSet;

use rxing::common::{BitArray, GlobalHistogramBinarizer, HybridBinarizer};
use rxing::oned::{MultiFormatOneDReader, OneDReader};
use rxing::{
    BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8LuminanceSource, Luma8Source,
    LuminanceSource, MultiFormatReader, RXingResult, RXingResultMetadataType,
    RXingResultMetadataValue,
};
use serde::{Deserialize, Serialize};

use crate::error::ScanError;
use crate::symbology::{GS, Read, Symbology};

/// A rectangle of a frame, in pixels from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// Column of the left edge.
    pub left: u32,
    /// Row of the top edge.
    pub top: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// One grayscale camera frame, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Luminance bytes, 0 black to 255 white; row `y` starts at `y * row_stride`.
    pub pixels: &'a [u8],
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Bytes from the start of one row to the start of the next (at least `width`).
    pub row_stride: u32,
    /// Where to look, if not the whole frame.
    pub region: Option<Region>,
}

impl<'a> Frame<'a> {
    /// A frame whose rows are packed (`row_stride == width`), without a region of interest.
    pub fn packed(pixels: &'a [u8], width: u32, height: u32) -> Frame<'a> {
        Frame {
            pixels,
            width,
            height,
            row_stride: width,
            region: None,
        }
    }

    /// The same frame, looking only at `region`.
    pub fn with_region(self, region: Region) -> Frame<'a> {
        Frame {
            region: Some(region),
            ..self
        }
    }

    /// Checks the geometry: sizes not zero, the stride at least the width, the buffer long
    /// enough for every row, the region inside the frame.
    pub fn validate(&self) -> Result<(), ScanError> {
        if self.width == 0 || self.height == 0 {
            return Err(ScanError::frame(
                "width",
                format!("{}x{} has no pixels", self.width, self.height),
            ));
        }
        if self.row_stride < self.width {
            return Err(ScanError::frame(
                "row_stride",
                format!("{} is less than the width {}", self.row_stride, self.width),
            ));
        }
        let needed =
            u64::from(self.row_stride) * u64::from(self.height - 1) + u64::from(self.width);
        if (self.pixels.len() as u64) < needed {
            return Err(ScanError::frame(
                "pixels",
                format!(
                    "{} bytes, but {}x{} with row stride {} needs {needed}",
                    self.pixels.len(),
                    self.width,
                    self.height,
                    self.row_stride
                ),
            ));
        }
        if let Some(r) = self.region {
            let fits = r.width > 0
                && r.height > 0
                && u64::from(r.left) + u64::from(r.width) <= u64::from(self.width)
                && u64::from(r.top) + u64::from(r.height) <= u64::from(self.height);
            if !fits {
                return Err(ScanError::frame(
                    "region",
                    format!(
                        "{}x{} at ({}, {}) is not inside the {}x{} frame",
                        r.width, r.height, r.left, r.top, self.width, self.height
                    ),
                ));
            }
        }
        Ok(())
    }

    fn area(&self) -> Region {
        self.region.unwrap_or(Region {
            left: 0,
            top: 0,
            width: self.width,
            height: self.height,
        })
    }
}

/// The barcode formats the decoder can look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// EAN-13 (and ISBN/ISSN, which are EAN-13s).
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
    /// QR Code, plain or GS1.
    QrCode,
    /// Data Matrix, plain or GS1.
    DataMatrix,
}

impl Format {
    /// Every format Kasir decodes.
    pub const ALL: [Format; 8] = [
        Format::Ean13,
        Format::Ean8,
        Format::UpcA,
        Format::UpcE,
        Format::Code128,
        Format::Itf,
        Format::QrCode,
        Format::DataMatrix,
    ];

    /// The retail linear formats: what a checkout scans most.
    pub const RETAIL: [Format; 4] = [Format::Ean13, Format::Ean8, Format::UpcA, Format::UpcE];

    fn rxing(self) -> BarcodeFormat {
        match self {
            Format::Ean13 => BarcodeFormat::EAN_13,
            Format::Ean8 => BarcodeFormat::EAN_8,
            Format::UpcA => BarcodeFormat::UPC_A,
            Format::UpcE => BarcodeFormat::UPC_E,
            Format::Code128 => BarcodeFormat::CODE_128,
            Format::Itf => BarcodeFormat::ITF,
            Format::QrCode => BarcodeFormat::QR_CODE,
            Format::DataMatrix => BarcodeFormat::DATA_MATRIX,
        }
    }
}

/// How hard the decoder tries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodeOptions {
    /// The formats to look for; fewer is faster and misreads less.
    pub formats: Vec<Format>,
    /// Scan more rows and rotations: better on still photos, slower on live frames.
    pub try_harder: bool,
    /// Shrink the looked-at area by this whole factor first (1 = not at all). A 1280x720
    /// frame of a close-up barcode decodes as well and faster at 2.
    pub downscale: u32,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            formats: Format::ALL.to_vec(),
            try_harder: false,
            downscale: 1,
        }
    }
}

/// Decodes frames with the options it was made with; reuse one for a stream of frames.
pub struct FrameDecoder {
    options: DecodeOptions,
    /// Hints for the linear formats asked for, if any.
    linear: Option<DecodeHints>,
    /// Hints for the matrix (2D) formats asked for, if any.
    matrix: Option<DecodeHints>,
}

impl std::fmt::Debug for FrameDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrameDecoder")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl FrameDecoder {
    /// A decoder for `options`.
    pub fn new(options: DecodeOptions) -> Result<FrameDecoder, ScanError> {
        if options.formats.is_empty() {
            return Err(ScanError::frame("formats", "name at least one format"));
        }
        if !(1..=8).contains(&options.downscale) {
            return Err(ScanError::frame(
                "downscale",
                format!("{} must be 1 to 8", options.downscale),
            ));
        }
        let hints = |formats: HashSet<BarcodeFormat>| {
            (!formats.is_empty()).then(|| DecodeHints {
                PossibleFormats: Some(formats),
                TryHarder: Some(options.try_harder),
                // GS1-128 then reports FNC1 as the `]C1` prefix and GS separators, which the
                // element-string parser needs.
                AssumeGs1: Some(true),
                ..DecodeHints::default()
            })
        };
        let (matrix, linear): (Vec<Format>, Vec<Format>) = options
            .formats
            .iter()
            .partition(|f| matches!(f, Format::QrCode | Format::DataMatrix));
        Ok(FrameDecoder {
            linear: hints(linear.iter().map(|f| f.rxing()).collect()),
            matrix: hints(matrix.iter().map(|f| f.rxing()).collect()),
            options,
        })
    }

    /// The options this decoder uses.
    pub fn options(&self) -> &DecodeOptions {
        &self.options
    }

    /// Decodes the first barcode found in `frame`, or `None` when there is none it can read
    /// with confidence.
    pub fn decode(&self, frame: &Frame<'_>) -> Result<Option<Read>, ScanError> {
        frame.validate()?;
        let area = frame.area();
        if self.options.downscale > 1 {
            let (pixels, width, height) = shrink(frame, area, self.options.downscale);
            if width == 0 || height == 0 {
                return Ok(None);
            }
            let source = Luma8LuminanceSource::new(pixels, width, height)
                .map_err(|e| ScanError::frame("pixels", e.to_string()))?;
            return Ok(self.decode_source(source));
        }
        let rows = frame.height as usize;
        let stride = frame.row_stride as usize;
        if frame.pixels.len() >= stride * rows {
            // The source sees padded rows as a `row_stride`-wide image; cropping narrows the
            // view to the area without copying.
            let source = Luma8Source::new_with_slice(
                &frame.pixels[..stride * rows],
                frame.row_stride,
                frame.height,
            )
            .map_err(|e| ScanError::frame("pixels", e.to_string()))?;
            Ok(self.decode_source(crop(source, area)?))
        } else {
            // The last row is unpadded: give the source whole rows it can index.
            let mut owned = frame.pixels.to_vec();
            owned.resize(stride * rows, 255);
            let source = Luma8LuminanceSource::new(owned, frame.row_stride, frame.height)
                .map_err(|e| ScanError::frame("pixels", e.to_string()))?;
            Ok(self.decode_source(crop(source, area)?))
        }
    }

    /// Looks for the cheapest reads first: plain rows, then (trying harder) rows of the
    /// local-threshold binarisation and the matrix formats, then averaged rows and the image
    /// turned a quarter. Without trying harder the 15 averaged rows come before the matrix
    /// formats, being far cheaper.
    fn decode_source(&self, source: Luma8Source<'_>) -> Option<Read> {
        let try_harder = self.options.try_harder;
        // One local-threshold binarisation, made only when first asked for, serves both the
        // linear rows of the harder passes and the matrix formats.
        let mut hybrid = BinaryBitmap::new(HybridBinarizer::new(source.clone()));
        let mut linear = self
            .linear
            .as_ref()
            .map(|hints| LinearScan::new(hints, &source, try_harder));
        if let Some(scan) = linear.as_mut() {
            let found = scan.plain().or_else(|| {
                if try_harder {
                    scan.local_threshold(&hybrid)
                } else {
                    scan.averaged()
                }
            });
            if let Some(result) = found {
                return read_from_result(result);
            }
        }
        if let Some(hints) = self.matrix.as_ref() {
            let mut reader = MultiFormatReader::default();
            reader.set_hints(hints);
            if let Ok(result) = reader.decode_with_state(&mut hybrid) {
                return read_from_result(result);
            }
        }
        let scan = linear.as_mut().filter(|_| try_harder)?;
        scan.averaged()
            .or_else(|| scan.turned())
            .and_then(read_from_result)
    }
}

/// The passes over one image's rows for the linear formats, sharing what they have seen: a
/// linear code is accepted only when two reads from rows some distance apart agree on it (see
/// [`ROW_SPREAD_DIVISOR`]). A single row can misread a damaged or blurred EAN as a different
/// valid one; two independent rows almost never do.
struct LinearScan<'s, 'a> {
    hints: &'s DecodeHints,
    source: &'s Luma8Source<'a>,
    try_harder: bool,
    reader: MultiFormatOneDReader,
    pool: Sightings,
}

impl<'s, 'a> LinearScan<'s, 'a> {
    fn new(hints: &'s DecodeHints, source: &'s Luma8Source<'a>, try_harder: bool) -> Self {
        LinearScan {
            hints,
            source,
            try_harder,
            reader: MultiFormatOneDReader::new(hints),
            pool: Sightings::new(source.get_height()),
        }
    }

    /// Rows as they are, binarised on their own histogram, from the middle out (every row
    /// when trying harder).
    fn plain(&mut self) -> Option<RXingResult> {
        let ghb = GlobalHistogramBinarizer::new(self.source.clone());
        self.pool
            .scan(&mut self.reader, self.hints, self.try_harder, 1, |y| {
                ghb.get_black_row(y).ok().map(Cow::into_owned)
            })
    }

    /// Rows of the local-threshold binarisation, which copes with uneven light.
    fn local_threshold(
        &mut self,
        hybrid: &BinaryBitmap<HybridBinarizer<Luma8Source<'_>>>,
    ) -> Option<RXingResult> {
        let matrix = hybrid.get_binarizer().get_black_matrix().ok()?;
        self.pool
            .scan(&mut self.reader, self.hints, self.try_harder, 1, |y| {
                Some(matrix.getRow(y as u32))
            })
    }

    /// Rows averaged with their neighbours above and below (see [`ROW_WINDOWS`]), which takes
    /// the noise out of a blurred or grainy photo without blurring the bars. Each read counts
    /// for every row it was made from, so overlapping windows never confirm each other.
    ///
    /// Trying harder, every row is averaged only near rows where an earlier pass read
    /// something it could not confirm (see [`AVERAGED_BAND_DIVISOR`]), and only the 15 rows
    /// of a live frame when nothing was read: every row of a frame is a lot of averaging, and
    /// on the photos looking elsewhere finds nothing more.
    fn averaged(&mut self) -> Option<RXingResult> {
        let source = self.source;
        let height = source.get_height();
        // Trying harder, every row near the earlier reads (the code is there, if anywhere);
        // otherwise, or when nothing was read at all, the 15 rows of a live frame.
        let (dense, band) = match (self.try_harder, self.pool.rows()) {
            (true, Some((first, last))) => {
                let margin = height / AVERAGED_BAND_DIVISOR;
                (true, first.saturating_sub(margin)..=last + margin)
            }
            _ => (false, 0..=height),
        };
        ROW_WINDOWS.iter().find_map(|&window| {
            let half = window / 2;
            // Neighbouring windows overlap so much that every row adds little.
            let step = if dense { half } else { 1 };
            self.pool
                .scan(&mut self.reader, self.hints, dense, step, |y| {
                    if band.contains(&y) {
                        averaged_row(source, y, half)
                    } else {
                        None
                    }
                })
        })
    }

    /// Every row of the image turned a quarter, for codes standing on end.
    fn turned(&mut self) -> Option<RXingResult> {
        let turned = self.source.rotate_counter_clockwise().ok()?;
        let mut pool = Sightings::new(turned.get_height());
        let ghb = GlobalHistogramBinarizer::new(turned);
        pool.scan(&mut self.reader, self.hints, true, 1, |y| {
            ghb.get_black_row(y).ok().map(Cow::into_owned)
        })
    }
}

/// Trying harder, averaged rows are read only this fraction of the image height (or less)
/// above and below the rows where earlier passes read something.
pub const AVERAGED_BAND_DIVISOR: usize = 8;

/// How many rows (centred on the scanned one) are averaged in the passes after the plain one.
pub const ROW_WINDOWS: [usize; 2] = [5, 9];

/// Row `y` of `source` averaged with the `half` rows above and below it (fewer at the edges),
/// binarised on its own histogram; with the number of rows reaching out on each side.
fn averaged_row(source: &Luma8Source<'_>, y: usize, half: usize) -> Option<(BitArray, usize)> {
    let height = source.get_height();
    let width = source.get_width();
    let (from, to) = (y.saturating_sub(half), (y + half + 1).min(height));
    let mut sums = vec![0u32; width];
    for row in from..to {
        let pixels = source.get_row(row)?;
        for (sum, p) in sums.iter_mut().zip(pixels.iter()) {
            *sum += u32::from(*p);
        }
    }
    let count = (to - from) as u32;
    let pixels: Vec<u8> = sums.iter().map(|s| (s / count) as u8).collect();
    let line = Luma8LuminanceSource::new(pixels, width as u32, 1).ok()?;
    let row = GlobalHistogramBinarizer::new(line)
        .get_black_row(0)
        .ok()?
        .into_owned();
    Some((row, half.max(y - from).max(to - 1 - y)))
}

/// Something a row binarizer gives: the row, and how many rows each side it was made from.
trait ScannedRow {
    fn into_parts(self) -> (BitArray, usize);
}

impl ScannedRow for BitArray {
    fn into_parts(self) -> (BitArray, usize) {
        (self, 0)
    }
}

impl ScannedRow for (BitArray, usize) {
    fn into_parts(self) -> (BitArray, usize) {
        self
    }
}

/// One code read so far: for each read, the pass and the rows it came from.
struct Sighting {
    text: String,
    format: BarcodeFormat,
    reads: Vec<(usize, usize, usize)>,
}

/// Every linear read of one image, across all passes.
struct Sightings {
    seen: Vec<Sighting>,
    /// Rows that must lie between two agreeing EAN/UPC reads of one pass.
    spread: usize,
    /// Rows that must lie between two agreeing EAN/UPC reads of different passes.
    cross_spread: usize,
    height: usize,
    /// The pass now scanning.
    pass: usize,
}

impl Sightings {
    fn new(height: usize) -> Sightings {
        let spread = height / ROW_SPREAD_DIVISOR;
        Sightings {
            seen: Vec::new(),
            spread: spread.max(2),
            cross_spread: spread.max(MIN_CROSS_PASS_SPREAD),
            height,
            pass: 0,
        }
    }

    /// Scans rows from the middle out (every `scale` times the usual step) and returns the
    /// first read confirmed by an earlier one from rows far enough away.
    fn scan<R: ScannedRow>(
        &mut self,
        reader: &mut MultiFormatOneDReader,
        hints: &DecodeHints,
        try_harder: bool,
        scale: usize,
        mut row_at: impl FnMut(usize) -> Option<R>,
    ) -> Option<RXingResult> {
        self.pass += 1;
        let height = self.height;
        let step = (height >> if try_harder { 8 } else { 5 }).max(1) * scale.max(1);
        let lines = if try_harder { height } else { 15 };
        let middle = height / 2;
        for i in 0..lines {
            let offset = step * i.div_ceil(2);
            let y = if i % 2 == 0 {
                middle + offset
            } else {
                match middle.checked_sub(offset) {
                    Some(y) => y,
                    None => break,
                }
            };
            if y >= height {
                break;
            }
            let Some((mut row, half)) = row_at(y).map(ScannedRow::into_parts) else {
                continue;
            };
            for reversed in [false, true] {
                if reversed {
                    row.reverse();
                }
                let Ok(result) = reader.decode_row(y as u32, &row, hints) else {
                    continue;
                };
                let min_module = if half > 0 {
                    MIN_AVERAGED_MODULE_TENTHS
                } else {
                    MIN_MODULE_TENTHS
                };
                if !has_quiet_zones(&result, &row, min_module) {
                    continue;
                }
                let (text, format) = (result.getText(), *result.getBarcodeFormat());
                if self.confirms(text, format, y.saturating_sub(half), y + half) {
                    return Some(result);
                }
                // One read per row: the reversed row is only for upside-down codes.
                break;
            }
        }
        None
    }

    /// The first and last rows any read so far came from.
    fn rows(&self) -> Option<(usize, usize)> {
        let reads = || self.seen.iter().flat_map(|s| s.reads.iter());
        let first = reads().map(|r| r.1).min()?;
        let last = reads().map(|r| r.2).max()?;
        Some((first, last))
    }

    /// Records a read of this pass made from rows `first..=last`; whether an earlier read of
    /// the same code came from rows far enough away to confirm it.
    fn confirms(&mut self, text: &str, format: BarcodeFormat, first: usize, last: usize) -> bool {
        let (pass, spread, cross_spread) = (self.pass, self.spread, self.cross_spread);
        let Some(entry) = self
            .seen
            .iter_mut()
            .find(|s| s.text == text && s.format == format)
        else {
            self.seen.push(Sighting {
                text: text.to_string(),
                format,
                reads: vec![(pass, first, last)],
            });
            return false;
        };
        let retail = matches!(
            format,
            BarcodeFormat::EAN_13
                | BarcodeFormat::EAN_8
                | BarcodeFormat::UPC_A
                | BarcodeFormat::UPC_E
        );
        let confirmed = entry.reads.iter().any(|&(other, from, to)| {
            let gap = first.saturating_sub(to).max(from.saturating_sub(last));
            let needed = match (retail, other == pass) {
                (true, true) => spread,
                (true, false) => cross_spread,
                // Code 128 and ITF carry stronger checks of their own: two rows anywhere.
                (false, _) => 1,
            };
            gap >= needed
        });
        entry.reads.push((pass, first, last));
        confirmed
    }
}

fn crop(source: Luma8Source<'_>, area: Region) -> Result<Luma8Source<'_>, ScanError> {
    source
        .crop(
            area.left as usize,
            area.top as usize,
            area.width as usize,
            area.height as usize,
        )
        .map_err(|e| ScanError::frame("region", e.to_string()))
}

/// Two rows that agree on an EAN or UPC confirm it when they are at least the image height
/// over this apart (and at least 2 rows, or [`MIN_CROSS_PASS_SPREAD`] for reads from different
/// passes); Code 128 and ITF need two rows anywhere.
pub const ROW_SPREAD_DIVISOR: usize = 48;

/// The fewest rows between two agreeing EAN/UPC reads from different passes (plain, local
/// threshold, averaged), however small the image: in a 180-row image an EAN-13 misread in its
/// last four rows repeated through two binarisations.
pub const MIN_CROSS_PASS_SPREAD: usize = 8;

/// Quiet zone, in modules, that an EAN or UPC needs on both sides of its guards. The
/// standard asks for 7 to 11; printed packs and crops leave less, so Kasir asks for enough to
/// tell a whole symbol from a run of bars inside a bigger one (the way an EAN-13 misreads as
/// an EAN-8).
pub const QUIET_ZONE_MODULES: i64 = 3;

/// The narrowest module (in tenths of a pixel) an EAN or UPC is read at: below about 1.3
/// pixels per bar module a blurred UPC-E reads as another valid UPC-E on many rows at once.
pub const MIN_MODULE_TENTHS: i64 = 13;

/// The narrowest module (in tenths of a pixel) an EAN or UPC is read at from averaged rows.
/// Averaging takes away the row-to-row noise that keeps an aliased read from repeating, so at
/// 1.3 pixels a halved photo's EAN-13 read as another valid EAN-13 on averaged rows far apart.
pub const MIN_AVERAGED_MODULE_TENTHS: i64 = 15;

/// Whether an EAN/UPC `result` found in `row` has clear space on both sides. Other formats
/// carry their own start and stop checks.
fn has_quiet_zones(result: &RXingResult, row: &BitArray, min_module_tenths: i64) -> bool {
    // Distance between the centres of the start and end guards, in half modules.
    let half_modules: i64 = match result.getBarcodeFormat() {
        BarcodeFormat::EAN_13 | BarcodeFormat::UPC_A => 184,
        BarcodeFormat::EAN_8 => 128,
        BarcodeFormat::UPC_E => 93,
        _ => return true,
    };
    let points = result.getPoints();
    let [first, last] = points else {
        return true;
    };
    // Pixel positions (casting the decoder's coordinates, no float arithmetic).
    let (a, b) = (first.x as i64, last.x as i64);
    let (left, right) = (a.min(b), a.max(b));
    let span = right - left;
    if span <= 0 {
        return false;
    }
    // Bars narrower than this can alias into another valid code.
    if span * 20 < min_module_tenths * half_modules {
        return false;
    }
    // Guard centre to outer edge is 1.5 modules (3 for UPC-E's end guard).
    let px = |modules_x2: i64| modules_x2 * span / half_modules;
    let end_guard = if half_modules == 93 { 6 } else { 3 };
    let quiet = px(QUIET_ZONE_MODULES * 2);
    // One module of slack next to each guard: its edge is only known to a pixel or two.
    let start = left - px(3) - px(2);
    let end = right + px(end_guard) + px(2);
    let size = row.get_size() as i64;
    let clear = |from: i64, to: i64| {
        let (from, to) = (from.max(0), to.min(size));
        (from..to).all(|i| !row.get(i as usize))
    };
    start - quiet >= 0
        && end + quiet <= size
        && clear(start - quiet, start)
        && clear(end, end + quiet)
}

/// Averages `factor` x `factor` blocks of `area` (integer arithmetic: pixels, not money).
fn shrink(frame: &Frame<'_>, area: Region, factor: u32) -> (Vec<u8>, u32, u32) {
    let width = area.width / factor;
    let height = area.height / factor;
    let stride = frame.row_stride as usize;
    let f = factor as usize;
    let mut out = Vec::with_capacity(width as usize * height as usize);
    for y in 0..height as usize {
        for x in 0..width as usize {
            let mut sum = 0u32;
            for dy in 0..f {
                let row = (area.top as usize + y * f + dy) * stride + area.left as usize + x * f;
                sum += frame.pixels[row..row + f]
                    .iter()
                    .map(|p| u32::from(*p))
                    .sum::<u32>();
            }
            out.push((sum / (factor * factor)) as u8);
        }
    }
    (out, width, height)
}

fn read_from_result(result: RXingResult) -> Option<Read> {
    let identifier = result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
        .and_then(|v| match v {
            RXingResultMetadataValue::SymbologyIdentifier(s) => Some(s.clone()),
            _ => None,
        });
    let mut text = result.getText().to_string();
    let symbology = match result.getBarcodeFormat() {
        BarcodeFormat::EAN_13 => Symbology::Ean13,
        BarcodeFormat::EAN_8 => Symbology::Ean8,
        BarcodeFormat::UPC_A => Symbology::UpcA,
        BarcodeFormat::UPC_E => Symbology::UpcE,
        BarcodeFormat::ITF => Symbology::Itf,
        BarcodeFormat::CODE_128 => {
            // With GS1 conversion on, GS1-128 text starts with its identifier.
            if let Some(rest) = text.strip_prefix("]C1") {
                text = rest.to_string();
                Symbology::Gs1_128
            } else {
                // FNC1 elsewhere than first means nothing outside GS1: drop it as zxing does.
                text.retain(|c| c != GS);
                Symbology::Code128
            }
        }
        BarcodeFormat::QR_CODE | BarcodeFormat::MICRO_QR_CODE => {
            if matches!(identifier.as_deref(), Some("]Q3" | "]Q4")) {
                Symbology::Gs1Qr
            } else {
                Symbology::QrCode
            }
        }
        BarcodeFormat::DATA_MATRIX => {
            if matches!(identifier.as_deref(), Some("]d2" | "]d5")) {
                Symbology::Gs1DataMatrix
            } else {
                Symbology::DataMatrix
            }
        }
        _ => Symbology::Other,
    };
    Some(Read::new(text, symbology))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stride_shorter_than_the_width_is_refused() {
        let pixels = vec![255u8; 100];
        let frame = Frame {
            pixels: &pixels,
            width: 10,
            height: 10,
            row_stride: 9,
            region: None,
        };
        let err = frame.validate().unwrap_err().to_string();
        assert!(err.contains("row_stride"), "{err}");
    }

    #[test]
    fn a_buffer_too_short_for_its_rows_is_refused() {
        let pixels = vec![255u8; 99];
        let err = Frame::packed(&pixels, 10, 10)
            .validate()
            .unwrap_err()
            .to_string();
        assert!(err.contains("pixels") && err.contains("needs 100"), "{err}");
    }

    #[test]
    fn a_region_outside_the_frame_is_refused() {
        let pixels = vec![255u8; 100];
        let frame = Frame::packed(&pixels, 10, 10).with_region(Region {
            left: 5,
            top: 5,
            width: 6,
            height: 2,
        });
        let err = frame.validate().unwrap_err().to_string();
        assert!(err.contains("region"), "{err}");
    }

    #[test]
    fn a_blank_frame_decodes_to_nothing() {
        let pixels = vec![200u8; 64 * 48];
        let decoder = FrameDecoder::new(DecodeOptions::default()).unwrap();
        assert_eq!(
            decoder.decode(&Frame::packed(&pixels, 64, 48)).unwrap(),
            None
        );
    }

    #[test]
    fn an_ean_read_on_two_rows_closer_than_the_spread_is_not_confirmed() {
        // 480 rows: EAN/UPC reads must be 480 / 48 = 10 rows apart.
        let mut pool = Sightings::new(480);
        assert!(!pool.confirms("9780441014989", BarcodeFormat::EAN_13, 200, 200));
        assert!(!pool.confirms("9780441014989", BarcodeFormat::EAN_13, 209, 209));
        assert!(pool.confirms("9780441014989", BarcodeFormat::EAN_13, 190, 190));
    }

    #[test]
    fn averaged_rows_confirm_only_reads_from_rows_they_do_not_share() {
        let mut pool = Sightings::new(480);
        // A plain read on row 200, then rows 205..=213 averaged: 5 rows between, not 10.
        assert!(!pool.confirms("036000291452", BarcodeFormat::UPC_A, 200, 200));
        assert!(!pool.confirms("036000291452", BarcodeFormat::UPC_A, 205, 213));
        // Rows 180..=188 averaged end 12 rows before row 200.
        assert!(pool.confirms("036000291452", BarcodeFormat::UPC_A, 180, 188));
    }

    #[test]
    fn reads_of_different_codes_never_confirm_each_other() {
        let mut pool = Sightings::new(480);
        assert!(!pool.confirms("04963406", BarcodeFormat::UPC_E, 100, 100));
        assert!(!pool.confirms("04904144", BarcodeFormat::UPC_E, 300, 300));
        assert!(!pool.confirms("04963406", BarcodeFormat::EAN_8, 300, 300));
    }

    #[test]
    fn code_128_needs_two_different_rows_anywhere() {
        let mut pool = Sightings::new(480);
        assert!(!pool.confirms("KASIR:GIFT:1", BarcodeFormat::CODE_128, 100, 100));
        assert!(!pool.confirms("KASIR:GIFT:1", BarcodeFormat::CODE_128, 100, 100));
        assert!(pool.confirms("KASIR:GIFT:1", BarcodeFormat::CODE_128, 101, 101));
    }

    #[test]
    fn reads_from_different_passes_need_more_rows_between_them_in_a_small_image() {
        // 180 rows: 180 / 48 = 3 rows within a pass, at least 8 between passes.
        let code = "1920081045006";
        let mut one_pass = Sightings::new(180);
        one_pass.pass = 1;
        assert!(!one_pass.confirms(code, BarcodeFormat::EAN_13, 100, 100));
        assert!(one_pass.confirms(code, BarcodeFormat::EAN_13, 103, 103));

        let mut passes = Sightings::new(180);
        for (pass, row, confirmed) in [
            (1, 100, false),
            (2, 103, false),
            (3, 107, false),
            (4, 108, true),
        ] {
            passes.pass = pass;
            assert_eq!(
                passes.confirms(code, BarcodeFormat::EAN_13, row, row),
                confirmed,
                "pass {pass}, row {row}"
            );
        }
    }

    #[test]
    fn shrinking_averages_blocks() {
        // 4x2 frame: the left 2x2 block averages to 15, the right one to 250.
        let pixels = [10, 20, 250, 250, 10, 20, 250, 250];
        let frame = Frame::packed(&pixels, 4, 2);
        let (out, w, h) = shrink(&frame, frame.area(), 2);
        assert_eq!((w, h), (2, 1));
        assert_eq!(out, vec![15, 250]);
    }
}
