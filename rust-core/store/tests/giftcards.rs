//! Gift cards on the device: offline redemptions within the merchant's limits, written with
//! their outbox event, and never the same allowance spent twice by two handles on one file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::{Arc, Barrier};

use jiff::Timestamp;
use kasir_domain::giftcard::{CardNumber, OfflineLimits};
use kasir_domain::money::Currency;
use kasir_store::sync::Delivery;
use kasir_store::{Device, Store, StoreError, StoreSettings};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use uuid::Uuid;

fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}

fn card() -> CardNumber {
    CardNumber::parse("GC-7F3K-92QD").unwrap()
}

/// A dollar store at `path` whose limits let one redemption take 10.00 and a card 10.00.
fn dollar_store(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    let mut settings = StoreSettings::indonesian_shop("Toko Hadiah");
    settings.currency = usd();
    settings.cash_rounding = None;
    store
        .initialise(settings, Device::new(Uuid::now_v7(), "D01").unwrap())
        .unwrap();
    store
        .set_gift_card_offline_limits(OfflineLimits {
            per_redemption: dec!(10.00),
            per_card: dec!(10.00),
        })
        .unwrap();
    store
}

fn redeem(store: &mut Store, amount: Decimal) -> Result<Decimal, StoreError> {
    store
        .redeem_gift_card_offline(&card(), amount, Uuid::now_v7(), None)
        .map(|r| r.available_offline)
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn two_handles_redeeming_the_whole_balance_at_once_let_exactly_one_through() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.db");
    let mut store = dollar_store(&path);
    store
        .remember_gift_card_balance(&card(), usd(), dec!(10.00), Timestamp::now())
        .unwrap();
    drop(store);
    let start = Arc::new(Barrier::new(2));

    let threads: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                start.wait();
                redeem(&mut store, dec!(10.00)).map_err(|e| e.to_string())
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();

    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{results:?}");
    let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert!(refused.contains("0.00 may be redeemed now"), "{refused}");
    assert!(refused.contains("another tender"), "{refused}");
    let store = Store::open(&path).unwrap();
    let known = store.known_gift_card(&card()).unwrap().unwrap();
    assert_eq!(known.spent_offline, dec!(10.00));
    assert_eq!(known.available_offline, dec!(0));
    let events = "SELECT count(*) FROM outbox WHERE kind = 'GiftCardRedeemed'";
    assert_eq!(count(&store, events), 1);
}

#[test]
fn eight_handles_redeeming_two_each_against_ten_let_exactly_five_through() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.db");
    let mut store = dollar_store(&path);
    store
        .remember_gift_card_balance(&card(), usd(), dec!(10.00), Timestamp::now())
        .unwrap();
    drop(store);
    let start = Arc::new(Barrier::new(8));

    let threads: Vec<_> = (0..8)
        .map(|_| {
            let path = path.clone();
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                start.wait();
                redeem(&mut store, dec!(2.00)).is_ok()
            })
        })
        .collect();
    let ok = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|ok| *ok)
        .count();

    assert_eq!(ok, 5);
    let store = Store::open(&path).unwrap();
    let spent = "SELECT -sum(delta_minor) FROM gift_card_entries WHERE kind = 'redeem'";
    assert_eq!(count(&store, spent), 1000);
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), 5);
}

#[test]
fn the_merchants_limits_bound_offline_redemptions() {
    let mut store = dollar_store(&tempfile::tempdir().unwrap().path().join("d.db"));
    store
        .set_gift_card_offline_limits(OfflineLimits {
            per_redemption: dec!(5.00),
            per_card: dec!(8.00),
        })
        .unwrap();
    store
        .remember_gift_card_balance(&card(), usd(), dec!(50.00), Timestamp::now())
        .unwrap();

    let too_big = redeem(&mut store, dec!(5.01)).unwrap_err().to_string();
    let first = redeem(&mut store, dec!(5.00)).unwrap();
    let over_card = redeem(&mut store, dec!(3.01)).unwrap_err().to_string();
    let second = redeem(&mut store, dec!(3.00)).unwrap();

    assert!(too_big.contains("at most $ 5.00"), "{too_big}");
    // 8.00 a card, 5.00 taken: 3.00 left to take offline.
    assert_eq!(first, dec!(3.00));
    assert!(
        over_card.contains("at most $ 8.00 from one card"),
        "{over_card}"
    );
    assert_eq!(second, dec!(0));
}

#[test]
fn a_card_never_seen_online_cannot_be_redeemed_offline() {
    let mut store = dollar_store(&tempfile::tempdir().unwrap().path().join("d.db"));

    let refused = redeem(&mut store, dec!(1.00)).unwrap_err().to_string();

    assert!(refused.contains("has not been seen online"), "{refused}");
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM gift_card_entries"), 0);
}

#[test]
fn without_limits_a_device_redeems_gift_cards_only_online() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = dollar_store(&dir.path().join("d.db"));
    store
        .set_gift_card_offline_limits(OfflineLimits::NONE)
        .unwrap();
    store
        .remember_gift_card_balance(&card(), usd(), dec!(10.00), Timestamp::now())
        .unwrap();

    let refused = redeem(&mut store, dec!(0.01)).unwrap_err().to_string();

    assert!(refused.contains("0 may be redeemed now"), "{refused}");
}

#[test]
fn a_delivered_offline_redemption_stops_counting_once_the_cloud_tells_a_new_balance() {
    let mut store = dollar_store(&tempfile::tempdir().unwrap().path().join("d.db"));
    store
        .remember_gift_card_balance(&card(), usd(), dec!(10.00), Timestamp::now())
        .unwrap();
    redeem(&mut store, dec!(4.00)).unwrap();

    // The cloud tells 10.00 again before it got the event: the 4.00 still counts.
    store
        .remember_gift_card_balance(&card(), usd(), dec!(10.00), Timestamp::now())
        .unwrap();
    let before = store.known_gift_card(&card()).unwrap().unwrap();
    let event = store.outbox_events(10).unwrap().remove(0);
    store
        .record_deliveries(&[(event.id, Delivery::Stored)])
        .unwrap();
    store
        .remember_gift_card_balance(&card(), usd(), dec!(6.00), Timestamp::now())
        .unwrap();
    let after = store.known_gift_card(&card()).unwrap().unwrap();

    assert_eq!(before.spent_offline, dec!(4.00));
    assert_eq!(before.available_offline, dec!(6.00));
    assert_eq!(after.known_balance, dec!(6.00));
    assert_eq!(after.spent_offline, dec!(0));
    assert_eq!(after.available_offline, dec!(6.00));
}

#[test]
fn the_offline_event_carries_the_entry_the_cloud_applies_once() {
    let mut store = dollar_store(&tempfile::tempdir().unwrap().path().join("d.db"));
    store
        .remember_gift_card_balance(&card(), usd(), dec!(10.00), Timestamp::now())
        .unwrap();
    let entry = Uuid::now_v7();
    let sale = Uuid::now_v7();

    let redeemed = store
        .redeem_gift_card_offline(&card(), dec!(2.50), entry, Some(sale))
        .unwrap();
    let again = store
        .redeem_gift_card_offline(&card(), dec!(2.50), entry, Some(sale))
        .unwrap_err()
        .to_string();

    let payload: serde_json::Value =
        serde_json::from_str(&store.outbox_payload(redeemed.event_seq).unwrap()).unwrap();
    assert_eq!(payload["entry_id"], entry.to_string());
    assert_eq!(payload["number"], "GC-7F3K-92QD");
    assert_eq!(payload["amount"], "2.50");
    assert_eq!(payload["currency"], "USD");
    assert_eq!(payload["sale_id"], sale.to_string());
    assert!(again.contains("already recorded"), "{again}");
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), 1);
}

#[test]
fn an_online_redemption_sets_the_known_balance_and_is_recorded_once() {
    let mut store = dollar_store(&tempfile::tempdir().unwrap().path().join("d.db"));
    let entry = Uuid::now_v7();

    for _ in 0..2 {
        store
            .record_online_redemption(&card(), entry, dec!(3.00), dec!(7.00), None)
            .unwrap();
    }

    let known = store.known_gift_card(&card()).unwrap().unwrap();
    assert_eq!(known.known_balance, dec!(7.00));
    assert_eq!(known.spent_offline, dec!(0));
    assert_eq!(count(&store, "SELECT count(*) FROM gift_card_entries"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), 0);
}

/// A store whose limits let one redemption and one card take 10.00, that knows the card at
/// 6.00 and spent all of it offline: nothing more may be taken offline.
fn card_spent_offline() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = dollar_store(&dir.path().join("d.db"));
    store
        .remember_gift_card_balance(&card(), usd(), dec!(6.00), Timestamp::now())
        .unwrap();
    assert_eq!(redeem(&mut store, dec!(6.00)).unwrap(), dec!(0));
    (dir, store)
}

#[test]
fn a_refund_onto_a_card_can_be_spent_offline_at_once() {
    let (_dir, mut store) = card_spent_offline();

    store
        .queue_gift_card_refund(&card(), dec!(2.50), Uuid::now_v7(), None)
        .unwrap();
    let known = store.known_gift_card(&card()).unwrap().unwrap();
    let too_much = redeem(&mut store, dec!(2.51)).unwrap_err().to_string();
    let left = redeem(&mut store, dec!(2.50)).unwrap();

    assert_eq!(known.refunded_since, dec!(2.50));
    assert_eq!(known.known_balance, dec!(8.50));
    assert_eq!(known.spent_offline, dec!(6.00));
    assert_eq!(known.available_offline, dec!(2.50));
    assert!(too_much.contains("2.50 left"), "{too_much}");
    assert_eq!(left, dec!(0));
}

#[test]
fn a_refund_is_counted_once_when_the_cloud_tells_a_balance_that_has_it() {
    let (_dir, mut store) = card_spent_offline();
    store
        .queue_gift_card_refund(&card(), dec!(2.50), Uuid::now_v7(), None)
        .unwrap();

    // Both events delivered; the cloud has 6.00 - 6.00 + 2.50 on the card.
    let events = store.outbox_events(10).unwrap();
    assert_eq!(events.len(), 2);
    let delivered: Vec<_> = events
        .iter()
        .map(|e| (e.id.clone(), Delivery::Stored))
        .collect();
    store.record_deliveries(&delivered).unwrap();
    store
        .remember_gift_card_balance(&card(), usd(), dec!(2.50), Timestamp::now())
        .unwrap();
    let known = store.known_gift_card(&card()).unwrap().unwrap();

    assert_eq!(known.refunded_since, dec!(0));
    assert_eq!(known.known_balance, dec!(2.50));
    assert_eq!(known.spent_offline, dec!(0));
    assert_eq!(known.available_offline, dec!(2.50));
}

#[test]
fn a_refund_the_cloud_has_not_yet_counted_still_counts_after_an_older_balance() {
    let (_dir, mut store) = card_spent_offline();
    store
        .queue_gift_card_refund(&card(), dec!(2.50), Uuid::now_v7(), None)
        .unwrap();

    // The cloud tells a balance before either event reached it.
    store
        .remember_gift_card_balance(&card(), usd(), dec!(6.00), Timestamp::now())
        .unwrap();
    let known = store.known_gift_card(&card()).unwrap().unwrap();

    assert_eq!(known.known_balance, dec!(8.50));
    assert_eq!(known.available_offline, dec!(2.50));
}

#[test]
fn a_refund_the_cloud_refused_is_not_spendable() {
    let (_dir, mut store) = card_spent_offline();
    let seq = store
        .queue_gift_card_refund(&card(), dec!(2.50), Uuid::now_v7(), None)
        .unwrap();
    let refund_event = store
        .outbox_events(10)
        .unwrap()
        .into_iter()
        .find(|e| e.seq == seq)
        .unwrap();

    store
        .record_deliveries(&[(refund_event.id, Delivery::Rejected("unknown card".into()))])
        .unwrap();
    let known = store.known_gift_card(&card()).unwrap().unwrap();

    assert_eq!(known.refunded_since, dec!(0));
    assert_eq!(known.known_balance, dec!(6.00));
    assert_eq!(known.available_offline, dec!(0));
    assert!(redeem(&mut store, dec!(0.01)).is_err());
}
