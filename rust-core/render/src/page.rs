//! A laid-out receipt placed on 80 mm paper, in printer dots (203 to the inch): where each line,
//! QR code and picture goes. The PNG and the PDF are both drawn from a [`Page`], so they cannot
//! disagree about what is where.

use kasir_escpos::encoder::{QrLevel, qr_raster};
use kasir_escpos::text::{cells, centre, wrap};
use kasir_escpos::{Align, Block, Document, Raster};

use crate::RenderError;

/// The paper's width: 80 mm at 203 dots to the inch.
pub const PAPER_DOTS: u32 = 640;
/// The printed width in the middle of the paper, as on an 80 mm printer.
pub const PRINT_DOTS: u32 = 576;
/// White paper above the first line and below the last.
pub const MARGIN_DOTS: u32 = 24;
/// Dots to the inch, as on a thermal printer; a PDF point is 1/72 inch.
pub const DOTS_PER_INCH: u32 = 203;

/// A receipt placed on paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The paper's width in dots ([`PAPER_DOTS`]).
    pub width: u32,
    /// The paper's length in dots: the margins and every row.
    pub height: u32,
    /// The width of one character cell at normal width; a line is twice as tall.
    pub cell: u32,
    /// The rows, top to bottom, without gaps.
    pub rows: Vec<Row>,
}

/// One row of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its top edge, in dots from the top of the paper.
    pub top: u32,
    /// Its height in dots.
    pub height: u32,
    /// What it shows.
    pub content: RowContent,
}

/// What a row shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowContent {
    /// A line of text starting at `x`, each character `width` cells wide and the line `height`
    /// lines tall.
    Text {
        /// The characters, leading spaces removed (they are in `x`).
        text: String,
        /// The left edge of the first character, in dots.
        x: u32,
        /// Width multiplier.
        width: u8,
        /// Height multiplier.
        height: u8,
        /// Bold.
        bold: bool,
        /// Underlined.
        underline: bool,
    },
    /// A one-bit picture (a QR code, a logo) with its left edge at `x`.
    Picture {
        /// The left edge, in dots.
        x: u32,
        /// The dots.
        raster: Raster,
    },
    /// An empty line.
    Blank,
}

impl Page {
    /// Places `doc` on the paper: each character a cell of `576 / columns` dots, lines twice
    /// as tall as a cell (times the style's height), the columns centred on the paper.
    pub fn of(doc: &Document) -> Result<Page, RenderError> {
        let columns = u32::try_from(doc.columns)
            .ok()
            .filter(|c| (1..=PRINT_DOTS).contains(c))
            .ok_or_else(|| RenderError::BadOption {
                field: "columns",
                reason: format!("{} columns cannot be drawn", doc.columns),
            })?;
        let cell = PRINT_DOTS / columns;
        let left = (PAPER_DOTS - cell * columns) / 2;
        let line = 2 * cell;
        let mut rows: Vec<Row> = Vec::new();
        let mut top = MARGIN_DOTS;
        let mut push = |height: u32, content: RowContent| {
            rows.push(Row {
                top,
                height,
                content,
            });
            top += height;
        };
        let text_row = |text: &str, align: Align, width: u8, height: u8, bold, underline| {
            let width = width.max(1);
            let trimmed = text.trim_start();
            let lead = cells(text) - cells(trimmed);
            let used = cells(trimmed) * usize::from(width);
            let columns = doc.columns;
            let start = match align {
                Align::Left => lead * usize::from(width),
                Align::Centre => columns.saturating_sub(used) / 2,
                Align::Right => columns.saturating_sub(used),
            };
            RowContent::Text {
                text: trimmed.trim_end().to_string(),
                x: left + cell * u32::try_from(start).unwrap_or(0),
                width,
                height: height.max(1),
                bold,
                underline,
            }
        };
        for block in &doc.blocks {
            match block {
                Block::Text { text, align, style } => {
                    let content = text_row(
                        text,
                        *align,
                        style.width,
                        style.height,
                        style.bold,
                        style.underline,
                    );
                    push(line * u32::from(style.height.max(1)), content);
                }
                Block::Rule => push(
                    line,
                    text_row(&"-".repeat(doc.columns), Align::Left, 1, 1, false, false),
                ),
                Block::Feed(n) => {
                    for _ in 0..*n {
                        push(line, RowContent::Blank);
                    }
                }
                Block::Qr { data, module } => {
                    let raster = qr_raster(data, *module, QrLevel::M, PRINT_DOTS as usize)?;
                    push(dots(raster.height()), picture(raster));
                    // The link under the code, as on the plain-text receipt.
                    for piece in wrap(data, doc.columns) {
                        push(line, text_row(&piece, Align::Centre, 1, 1, false, false));
                    }
                }
                Block::Barcode(code) => {
                    let note = format!("[{}] {}", code.symbology.name(), code.data);
                    push(
                        line,
                        text_row(&centre(&note, doc.columns), Align::Left, 1, 1, false, false),
                    );
                }
                Block::Image(raster) => push(dots(raster.height()), picture(raster.clone())),
            }
        }
        let height = top + MARGIN_DOTS;
        Ok(Page {
            width: PAPER_DOTS,
            height,
            cell,
            rows,
        })
    }

    /// The page's text, one line per text row, as the plain-text receipt has it but without
    /// its `[QR]` note (the page has the code itself) and with runs of spaces as one.
    pub fn text_lines(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|row| match &row.content {
                RowContent::Text { text, .. } => Some(squeeze(text)),
                RowContent::Blank => Some(String::new()),
                RowContent::Picture { .. } => None,
            })
            .collect()
    }
}

/// `text` with runs of whitespace made one space and none at either end: how a text line
/// compares across formats that place words rather than spaces.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A picture centred on the paper.
fn picture(raster: Raster) -> RowContent {
    let width = dots(raster.width()).min(PAPER_DOTS);
    RowContent::Picture {
        x: (PAPER_DOTS - width) / 2,
        raster,
    }
}

/// A count of dots as `u32` (a receipt is never four billion dots long).
fn dots(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
