//! Sales for the tests, made through the domain as the register makes them.

#![allow(dead_code)]

use jiff::Timestamp;
use jiff::civil::Date;
use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind, Discount};
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::settings::StoreSettings;
use kasir_domain::tax::TaxRules;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use uuid::Uuid;

/// An item in the IDR catalog.
pub fn item(gtin: &str, name: &str, price: Decimal, category: &str) -> Item {
    Item {
        gtin: Gtin::parse(gtin).expect("test GTIN"),
        sku: None,
        name: name.into(),
        price,
        tax_category: "ppn".into(),
        unit: Unit::Each,
        category: Some(category.into()),
        stock: dec!(100),
    }
}

/// 2026-12-03 10:15 in Jakarta (03:15 UTC).
pub fn context() -> SaleContext {
    SaleContext {
        id: Uuid::nil(),
        device_id: "dev".into(),
        completed_at: "2026-12-03T03:15:00Z".parse::<Timestamp>().expect("time"),
        business_date: Date::constant(2026, 12, 3),
    }
}

/// An Indonesian shop with an address, an NPWP and a footer.
pub fn store() -> StoreSettings {
    let mut s = StoreSettings::indonesian_shop("Warung Sederhana");
    s.address = vec!["Jl. Merdeka 17, Bandung".into()];
    s.tax_id = Some("01.234.567.8-901.000".into());
    s
}

/// Three Indomie at 3.500 paid with 20.000 in cash: total 10.500, change 9.500, PPN 12% on an
/// 11/12 base contained in the price.
pub fn small_sale() -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(
        &item("8992388101016", "Indomie Goreng", dec!(3500), "Makanan"),
        dec!(3),
    )
    .expect("add");
    let totals = cart.totals(&rules).expect("totals");
    let mut payment = Payment::new(Currency::IDR, totals.total, None);
    payment.add(TenderMethod::Cash, dec!(20000)).expect("cash");
    let mut sale = Sale::complete(context(), &cart, &rules, &payment).expect("sale");
    sale.receipt_number = "D01-000042".into();
    sale
}

/// A café order: drinks and food, a line discount, an order discount, a tip, paid by card
/// and cash.
pub fn cafe_sale() -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(
        &item(
            "8992388101016",
            "Es Kopi Susu Gula Aren",
            dec!(18000),
            "Minuman",
        ),
        dec!(2),
    )
    .expect("add");
    let nasi = cart
        .add(
            &item(
                "8998866200837",
                "Nasi Goreng Spesial",
                dec!(35000),
                "Makanan",
            ),
            dec!(1),
        )
        .expect("add");
    cart.add(
        &item("8990121011028", "Kerupuk", dec!(2000), "Makanan"),
        dec!(3),
    )
    .expect("add");
    cart.set_line_discount(nasi, Some(Discount::Percent(dec!(10))))
        .expect("line discount");
    cart.add_discount(Discount::Amount(dec!(5000)))
        .expect("discount");
    cart.set_charge(ChargeKind::Tip, Some(ChargeBasis::Amount(dec!(5000))), None)
        .expect("tip");
    let totals = cart.totals(&rules).expect("totals");
    let mut payment = Payment::new(Currency::IDR, totals.total, None);
    payment
        .add(
            TenderMethod::card("A1B2C3", "1234", "VISA").expect("card"),
            dec!(50000),
        )
        .expect("card tender");
    let rest = payment.remaining();
    payment
        .add(TenderMethod::Cash, rest + dec!(10000))
        .expect("cash");
    let mut sale = Sale::complete(context(), &cart, &rules, &payment).expect("sale");
    sale.receipt_number = "D01-000043".into();
    sale
}

/// `n` lines of different items, paid in cash.
pub fn long_sale(n: usize) -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    for i in 0..n {
        let body = format!("899000000{i:03}");
        let gtin = with_check_digit(&body);
        let price = Decimal::from(1000 + 250 * i as i64);
        cart.add(
            &item(
                &gtin,
                &format!("Barang nomor {i} ukuran sedang"),
                price,
                "Toko",
            ),
            dec!(2),
        )
        .expect("add");
    }
    let totals = cart.totals(&rules).expect("totals");
    let mut payment = Payment::new(Currency::IDR, totals.total, None);
    payment.add(TenderMethod::Cash, totals.total).expect("cash");
    let mut sale = Sale::complete(context(), &cart, &rules, &payment).expect("sale");
    sale.receipt_number = "D01-000100".into();
    sale
}

/// `body` (12 digits) with its GS1 check digit.
pub fn with_check_digit(body: &str) -> String {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}
