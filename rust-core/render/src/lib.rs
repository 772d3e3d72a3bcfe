//! Kasir's receipts to share: the very layout `kasir-escpos` prints, drawn as a PNG picture or
//! as a one-page PDF with real, selectable text, for a chat message or an email.
//!
//! **API.** [`receipt_png`] and [`receipt_pdf`] take a sale, the store's settings and the
//! [`ReceiptOptions`] of the printed receipt (columns, language, QR code, header and footer) and
//! return the file's bytes. Lower down, [`Page::of`] places a laid-out [`Document`] on 80 mm
//! paper (in printer dots, 203 to the inch) and [`png`] and [`pdf`] draw a page.
//!
//! The paper is 640 dots wide (80 mm), of which the middle 576 are printed, as on an 80 mm
//! printer; the text is DejaVu Sans Mono, bundled (`fonts/`, with its licence), so that a
//! receipt looks the same on every phone and in every PDF reader.

mod font;
pub mod page;
pub mod pdf;
pub mod png;

use kasir_domain::sale::Sale;
use kasir_domain::settings::StoreSettings;
use kasir_escpos::{Document, EscposError, PrinterProfile, ReceiptOptions};

pub use page::{Page, Row, RowContent};

/// Why a receipt could not be drawn. Nothing is half-written: the bytes come whole or not at
/// all.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The receipt could not be laid out (the sale, the store's settings or an option).
    #[error(transparent)]
    Layout(#[from] EscposError),
    /// An option is outside what a shared receipt can show.
    #[error("receipt option `{field}`: {reason}")]
    BadOption {
        /// The option.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The picture or the PDF could not be written (a bug, not bad input).
    #[error("writing the {format}: {reason}")]
    Encode {
        /// `PNG` or `PDF`.
        format: &'static str,
        /// What failed.
        reason: String,
    },
}

/// The fewest and most characters a line of a shared receipt: 24 leaves a character 24 dots
/// wide, 64 (Font B on 80 mm paper) 9 dots.
pub const COLUMNS: std::ops::RangeInclusive<usize> = 24..=64;

/// The receipt of `sale` laid out as the 80 mm printer prints it (48 columns unless
/// `options.columns` says otherwise), checked for sharing.
pub fn receipt_document(
    sale: &Sale,
    store: &StoreSettings,
    options: &ReceiptOptions,
) -> Result<Document, RenderError> {
    let profile = PrinterProfile::by_name("generic-80")?;
    let doc = kasir_escpos::receipt_document(sale, store, options, &profile)?;
    if !COLUMNS.contains(&doc.columns) {
        return Err(RenderError::BadOption {
            field: "columns",
            reason: format!(
                "{} is outside {} to {} for a shared receipt",
                doc.columns,
                COLUMNS.start(),
                COLUMNS.end()
            ),
        });
    }
    Ok(doc)
}

/// The receipt of `sale` as a PNG picture, 640 pixels (80 mm at 203 dpi) wide, black on white.
pub fn receipt_png(
    sale: &Sale,
    store: &StoreSettings,
    options: &ReceiptOptions,
) -> Result<Vec<u8>, RenderError> {
    png::png(&Page::of(&receipt_document(sale, store, options)?)?)
}

/// The receipt of `sale` as a PDF of one page 80 mm wide and as long as the receipt, its text
/// real text in the bundled font (so it can be selected, searched and read aloud), titled with
/// the store's name and the receipt number.
pub fn receipt_pdf(
    sale: &Sale,
    store: &StoreSettings,
    options: &ReceiptOptions,
) -> Result<Vec<u8>, RenderError> {
    let page = Page::of(&receipt_document(sale, store, options)?)?;
    pdf::pdf(&page, &format!("{} {}", store.name, sale.receipt_number))
}

/// The file name a shared receipt goes by: `struk-D01-000042.png` in Indonesian,
/// `receipt-D01-000042.pdf` in English; only letters, digits and dashes from the number.
pub fn file_name(sale: &Sale, locale: kasir_domain::money::Locale, extension: &str) -> String {
    let word = match locale {
        kasir_domain::money::Locale::Id => "struk",
        kasir_domain::money::Locale::En => "receipt",
    };
    let number: String = sale
        .receipt_number
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{word}-{number}.{extension}")
}
