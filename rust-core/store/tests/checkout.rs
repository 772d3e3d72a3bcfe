//! Checking out a sale with gift cards and loyalty points: offline redemptions and points
//! written in the sale's transaction, gift cards sold at the till, refunds onto a card, and
//! the points ledger that a replayed sale or refund can never change twice (rule P-03).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::Timestamp;
use kasir_domain::cart::{Cart, Discount};
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::giftcard::{CardNumber, CardSaleKind, GiftCardLine, OfflineLimits};
use kasir_domain::gtin::Gtin;
use kasir_domain::loyalty::{LoyaltyRule, NewCustomer};
use kasir_domain::money::Currency;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::checkout::{Checkout, PendingRedemption};
use kasir_store::loyalty::SaleLoyalty;
use kasir_store::{Device, Store, StoreSettings};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use uuid::Uuid;

fn card() -> CardNumber {
    CardNumber::parse("GC-7F3K-92QD").unwrap()
}

fn shop() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Setia"),
            Device::new(Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    store
        .set_gift_card_offline_limits(OfflineLimits {
            per_redemption: dec!(50000),
            per_card: dec!(50000),
        })
        .unwrap();
    store
}

fn item(price: Decimal) -> Item {
    Item {
        gtin: Gtin::parse("8992388101016").unwrap(),
        sku: None,
        name: "Beras 5 kg".into(),
        price,
        tax_category: "ppn".into(),
        unit: Unit::Each,
        category: None,
        stock: dec!(0),
    }
}

/// A sale of one item at `price` (less `discount`), with `cards` sold, paid by `tenders` (the
/// last one is cash for whatever is left when its amount is `None`).
fn sale(
    store: &Store,
    price: Option<Decimal>,
    discount: Option<Decimal>,
    cards: &[GiftCardLine],
    tenders: &[(TenderMethod, Option<Decimal>)],
) -> Sale {
    let settings = store.settings().unwrap();
    let mut cart = Cart::new(settings.currency);
    if let Some(price) = price {
        cart.add(&item(price), dec!(1)).unwrap();
    }
    if let Some(d) = discount {
        cart.add_discount(Discount::Amount(d)).unwrap();
    }
    let total =
        cart.totals(&settings.tax).unwrap().total + cards.iter().map(|c| c.amount).sum::<Decimal>();
    let mut payment = Payment::new(settings.currency, total, None);
    for (method, amount) in tenders {
        let amount = amount.unwrap_or_else(|| payment.remaining());
        if amount > Decimal::ZERO {
            payment.add(method.clone(), amount).unwrap();
        }
    }
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: Timestamp::now(),
        business_date: jiff::civil::Date::constant(2026, 12, 4),
    };
    Sale::complete_with_gift_cards(context, &cart, &settings.tax, &payment, cards).unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_offline_gift_card_tender_commits_with_its_sale() {
    let mut store = shop();
    store
        .remember_gift_card_balance(&card(), Currency::IDR, dec!(80000), Timestamp::now())
        .unwrap();
    let sale = sale(
        &store,
        Some(dec!(70000)),
        None,
        &[],
        &[
            (TenderMethod::gift_card(&card()), Some(dec!(30000))),
            (TenderMethod::Cash, None),
        ],
    );
    let entry_id = Uuid::now_v7();
    let checkout = Checkout {
        offline_redemptions: vec![PendingRedemption {
            number: card(),
            amount: dec!(30000),
            entry_id,
        }],
        loyalty: None,
    };
    let stored = store.commit_checkout(sale.clone(), &checkout).unwrap();
    assert_eq!(stored.receipt_number, "D01-000001");
    let known = store.known_gift_card(&card()).unwrap().unwrap();
    assert_eq!(known.spent_offline, dec!(30000));
    assert_eq!(known.available_offline, dec!(20000));
    let sale_of_entry: String = store
        .connection()
        .query_row(
            "SELECT sale_id FROM gift_card_entries WHERE id = ?1",
            [entry_id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sale_of_entry, sale.id.to_string());
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind IN ('SaleCompleted', 'GiftCardRedeemed')"
        ),
        2
    );
}

#[test]
fn a_sale_whose_offline_allowance_was_spent_meanwhile_writes_nothing() {
    let mut store = shop();
    store
        .remember_gift_card_balance(&card(), Currency::IDR, dec!(40000), Timestamp::now())
        .unwrap();
    // Another register sharing the file spent 20,000 after this one checked the allowance.
    store
        .redeem_gift_card_offline(&card(), dec!(20000), Uuid::now_v7(), None)
        .unwrap();
    let events_before = count(&store, "SELECT count(*) FROM outbox");
    let sale = sale(
        &store,
        Some(dec!(30000)),
        None,
        &[],
        &[(TenderMethod::gift_card(&card()), None)],
    );
    let checkout = Checkout {
        offline_redemptions: vec![PendingRedemption {
            number: card(),
            amount: dec!(30000),
            entry_id: Uuid::now_v7(),
        }],
        loyalty: None,
    };
    let err = store.commit_checkout(sale, &checkout).unwrap_err();
    assert!(err.to_string().contains("offline"), "{err}");
    assert_eq!(store.sale_count().unwrap(), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), events_before);
    assert_eq!(
        store
            .known_gift_card(&card())
            .unwrap()
            .unwrap()
            .spent_offline,
        dec!(20000)
    );
}

#[test]
fn a_card_sold_at_the_till_can_be_spent_offline_and_a_load_adds_to_it() {
    let mut store = shop();
    let issue = GiftCardLine::new(
        Uuid::now_v7(),
        &card(),
        CardSaleKind::Issue,
        dec!(100000),
        Currency::IDR,
    )
    .unwrap();
    let sold = sale(&store, None, None, &[issue], &[(TenderMethod::Cash, None)]);
    assert_eq!(sold.tax_total, dec!(0));
    store.commit_checkout(sold, &Checkout::default()).unwrap();
    let known = store.known_gift_card(&card()).unwrap().unwrap();
    assert_eq!(known.known_balance, dec!(100000));
    assert_eq!(known.available_offline, dec!(50000));

    let load = GiftCardLine::new(
        Uuid::now_v7(),
        &card(),
        CardSaleKind::Load,
        dec!(25000),
        Currency::IDR,
    )
    .unwrap();
    let loaded = sale(
        &store,
        Some(dec!(10000)),
        None,
        &[load],
        &[(TenderMethod::Cash, None)],
    );
    assert_eq!(loaded.total, dec!(35000));
    store.commit_checkout(loaded, &Checkout::default()).unwrap();
    let known = store.known_gift_card(&card()).unwrap().unwrap();
    assert_eq!(known.known_balance, dec!(125000));
}

#[test]
fn a_refund_onto_a_card_is_queued_once() {
    let mut store = shop();
    let entry = Uuid::now_v7();
    store
        .queue_gift_card_refund(&card(), dec!(15000), entry, None)
        .unwrap();
    assert!(
        store
            .queue_gift_card_refund(&card(), dec!(15000), entry, None)
            .is_err()
    );
    assert!(
        store
            .queue_gift_card_refund(&card(), dec!(0), Uuid::now_v7(), None)
            .is_err()
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'GiftCardRefunded'"
        ),
        1
    );
    let payload = store.outbox_payload(1).unwrap();
    let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(json["amount"], "15000");
    assert_eq!(json["number"], "GC-7F3K-92QD");
}

fn loyal_shop(restore: bool) -> (Store, Uuid) {
    let mut store = shop();
    let mut rule = LoyaltyRule::new(dec!(10000), dec!(100));
    rule.restore_redeemed_on_refund = restore;
    store.set_loyalty_rule(&rule).unwrap();
    let customer = store
        .add_customer(&NewCustomer {
            name: "Siti Rahayu",
            phone: Some("0812-3456-7890"),
            consent: true,
            ..NewCustomer::default()
        })
        .unwrap();
    (store, customer.id)
}

fn points(store: &Store, customer: Uuid) -> i64 {
    let c = store.find_customer(&customer.to_string()).unwrap();
    store.customer_points(c).unwrap().points
}

#[test]
fn a_sale_earns_points_on_its_spend_but_not_on_gift_cards_sold() {
    let (mut store, customer) = loyal_shop(false);
    let card_line = GiftCardLine::new(
        Uuid::now_v7(),
        &card(),
        CardSaleKind::Issue,
        dec!(100000),
        Currency::IDR,
    )
    .unwrap();
    let sale = sale(
        &store,
        Some(dec!(129500)),
        None,
        &[card_line],
        &[(TenderMethod::Cash, None)],
    );
    let checkout = Checkout {
        offline_redemptions: Vec::new(),
        loyalty: Some(SaleLoyalty {
            customer_id: customer,
            points_redeemed: 0,
        }),
    };
    let sale = store.commit_checkout(sale, &checkout).unwrap();
    assert_eq!(points(&store, customer), 12);
    let (who, sale_points) = store.sale_points(sale.id).unwrap().unwrap();
    assert_eq!(who, customer);
    assert_eq!(sale_points.earned, 12);
    let c = store.find_customer("081234567890").unwrap();
    assert_eq!(
        store.customer_points(c).unwrap().lifetime_spend,
        dec!(129500)
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'LoyaltyPoints'"
        ),
        1
    );
    // The customer's own event carries the data; the logs never do (see the domain's Debug).
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'CustomerAdded'"
        ),
        1
    );
}

/// Gives the customer 100 points with a sale of 1,000,000, and returns its id.
fn earn_hundred(store: &mut Store, customer: Uuid) -> Uuid {
    let sale = sale(
        store,
        Some(dec!(1000000)),
        None,
        &[],
        &[(TenderMethod::Cash, None)],
    );
    let id = sale.id;
    store
        .commit_checkout(
            sale,
            &Checkout {
                offline_redemptions: Vec::new(),
                loyalty: Some(SaleLoyalty {
                    customer_id: customer,
                    points_redeemed: 0,
                }),
            },
        )
        .unwrap();
    assert_eq!(points(store, customer), 100);
    id
}

/// A 1,000 order paid with its discount of 10 points (worth 100 each: 1,000), then fully
/// refunded.
fn redeem_ten_and_refund(store: &mut Store, customer: Uuid) -> (Uuid, Uuid) {
    let sale = sale(
        store,
        Some(dec!(1500)),
        Some(dec!(1000)),
        &[],
        &[(TenderMethod::Cash, None)],
    );
    let id = sale.id;
    let checkout = Checkout {
        offline_redemptions: Vec::new(),
        loyalty: Some(SaleLoyalty {
            customer_id: customer,
            points_redeemed: 10,
        }),
    };
    store.commit_checkout(sale, &checkout).unwrap();
    assert_eq!(points(store, customer), 90);
    let refund = Uuid::now_v7();
    store
        .reverse_sale_points(id, refund, dec!(1))
        .unwrap()
        .unwrap();
    (id, refund)
}

#[test]
fn p03_a_refund_does_not_take_redeemed_points_again() {
    // Not restored: 90. Restored: 100. Never 80.
    for (restore, expected) in [(false, 90), (true, 100)] {
        let (mut store, customer) = loyal_shop(restore);
        earn_hundred(&mut store, customer);
        let (sale_id, refund) = redeem_ten_and_refund(&mut store, customer);
        assert_eq!(points(&store, customer), expected, "restore: {restore}");
        // The same refund settled again (a retry) changes nothing.
        assert_eq!(
            store.reverse_sale_points(sale_id, refund, dec!(1)).unwrap(),
            None
        );
        assert_eq!(points(&store, customer), expected);
    }
}

#[test]
fn p03_earned_points_are_reversed_in_proportion_and_never_twice() {
    let (mut store, customer) = loyal_shop(false);
    let sale = earn_hundred(&mut store, customer);
    // A 40% refund, then the rest.
    let first = store
        .reverse_sale_points(sale, Uuid::now_v7(), dec!(0.4))
        .unwrap()
        .unwrap();
    assert_eq!(first.reverse_earned, 40);
    assert_eq!(points(&store, customer), 60);
    let rest = Uuid::now_v7();
    let second = store
        .reverse_sale_points(sale, rest, dec!(0.6))
        .unwrap()
        .unwrap();
    assert_eq!(second.reverse_earned, 60);
    assert_eq!(points(&store, customer), 0);
    assert_eq!(
        store.reverse_sale_points(sale, rest, dec!(0.6)).unwrap(),
        None
    );
    assert_eq!(points(&store, customer), 0);
    let c = store.find_customer(&customer.to_string()).unwrap();
    assert_eq!(store.customer_points(c).unwrap().lifetime_spend, dec!(0));
    // The ledger itself refuses a second entry under a key, whatever writes it.
    let again = store.connection().execute(
        "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
            created_at) VALUES (?1, ?2, ?3, ?3, 'earn', 100, 'now')",
        [
            Uuid::now_v7().to_string(),
            customer.to_string(),
            sale.to_string(),
        ],
    );
    assert!(again.is_err());
    assert!(
        store
            .reverse_sale_points(sale, Uuid::now_v7(), dec!(1.5))
            .is_err()
    );
}

#[test]
fn redeeming_more_points_than_held_or_without_the_discount_writes_nothing() {
    let (mut store, customer) = loyal_shop(false);
    let sale_a = sale(
        &store,
        Some(dec!(5000)),
        Some(dec!(1000)),
        &[],
        &[(TenderMethod::Cash, None)],
    );
    let err = store
        .commit_checkout(
            sale_a,
            &Checkout {
                offline_redemptions: Vec::new(),
                loyalty: Some(SaleLoyalty {
                    customer_id: customer,
                    points_redeemed: 10,
                }),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("0 points"), "{err}");
    assert_eq!(store.sale_count().unwrap(), 0);

    earn_hundred(&mut store, customer);
    let no_discount = sale(
        &store,
        Some(dec!(5000)),
        None,
        &[],
        &[(TenderMethod::Cash, None)],
    );
    let err = store
        .commit_checkout(
            no_discount,
            &Checkout {
                offline_redemptions: Vec::new(),
                loyalty: Some(SaleLoyalty {
                    customer_id: customer,
                    points_redeemed: 10,
                }),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("worth 1000"), "{err}");
    assert_eq!(store.sale_count().unwrap(), 1);
    assert_eq!(points(&store, customer), 100);
}

#[test]
fn customers_are_found_by_phone_or_email_and_never_twice() {
    let (mut store, customer) = loyal_shop(false);
    assert_eq!(store.find_customer("0812 3456 7890").unwrap().id, customer);
    let err = store
        .add_customer(&NewCustomer {
            name: "Another",
            phone: Some("081234567890"),
            consent: true,
            ..NewCustomer::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("phone"), "{err}");
    assert!(!err.to_string().contains("0812"), "{err}");
    let budi = store
        .add_customer(&NewCustomer {
            name: "Budi",
            email: Some("Budi@Example.COM"),
            birth_year: Some(1990),
            consent: true,
            ..NewCustomer::default()
        })
        .unwrap();
    assert_eq!(store.find_customer("budi@example.com").unwrap().id, budi.id);
    let missing = store.find_customer("0899 0000 000").unwrap_err();
    assert!(!missing.to_string().contains("0899"), "{missing}");
    assert!(
        store
            .add_customer(&NewCustomer {
                name: "No consent",
                email: Some("x@example.com"),
                ..NewCustomer::default()
            })
            .is_err()
    );
    let list = store.list_customers().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].customer.name, "Budi");
}

#[test]
fn refunds_in_two_parts_give_back_the_card_and_reverse_the_points_exactly_once() {
    use kasir_domain::refund::{RefundKind, RefundRequest, RefundTo};
    let (mut store, customer) = loyal_shop(false);
    store
        .remember_gift_card_balance(&card(), Currency::IDR, dec!(30000), Timestamp::now())
        .unwrap();
    // Two at 50,000: 30,000 from the card (offline), 70,000 in cash; 10 points.
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&item(dec!(50000)), dec!(2)).unwrap();
    let total = cart.totals(&settings.tax).unwrap().total;
    let mut payment = Payment::new(Currency::IDR, total, None);
    payment
        .add(TenderMethod::gift_card(&card()), dec!(30000))
        .unwrap();
    payment.add(TenderMethod::Cash, dec!(70000)).unwrap();
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: Timestamp::now(),
        business_date: jiff::civil::Date::constant(2026, 12, 4),
    };
    let sale = Sale::complete(context, &cart, &settings.tax, &payment).unwrap();
    let checkout = Checkout {
        offline_redemptions: vec![PendingRedemption {
            number: card(),
            amount: dec!(30000),
            entry_id: Uuid::now_v7(),
        }],
        loyalty: Some(SaleLoyalty {
            customer_id: customer,
            points_redeemed: 0,
        }),
    };
    let sale = store.commit_checkout(sale, &checkout).unwrap();
    assert_eq!(points(&store, customer), 10);

    let one = |store: &mut Store| {
        store
            .commit_refund(
                &sale.receipt_number,
                &RefundRequest {
                    lines: Some(vec![(1, dec!(1))]),
                    to: RefundTo::Original,
                    kind: RefundKind::Refund,
                    restock: false,
                    staff: None,
                    reason: None,
                },
                Timestamp::now(),
            )
            .unwrap()
    };
    // Half back: the card's 30,000 first, then 20,000 in cash; 5 points reversed.
    let first = one(&mut store);
    assert_eq!(first.total, dec!(50000));
    assert_eq!(first.tenders[0].method, "giftcard");
    assert_eq!(first.tenders[0].amount, dec!(30000));
    assert_eq!(points(&store, customer), 5);
    // The rest: all in cash, the other 5 points; the two halves add up to what was earned.
    let second = one(&mut store);
    assert!(second.tenders.iter().all(|t| t.method == "cash"));
    assert_eq!(points(&store, customer), 0);
    let credited: Vec<String> = {
        let mut statement = store
            .connection()
            .prepare("SELECT payload FROM outbox WHERE kind = 'GiftCardRefunded'")
            .unwrap();
        statement
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(credited.len(), 1);
    let credit: serde_json::Value = serde_json::from_str(&credited[0]).unwrap();
    assert_eq!(credit["amount"], "30000");
    assert_eq!(credit["sale_id"], sale.id.to_string());
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM loyalty_entries WHERE kind = 'reverse_earn'"
        ),
        2
    );
}

#[test]
fn a_customer_merged_from_the_cloud_counts_each_entry_once() {
    use kasir_domain::loyalty::{Customer, PointsKind};
    use kasir_store::loyalty::KnownEntry;
    let (mut store, here) = loyal_shop(false);
    let sale_here = earn_hundred(&mut store, here);
    // The same customer's ledger as the cloud has it: this device's entry (under the id the
    // cloud knows it by, which is this device's own) and one made on another register.
    let own_id: String = store
        .connection()
        .query_row("SELECT id FROM loyalty_entries", [], |r| r.get(0))
        .unwrap();
    let customer = store.find_customer(&here.to_string()).unwrap();
    let elsewhere = Uuid::now_v7();
    let entries = vec![
        KnownEntry {
            entry_id: own_id.parse().unwrap(),
            reference_id: sale_here,
            sale_id: sale_here,
            kind: PointsKind::Earn,
            points: 100,
            spend: dec!(1000000),
            occurred_at: Timestamp::now(),
        },
        KnownEntry {
            entry_id: Uuid::now_v7(),
            reference_id: elsewhere,
            sale_id: elsewhere,
            kind: PointsKind::Redeem,
            points: -30,
            spend: dec!(0),
            occurred_at: Timestamp::now(),
        },
    ];
    assert_eq!(store.merge_customer(&customer, &entries).unwrap(), 70);
    assert_eq!(store.merge_customer(&customer, &entries).unwrap(), 70);
    // Merging queues nothing: the cloud has it all.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'LoyaltyPoints'"
        ),
        1
    );
    // A customer only the cloud knew is taken in.
    let stranger = Customer {
        id: Uuid::now_v7(),
        name: "Budi".into(),
        phone: None,
        email: Some("budi@example.com".into()),
        birth_year: None,
        gender: None,
        consent_at: Timestamp::now(),
    };
    let earned = KnownEntry {
        entry_id: Uuid::now_v7(),
        reference_id: elsewhere,
        sale_id: elsewhere,
        kind: PointsKind::Earn,
        points: 7,
        spend: dec!(70000),
        occurred_at: Timestamp::now(),
    };
    assert_eq!(
        store
            .merge_customer(&stranger, std::slice::from_ref(&earned))
            .unwrap(),
        7
    );
    assert_eq!(
        store.find_customer("budi@example.com").unwrap().id,
        stranger.id
    );
    // A bad sign is refused and nothing is taken in.
    let bad = KnownEntry {
        entry_id: Uuid::now_v7(),
        points: -1,
        ..earned
    };
    assert!(store.merge_customer(&stranger, &[bad]).is_err());
    assert_eq!(points(&store, stranger.id), 7);
}

#[test]
fn a_card_payment_of_a_sale_never_recorded_is_found_and_given_back_once() {
    let mut store = shop();
    let open_sale = Uuid::now_v7();
    // The cloud took 7,000 for a sale the register never recorded (it was killed).
    store
        .record_online_redemption(
            &card(),
            Uuid::now_v7(),
            dec!(7000),
            dec!(13000),
            Some(open_sale),
        )
        .unwrap();
    // And 3,000 for a sale that was recorded.
    let recorded = sale(
        &store,
        Some(dec!(3000)),
        None,
        &[],
        &[(TenderMethod::gift_card(&card()), None)],
    );
    store
        .record_online_redemption(
            &card(),
            Uuid::now_v7(),
            dec!(3000),
            dec!(10000),
            Some(recorded.id),
        )
        .unwrap();
    store
        .commit_checkout(recorded, &Checkout::default())
        .unwrap();

    let found = store.unrecorded_gift_redemptions().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].sale_id, open_sale);
    assert_eq!(found[0].amount, dec!(7000));
    let given = store.give_back_unrecorded_gift_redemptions().unwrap();
    assert_eq!(given, found);
    assert!(store.unrecorded_gift_redemptions().unwrap().is_empty());
    assert!(
        store
            .give_back_unrecorded_gift_redemptions()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'GiftCardRefunded'"
        ),
        1
    );
}

/// Commits a cash sale of one item at `price` for `customer`, redeeming nothing.
fn loyal_sale(store: &mut Store, customer: Uuid, price: Decimal) -> Sale {
    let sale = sale(store, Some(price), None, &[], &[(TenderMethod::Cash, None)]);
    store
        .commit_checkout(
            sale,
            &Checkout {
                offline_redemptions: Vec::new(),
                loyalty: Some(SaleLoyalty {
                    customer_id: customer,
                    points_redeemed: 0,
                }),
            },
        )
        .unwrap()
}

fn standing(store: &Store, customer: Uuid) -> kasir_store::loyalty::CustomerPoints {
    let c = store.find_customer(&customer.to_string()).unwrap();
    store.customer_points(c).unwrap()
}

#[test]
fn sales_that_earn_no_points_still_count_their_spend_toward_a_tier() {
    let (mut store, customer) = loyal_shop(false);
    let mut rule = store.loyalty_rule().unwrap().unwrap();
    rule.tiers = vec![kasir_domain::loyalty::Tier {
        name: "Silver".into(),
        min_lifetime_spend: dec!(15000),
        multiplier: dec!(2),
    }];
    store.set_loyalty_rule(&rule).unwrap();

    // 9,000 each: below one point (one per 10,000), but 18,000 spent in all.
    loyal_sale(&mut store, customer, dec!(9000));
    let after_one = standing(&store, customer);
    loyal_sale(&mut store, customer, dec!(9000));
    let after_two = standing(&store, customer);
    // Silver now: 10,000 earns two points instead of one.
    let third = loyal_sale(&mut store, customer, dec!(10000));

    assert_eq!(after_one.points, 0);
    assert_eq!(after_one.lifetime_spend, dec!(9000));
    assert_eq!(after_one.tier, None);
    assert_eq!(after_two.lifetime_spend, dec!(18000));
    assert_eq!(after_two.tier.as_deref(), Some("Silver"));
    assert_eq!(store.sale_points(third.id).unwrap().unwrap().1.earned, 2);
    let now = standing(&store, customer);
    assert_eq!(now.points, 2);
    assert_eq!(now.lifetime_spend, dec!(28000));
    // One entry per sale, each with its event for the cloud.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM loyalty_entries WHERE kind = 'earn'"
        ),
        3
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM outbox WHERE kind = 'LoyaltyPoints'"
        ),
        3
    );
}

#[test]
fn refunding_a_sale_that_earned_no_points_takes_its_spend_back_once() {
    use kasir_domain::refund::{RefundKind, RefundRequest, RefundTo};
    let (mut store, customer) = loyal_shop(false);
    // Three units of 3,000: 9,000, no points.
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&item(dec!(3000)), dec!(3)).unwrap();
    let total = cart.totals(&settings.tax).unwrap().total;
    let mut payment = Payment::new(Currency::IDR, total, None);
    payment.add(TenderMethod::Cash, total).unwrap();
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: Timestamp::now(),
        business_date: jiff::civil::Date::constant(2026, 12, 4),
    };
    let sale = Sale::complete(context, &cart, &settings.tax, &payment).unwrap();
    let checkout = Checkout {
        offline_redemptions: Vec::new(),
        loyalty: Some(SaleLoyalty {
            customer_id: customer,
            points_redeemed: 0,
        }),
    };
    let sale = store.commit_checkout(sale, &checkout).unwrap();
    assert_eq!(standing(&store, customer).lifetime_spend, dec!(9000));

    let refund = |store: &mut Store, lines| {
        store
            .commit_refund(
                &sale.receipt_number,
                &RefundRequest {
                    lines,
                    to: RefundTo::Original,
                    kind: RefundKind::Refund,
                    restock: false,
                    staff: None,
                    reason: None,
                },
                Timestamp::now(),
            )
            .unwrap()
    };
    let first = refund(&mut store, Some(vec![(1, dec!(1))]));
    let after_first = standing(&store, customer).lifetime_spend;
    // Settling the same refund's points again (a retry) changes nothing.
    assert_eq!(
        store
            .reverse_sale_points(sale.id, first.id, first.fraction_of(&sale))
            .unwrap(),
        None
    );
    let after_retry = standing(&store, customer).lifetime_spend;
    refund(&mut store, None);

    assert_eq!(after_first, dec!(6000));
    assert_eq!(after_retry, dec!(6000));
    let end = standing(&store, customer);
    assert_eq!(end.lifetime_spend, dec!(0));
    assert_eq!(end.points, 0);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM loyalty_entries WHERE kind = 'reverse_earn' AND points = 0"
        ),
        2
    );
}

#[test]
fn the_ledger_refuses_an_entry_with_neither_points_nor_spend() {
    let (store, customer) = loyal_shop(false);
    let insert = |kind: &str, points: i64, spend: i64| {
        store.connection().execute(
            "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
                spend_minor, created_at) VALUES (?1, ?2, ?1, ?1, ?3, ?4, ?5, 'now')",
            rusqlite::params![
                Uuid::now_v7().to_string(),
                customer.to_string(),
                kind,
                points,
                spend
            ],
        )
    };
    assert!(insert("earn", 0, 0).is_err());
    assert!(insert("earn", -1, 5000).is_err());
    assert!(insert("reverse_earn", 0, 5000).is_err());
    assert!(insert("redeem", -5, 100).is_err());
    assert!(insert("earn", 0, 5000).is_ok());
    assert!(insert("reverse_earn", 0, -5000).is_ok());
}
