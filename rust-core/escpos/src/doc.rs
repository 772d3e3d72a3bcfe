//! A laid-out slip of paper: lines that already fit, rules, codes and images. The receipt and
//! the kitchen ticket build one; the encoder turns it into ESC/POS bytes, and [`Document::text`]
//! into the same layout as plain text for a terminal.

use crate::barcode::Barcode;
use crate::profile::Font;
use crate::raster::Raster;
use crate::text::{centre, pad_left, wrap};

/// Where a line sits across the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Centre,
    /// Flush right.
    Right,
}

/// How a line is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Emphasised (`ESC E`).
    pub bold: bool,
    /// Underlined (`ESC -`).
    pub underline: bool,
    /// Character width multiplier, 1 to 8 (`GS !`).
    pub width: u8,
    /// Character height multiplier, 1 to 8 (`GS !`).
    pub height: u8,
}

impl Style {
    /// Plain text.
    pub const NORMAL: Style = Style {
        bold: false,
        underline: false,
        width: 1,
        height: 1,
    };
    /// Bold.
    pub const BOLD: Style = Style {
        bold: true,
        ..Style::NORMAL
    };
    /// Double width and height, bold: the store's name, a ticket's table.
    pub const LARGE: Style = Style {
        bold: true,
        underline: false,
        width: 2,
        height: 2,
    };
}

impl Default for Style {
    fn default() -> Style {
        Style::NORMAL
    }
}

/// One element of a slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// One printed line; its width in cells times `style.width` fits the paper.
    Text {
        /// The characters.
        text: String,
        /// Where it sits.
        align: Align,
        /// How it is printed.
        style: Style,
    },
    /// A line of dashes across the paper.
    Rule,
    /// Empty lines.
    Feed(u8),
    /// A QR code of `data`, `module` dots a module.
    Qr {
        /// The encoded text, for example a link to the digital receipt.
        data: String,
        /// Module size in dots, 1 to 16.
        module: u8,
    },
    /// A 1D barcode.
    Barcode(Barcode),
    /// A picture, centred.
    Image(Raster),
}

/// A slip laid out for `columns` characters a line in `font`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The font of every line.
    pub font: Font,
    /// Characters a line at normal width.
    pub columns: usize,
    /// What is printed, top to bottom.
    pub blocks: Vec<Block>,
    /// Cut the paper at the end (where the printer has a cutter).
    pub cut: bool,
    /// Pulse the cash drawer at the end.
    pub open_drawer: bool,
}

impl Document {
    /// An empty slip.
    pub fn new(font: Font, columns: usize) -> Document {
        Document {
            font,
            columns,
            blocks: Vec::new(),
            cut: false,
            open_drawer: false,
        }
    }

    /// The characters a line holds at `style`'s width.
    pub fn columns_at(&self, style: Style) -> usize {
        self.columns / usize::from(style.width.max(1))
    }

    /// Adds `text` wrapped at word boundaries to the width `style` leaves, each piece a line.
    pub fn wrapped(&mut self, text: &str, align: Align, style: Style) {
        for piece in wrap(text, self.columns_at(style)) {
            self.blocks.push(Block::Text {
                text: piece,
                align,
                style,
            });
        }
    }

    /// Adds `text` wrapped like [`Document::wrapped`], flush left, each piece after `indent`
    /// spaces (which wrapping alone would drop).
    pub fn indented(&mut self, text: &str, indent: usize, style: Style) {
        let room = self.columns_at(style).saturating_sub(indent);
        for piece in wrap(text, room) {
            self.blocks.push(Block::Text {
                text: format!("{}{piece}", " ".repeat(indent)),
                align: Align::Left,
                style,
            });
        }
    }

    /// Adds one line that the caller has already made fit (for example two columns).
    pub fn line(&mut self, text: String) {
        self.blocks.push(Block::Text {
            text,
            align: Align::Left,
            style: Style::NORMAL,
        });
    }

    /// Adds one line in `style`, already fitting.
    pub fn styled(&mut self, text: String, align: Align, style: Style) {
        self.blocks.push(Block::Text { text, align, style });
    }

    /// Adds a rule.
    pub fn rule(&mut self) {
        self.blocks.push(Block::Rule);
    }

    /// The slip as plain text, one line per printed line, trailing spaces removed. Double
    /// width lines keep their wrapping (so the text breaks where the paper does); codes and
    /// images show as a bracketed note.
    pub fn text(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Text { text, align, .. } => out.push(match align {
                    Align::Left => text.clone(),
                    Align::Centre => centre(text, self.columns),
                    Align::Right => pad_left(text, self.columns),
                }),
                Block::Rule => out.push("-".repeat(self.columns)),
                Block::Feed(n) => out.extend((0..*n).map(|_| String::new())),
                Block::Qr { data, .. } => {
                    out.push(centre("[QR]", self.columns));
                    out.extend(
                        wrap(data, self.columns)
                            .iter()
                            .map(|l| centre(l, self.columns)),
                    );
                }
                Block::Barcode(code) => {
                    out.push(centre(
                        &format!("[{}] {}", code.symbology.name(), code.data),
                        self.columns,
                    ));
                }
                Block::Image(_) => {}
            }
        }
        let mut text = out
            .into_iter()
            .map(|line| line.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n");
        text.push('\n');
        text
    }
}
