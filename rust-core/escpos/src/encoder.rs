//! The ESC/POS encoder: commands for styles, alignment, sizes, code pages, QR codes, barcodes,
//! images, the cutter and the cash drawer, and the encoding of a laid-out [`Document`].
//!
//! Text is sent in the bytes of the code page the printer has selected, never as raw UTF-8: a
//! line is sent in the first of the profile's tables that has all its characters (switching
//! with `ESC t` and the profile's table number), else character by character; Chinese
//! characters go as GBK double bytes (`FS &`) to printers with a Chinese font; a line with
//! characters no table or font has is drawn as a picture (Unifont glyphs) where the printer
//! takes pictures, and otherwise shows `?` in their place.

use unicode_width::UnicodeWidthChar;

use crate::barcode::Barcode;
use crate::codepage::{CodePage, gbk_bytes};
use crate::doc::{Align, Block, Document, Style};
use crate::error::EscposError;
use crate::profile::{Font, PrinterProfile};
use crate::raster::{Raster, low_high};

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const FS: u8 = 0x1C;
const LF: u8 = 0x0A;

/// The visible stand-in for a character the printer cannot print.
pub const FALLBACK: u8 = b'?';

/// A QR code's error correction level: the share of the symbol that may be lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QrLevel {
    /// About 7 %.
    L,
    /// About 15 %, Kasir's choice for receipts (a thermal print fades and creases).
    #[default]
    M,
    /// About 25 %.
    Q,
    /// About 30 %.
    H,
}

impl QrLevel {
    fn command(self) -> u8 {
        match self {
            QrLevel::L => 0x30,
            QrLevel::M => 0x31,
            QrLevel::Q => 0x32,
            QrLevel::H => 0x33,
        }
    }

    fn qrcode(self) -> qrcode::EcLevel {
        match self {
            QrLevel::L => qrcode::EcLevel::L,
            QrLevel::M => qrcode::EcLevel::M,
            QrLevel::Q => qrcode::EcLevel::Q,
            QrLevel::H => qrcode::EcLevel::H,
        }
    }
}

/// The `GS ( k` commands that make the printer draw a QR code of `data` itself: model 2,
/// `module` dots a module, error correction `level`, store the data, print.
pub fn qr_commands(data: &[u8], module: u8, level: QrLevel) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 32);
    out.extend_from_slice(&[GS, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
    out.extend_from_slice(&[GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, module.clamp(1, 16)]);
    out.extend_from_slice(&[GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, level.command()]);
    out.extend_from_slice(&qr_store(data));
    out.extend_from_slice(&[GS, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]);
    out
}

/// The `GS ( k` store command for `data`: `1D 28 6B pL pH 31 50 30 d1..dk` with
/// `pL + 256 x pH = k + 3`.
pub fn qr_store(data: &[u8]) -> Vec<u8> {
    let (pl, ph) = low_high(data.len() + 3);
    let mut out = Vec::with_capacity(data.len() + 8);
    out.extend_from_slice(&[GS, 0x28, 0x6B, pl, ph, 0x31, 0x50, 0x30]);
    out.extend_from_slice(data);
    out
}

/// A QR code of `data` drawn as a picture, `module` dots a module with a quiet zone of four
/// modules, the module shrunk until it fits `max_width` dots.
pub fn qr_raster(
    data: &str,
    module: u8,
    level: QrLevel,
    max_width: usize,
) -> Result<Raster, EscposError> {
    let code = qrcode::QrCode::with_error_correction_level(data, level.qrcode())
        .map_err(|e| EscposError::Qr(e.to_string()))?;
    let side = code.width() + 8;
    let module = (1..=usize::from(module.max(1)))
        .rev()
        .find(|m| side * m <= max_width)
        .ok_or_else(|| {
            EscposError::Qr(format!(
                "{} modules do not fit {max_width} dots",
                code.width()
            ))
        })?;
    let colors = code.to_colors();
    let mut out = Raster::new(side * module, side * module);
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % code.width() + 4, i / code.width() + 4);
            for dy in 0..module {
                for dx in 0..module {
                    out.set(x * module + dx, y * module + dy);
                }
            }
        }
    }
    Ok(out)
}

/// Builds an ESC/POS byte stream for one printer, sending a style command only when the style
/// changes.
#[derive(Debug)]
pub struct Encoder<'a> {
    profile: &'a PrinterProfile,
    out: Vec<u8>,
    table: Option<u8>,
    chinese: bool,
    font: Font,
    align: Align,
    style: Style,
}

impl<'a> Encoder<'a> {
    /// Starts a job: `ESC @` (and `FS .` on printers with a Chinese font, which may start in
    /// double-byte mode).
    pub fn new(profile: &'a PrinterProfile) -> Encoder<'a> {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(&[ESC, 0x40]);
        if profile.supports_gb18030 {
            out.extend_from_slice(&[FS, 0x2E]);
        }
        Encoder {
            profile,
            out,
            table: None,
            chinese: false,
            font: Font::A,
            align: Align::Left,
            style: Style::NORMAL,
        }
    }

    /// Selects `font` (`ESC M`).
    pub fn font(&mut self, font: Font) -> &mut Self {
        if font != self.font {
            self.out
                .extend_from_slice(&[ESC, 0x4D, if font == Font::B { 1 } else { 0 }]);
            self.font = font;
        }
        self
    }

    /// Sets the alignment (`ESC a`).
    pub fn align(&mut self, align: Align) -> &mut Self {
        if align != self.align {
            let n = match align {
                Align::Left => 0,
                Align::Centre => 1,
                Align::Right => 2,
            };
            self.out.extend_from_slice(&[ESC, 0x61, n]);
            self.align = align;
        }
        self
    }

    /// Sets bold (`ESC E`), underline (`ESC -`) and size (`GS !`), each only if it changes.
    pub fn style(&mut self, style: Style) -> &mut Self {
        if style.bold != self.style.bold {
            self.out
                .extend_from_slice(&[ESC, 0x45, u8::from(style.bold)]);
        }
        if style.underline != self.style.underline {
            self.out
                .extend_from_slice(&[ESC, 0x2D, u8::from(style.underline)]);
        }
        let (w, h) = (style.width.clamp(1, 8), style.height.clamp(1, 8));
        if (w, h) != (self.style.width, self.style.height) {
            self.out
                .extend_from_slice(&[GS, 0x21, ((w - 1) << 4) | (h - 1)]);
        }
        self.style = Style {
            width: w,
            height: h,
            ..style
        };
        self
    }

    /// Prints `text` and ends the line.
    pub fn line(&mut self, text: &str) -> &mut Self {
        if self.profile.supports_raster && text.chars().any(|c| !self.printable(c)) {
            self.leave_chinese();
            let raster = self.text_raster(text);
            self.out.extend_from_slice(&raster.gs_v0());
        } else {
            self.text(text);
            self.out.push(LF);
        }
        self
    }

    /// Sends `text` in the printer's code pages (see the module documentation), without a
    /// line feed; a character the printer lacks becomes `?` (two for a wide character).
    pub fn text(&mut self, text: &str) -> &mut Self {
        let wanted: Vec<char> = text.chars().filter(|c| !is_plain(*c)).collect();
        if !wanted.is_empty() {
            let covers = |page: CodePage| wanted.iter().all(|c| page.encode(*c).is_some());
            let current = self.current_page();
            if !current.is_some_and(covers)
                && let Some(slot) = self.profile.code_pages.iter().find(|s| covers(s.page))
            {
                self.select_table(slot.table);
            }
        }
        for ch in text.chars() {
            self.char(ch);
        }
        self.leave_chinese();
        self
    }

    /// Feeds `n` lines (`ESC d`).
    pub fn feed(&mut self, n: u8) -> &mut Self {
        if n > 0 {
            self.out.extend_from_slice(&[ESC, 0x64, n]);
        }
        self
    }

    /// Prints a QR code of `data`: natively where the printer can and the data is within its
    /// limit, else as a picture, else (a printer with neither) the data as text.
    pub fn qr(&mut self, data: &str, module: u8) -> Result<&mut Self, EscposError> {
        let p = self.profile;
        if p.supports_qr && data.len() <= p.max_qr_bytes {
            let level = QrLevel::M;
            self.out
                .extend_from_slice(&qr_commands(data.as_bytes(), module, level));
        } else if p.supports_raster {
            let raster = qr_raster(data, module, QrLevel::M, usize::from(p.dots_per_line))?;
            self.out.extend_from_slice(&raster.gs_v0());
        } else {
            self.line(data);
        }
        Ok(self)
    }

    /// Prints a 1D barcode.
    pub fn barcode(&mut self, code: &Barcode) -> &mut Self {
        self.out.extend_from_slice(&code.commands());
        self
    }

    /// Prints a picture; refused on a printer without raster graphics or if it is wider than
    /// the paper.
    pub fn image(&mut self, raster: &Raster) -> Result<&mut Self, EscposError> {
        if !self.profile.supports_raster {
            return Err(EscposError::Unsupported {
                printer: self.profile.name.clone(),
                what: "images",
            });
        }
        if raster.width() > usize::from(self.profile.dots_per_line) {
            return Err(EscposError::Image(format!(
                "{} dots wide, the paper has {}",
                raster.width(),
                self.profile.dots_per_line
            )));
        }
        self.out.extend_from_slice(&raster.gs_v0());
        Ok(self)
    }

    /// Feeds the paper past the cutter and cuts it (`GS V 66 3`: feed three lines, partial
    /// cut); on a printer without a cutter, feeds four lines to tear it off.
    pub fn cut(&mut self) -> &mut Self {
        if self.profile.supports_cut {
            self.out.extend_from_slice(&[GS, 0x56, 0x42, 0x03]);
        } else {
            self.feed(4);
        }
        self
    }

    /// Pulses the cash drawer on pin 2 (`ESC p 0`, 50 ms on, 500 ms off).
    pub fn open_drawer(&mut self) -> &mut Self {
        self.out.extend_from_slice(&[ESC, 0x70, 0x00, 0x19, 0xFA]);
        self
    }

    /// Appends bytes as they are (for commands this encoder does not know).
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.out.extend_from_slice(bytes);
        self
    }

    /// The bytes of the job.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    fn printable(&self, ch: char) -> bool {
        is_plain(ch)
            || self
                .profile
                .code_pages
                .iter()
                .any(|s| s.page.encode(ch).is_some())
            || (self.profile.supports_gb18030 && gbk_bytes(ch).is_some())
    }

    fn current_page(&self) -> Option<CodePage> {
        let table = self.table.unwrap_or(0);
        self.profile
            .code_pages
            .iter()
            .find(|s| s.table == table)
            .map(|s| s.page)
    }

    fn select_table(&mut self, table: u8) {
        if self.table != Some(table) {
            self.leave_chinese();
            self.out.extend_from_slice(&[ESC, 0x74, table]);
            self.table = Some(table);
        }
    }

    fn leave_chinese(&mut self) {
        if self.chinese {
            self.out.extend_from_slice(&[FS, 0x2E]);
            self.chinese = false;
        }
    }

    fn char(&mut self, ch: char) {
        if is_plain(ch) {
            self.leave_chinese();
            self.out
                .push(u8::try_from(u32::from(ch)).unwrap_or(FALLBACK));
            return;
        }
        if let Some(byte) = self.current_page().and_then(|p| p.encode(ch)) {
            self.leave_chinese();
            self.out.push(byte);
            return;
        }
        if let Some(slot) = self
            .profile
            .code_pages
            .iter()
            .find(|s| s.page.encode(ch).is_some())
        {
            let (table, byte) = (slot.table, slot.page.encode(ch).unwrap_or(FALLBACK));
            self.select_table(table);
            self.out.push(byte);
            return;
        }
        if self.profile.supports_gb18030
            && let Some(pair) = gbk_bytes(ch)
        {
            if !self.chinese {
                self.out.extend_from_slice(&[FS, 0x26]);
                self.chinese = true;
            }
            self.out.extend_from_slice(&pair);
            return;
        }
        self.leave_chinese();
        let cells = ch.width().unwrap_or(0);
        self.out.extend(std::iter::repeat_n(
            FALLBACK,
            cells.max(usize::from(cells > 0)),
        ));
    }

    /// `text` drawn with Unifont glyphs (8 x 16, or 16 x 16 for wide characters) in the cells
    /// of the current font and size. In Font A's 12 x 24 cells the glyphs are drawn one and a
    /// half times as large (nearest neighbour), so that they match the printer's own text.
    fn text_raster(&self, text: &str) -> Raster {
        let columns = usize::from(self.profile.columns(self.font).max(1));
        let cell = usize::from(self.profile.dots_per_line) / columns;
        let cell_height = if self.font == Font::A { 24 } else { 17 };
        // Glyph scale as a fraction: 3/2 where the cell has room for it.
        let (num, den) = if cell >= 12 && cell_height >= 24 {
            (3, 2)
        } else {
            (1, 1)
        };
        let (sx, sy) = (
            usize::from(self.style.width),
            usize::from(self.style.height),
        );
        let cells: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
        let mut out = Raster::new((cells * cell * sx).max(8), cell_height * sy);
        let glyph_height = 16 * num / den;
        let top = cell_height.saturating_sub(glyph_height) / 2 * sy;
        let (mut x, mut base_x, mut base_w) = (0, 0, 1);
        for ch in text.chars() {
            let w = ch.width().unwrap_or(0);
            let glyph = unifont::get_glyph(ch).or_else(|| unifont::get_glyph('?'));
            // A combining mark (no width of its own) is drawn over the character before.
            let (at, room) = if w == 0 { (base_x, base_w) } else { (x, w) };
            if let Some(glyph) = glyph {
                let glyph_width = glyph.get_width() * num / den;
                let left = at + (room * cell).saturating_sub(glyph_width) / 2 * sx;
                for ty in 0..glyph_height {
                    for tx in 0..glyph_width {
                        if glyph.get_pixel(tx * den / num, ty * den / num) {
                            for dy in 0..sy {
                                for dx in 0..sx {
                                    out.set(left + tx * sx + dx, top + ty * sy + dy);
                                }
                            }
                        }
                    }
                }
            }
            if w > 0 {
                (base_x, base_w) = (x, w);
                x += w * cell * sx;
            }
        }
        out
    }
}

/// Printable ASCII: the same byte in every table.
fn is_plain(ch: char) -> bool {
    (' '..='~').contains(&ch)
}

/// Encodes a laid-out slip for `profile`.
pub fn encode(doc: &Document, profile: &PrinterProfile) -> Result<Vec<u8>, EscposError> {
    let mut e = Encoder::new(profile);
    e.blocks(doc)?;
    e.style(Style::NORMAL).align(Align::Left);
    if doc.cut {
        e.cut();
    }
    if doc.open_drawer {
        e.open_drawer();
    }
    Ok(e.finish())
}

impl Encoder<'_> {
    /// Sends the blocks of `doc` in its font (not its cut or drawer pulse).
    pub fn blocks(&mut self, doc: &Document) -> Result<&mut Self, EscposError> {
        self.font(doc.font);
        for block in &doc.blocks {
            match block {
                Block::Text { text, align, style } => {
                    self.align(*align).style(*style).line(text);
                }
                Block::Rule => {
                    self.align(Align::Left)
                        .style(Style::NORMAL)
                        .line(&"-".repeat(doc.columns));
                }
                Block::Feed(n) => {
                    self.feed(*n);
                }
                Block::Qr { data, module } => {
                    self.align(Align::Centre)
                        .style(Style::NORMAL)
                        .qr(data, *module)?;
                    self.feed(1);
                }
                Block::Barcode(code) => {
                    self.align(Align::Centre).style(Style::NORMAL).barcode(code);
                    self.feed(1);
                }
                Block::Image(raster) => {
                    self.align(Align::Centre).image(raster)?;
                }
            }
        }
        Ok(self)
    }
}
