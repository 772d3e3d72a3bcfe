//! A loyalty customer's erasure on the device: the personal data goes, in one transaction
//! with its `CustomerErased` event; the id, the ledger and the sales stay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use kasir_domain::cart::Cart;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::loyalty::{Customer, LoyaltyRule, NewCustomer};
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::checkout::Checkout;
use kasir_store::loyalty::{KnownEntry, SaleLoyalty};
use kasir_store::{Device, Store, StoreError, StoreSettings};
use rust_decimal_macros::dec;
use uuid::Uuid;

fn loyal_shop() -> (Store, Customer) {
    let mut store = Store::open_in_memory().unwrap();
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Setia"),
            Device::new(Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    store
        .set_loyalty_rule(&LoyaltyRule::new(dec!(10000), dec!(100)))
        .unwrap();
    let customer = store
        .add_customer(&NewCustomer {
            name: "Siti Rahayu",
            phone: Some("0812-3456-7890"),
            email: Some("siti@example.id"),
            birth_year: Some(1990),
            gender: Some(kasir_domain::loyalty::Gender::Female),
            consent: true,
        })
        .unwrap();
    (store, customer)
}

fn sale(store: &Store) -> Sale {
    let settings = store.settings().unwrap();
    let mut cart = Cart::new(settings.currency);
    let item = Item {
        gtin: Gtin::parse("8992388101016").unwrap(),
        sku: None,
        name: "Beras 5 kg".into(),
        price: dec!(1000000),
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
    Sale::complete_with_gift_cards(context, &cart, &settings.tax, &payment, &[]).unwrap()
}

fn buy(store: &mut Store, customer: Uuid) -> Result<Sale, StoreError> {
    let sale = sale(store);
    store.commit_checkout(
        sale,
        &Checkout {
            offline_redemptions: Vec::new(),
            loyalty: Some(SaleLoyalty {
                customer_id: customer,
                points_redeemed: 0,
            }),
        },
    )
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every text the device keeps that could hold the customer's data.
fn everything(store: &Store) -> String {
    let mut all = String::new();
    for sql in [
        "SELECT coalesce(name, '') || coalesce(phone, '') || coalesce(email, '')
             || coalesce(birth_year, '') || coalesce(gender, '') FROM customers",
        "SELECT payload FROM outbox",
        "SELECT body FROM sales",
    ] {
        let mut statement = store.connection().prepare(sql).unwrap();
        let rows = statement.query_map([], |r| r.get::<_, String>(0)).unwrap();
        for row in rows {
            all.push_str(&row.unwrap());
            all.push('\n');
        }
    }
    all
}

#[test]
fn erasure_removes_the_personal_data_and_keeps_the_ledger_and_the_sales() {
    let (mut store, customer) = loyal_shop();
    let sale = buy(&mut store, customer.id).unwrap();
    let before = store.points_of(customer.id).unwrap();
    assert_eq!(before, 100);
    let entries = store.customer_entries(customer.id).unwrap();
    let events = count(&store, "SELECT count(*) FROM outbox");
    let sales_total = count(&store, "SELECT sum(total_minor) FROM sales");
    assert!(everything(&store).contains("Siti Rahayu"));

    let erasure = store.erase_customer(customer.id).unwrap();
    assert_eq!(erasure.points, 100);
    assert_eq!(erasure.redacted_events, 1);

    let all = everything(&store);
    for personal in [
        "Siti",
        "Rahayu",
        "6281234567890",
        "081234567890",
        "siti@example.id",
        "1990",
        "female",
    ] {
        assert!(
            !all.contains(personal),
            "`{personal}` is still kept:\n{all}"
        );
    }
    // The id, the ledger, the sale and their keys stay.
    assert_eq!(store.points_of(customer.id).unwrap(), before);
    assert_eq!(store.customer_entries(customer.id).unwrap(), entries);
    assert_eq!(
        count(&store, "SELECT sum(total_minor) FROM sales"),
        sales_total
    );
    assert_eq!(
        store
            .sale_points(sale.id)
            .unwrap()
            .map(|(c, p)| (c, p.earned)),
        Some((customer.id, 100))
    );
    assert!(store.erased_at(customer.id).unwrap().is_some());
    // One event more, the erasure, naming the customer by id alone.
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), events + 1);
    let payload: String = store
        .connection()
        .query_row(
            "SELECT payload FROM outbox WHERE kind = 'CustomerErased'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(json["customer_id"], customer.id.to_string());
    assert_eq!(json.as_object().unwrap().len(), 2, "{payload}");
    // The customer-added event keeps the id and the consent, nothing else.
    let added: serde_json::Value = serde_json::from_str(
        &store
            .connection()
            .query_row(
                "SELECT payload FROM outbox WHERE kind = 'CustomerAdded'",
                [],
                |r| r.get::<_, String>(0),
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(added["id"], customer.id.to_string());
    assert_eq!(added["erased"], true);
    assert_eq!(added.as_object().unwrap().len(), 3);
}

#[test]
fn an_erased_customer_is_not_found_listed_credited_or_merged_again() {
    let (mut store, customer) = loyal_shop();
    store.erase_customer(customer.id).unwrap();
    assert!(store.list_customers().unwrap().is_empty());
    let by_phone = store.find_customer("0812-3456-7890").unwrap_err();
    assert!(
        matches!(by_phone, StoreError::NotFound { .. }),
        "{by_phone}"
    );
    let by_id = store.find_customer(&customer.id.to_string()).unwrap_err();
    assert!(by_id.to_string().contains("erased"), "{by_id}");

    let outbox = count(&store, "SELECT count(*) FROM outbox");
    let sale = buy(&mut store, customer.id).unwrap_err();
    assert!(sale.to_string().contains("erased"), "{sale}");
    assert!(
        store
            .adjust_points(customer.id, 5)
            .unwrap_err()
            .to_string()
            .contains("erased")
    );
    let merged = store
        .merge_customer(
            &customer,
            &[KnownEntry {
                entry_id: Uuid::now_v7(),
                reference_id: Uuid::now_v7(),
                sale_id: Uuid::now_v7(),
                kind: kasir_domain::loyalty::PointsKind::Adjust,
                points: 5,
                spend: dec!(0),
                occurred_at: Timestamp::now(),
            }],
        )
        .unwrap_err();
    assert!(merged.to_string().contains("erased"), "{merged}");
    assert!(!everything(&store).contains("Siti"));
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), outbox);
    assert_eq!(count(&store, "SELECT count(*) FROM sales"), 0);
}

#[test]
fn erasing_twice_or_an_unknown_customer_is_refused_and_changes_nothing() {
    let (mut store, customer) = loyal_shop();
    let unknown = store.erase_customer(Uuid::now_v7()).unwrap_err();
    assert!(
        matches!(
            unknown,
            StoreError::NotFound {
                what: "customer",
                ..
            }
        ),
        "{unknown}"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'CustomerErased'"
        ),
        0
    );

    store.erase_customer(customer.id).unwrap();
    let again = store.erase_customer(customer.id).unwrap_err();
    assert!(again.to_string().contains("already erased"), "{again}");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'CustomerErased'"
        ),
        1
    );
    // The phone and email are free for someone new.
    store
        .add_customer(&NewCustomer {
            name: "Dewi",
            phone: Some("0812-3456-7890"),
            consent: true,
            ..NewCustomer::default()
        })
        .unwrap();
}

#[test]
fn other_outbox_events_stay_immutable() {
    let (mut store, customer) = loyal_shop();
    buy(&mut store, customer.id).unwrap();
    let refused = store.connection().execute(
        "UPDATE outbox SET payload = '{\"erased\":true}' WHERE kind = 'SaleCompleted'",
        [],
    );
    assert!(refused.is_err(), "a sale's event changed");
    let event = store.connection().execute(
        "UPDATE outbox SET occurred_at = 'x' WHERE kind = 'CustomerAdded'",
        [],
    );
    assert!(event.is_err(), "a customer-added event's time changed");
    let payload = store.connection().execute(
        "UPDATE outbox SET payload = '{\"name\":\"Other\"}' WHERE kind = 'CustomerAdded'",
        [],
    );
    assert!(
        payload.is_err(),
        "a payload was changed to something other than its redaction"
    );
}

#[test]
fn the_erased_values_are_not_left_in_the_file_or_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kasir.db");
    let mut store = Store::open(&path).unwrap();
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Setia"),
            Device::new(Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    let customer = store
        .add_customer(&NewCustomer {
            name: "Wulandari Kusumawardhani",
            email: Some("wulandari.kusuma@example.id"),
            consent: true,
            ..NewCustomer::default()
        })
        .unwrap();
    let on_disk = |path: &std::path::Path| -> Vec<u8> {
        let mut bytes = std::fs::read(path).unwrap_or_default();
        bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
        bytes
    };
    let holds = |bytes: &[u8], text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());
    assert!(holds(&on_disk(&path), "Wulandari Kusumawardhani"));

    store.erase_customer(customer.id).unwrap();
    let bytes = on_disk(&path);
    assert!(!holds(&bytes, "Wulandari Kusumawardhani"));
    assert!(!holds(&bytes, "wulandari.kusuma@example.id"));
    drop(store);
    let bytes = on_disk(&path);
    assert!(!holds(&bytes, "Wulandari"));
}

#[test]
fn a_refund_after_the_erasure_still_reverses_the_points_once() {
    let (mut store, customer) = loyal_shop();
    let sale = buy(&mut store, customer.id).unwrap();
    store.erase_customer(customer.id).unwrap();
    let refund = Uuid::now_v7();
    let reversal = store
        .reverse_sale_points(sale.id, refund, dec!(1))
        .unwrap()
        .unwrap();
    assert_eq!(reversal.reverse_earned, 100);
    assert_eq!(store.points_of(customer.id).unwrap(), 0);
    assert!(
        store
            .reverse_sale_points(sale.id, refund, dec!(1))
            .unwrap()
            .is_none()
    );
    assert_eq!(store.points_of(customer.id).unwrap(), 0);
    assert!(!everything(&store).contains("Siti"));
}

#[test]
fn a_customer_erased_elsewhere_is_forgotten_without_an_event_and_once() {
    let (mut store, customer) = loyal_shop();
    buy(&mut store, customer.id).unwrap();
    let events = count(&store, "SELECT count(*) FROM outbox");
    assert!(store.forget_customer(customer.id).unwrap());
    assert!(!everything(&store).contains("Siti"));
    assert_eq!(store.points_of(customer.id).unwrap(), 100);
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), events);
    // Again, or for a customer this device never held: nothing to do.
    assert!(!store.forget_customer(customer.id).unwrap());
    assert!(!store.forget_customer(Uuid::now_v7()).unwrap());
    assert!(
        store
            .erase_customer(customer.id)
            .unwrap_err()
            .to_string()
            .contains("already erased")
    );
}
