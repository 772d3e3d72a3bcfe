//! A [`Page`] drawn as a greyscale PNG, one pixel a printer dot, glyphs anti-aliased.

// Glyph outlines are scaled, placed and shaded in floating point. No amount of money reaches
// this module: it gets text that is already laid out.
#![allow(clippy::float_arithmetic)]

use ab_glyph::{Font, FontRef, PxScale, point};
use image::{GrayImage, ImageEncoder, Luma};
use unicode_width::UnicodeWidthChar;

use crate::RenderError;
use crate::font::{Metrics, font, glyph};
use crate::page::{Page, RowContent};

/// `page` as the bytes of a PNG file, black on white.
pub fn png(page: &Page) -> Result<Vec<u8>, RenderError> {
    let image = draw(page)?;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| RenderError::Encode {
            format: "PNG",
            reason: e.to_string(),
        })?;
    Ok(out)
}

/// `page` drawn in memory.
pub fn draw(page: &Page) -> Result<GrayImage, RenderError> {
    let font = font()?;
    let metrics = Metrics::of(&font);
    let mut image = GrayImage::from_pixel(page.width, page.height, Luma([255]));
    for row in &page.rows {
        match &row.content {
            RowContent::Text {
                text,
                x,
                width,
                height,
                bold,
                underline,
            } => {
                let cell = page.cell * u32::from(*width);
                let line = 2 * page.cell * u32::from(*height);
                let text_row = TextRow {
                    x: *x,
                    top: row.top,
                    cell,
                    line,
                    bold: *bold,
                };
                text_row.draw(&mut image, &font, metrics, text);
                if *underline {
                    let used = u32::try_from(kasir_escpos::text::cells(text)).unwrap_or(0);
                    let y = row.top + line - 2;
                    for x in *x..(*x + used * cell).min(page.width) {
                        image.put_pixel(x, y, Luma([0]));
                    }
                }
            }
            RowContent::Picture { x, raster } => {
                for ry in 0..raster.height() {
                    for rx in 0..raster.width() {
                        if raster.get(rx, ry) {
                            let (px, py) = (*x as usize + rx, row.top as usize + ry);
                            if let (Ok(px), Ok(py)) = (u32::try_from(px), u32::try_from(py))
                                && px < image.width()
                                && py < image.height()
                            {
                                image.put_pixel(px, py, Luma([0]));
                            }
                        }
                    }
                }
            }
            RowContent::Blank => {}
        }
    }
    Ok(image)
}

/// Where one line of text goes.
struct TextRow {
    x: u32,
    top: u32,
    /// One character's width in dots (the style's width included).
    cell: u32,
    /// The line's height in dots.
    line: u32,
    bold: bool,
}

impl TextRow {
    fn draw(&self, image: &mut GrayImage, font: &FontRef<'_>, m: Metrics, text: &str) {
        let height_units = m.ascent - m.descent;
        // ab_glyph's scale is the pixel height of ascent - descent: the horizontal one makes an
        // advance exactly one cell, the vertical one makes ascent - descent the line.
        let scale = PxScale {
            x: self.cell as f32 * height_units / m.advance,
            y: self.line as f32,
        };
        let baseline = self.top as f32 + self.line as f32 * m.ascent / height_units;
        let mut column = 0u32;
        for c in text.chars() {
            let x = self.x + column * self.cell;
            column += u32::try_from(c.width().unwrap_or(0)).unwrap_or(1);
            if c.is_whitespace() {
                continue;
            }
            let passes: &[u32] = if self.bold { &[0, 1] } else { &[0] };
            for offset in passes {
                let g = glyph(font, c)
                    .with_scale_and_position(scale, point((x + offset) as f32, baseline));
                let Some(outline) = font.outline_glyph(g) else {
                    continue;
                };
                let bounds = outline.px_bounds();
                outline.draw(|gx, gy, coverage| {
                    let px = bounds.min.x as i64 + i64::from(gx);
                    let py = bounds.min.y as i64 + i64::from(gy);
                    let (Ok(px), Ok(py)) = (u32::try_from(px), u32::try_from(py)) else {
                        return;
                    };
                    if px >= image.width() || py >= image.height() {
                        return;
                    }
                    let ink = (coverage.clamp(0.0, 1.0) * 255.0) as u8;
                    let pixel = image.get_pixel_mut(px, py);
                    pixel.0[0] = pixel.0[0].min(255 - ink);
                });
            }
        }
    }
}
