//! Staff PINs and roles, and the till's shifts: float, pay in and out, refunds in cash, and
//! the Z report's expected cash against the count.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::Date;
use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind};
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::refund::{RefundKind, RefundRequest, RefundTo};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::shifts::CashMoveKind;
use kasir_store::staff::Role;
use kasir_store::{Device, Store, StoreSettings};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn new_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Uji"),
            Device::new(uuid::Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    store
        .import_catalog(
            "gtin,name,price,tax_category,unit,stock\n8990121011028,Kecap Manis,10000,ppn,each,50\n"
                .as_bytes(),
            false,
            &mut |_| {},
        )
        .unwrap();
    store
}

/// `quantity` Kecap Manis with a Rp 1.000 tip, rung by `staff`, paid with `cash` in cash (the
/// rest by card).
fn sell(store: &mut Store, quantity: Decimal, cash: Decimal, staff: &str) -> Sale {
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(settings.currency);
    cart.add(&store.find_item("8990121011028").unwrap(), quantity)
        .unwrap();
    cart.set_charge(ChargeKind::Tip, Some(ChargeBasis::Amount(dec!(1000))), None)
        .unwrap();
    let total = cart.totals(&settings.tax).unwrap().total;
    let mut payment = Payment::new(settings.currency, total, None);
    if cash < total {
        payment
            .add(
                TenderMethod::card("A1", "4242", "VISA").unwrap(),
                total - cash,
            )
            .unwrap();
    }
    payment.add(TenderMethod::Cash, cash).unwrap();
    let now = jiff::Timestamp::now();
    let context = SaleContext {
        id: uuid::Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: now,
        business_date: now.to_zoned_datetime(settings.time_zone().unwrap()).date(),
    };
    let mut sale = Sale::complete(context, &cart, &settings.tax, &payment).unwrap();
    sale.staff = Some(staff.into());
    store.commit_sale(sale).unwrap()
}

#[test]
fn the_first_staff_member_is_a_manager_and_pins_are_checked_and_never_stored() {
    let mut store = new_store();
    assert!(!store.staff_required().unwrap());
    let err = store.add_staff("Ani", Role::Cashier, "1234").unwrap_err();
    assert!(err.to_string().contains("must be a manager"), "{err}");
    store.add_staff("Mira", Role::Manager, "9876").unwrap();
    store.add_staff("Ani", Role::Cashier, "1234").unwrap();
    assert!(store.staff_required().unwrap());
    let dup = store.add_staff("ani", Role::Cashier, "1111").unwrap_err();
    assert_eq!(dup.to_string(), "name: `Ani` is already a staff member");
    let short = store.add_staff("Budi", Role::Cashier, "12").unwrap_err();
    assert_eq!(short.to_string(), "pin: must be 4 to 8 digits");

    assert_eq!(store.sign_in("ani", "1234").unwrap().name, "Ani");
    let wrong = store.sign_in("Ani", "4321").unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "pin: wrong PIN for Ani (1 of 5 tries before a lockout)"
    );
    let cashier = store.approve("Ani", "1234", "refund a sale").unwrap_err();
    assert_eq!(
        cashier.to_string(),
        "to refund a sale needs a manager's PIN: Ani is a cashier"
    );
    assert_eq!(
        store.approve("Mira", "9876", "refund a sale").unwrap().role,
        Role::Manager
    );

    let hashes: Vec<String> = {
        let mut s = store
            .connection()
            .prepare("SELECT pin_hash FROM staff")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert!(
        hashes
            .iter()
            .all(|h| h.starts_with("pbkdf2-sha256$") && !h.contains("1234") && !h.contains("9876"))
    );

    let last = store.disable_staff("Mira").unwrap_err();
    assert!(last.to_string().contains("last manager"), "{last}");
    store.disable_staff("Ani").unwrap();
    let disabled = store.sign_in("Ani", "1234").unwrap_err();
    assert_eq!(disabled.to_string(), "Ani is disabled");
}

#[test]
fn the_z_report_shows_expected_cash_the_count_and_the_difference() {
    let mut store = new_store();
    // A sale before the shift does not count in it.
    sell(&mut store, dec!(1), dec!(11000), "Ani");
    let err = store
        .record_cash_move(CashMoveKind::PayOut, dec!(5000), "ice", None)
        .unwrap_err();
    assert!(err.to_string().contains("no shift is open"), "{err}");

    assert_eq!(store.open_shift(dec!(100000), Some("Ani")).unwrap(), 1);
    let again = store.open_shift(dec!(0), None).unwrap_err();
    assert_eq!(again.to_string(), "shift 1 is still open: close it first");

    // 2 x 10.000 + 1.000 tip = 21.000: 50.000 cash, 29.000 change.
    let cash_sale = sell(&mut store, dec!(2), dec!(50000), "Ani");
    assert_eq!(cash_sale.change, dec!(29000));
    // 31.000 in all: 11.000 cash, 20.000 card.
    sell(&mut store, dec!(3), dec!(11000), "Budi");
    store
        .commit_refund(
            &cash_sale.receipt_number,
            &RefundRequest {
                lines: Some(vec![(1, dec!(1))]),
                to: RefundTo::Cash,
                kind: RefundKind::Refund,
                restock: true,
                staff: Some("Mira".into()),
                reason: None,
            },
            jiff::Timestamp::now(),
        )
        .unwrap();
    store
        .record_cash_move(
            CashMoveKind::PayIn,
            dec!(20000),
            "coins from the safe",
            None,
        )
        .unwrap();
    store
        .record_cash_move(CashMoveKind::PayOut, dec!(15000), "ice delivery", None)
        .unwrap();
    let blank = store
        .record_cash_move(CashMoveKind::PayOut, dec!(1000), " ", None)
        .unwrap_err();
    assert_eq!(blank.to_string(), "reason: say why the cash moves");
    store
        .record_cash_move(CashMoveKind::Drawer, dec!(0), "", Some("Mira"))
        .unwrap();

    let open = store.shift_report(None).unwrap();
    assert!(!open.closed);
    // 100.000 + (50.000 - 29.000) + 11.000 - 10.000 refunded + 20.000 - 15.000
    let expected = dec!(127000);
    assert_eq!(open.expected_cash, expected);

    let z = store.close_shift(dec!(126500), Some("Mira")).unwrap();
    assert_eq!(z.sales, 2);
    assert_eq!(z.float, dec!(100000));
    assert_eq!(z.cash_tendered, dec!(61000));
    assert_eq!(z.cash_change, dec!(29000));
    assert_eq!(z.cash_refunds, dec!(10000));
    assert_eq!((z.pay_ins, z.pay_outs), (dec!(20000), dec!(15000)));
    assert_eq!(z.drawer_openings, 1);
    assert_eq!(z.expected_cash, expected);
    assert_eq!(z.counted_cash, Some(dec!(126500)));
    assert_eq!(z.difference, Some(dec!(-500)));
    let card = z.tenders.iter().find(|t| t.method == "card").unwrap();
    assert_eq!(card.amount, dec!(20000));
    assert_eq!(z.refunds.count, 1);
    assert_eq!(z.refunds.net_total, z.sales_total - dec!(10000));
    let tips: Vec<_> = z
        .tips_by_staff
        .iter()
        .map(|t| (t.staff.clone().unwrap(), t.net))
        .collect();
    assert_eq!(
        tips,
        vec![
            ("Ani".to_string(), dec!(1000)),
            ("Budi".to_string(), dec!(1000))
        ]
    );
    assert_eq!(store.shift_report(Some(1)).unwrap(), z);

    let kinds: Vec<String> = store
        .outbox_events(100)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| k.starts_with("Shift") || k == "CashMoved")
        .collect();
    assert_eq!(
        kinds,
        vec![
            "ShiftOpened",
            "CashMoved",
            "CashMoved",
            "CashMoved",
            "ShiftClosed"
        ]
    );
    assert!(store.close_shift(dec!(0), None).is_err());
    assert_eq!(store.open_shift(dec!(0), None).unwrap(), 2);
    let _ = Date::constant(2026, 1, 1);
}
