//! Writes sample receipts, a kitchen ticket and a test page as `.bin` files into a folder, for
//! an independent ESC/POS interpreter to render (see `scripts/check-receipts.sh`).
//!
//! `cargo run -p kasir-escpos --example render -- OUTDIR`

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use kasir_escpos::kitchen::{KitchenOrder, KitchenPrinter, RoutingRules, route};
use kasir_escpos::{Font, PrinterProfile, QrPayload, Raster, ReceiptOptions, receipt_bytes};

fn options_58_qr() -> ReceiptOptions {
    ReceiptOptions {
        qr: QrPayload::Text("https://struk.example/r/D01-000042".into()),
        cut: true,
        ..ReceiptOptions::default()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).ok_or("usage: render OUTDIR")?);
    std::fs::create_dir_all(&out)?;
    let generic = PrinterProfile::generic();
    let epson = PrinterProfile::by_name("epson-tm-t88")?;
    let link = QrPayload::ReceiptLink {
        base: "https://struk.example/r/".into(),
    };
    let logo = Raster::from_image_bytes(include_bytes!("../tests/data/logo.png"), 384)?;

    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    let options = ReceiptOptions {
        qr: link.clone(),
        cut: true,
        ..ReceiptOptions::default()
    };
    files.push((
        "small-58",
        receipt_bytes(&common::small_sale(), &common::store(), &options, &generic)?,
    ));
    let options = ReceiptOptions {
        qr: link.clone(),
        logo: Some(logo),
        receipt_barcode: true,
        cut: true,
        open_drawer: true,
        ..ReceiptOptions::default()
    };
    files.push((
        "small-80",
        receipt_bytes(&common::small_sale(), &common::store(), &options, &epson)?,
    ));
    // A 58 mm printer that draws QR codes itself and has no cutter.
    let cn = PrinterProfile::by_name("xprinter-58-cn")?;
    files.push((
        "small-58-cn",
        receipt_bytes(
            &common::small_sale(),
            &common::store(),
            &options_58_qr(),
            &cn,
        )?,
    ));
    // A name in a script no code page has: the line goes as a picture of its glyphs.
    let mut thai = common::small_sale();
    thai.lines[0].name = "ข้าวผัดกุ้ง".into();
    files.push((
        "thai-58",
        receipt_bytes(
            &thai,
            &common::store(),
            &ReceiptOptions::printed(),
            &generic,
        )?,
    ));
    let mut store = common::store();
    store.name = "Café Müller".into();
    store.locale = kasir_domain::money::Locale::En;
    store.receipt_footer = "Grüße – 3,50 € Trinkgeld".into();
    let options = ReceiptOptions {
        font: Font::B,
        qr: link,
        cut: true,
        ..ReceiptOptions::default()
    };
    files.push((
        "cafe-80-font-b",
        receipt_bytes(&common::cafe_sale(), &store, &options, &epson)?,
    ));

    let rules = RoutingRules {
        printers: vec![
            KitchenPrinter {
                name: "dapur".into(),
                profile: epson.clone(),
                categories: vec!["Makanan".into()],
            },
            KitchenPrinter {
                name: "bar".into(),
                profile: epson.clone(),
                categories: vec!["Minuman".into()],
            },
        ],
        fallback: Some("dapur".into()),
        skip: Vec::new(),
    };
    let order = KitchenOrder {
        table: Some("12".into()),
        modifiers: BTreeMap::from([(2, vec!["tidak pedas".to_string()])]),
        note: None,
    };
    for ticket in route(&common::cafe_sale(), &common::store(), &order, &rules)? {
        let name = if ticket.printer == "bar" {
            "kitchen-bar"
        } else {
            "kitchen-dapur"
        };
        files.push((name, ticket.bytes));
    }
    files.push(("test-page-80", kasir_escpos::test_page(&epson)));

    for (name, bytes) in files {
        std::fs::write(out.join(format!("{name}.bin")), bytes)?;
    }
    Ok(())
}
