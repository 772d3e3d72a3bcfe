//! Refunds in the store: numbered documents written with their event, restocking when asked,
//! and never more than was paid, whatever the order or the number of refunds, and whichever
//! of two handles on one file asks first.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::{Arc, Barrier};

use jiff::Timestamp;
use jiff::civil::Date;
use kasir_domain::Decimal;
use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind, Discount};
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::refund::{Refund, RefundKind, RefundRequest, RefundTo};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::{Device, Store, StoreSettings};
use rust_decimal_macros::dec;

const CATALOG: &str = "gtin,name,price,tax_category,unit,stock
8990121011028,Kecap Manis,10000,ppn,each,50
8992761136116,Teh Botol,3333,ppn,each,50
";

/// Noon in Jakarta on 2026-12-03 (the sales' business day), and the next day.
fn today() -> Timestamp {
    "2026-12-03T05:00:00Z".parse().unwrap()
}

fn tomorrow() -> Timestamp {
    "2026-12-04T05:00:00Z".parse().unwrap()
}

fn set_up(store: &mut Store) {
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Uji"),
            Device::new(uuid::Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    store
        .import_catalog(CATALOG.as_bytes(), false, &mut |_| {})
        .unwrap();
}

fn new_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    set_up(&mut store);
    store
}

/// 3 Kecap Manis and 2 Teh Botol, 10% off, a Rp 2.000 tip; Rp 20.000 by card, the rest cash.
fn sell(store: &mut Store) -> Sale {
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(settings.currency);
    cart.add(&store.find_item("8990121011028").unwrap(), dec!(3))
        .unwrap();
    cart.add(&store.find_item("8992761136116").unwrap(), dec!(2))
        .unwrap();
    cart.add_discount(Discount::Percent(dec!(10))).unwrap();
    cart.set_charge(ChargeKind::Tip, Some(ChargeBasis::Amount(dec!(2000))), None)
        .unwrap();
    let total = cart.totals(&settings.tax).unwrap().total;
    let mut payment = Payment::new(settings.currency, total, None);
    payment
        .add(
            TenderMethod::card("A1", "4242", "VISA").unwrap(),
            dec!(20000),
        )
        .unwrap();
    payment
        .add(TenderMethod::Cash, total - dec!(20000))
        .unwrap();
    let context = SaleContext {
        id: uuid::Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: today(),
        business_date: Date::constant(2026, 12, 3),
    };
    let mut sale = Sale::complete(context, &cart, &settings.tax, &payment).unwrap();
    sale.staff = Some("Ani".into());
    store.commit_sale(sale).unwrap()
}

fn request(lines: Option<Vec<(u32, Decimal)>>, to: RefundTo, restock: bool) -> RefundRequest {
    RefundRequest {
        lines,
        to,
        kind: RefundKind::Refund,
        restock,
        staff: Some("Mira".into()),
        reason: Some("damaged".into()),
    }
}

fn stock(store: &Store, gtin: &str) -> Decimal {
    store.find_item(gtin).unwrap().stock
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_partial_refund_is_numbered_stored_with_its_event_and_restocks_when_asked() {
    let mut store = new_store();
    let sale = sell(&mut store);
    let before = stock(&store, "8990121011028");

    let first = store
        .commit_refund(
            &sale.receipt_number,
            &request(Some(vec![(1, dec!(2))]), RefundTo::Cash, true),
            today(),
        )
        .unwrap();
    assert_eq!(first.refund_number, "D01-R000001");
    // 3 x 10.000 with 10% off is 27.000 paid: two units give back 18.000, in cash.
    assert_eq!(first.total, dec!(18000));
    assert_eq!(first.tenders.len(), 1);
    assert_eq!(first.tenders[0].method, "cash");
    assert_eq!(stock(&store, "8990121011028"), before + dec!(2));
    assert_eq!(store.refund_by_number("D01-R000001").unwrap(), first);

    let events = store.outbox_events(10).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.kind, "SaleRefunded");
    let payload: Refund = serde_json::from_str(&store.outbox_payload(last.seq).unwrap()).unwrap();
    assert_eq!(payload, first);

    // The rest, not restocked, to the original tenders: the card first, then cash; the tip
    // goes back with it, and together the refunds give back the whole sale.
    let rest = store
        .commit_refund(
            &sale.receipt_number,
            &request(None, RefundTo::Original, false),
            today(),
        )
        .unwrap();
    assert_eq!(rest.refund_number, "D01-R000002");
    assert_eq!(first.total + rest.total, sale.total);
    assert_eq!(rest.tips, dec!(2000));
    assert_eq!(rest.tenders[0].method, "card");
    assert!(rest.total < dec!(20000));
    assert_eq!(rest.tenders.len(), 1);
    assert_eq!(rest.tenders[0].amount, rest.total);
    assert_eq!(stock(&store, "8990121011028"), before + dec!(2));
    assert_eq!(
        store.refunds_of_sale(&sale.receipt_number).unwrap().len(),
        2
    );

    let err = store
        .commit_refund(
            &sale.receipt_number,
            &request(None, RefundTo::Cash, false),
            today(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "everything of sale D01-000001 was already refunded"
    );
}

#[test]
fn a_refused_refund_writes_nothing_and_leaves_no_gap_in_the_numbers() {
    let mut store = new_store();
    let sale = sell(&mut store);
    let events = count(&store, "SELECT count(*) FROM outbox");
    let err = store
        .commit_refund(
            &sale.receipt_number,
            &request(Some(vec![(2, dec!(3))]), RefundTo::Cash, true),
            today(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: only 2 of line 2 is left to return"
    );
    assert_eq!(count(&store, "SELECT count(*) FROM refunds"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), events);
    assert_eq!(stock(&store, "8992761136116"), dec!(48));

    let unknown = store
        .commit_refund("D01-000099", &request(None, RefundTo::Cash, false), today())
        .unwrap_err();
    assert_eq!(unknown.to_string(), "receipt `D01-000099` not found");

    let ok = store
        .commit_refund(
            &sale.receipt_number,
            &request(Some(vec![(2, dec!(1))]), RefundTo::Cash, false),
            today(),
        )
        .unwrap();
    assert_eq!(ok.refund_number, "D01-R000001");
}

#[test]
fn the_database_itself_refuses_a_refund_beyond_the_sale() {
    let mut store = new_store();
    let sale = sell(&mut store);
    store
        .commit_refund(
            &sale.receipt_number,
            &request(Some(vec![(1, dec!(3))]), RefundTo::Cash, false),
            today(),
        )
        .unwrap();
    let refund_id: String = store
        .connection()
        .query_row("SELECT id FROM refunds", [], |r| r.get(0))
        .unwrap();
    let more_units = store.connection().execute(
        "INSERT INTO refund_lines (refund_id, sale_id, line_no, gtin, quantity_milli, amount_minor, tax_minor)
         VALUES (?1, ?2, 1, '08990121011028', 1000, 0, 0)",
        rusqlite::params![refund_id, sale.id.to_string()],
    );
    assert!(
        more_units
            .unwrap_err()
            .to_string()
            .contains("returns more of a line than was sold")
    );
    let changed = store
        .connection()
        .execute("UPDATE refunds SET total_minor = 0", []);
    assert!(changed.unwrap_err().to_string().contains("immutable"));
}

#[test]
fn a_void_cancels_the_whole_sale_of_the_day_only() {
    let mut store = new_store();
    let sale = sell(&mut store);
    let mut void = request(None, RefundTo::Original, true);
    void.kind = RefundKind::Void;
    let late = store
        .commit_refund(&sale.receipt_number, &void, tomorrow())
        .unwrap_err();
    assert!(late.to_string().contains("only a sale of today"), "{late}");
    let done = store
        .commit_refund(&sale.receipt_number, &void, today())
        .unwrap();
    assert_eq!(done.kind, RefundKind::Void);
    assert_eq!(done.total, sale.total);
    assert_eq!(stock(&store, "8990121011028"), dec!(50));
    assert_eq!(stock(&store, "8992761136116"), dec!(50));
}

fn open(path: &Path) -> Store {
    Store::open(path).unwrap()
}

#[test]
fn two_handles_refunding_the_same_units_at_once_let_exactly_one_through() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("device.db");
    let mut store = open(&path);
    set_up(&mut store);
    let sale = sell(&mut store);
    drop(store);
    let start = Arc::new(Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            let start = Arc::clone(&start);
            let receipt = sale.receipt_number.clone();
            std::thread::spawn(move || {
                let mut store = open(&path);
                start.wait();
                store
                    .commit_refund(
                        &receipt,
                        &request(Some(vec![(1, dec!(3))]), RefundTo::Cash, false),
                        today(),
                    )
                    .map(|r| r.total)
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert_eq!(refused, "line 1: line 1 is already returned in full");
    let store = open(&path);
    assert_eq!(count(&store, "SELECT count(*) FROM refunds"), 1);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// Any sequence of partial refunds, stored one after another, gives back at most the
    /// sale's total, and the last full refund brings it exactly to the total.
    #[test]
    fn stored_refunds_never_give_back_more_than_was_paid(
        steps in proptest::collection::vec((1u32..3, 1u32..4, proptest::bool::ANY), 1..8),
    ) {
        let mut store = new_store();
        let sale = sell(&mut store);
        for (line, quantity, cash) in steps {
            let to = if cash { RefundTo::Cash } else { RefundTo::Original };
            let _ = store.commit_refund(
                &sale.receipt_number,
                &request(Some(vec![(line, Decimal::from(quantity))]), to, true),
                today(),
            );
            let given: i64 = count(&store, "SELECT coalesce(sum(total_minor), 0) FROM refunds");
            proptest::prop_assert!(Decimal::from(given) <= sale.total);
        }
        let _ = store.commit_refund(&sale.receipt_number, &request(None, RefundTo::Original, true), today());
        let given: i64 = count(&store, "SELECT coalesce(sum(total_minor), 0) FROM refunds");
        proptest::prop_assert_eq!(Decimal::from(given), sale.total);
        proptest::prop_assert_eq!(stock(&store, "8990121011028"), dec!(50));
        let card: i64 = count(&store, "SELECT coalesce(sum(amount_minor), 0) FROM refund_tenders WHERE method = 'card'");
        proptest::prop_assert!(card <= 20000);
    }
}

#[test]
fn the_day_report_nets_refunds_and_tips_per_staff() {
    let mut store = new_store();
    let sale = sell(&mut store);
    let refund = store
        .commit_refund(
            &sale.receipt_number,
            &request(None, RefundTo::Cash, true),
            today(),
        )
        .unwrap();
    let second = sell(&mut store);
    let report = store.day_report(Date::constant(2026, 12, 3)).unwrap();
    assert_eq!(report.total, sale.total + second.total);
    assert_eq!(report.refunds.count, 1);
    assert_eq!(report.refunds.total, refund.total);
    assert_eq!(report.refunds.net_total, second.total);
    assert_eq!(report.refunds.net_tax, report.tax - refund.tax);
    assert_eq!(report.refunds.tenders.len(), 1);
    assert_eq!(report.refunds.tenders[0].amount, refund.total);
    let tips = &report.tips_by_staff;
    assert_eq!(tips.len(), 1);
    assert_eq!(tips[0].staff.as_deref(), Some("Ani"));
    assert_eq!(tips[0].sales, 2);
    assert_eq!(
        (tips[0].tips, tips[0].refunded, tips[0].net),
        (dec!(4000), dec!(2000), dec!(2000))
    );
}

#[test]
fn each_stored_refund_carries_its_proportional_tax_and_all_sum_to_the_sales() {
    let mut store = new_store();
    let sale = sell(&mut store);
    let exact = |refund: &Refund| -> Decimal {
        refund
            .lines
            .iter()
            .map(|r| {
                let line = sale.lines.iter().find(|l| l.number == r.number).unwrap();
                kasir_domain::refund::exact_line_tax(line, r.quantity)
            })
            .sum()
    };
    let mut refunds = Vec::new();
    for lines in [
        Some(vec![(1, dec!(1)), (2, dec!(1))]),
        Some(vec![(1, dec!(1))]),
        None,
    ] {
        // Each read back from the store what the earlier ones took.
        let refund = store
            .commit_refund(
                &sale.receipt_number,
                &request(lines, RefundTo::Cash, false),
                today(),
            )
            .unwrap();
        refunds.push(refund);
    }

    for refund in &refunds[..2] {
        assert!(
            (refund.tax - exact(refund)).abs() < Decimal::ONE,
            "{} against {}",
            refund.tax,
            exact(refund)
        );
    }
    assert_eq!(
        refunds.iter().map(|r| r.tax).sum::<Decimal>(),
        sale.tax_total
    );
    assert_eq!(
        count(&store, "SELECT sum(tax_minor) FROM refunds"),
        i64::try_from(sale.tax_total.mantissa()).unwrap()
    );
    assert_eq!(refunds.iter().map(|r| r.total).sum::<Decimal>(), sale.total);
}
