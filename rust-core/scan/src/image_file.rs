//! Image files (PNG, JPEG) as grayscale frames, for `kasir scan` and the photo tests.
//!
//! The file is converted to 8-bit luminance and decoded through the same
//! [`FrameDecoder`](crate::frame::FrameDecoder) as a camera frame, so a photo and a live frame
//! of the same pack decode alike.

use std::path::Path;

use crate::error::ScanError;
use crate::frame::Frame;

/// A grayscale image that owns its pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    /// Luminance bytes, rows packed.
    pub pixels: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl GrayImage {
    /// The image as a frame (rows packed, no region of interest).
    pub fn frame(&self) -> Frame<'_> {
        Frame::packed(&self.pixels, self.width, self.height)
    }
}

/// Reads the image file at `path` and converts it to grayscale.
pub fn read(path: &Path) -> Result<GrayImage, ScanError> {
    let image = image::open(path).map_err(|e| ScanError::Image {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let gray = image.into_luma8();
    let (width, height) = gray.dimensions();
    Ok(GrayImage {
        pixels: gray.into_raw(),
        width,
        height,
    })
}
