//! The bundled monospace font and its measures in font units.

use ab_glyph::{Font, FontRef, GlyphId};

use crate::RenderError;

/// DejaVu Sans Mono 2.37 (licence in `fonts/LICENSE-DejaVu.txt`).
pub(crate) const DEJAVU_SANS_MONO: &[u8] = include_bytes!("../fonts/DejaVuSansMono.ttf");

/// The PostScript name the PDF gives the font.
pub(crate) const POSTSCRIPT_NAME: &str = "DejaVuSansMono";

/// The bundled font, read.
pub(crate) fn font() -> Result<FontRef<'static>, RenderError> {
    FontRef::try_from_slice(DEJAVU_SANS_MONO).map_err(|e| RenderError::Encode {
        format: "font",
        reason: e.to_string(),
    })
}

/// The font's measures, in font units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Metrics {
    /// Units per em (2048).
    pub units_per_em: f32,
    /// Above the baseline.
    pub ascent: f32,
    /// Below the baseline (negative).
    pub descent: f32,
    /// Every glyph's advance (the font is monospaced).
    pub advance: f32,
}

impl Metrics {
    /// The measures of `font`.
    pub fn of(font: &FontRef<'_>) -> Metrics {
        Metrics {
            units_per_em: font.units_per_em().unwrap_or(2048.0),
            ascent: font.ascent_unscaled(),
            descent: font.descent_unscaled(),
            advance: font.h_advance_unscaled(font.glyph_id('0')),
        }
    }
}

/// The glyph of `c`; `.notdef` (a box) when the font has none.
pub(crate) fn glyph(font: &FontRef<'_>, c: char) -> GlyphId {
    font.glyph_id(c)
}
