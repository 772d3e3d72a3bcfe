//! The plain-text receipt of a stored sale: the layout of `kasir-escpos`, so that the terminal
//! shows what the printer prints.

use kasir_domain::DomainError;
use kasir_domain::sale::Sale;
use kasir_escpos::{EscposError, PrinterProfile, ReceiptOptions};
use kasir_store::StoreSettings;

/// Renders `sale` as a receipt `width` columns wide.
pub fn render(sale: &Sale, settings: &StoreSettings, width: usize) -> Result<String, DomainError> {
    let options = ReceiptOptions {
        columns: Some(u16::try_from(width).unwrap_or(u16::MAX)),
        ..ReceiptOptions::default()
    };
    kasir_escpos::receipt_text(sale, settings, &options, &PrinterProfile::generic()).map_err(|e| {
        match e {
            EscposError::Domain(e) => e,
            other => DomainError::invalid("receipt", other.to_string()),
        }
    })
}
