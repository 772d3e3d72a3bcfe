//! A [`Page`] as a one-page PDF: the text is shown in the bundled font, embedded as a subset
//! (only the glyphs the receipt uses) with a ToUnicode map, so that readers select, search and
//! copy the same characters the receipt has; pictures (QR codes, logos) are one-bit images.

// Points are floating point in PDF. No amount of money reaches this module: it gets text that
// is already laid out.
#![allow(clippy::float_arithmetic)]

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use unicode_width::UnicodeWidthChar;

use crate::RenderError;
use crate::font::{DEJAVU_SANS_MONO, Metrics, POSTSCRIPT_NAME, font, glyph};
use crate::page::{DOTS_PER_INCH, Page, RowContent};

/// PDF points in one printer dot.
fn points(dots: u32) -> f32 {
    dots as f32 * 72.0 / DOTS_PER_INCH as f32
}

/// `page` as the bytes of a PDF file of one page, titled `title`.
pub fn pdf(page: &Page, title: &str) -> Result<Vec<u8>, RenderError> {
    let font = font()?;
    let m = Metrics::of(&font);

    // The glyphs the page uses, renumbered for the subset; the subset's numbers are the CIDs.
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut unicode: BTreeMap<u16, char> = BTreeMap::new();
    for row in &page.rows {
        if let RowContent::Text { text, .. } = &row.content {
            for c in text.chars() {
                let cid = remapper.remap(glyph(&font, c).0);
                if cid != 0 {
                    unicode.entry(cid).or_insert(c);
                }
            }
        }
    }
    let subset =
        subsetter::subset(DEJAVU_SANS_MONO, 0, &remapper).map_err(|e| RenderError::Encode {
            format: "PDF",
            reason: format!("font subset: {e}"),
        })?;

    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let page_id = Ref::new(3);
    let content_id = Ref::new(4);
    let type0_id = Ref::new(5);
    let cid_id = Ref::new(6);
    let descriptor_id = Ref::new(7);
    let font_file_id = Ref::new(8);
    let cmap_id = Ref::new(9);
    let info_id = Ref::new(10);
    let first_image = 11;
    let font_name = Name(b"F1");
    // A subset's name starts with six capitals and a plus (ISO 32000-1, 9.6.4).
    let base_font = format!("KASIRA+{POSTSCRIPT_NAME}");

    let (content, images) = content(page, &font, m, &remapper, font_name);
    let content = deflate(&content.finish());

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(pages_id);
    pdf.pages(pages_id).kids([page_id]).count(1);
    let mut p = pdf.page(page_id);
    p.media_box(Rect::new(0.0, 0.0, points(page.width), points(page.height)))
        .parent(pages_id)
        .contents(content_id);
    let mut resources = p.resources();
    resources.fonts().pair(font_name, type0_id);
    let mut objects = resources.x_objects();
    for (i, _) in images.iter().enumerate() {
        objects.pair(image_name(i).as_name(), image_ref(first_image, i));
    }
    objects.finish();
    resources.finish();
    p.finish();
    pdf.stream(content_id, &content).filter(Filter::FlateDecode);

    pdf.type0_font(type0_id)
        .base_font(Name(base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    // Whole thousandths: some readers take only an integer width (DW) and ignore anything else.
    let per_mille = |units: f32| (units * 1000.0 / m.units_per_em).round();
    pdf.cid_font(cid_id)
        .subtype(CidFontType::Type2)
        .base_font(Name(base_font.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor_id)
        .default_width(per_mille(m.advance))
        .cid_to_gid_map_predefined(Name(b"Identity"));
    pdf.font_descriptor(descriptor_id)
        .name(Name(base_font.as_bytes()))
        .flags(FontFlags::FIXED_PITCH | FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            0.0,
            per_mille(m.descent),
            per_mille(m.advance),
            per_mille(m.ascent),
        ))
        .italic_angle(0.0)
        .ascent(per_mille(m.ascent))
        .descent(per_mille(m.descent))
        .cap_height(per_mille(m.ascent) * 0.75)
        .stem_v(80.0)
        .font_file2(font_file_id);
    let packed = deflate(&subset);
    pdf.stream(font_file_id, &packed)
        .filter(Filter::FlateDecode)
        .pair(
            Name(b"Length1"),
            i32::try_from(subset.len()).unwrap_or(i32::MAX),
        );

    let mut cmap = UnicodeCmap::new(Name(b"Kasir-UTF16"), system);
    for (cid, c) in &unicode {
        cmap.pair(*cid, *c);
    }
    let cmap = cmap.finish();
    pdf.cmap(cmap_id, &cmap);

    for (i, raster) in images.iter().enumerate() {
        let data = deflate(raster.data());
        let mut image = pdf.image_xobject(image_ref(first_image, i), &data);
        image.filter(Filter::FlateDecode);
        image
            .width(i32::try_from(raster.width()).unwrap_or(0))
            .height(i32::try_from(raster.height()).unwrap_or(0))
            .bits_per_component(1)
            // A set bit is a black dot; in DeviceGray 0 is black, hence the inverted decode.
            .decode([1.0, 0.0]);
        image.color_space().device_gray();
    }

    pdf.document_info(info_id)
        .title(TextStr(title))
        .producer(TextStr("Kasir"));
    Ok(pdf.finish())
}

/// The page's drawing operators, and the pictures it places (in the order of their names).
fn content<'p>(
    page: &'p Page,
    font: &ab_glyph::FontRef<'_>,
    m: Metrics,
    remapper: &subsetter::GlyphRemapper,
    font_name: Name<'_>,
) -> (Content, Vec<&'p kasir_escpos::Raster>) {
    let mut c = Content::new();
    let mut images = Vec::new();
    let height_units = m.ascent - m.descent;
    let advance_per_mille = (m.advance * 1000.0 / m.units_per_em).round();
    // From the top of the paper in dots to PDF's y, upwards from the bottom in points.
    let y = |dots_from_top: f32| points(page.height) - dots_from_top * 72.0 / DOTS_PER_INCH as f32;
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
                if text.is_empty() {
                    continue;
                }
                let cell = points(page.cell * u32::from(*width));
                let line = points(2 * page.cell * u32::from(*height));
                // Font size 1 and the scale in the text matrix: one advance is one cell, and
                // ascent - descent is the line, as in the PNG.
                let sx = cell * 1000.0 / advance_per_mille;
                let sy = line * m.units_per_em / height_units;
                let baseline = y(row.top as f32
                    + (2 * page.cell * u32::from(*height)) as f32 * m.ascent / height_units);
                c.begin_text();
                c.set_font(font_name, 1.0);
                // The rendering mode is graphics state: it outlives `ET`, so every line sets it.
                if *bold {
                    c.set_text_rendering_mode(TextRenderingMode::FillStroke);
                    c.set_line_width(0.03);
                } else {
                    c.set_text_rendering_mode(TextRenderingMode::Fill);
                }
                c.set_text_matrix([sx, 0.0, 0.0, sy, points(*x), baseline]);
                let mut shown = c.show_positioned();
                let mut items = shown.items();
                let mut run: Vec<u8> = Vec::new();
                for ch in text.chars() {
                    let cid = remapper.get(glyph(font, ch).0).unwrap_or(0);
                    run.extend_from_slice(&cid.to_be_bytes());
                    // The font gives every glyph one cell; a wide character takes two, a
                    // combining one none.
                    let cells = ch.width().unwrap_or(0);
                    if cells != 1 {
                        items.show(Str(&run));
                        run.clear();
                        items.adjust((1.0 - cells as f32) * advance_per_mille);
                    }
                }
                if !run.is_empty() {
                    items.show(Str(&run));
                }
                items.finish();
                shown.finish();
                c.end_text();
                if *underline {
                    let used = kasir_escpos::text::cells(text) as f32;
                    c.rect(points(*x), baseline - sy * 0.1, used * cell, line * 0.04);
                    c.fill_nonzero();
                }
            }
            RowContent::Picture { x, raster } => {
                let name = image_name(images.len());
                images.push(raster);
                let w = points(u32::try_from(raster.width()).unwrap_or(0));
                let h = points(u32::try_from(raster.height()).unwrap_or(0));
                c.save_state();
                c.transform([w, 0.0, 0.0, h, points(*x), y(row.top as f32) - h]);
                c.x_object(name.as_name());
                c.restore_state();
            }
            RowContent::Blank => {}
        }
    }
    (c, images)
}

/// The resource name of the `i`th picture.
fn image_name(i: usize) -> ImageName {
    ImageName(format!("Im{}", i + 1))
}

/// The object number of the `i`th picture.
fn image_ref(first: i32, i: usize) -> Ref {
    Ref::new(first + i32::try_from(i).unwrap_or(0))
}

/// An owned resource name.
struct ImageName(String);

impl ImageName {
    fn as_name(&self) -> Name<'_> {
        Name(self.0.as_bytes())
    }
}

/// `data` compressed for a `FlateDecode` stream.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
