//! Writes the receipt of a café order as `receipt.png` and `receipt.pdf` into a folder, with a
//! QR code linking to the digital receipt, to look at.
//!
//! `cargo run -p kasir-render --example share -- /tmp/receipts`

#[path = "../../escpos/tests/common/mod.rs"]
mod common;

use kasir_escpos::{QrPayload, ReceiptOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let options = ReceiptOptions {
        columns: Some(42),
        qr: QrPayload::ReceiptLink {
            base: "https://struk.example/r/".into(),
        },
        ..ReceiptOptions::default()
    };
    let sale = common::cafe_sale();
    let store = common::store();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        format!("{dir}/receipt.png"),
        kasir_render::receipt_png(&sale, &store, &options)?,
    )?;
    std::fs::write(
        format!("{dir}/receipt.pdf"),
        kasir_render::receipt_pdf(&sale, &store, &options)?,
    )?;
    Ok(())
}
