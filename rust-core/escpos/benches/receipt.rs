//! Time to lay out and encode an 80 mm receipt of 30 lines with a logo and a QR code, on a
//! printer that draws QR codes itself (Epson) and on one that gets them as a picture.
//!
//! `cargo bench -p kasir-escpos --bench receipt`

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kasir_escpos::{PrinterProfile, QrPayload, Raster, ReceiptOptions, receipt_bytes};

fn bench(c: &mut Criterion) {
    let sale = common::long_sale(30);
    let store = common::store();
    let logo =
        Raster::from_image_bytes(include_bytes!("../tests/data/logo.png"), 576).expect("logo");
    let options = ReceiptOptions {
        qr: QrPayload::ReceiptLink {
            base: "https://struk.example/r/".into(),
        },
        logo: Some(logo),
        cut: true,
        ..ReceiptOptions::default()
    };
    for name in ["epson-tm-t88", "generic-80"] {
        let profile = PrinterProfile::by_name(name).expect("built in");
        let bytes = receipt_bytes(&sale, &store, &options, &profile).expect("receipt");
        println!("{name}: {} bytes", bytes.len());
        c.bench_function(&format!("receipt_80mm_30_lines_logo_qr/{name}"), |b| {
            b.iter(|| receipt_bytes(black_box(&sale), &store, &options, &profile).expect("receipt"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
