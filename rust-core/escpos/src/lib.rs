//! Kasir's receipts on paper: the layout of a sale for 58 and 80 mm paper and its encoding as
//! ESC/POS bytes. The crate does no I/O (no sockets, files or threads): it turns a sale into
//! bytes, and the transports of `kasir-devices` send them.
//!
//! **API.** Pick a [`PrinterProfile`] ([`PrinterProfile::by_name`] with `generic-58`,
//! `generic-80`, `epson-tm-t88` or `xprinter-58-cn`, or [`PrinterProfile::generic`]), set
//! [`ReceiptOptions`] (font, language, QR payload, header and footer lines, logo, cut, drawer)
//! and call [`receipt_bytes`]`(sale, store, options, profile)` for the bytes of the receipt,
//! or [`receipt_text`] with the same arguments for the same layout as plain text (the
//! terminal's receipt). [`test_page`] gives a printer's test page, [`kitchen::route`] splits a
//! sale into kitchen tickets for the printers its categories go to. Lower down, [`Document`]
//! is a laid-out slip and [`Encoder`] writes single commands.

pub mod barcode;
pub mod codepage;
pub mod doc;
pub mod encoder;
pub mod error;
pub mod kitchen;
pub mod profile;
pub mod raster;
mod receipt;
mod tables;
pub mod text;

use kasir_domain::money::Locale;
use kasir_domain::sale::Sale;
use kasir_domain::settings::StoreSettings;

pub use barcode::{Barcode, Symbology};
pub use codepage::CodePage;
pub use doc::{Align, Block, Document, Style};
pub use encoder::{Encoder, encode};
pub use error::EscposError;
pub use profile::{CodePageSlot, Font, PrinterProfile};
pub use raster::Raster;

/// How a receipt writes its time, in the store's time zone (`04/12/2026 13:05`); slips and
/// reports printed beside receipts write theirs the same way.
pub const TIME_FORMAT: &str = "%d/%m/%Y %H:%M";

/// What the QR code at the foot of a receipt carries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum QrPayload {
    /// No QR code.
    #[default]
    None,
    /// This text as it is.
    Text(String),
    /// A link to the digital receipt: `base` followed by the receipt number.
    ReceiptLink {
        /// For example `https://struk.example/r/`.
        base: String,
    },
}

/// How a receipt is laid out, beyond what the sale and the store say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiptOptions {
    /// Characters a line, if not the profile's for the font (for example a terminal's width).
    /// For printed receipts it may not exceed the profile's.
    pub columns: Option<u16>,
    /// Font A (normal) or B (small, more columns).
    pub font: Font,
    /// The receipt's language, if not the store's.
    pub language: Option<Locale>,
    /// The QR code at the foot.
    pub qr: QrPayload,
    /// Lines under the store's address (a branch, opening hours).
    pub header: Vec<String>,
    /// Lines under the store's own footer.
    pub footer: Vec<String>,
    /// A logo printed above the store's name.
    pub logo: Option<Raster>,
    /// The sale's QR tenders (numbered from 1, in the sale's order) that no provider has
    /// verified yet: the receipt marks them unverified.
    pub unverified_tenders: Vec<u32>,
    /// A Code 128 barcode of the receipt number (for returns).
    pub receipt_barcode: bool,
    /// Cut the paper at the end.
    pub cut: bool,
    /// Open the cash drawer at the end.
    pub open_drawer: bool,
}

impl ReceiptOptions {
    /// The options a till uses for a printed receipt: the profile's columns, cut at the end.
    pub fn printed() -> ReceiptOptions {
        ReceiptOptions {
            cut: true,
            ..ReceiptOptions::default()
        }
    }

    /// The characters a line for `profile`, checked.
    pub fn columns_for(&self, profile: &PrinterProfile) -> Result<usize, EscposError> {
        let most = profile.columns(self.font);
        match self.columns {
            None => Ok(usize::from(most)),
            Some(n) if !(16..=200).contains(&n) => Err(EscposError::BadOption {
                field: "columns",
                reason: format!("{n} is outside 16 to 200"),
            }),
            Some(n) => Ok(usize::from(n)),
        }
    }
}

/// Lays out the receipt of `sale` (see [`receipt_bytes`] and [`receipt_text`]).
pub fn receipt_document(
    sale: &Sale,
    store: &StoreSettings,
    options: &ReceiptOptions,
    profile: &PrinterProfile,
) -> Result<Document, EscposError> {
    let columns = options.columns_for(profile)?;
    receipt::layout(sale, store, options, columns)
}

/// The receipt of `sale` as ESC/POS bytes for `profile`: amounts as stored with the sale,
/// labels in the store's language (or `options.language`).
pub fn receipt_bytes(
    sale: &Sale,
    store: &StoreSettings,
    options: &ReceiptOptions,
    profile: &PrinterProfile,
) -> Result<Vec<u8>, EscposError> {
    let columns = options.columns_for(profile)?;
    if columns > usize::from(profile.columns(options.font)) {
        return Err(EscposError::BadOption {
            field: "columns",
            reason: format!(
                "{columns} is more than printer `{}` has in font {:?} ({})",
                profile.name,
                options.font,
                profile.columns(options.font)
            ),
        });
    }
    encode(&receipt::layout(sale, store, options, columns)?, profile)
}

/// The receipt of `sale` as plain text, the same layout as [`receipt_bytes`] (the terminal's
/// receipt): one line per printed line, each ending in a newline.
pub fn receipt_text(
    sale: &Sale,
    store: &StoreSettings,
    options: &ReceiptOptions,
    profile: &PrinterProfile,
) -> Result<String, EscposError> {
    Ok(receipt_document(sale, store, options, profile)?.text())
}

/// A test page for `profile`: its name, a ruler of its columns in both fonts, the sizes,
/// accented text through its code pages, a barcode, a QR code, and a cut.
pub fn test_page(profile: &PrinterProfile) -> Vec<u8> {
    let columns = usize::from(profile.columns_font_a);
    let mut doc = Document::new(Font::A, columns);
    doc.wrapped("KASIR TEST PAGE", Align::Centre, Style::LARGE);
    doc.wrapped(&profile.name, Align::Centre, Style::BOLD);
    doc.wrapped(
        &format!(
            "{} dots, font A {} / font B {} columns",
            profile.dots_per_line, profile.columns_font_a, profile.columns_font_b
        ),
        Align::Centre,
        Style::NORMAL,
    );
    doc.rule();
    doc.line(ruler(columns));
    for (w, h) in [(1, 2), (2, 1), (2, 2)] {
        let style = Style {
            width: w,
            height: h,
            ..Style::NORMAL
        };
        doc.styled(format!("{w}x{h} Rp 35.000"), Align::Left, style);
    }
    let underline = Style {
        underline: true,
        ..Style::NORMAL
    };
    doc.styled("Underlined".into(), Align::Left, underline);
    doc.styled("Right".into(), Align::Right, Style::NORMAL);
    doc.wrapped(
        "Crème brûlée 3,50 € - Ærø - Привет",
        Align::Left,
        Style::NORMAL,
    );
    if profile.supports_gb18030 {
        doc.wrapped("中文 GB18030", Align::Left, Style::NORMAL);
    }
    doc.rule();
    if let Ok(code) = Barcode::new(Symbology::Ean13, "8992388101016") {
        doc.blocks.push(Block::Barcode(code));
    }
    doc.blocks.push(Block::Qr {
        data: "https://example.invalid/kasir".into(),
        module: 6,
    });
    let mut small = Document::new(Font::B, usize::from(profile.columns_font_b));
    small.line(ruler(usize::from(profile.columns_font_b)));
    let mut e = Encoder::new(profile);
    // A test page always prints: a part that cannot be encoded is left out, not the page.
    let _ = e.blocks(&doc);
    let _ = e.blocks(&small);
    e.font(Font::A)
        .style(Style::NORMAL)
        .align(Align::Left)
        .cut();
    e.finish()
}

/// `1234567890` repeated to `columns`, so a missing column shows.
fn ruler(columns: usize) -> String {
    (1..=columns)
        .map(|i| char::from(b'0' + u8::try_from(i % 10).unwrap_or(0)))
        .collect()
}
