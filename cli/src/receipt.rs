//! The plain-text receipt of a stored sale: the layout of `kasir-escpos`, so that the terminal
//! shows what the printer prints.

use kasir_domain::DomainError;
use kasir_domain::sale::Sale;
use kasir_escpos::{EscposError, PrinterProfile, ReceiptOptions};
use kasir_store::Store;

use crate::app::CliError;

/// `base` for stored `sale`: with the QR tenders no provider verified yet, so every receipt
/// of it (text, printed, picture, PDF) marks them alike.
pub fn options_for(
    store: &Store,
    sale: &Sale,
    base: ReceiptOptions,
) -> Result<ReceiptOptions, CliError> {
    Ok(ReceiptOptions {
        unverified_tenders: store.unverified_tender_numbers(&sale.id.to_string())?,
        ..base
    })
}

/// Renders stored `sale` as a receipt `width` columns wide, its QR tenders that no provider
/// verified yet marked unverified.
pub fn render(store: &Store, sale: &Sale, width: usize) -> Result<String, CliError> {
    let options = options_for(
        store,
        sale,
        ReceiptOptions {
            columns: Some(u16::try_from(width).unwrap_or(u16::MAX)),
            ..ReceiptOptions::default()
        },
    )?;
    let settings = store.settings()?;
    kasir_escpos::receipt_text(sale, settings, &options, &PrinterProfile::generic()).map_err(|e| {
        match e {
            EscposError::Domain(e) => e.into(),
            other => DomainError::invalid("receipt", other.to_string()).into(),
        }
    })
}

/// `kasir receipt N --link`: the link to the sale's receipt on the cloud, with its QR code for
/// the customer's phone. Known offline; it opens once the sale has synced.
pub fn link(
    store: &kasir_store::Store,
    number: &str,
    json: bool,
) -> Result<std::process::ExitCode, crate::app::CliError> {
    use kasir_store::receipt_links::ReceiptLink;
    let link = store.receipt_link(number)?;
    let (url, synced) = match &link {
        ReceiptLink::Ready { url, synced } => (url, *synced),
        ReceiptLink::NotEnrolled => {
            return Err(crate::app::CliError::Usage(format!(
                "receipt {}: this device is not enrolled with a cloud account, so its \
                 receipts have no link yet; enrol it with `kasir enroll CODE --server URL`",
                number.trim()
            )));
        }
        ReceiptLink::NoToken => {
            return Err(crate::app::CliError::Usage(format!(
                "receipt {}: the sale was stored before receipt links existed and has none; \
                 print it instead",
                number.trim()
            )));
        }
    };
    if json {
        println!(
            "{}",
            serde_json::json!({ "receipt_number": number.trim(), "url": url, "synced": synced })
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    println!("{url}");
    print!("{}", crate::qr_cmd::draw(url)?);
    if !synced {
        println!("Not synced yet: the link opens once `kasir sync` has sent this sale.");
    }
    Ok(std::process::ExitCode::SUCCESS)
}
