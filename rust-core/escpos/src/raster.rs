//! One-bit raster images (logos, QR codes drawn as pictures, text in scripts the printer has
//! no font for) and their `GS v 0` encoding in bands a cheap printer can take.

use crate::error::EscposError;

/// The most rows one `GS v 0` command carries: some Bluetooth printers read only the low
/// byte of the height.
pub const MAX_BAND_ROWS: usize = 255;

/// A one-bit image: rows of `ceil(width / 8)` bytes, the leftmost pixel in bit 7, a set bit
/// printed black; the bits past `width` in each row are white padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    width: usize,
    height: usize,
    data: Vec<u8>,
}

impl Raster {
    /// A white image of `width` x `height` dots.
    pub fn new(width: usize, height: usize) -> Raster {
        Raster {
            width,
            height,
            data: vec![0; width.div_ceil(8) * height],
        }
    }

    /// Width in dots.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in dots.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Bytes per row: the width rounded up to whole bytes.
    pub fn bytes_per_row(&self) -> usize {
        self.width.div_ceil(8)
    }

    /// The packed rows.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Makes the dot at (`x`, `y`) black; dots outside the image are ignored.
    pub fn set(&mut self, x: usize, y: usize) {
        if x < self.width && y < self.height {
            let at = y * self.bytes_per_row() + x / 8;
            self.data[at] |= 0x80 >> (x % 8);
        }
    }

    /// Whether the dot at (`x`, `y`) is black.
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.height
            && self.data[y * self.bytes_per_row() + x / 8] & (0x80 >> (x % 8)) != 0
    }

    /// Reads a PNG or JPEG logo and makes it one-bit: a pixel darker than half grey (after
    /// alpha over white) is black. Images wider than `max_width` dots are scaled down to it.
    pub fn from_image_bytes(bytes: &[u8], max_width: usize) -> Result<Raster, EscposError> {
        let img = image::load_from_memory(bytes).map_err(|e| EscposError::Image(e.to_string()))?;
        Ok(Raster::from_image(&img, max_width))
    }

    /// Makes `img` one-bit (see [`Raster::from_image_bytes`]).
    pub fn from_image(img: &image::DynamicImage, max_width: usize) -> Raster {
        let img = if img.width() as usize > max_width && max_width > 0 {
            let w = u32::try_from(max_width).unwrap_or(u32::MAX);
            let h = (u64::from(img.height()) * u64::from(w) / u64::from(img.width().max(1))).max(1);
            img.resize_exact(
                w,
                u32::try_from(h).unwrap_or(1),
                image::imageops::FilterType::Triangle,
            )
        } else {
            img.clone()
        };
        let rgba = img.to_rgba8();
        let mut out = Raster::new(rgba.width() as usize, rgba.height() as usize);
        for (x, y, px) in rgba.enumerate_pixels() {
            let [r, g, b, a] = px.0;
            // Luma in integers (ITU-R BT.601 weights x 1000), then alpha over white.
            let luma = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
            let over_white = (luma * u32::from(a) + 255 * (255 - u32::from(a))) / 255;
            if over_white < 128 {
                out.set(x as usize, y as usize);
            }
        }
        out
    }

    /// The image as `GS v 0` commands, in bands of at most [`MAX_BAND_ROWS`] rows.
    pub fn gs_v0(&self) -> Vec<u8> {
        let row = self.bytes_per_row();
        let mut out = Vec::with_capacity(self.data.len() + 8 * self.height.div_ceil(255));
        let (xl, xh) = low_high(row);
        for rows in self.data.chunks(row.max(1) * MAX_BAND_ROWS) {
            let (yl, yh) = low_high(rows.len() / row.max(1));
            out.extend_from_slice(&[0x1D, 0x76, 0x30, 0x00, xl, xh, yl, yh]);
            out.extend_from_slice(rows);
        }
        out
    }
}

/// `n` as the low and high byte of a 16-bit little-endian count.
pub(crate) fn low_high(n: usize) -> (u8, u8) {
    ((n % 256) as u8, ((n / 256) % 256) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_x_sits_in_byte_x_over_8_at_bit_7_minus_x_mod_8() {
        let mut r = Raster::new(220, 1);
        r.set(0, 0);
        r.set(9, 0);
        r.set(219, 0);
        assert_eq!(r.data()[0], 0b1000_0000);
        assert_eq!(r.data()[1], 0b0100_0000);
        // 219 = 27 * 8 + 3: byte 27, bit 4; the four bits after it are padding.
        assert_eq!(r.data()[27], 0b0001_0000);
    }

    #[test]
    fn transparent_pixels_are_white_and_dark_opaque_ones_black() {
        let mut img = image::RgbaImage::from_pixel(2, 1, image::Rgba([0, 0, 0, 0]));
        img.put_pixel(1, 0, image::Rgba([20, 20, 20, 255]));
        let r = Raster::from_image(&image::DynamicImage::ImageRgba8(img), 576);
        assert!(!r.get(0, 0));
        assert!(r.get(1, 0));
    }

    #[test]
    fn a_logo_wider_than_the_paper_is_scaled_to_it_keeping_its_shape() {
        let img = image::GrayImage::from_pixel(768, 200, image::Luma([0]));
        let r = Raster::from_image(&image::DynamicImage::ImageLuma8(img), 384);
        assert_eq!((r.width(), r.height()), (384, 100));
        assert!(r.get(383, 99));
    }

    #[test]
    fn a_file_that_is_not_an_image_is_an_image_error() {
        let err = Raster::from_image_bytes(b"not a png", 384).expect_err("garbage");
        assert!(err.to_string().starts_with("image: "), "{err}");
    }

    #[test]
    fn a_dot_outside_the_image_is_ignored() {
        let mut r = Raster::new(8, 1);
        r.set(8, 0);
        r.set(0, 1);
        assert_eq!(r.data(), &[0]);
    }
}
