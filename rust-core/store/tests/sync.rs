//! The store's side of sync: leases, delivery results, pulled changes and the status.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use jiff::civil::Date;
use kasir_domain::cart::Cart;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::sync::{CloudLink, Delivery};
use kasir_store::{Device, Store, StoreSettings};
use rust_decimal_macros::dec;

const KECAP: &str = "8990121011028";

fn store_with_sales(count: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kasir.db");
    let mut store = Store::open(&path).unwrap();
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko"),
            Device::new(uuid::Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    let csv =
        format!("gtin,name,price,tax_category,unit,stock\n{KECAP},Kecap Manis,4000,ppn,each,100\n");
    store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .unwrap();
    for _ in 0..count {
        sell(&mut store);
    }
    (dir, path)
}

fn sell(store: &mut Store) -> Sale {
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(settings.currency);
    cart.add(&store.find_item(KECAP).unwrap(), dec!(1)).unwrap();
    let mut payment = Payment::new(settings.currency, dec!(4000), None);
    payment.add(TenderMethod::Cash, dec!(4000)).unwrap();
    let context = SaleContext {
        id: uuid::Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: jiff::Timestamp::now(),
        business_date: Date::constant(2026, 12, 3),
    };
    store
        .commit_sale(Sale::complete(context, &cart, &settings.tax, &payment).unwrap())
        .unwrap()
}

#[test]
fn two_workers_never_hold_the_same_event() {
    // Case S-02 on the device: two workers on one store file drain 3 events between them.
    let (_dir, path) = store_with_sales(3);
    let mut first = Store::open(&path).unwrap();
    let mut second = Store::open(&path).unwrap();

    let a = first.claim_events("a", 2, Duration::from_secs(60)).unwrap();
    let b = second
        .claim_events("b", 10, Duration::from_secs(60))
        .unwrap();

    assert_eq!(a.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(b.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3]);
    assert!(
        first
            .claim_events("a", 10, Duration::from_secs(60))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_expired_lease_lets_another_worker_take_the_event() {
    let (_dir, path) = store_with_sales(1);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(
        store.claim_events("a", 10, Duration::ZERO).unwrap().len(),
        1
    );
    std::thread::sleep(Duration::from_millis(5));
    assert_eq!(
        store
            .claim_events("b", 10, Duration::from_secs(60))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_renewed_lease_keeps_the_event_and_others_see_it_as_leased() {
    let (_dir, path) = store_with_sales(2);
    let mut first = Store::open(&path).unwrap();
    let mut second = Store::open(&path).unwrap();
    let held: Vec<i64> = first
        .claim_events("a", 1, Duration::from_millis(50))
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(held, vec![1]);
    // Renewed before it ran out, the lease outlives its first term.
    assert_eq!(
        first
            .renew_leases("a", &held, Duration::from_secs(60))
            .unwrap(),
        1
    );
    std::thread::sleep(Duration::from_millis(80));
    let taken: Vec<i64> = second
        .claim_events("b", 10, Duration::from_secs(60))
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(taken, vec![2], "b must not take a's renewed event");
    assert_eq!(second.leased_elsewhere("b").unwrap(), 1);
    assert_eq!(first.leased_elsewhere("a").unwrap(), 1);
    // A worker cannot renew a lease it does not hold.
    assert_eq!(
        second
            .renew_leases("b", &held, Duration::from_secs(60))
            .unwrap(),
        0
    );
}

#[test]
fn delivered_events_are_synced_and_rejected_ones_kept_with_their_reason() {
    let (_dir, path) = store_with_sales(3);
    let mut store = Store::open(&path).unwrap();
    let events = store
        .claim_events("a", 10, Duration::from_secs(60))
        .unwrap();

    store
        .record_deliveries(&[
            (events[0].id.clone(), Delivery::Stored),
            (
                events[1].id.clone(),
                Delivery::Rejected("totals do not add up".into()),
            ),
        ])
        .unwrap();
    store.release_events("a", &[events[2].seq]).unwrap();

    let status = store.sync_status().unwrap();
    assert_eq!(status.synced, 1);
    assert_eq!(status.waiting, 1);
    assert_eq!(status.rejected.len(), 1);
    assert_eq!(status.rejected[0].reason, "totals do not add up");
    // The released event can be claimed again at once; the rejected one is not resent.
    let again = store
        .claim_events("b", 10, Duration::from_secs(60))
        .unwrap();
    assert_eq!(
        again.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![events[2].seq]
    );
    assert!(
        store
            .record_deliveries(&[("no-such-id".into(), Delivery::Stored)])
            .is_err()
    );
}

#[test]
fn pulled_items_replace_the_devices_copy_but_keep_its_stock() {
    let (_dir, path) = store_with_sales(2);
    let mut store = Store::open(&path).unwrap();
    let changed = Item {
        gtin: Gtin::parse(KECAP).unwrap(),
        sku: Some("KM-1".into()),
        name: "Kecap Manis 135 ml".into(),
        price: dec!(4500),
        tax_category: "ppn".into(),
        unit: Unit::Each,
        category: None,
        stock: dec!(0),
    };
    let mut settings = store.settings().unwrap().clone();
    settings.receipt_footer = "Sampai jumpa".into();

    store
        .apply_changes(&[changed], Some(&settings), "cursor-7")
        .unwrap();

    let item = store.find_item(KECAP).unwrap();
    assert_eq!(
        (item.name.as_str(), item.price, item.stock),
        ("Kecap Manis 135 ml", dec!(4500), dec!(98))
    );
    assert_eq!(store.settings().unwrap().receipt_footer, "Sampai jumpa");
    assert_eq!(store.sync_cursor().unwrap().as_deref(), Some("cursor-7"));
    drop(store);
    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.settings().unwrap().receipt_footer, "Sampai jumpa");
}

#[test]
fn a_bad_pulled_change_applies_nothing() {
    let (_dir, path) = store_with_sales(0);
    let mut store = Store::open(&path).unwrap();
    let bad = Item {
        gtin: Gtin::parse(KECAP).unwrap(),
        sku: None,
        name: "Kecap".into(),
        price: dec!(4500),
        tax_category: "no-such-category".into(),
        unit: Unit::Each,
        category: None,
        stock: dec!(0),
    };
    assert!(store.apply_changes(&[bad], None, "cursor-1").is_err());
    assert_eq!(store.find_item(KECAP).unwrap().price, dec!(4000));
    assert_eq!(store.sync_cursor().unwrap(), None);
}

#[test]
fn status_shows_the_link_the_queue_and_errors() {
    let (_dir, path) = store_with_sales(2);
    let mut store = Store::open(&path).unwrap();
    assert!(!store.sync_status().unwrap().enrolled);
    store
        .set_cloud_link(&CloudLink {
            server_url: "http://127.0.0.1:1".into(),
            merchant_id: "m".into(),
            store_id: "s".into(),
            token: "secret".into(),
        })
        .unwrap();
    store
        .record_sync_error("network: connection refused")
        .unwrap();

    let status = store.sync_status().unwrap();
    assert!(status.enrolled);
    assert_eq!(status.waiting, 2);
    assert!(status.oldest_waiting_age_secs.unwrap() >= 0);
    assert_eq!(
        status.last_error.as_deref(),
        Some("network: connection refused")
    );
    assert!(!serde_json::to_string(&status).unwrap().contains("secret"));

    store.record_sync_success().unwrap();
    assert_eq!(store.sync_status().unwrap().last_error, None);
    assert!(
        store
            .set_cloud_link(&store.cloud_link().unwrap().unwrap())
            .is_err()
    );
}
