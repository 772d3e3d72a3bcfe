//! Time to draw a 30-line receipt with a QR code (48 columns) as a PNG and as a PDF.
//!
//! `cargo bench -p kasir-render --bench render`

#[path = "../../escpos/tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kasir_escpos::{QrPayload, ReceiptOptions};
use kasir_render::{receipt_pdf, receipt_png};

fn bench(c: &mut Criterion) {
    let sale = common::long_sale(30);
    let store = common::store();
    let options = ReceiptOptions {
        columns: Some(48),
        qr: QrPayload::ReceiptLink {
            base: "https://struk.example/r/".into(),
        },
        ..ReceiptOptions::default()
    };
    let png = receipt_png(&sale, &store, &options).expect("png");
    let pdf = receipt_pdf(&sale, &store, &options).expect("pdf");
    println!("png: {} bytes, pdf: {} bytes", png.len(), pdf.len());
    c.bench_function("receipt_30_lines_qr/png", |b| {
        b.iter(|| receipt_png(black_box(&sale), &store, &options).expect("png"))
    });
    c.bench_function("receipt_30_lines_qr/pdf", |b| {
        b.iter(|| receipt_pdf(black_box(&sale), &store, &options).expect("pdf"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
