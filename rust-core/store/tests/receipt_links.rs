//! Receipt links: every stored sale gets its own random token, written with the sale and
//! carried in its event, and the device knows the link offline once it is enrolled.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::time::Duration;

use jiff::Timestamp;
use kasir_domain::cart::Cart;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::receipt_link::is_token;
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::receipt_links::ReceiptLink;
use kasir_store::sync::{CloudLink, Delivery};
use kasir_store::{Device, Store, StoreError, StoreSettings};
use rust_decimal_macros::dec;
use uuid::Uuid;

fn shop() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Setia"),
            Device::new(Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    store
}

fn sell(store: &mut Store) -> Sale {
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(settings.currency);
    let item = Item {
        gtin: Gtin::parse("8992388101016").unwrap(),
        sku: None,
        name: "Beras 5 kg".into(),
        price: dec!(70000),
        tax_category: "ppn".into(),
        unit: Unit::Each,
        category: None,
        stock: dec!(0),
    };
    cart.add(&item, dec!(1)).unwrap();
    let total = cart.totals(&settings.tax).unwrap().total;
    let mut payment = Payment::new(settings.currency, total, None);
    payment.add(TenderMethod::Cash, total).unwrap();
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: Timestamp::now(),
        business_date: jiff::civil::Date::constant(2026, 12, 4),
    };
    let sale = Sale::complete(context, &cart, &settings.tax, &payment).unwrap();
    store.commit_sale(sale).unwrap()
}

fn enrol(store: &mut Store, server_url: &str) {
    store
        .set_cloud_link(&CloudLink {
            server_url: server_url.into(),
            merchant_id: "m".into(),
            store_id: "s".into(),
            token: "secret".into(),
        })
        .unwrap();
}

#[test]
fn each_sale_gets_its_own_token_carried_in_its_event() {
    let mut store = shop();
    let mut tokens = HashSet::new();
    for _ in 0..20 {
        let sale = sell(&mut store);
        let token = store.receipt_token(&sale.receipt_number).unwrap().unwrap();
        assert!(is_token(&token), "{token}");
        assert!(tokens.insert(token.clone()), "token repeated: {token}");

        let payload: serde_json::Value = store
            .connection()
            .query_row(
                "SELECT payload FROM outbox WHERE kind = 'SaleCompleted' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get::<_, String>(0),
            )
            .map(|p| serde_json::from_str(&p).unwrap())
            .unwrap();
        assert_eq!(payload["receipt_token"], token.as_str());
        // The rest of the payload is still the sale, as older clouds read it.
        let carried: Sale = serde_json::from_value(payload).unwrap();
        assert_eq!(carried, sale);
    }
}

#[test]
fn the_link_is_the_enrolled_base_url_and_the_token() {
    let mut store = shop();
    let sale = sell(&mut store);
    assert_eq!(
        store.receipt_link(&sale.receipt_number).unwrap(),
        ReceiptLink::NotEnrolled
    );

    enrol(&mut store, "https://cloud.example.id/");
    let token = store.receipt_token(&sale.receipt_number).unwrap().unwrap();
    assert_eq!(
        store.receipt_link(&sale.receipt_number).unwrap(),
        ReceiptLink::Ready {
            url: format!("https://cloud.example.id/r/{token}"),
            synced: false,
        }
    );
}

#[test]
fn the_link_says_when_the_sale_has_reached_the_cloud() {
    let mut store = shop();
    enrol(&mut store, "http://127.0.0.1:9");
    let sale = sell(&mut store);
    let events = store
        .claim_events("w", 10, Duration::from_secs(30))
        .unwrap();
    let results: Vec<_> = events
        .iter()
        .map(|e| (e.id.clone(), Delivery::Stored))
        .collect();
    store.record_deliveries(&results).unwrap();

    match store.receipt_link(&sale.receipt_number).unwrap() {
        ReceiptLink::Ready { synced, .. } => assert!(synced),
        other => panic!("expected a link, got {other:?}"),
    }
}

#[test]
fn an_unknown_receipt_has_no_link() {
    let store = shop();
    let err = store.receipt_link("D01-999999").unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound { what: "receipt", ref key } if key == "D01-999999"),
        "{err:?}"
    );
}
