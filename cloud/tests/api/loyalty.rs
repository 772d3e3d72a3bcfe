//! Gift cards sold at a till and paid back onto a card, and loyalty points: every entry
//! applied once, whatever is resent (rule P-03 for refunds of sales paid with points).

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use kasir_domain::cart::Cart;
use kasir_domain::giftcard::{CardNumber, CardSaleKind, GiftCardLine};
use kasir_domain::money::Currency;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::tax::TaxRules;
use kasir_sync::protocol::Event;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    gift_cards_sold_at_a_till_are_issued_and_loaded_once_with_their_sale,
    a_refund_onto_a_card_is_credited_once,
    points_are_applied_once_per_reference_and_kind,
    p03_a_refunded_sale_paid_with_points_never_takes_them_twice,
    a_customers_points_are_only_the_merchants_own,
    a_customer_added_on_one_till_is_found_by_phone_on_another,
    a_sale_and_a_refund_without_points_count_their_spend_once,
);

const CARD: &str = "GC-7F3K-92QD";

fn number() -> CardNumber {
    CardNumber::parse(CARD).unwrap()
}

/// A sale on `till` of the gift `cards` (and `items` of Indomie), paid in cash.
fn card_sale(till: &Till, cards: &[(CardSaleKind, Decimal)], items: i64) -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    if items > 0 {
        cart.add(&catalog(INDOMIE), Decimal::from(items)).unwrap();
    }
    let lines: Vec<GiftCardLine> = cards
        .iter()
        .map(|(kind, amount)| {
            GiftCardLine::new(Uuid::now_v7(), &number(), *kind, *amount, Currency::IDR).unwrap()
        })
        .collect();
    let total =
        cart.totals(&rules).unwrap().total + lines.iter().map(|l| l.amount).sum::<Decimal>();
    let mut payment = Payment::new(Currency::IDR, total, None);
    payment.add(TenderMethod::Cash, total).unwrap();
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: till.device_id.to_string(),
        completed_at: Timestamp::now(),
        business_date: march(4),
    };
    let mut sale =
        Sale::complete_with_gift_cards(context, &cart, &rules, &payment, &lines).unwrap();
    sale.receipt_number = format!("{}-{:06}", till.code, 1);
    sale
}

async fn card(cloud: &Cloud, shop: &Shop) -> Value {
    let reply = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/gift-cards/{CARD}"),
            Some(&shop.owner),
            None,
        )
        .await;
    reply.expect(StatusCode::OK);
    reply.body
}

fn decimal(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

async fn gift_cards_sold_at_a_till_are_issued_and_loaded_once_with_their_sale(cloud: &Cloud) {
    let shop = cloud.shop("Toko Hadiah").await;
    let till = cloud.till(&shop, "D01").await;
    let sold = card_sale(&till, &[(CardSaleKind::Issue, dec!(100000))], 0);
    let first = event(&sold, 1);
    cloud
        .push(&till, std::slice::from_ref(&first))
        .await
        .expect(StatusCode::OK);
    let info = card(cloud, &shop).await;
    assert_eq!(decimal(&info["balance"]), dec!(100000));
    assert_eq!(info["entries"][0]["kind"], "issue");
    assert_eq!(info["entries"][0]["sale_id"], sold.id.to_string());

    // The same event again, and the same sale under another event id: nothing more.
    let again = cloud.push(&till, &[first]).await;
    assert_eq!(again.statuses(), vec!["already_stored"]);
    let copy = cloud.push(&till, &[event(&sold, 2)]).await;
    assert_eq!(copy.statuses(), vec!["rejected"]);
    assert_eq!(decimal(&card(cloud, &shop).await["balance"]), dec!(100000));

    // A load beside two Indomie: only the load goes on the card.
    let loaded = card_sale(&till, &[(CardSaleKind::Load, dec!(25000))], 2);
    assert_eq!(loaded.total, loaded.items_total + dec!(25000));
    let reply = cloud.push(&till, &[event(&loaded, 3)]).await;
    assert_eq!(reply.statuses(), vec!["stored"]);
    let info = card(cloud, &shop).await;
    assert_eq!(decimal(&info["balance"]), dec!(125000));
    assert_eq!(info["entries"].as_array().unwrap().len(), 2);

    // A load of a card the merchant does not have is refused with its sale, which is kept
    // out whole.
    let mut unknown = card_sale(&till, &[(CardSaleKind::Load, dec!(5000))], 0);
    unknown.gift_cards[0].number = "GC-0000-0000".into();
    let sales_before = cloud.count("sales").await;
    let reply = cloud.push(&till, &[event(&unknown, 4)]).await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    assert!(
        reply.body["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("not a card")
    );
    assert_eq!(cloud.count("sales").await, sales_before);

    // The day report says how much of the total is gift cards.
    let report = cloud
        .call(
            Method::GET,
            &format!(
                "/v1/owner/stores/{}/reports/day/{}",
                shop.store_id,
                march(4)
            ),
            Some(&shop.owner),
            None,
        )
        .await;
    report.expect(StatusCode::OK);
    assert_eq!(decimal(&report.body["gift_cards_sold"]), dec!(125000));
    assert_eq!(
        decimal(&report.body["total"]),
        dec!(125000) + loaded.items_total
    );
}

fn refunded_event(entry_id: Uuid, amount: &str, seq: i64) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "GiftCardRefunded".into(),
        occurred_at: Timestamp::now(),
        payload: json!({
            "entry_id": entry_id,
            "number": CARD,
            "amount": amount,
            "currency": "IDR",
            "sale_id": Uuid::now_v7(),
            "refunded_at": Timestamp::now(),
        }),
    }
}

async fn a_refund_onto_a_card_is_credited_once(cloud: &Cloud) {
    let shop = cloud.shop("Toko Hadiah").await;
    let till = cloud.till(&shop, "D01").await;
    let sold = card_sale(&till, &[(CardSaleKind::Issue, dec!(50000))], 0);
    cloud
        .push(&till, &[event(&sold, 1)])
        .await
        .expect(StatusCode::OK);
    // Spent online at the till, then the sale was dropped: the redemption goes back.
    let redeemed = cloud
        .call(
            Method::POST,
            &format!("/v1/gift-cards/{CARD}/redemptions"),
            Some(&till.token),
            Some(&json!({ "entry_id": Uuid::now_v7(), "amount": "30000" })),
        )
        .await;
    redeemed.expect(StatusCode::OK);
    assert_eq!(decimal(&redeemed.body["balance"]), dec!(20000));

    let entry = Uuid::now_v7();
    let reply = cloud
        .push(&till, &[refunded_event(entry, "30000", 2)])
        .await;
    assert_eq!(reply.statuses(), vec!["stored"]);
    // The same entry under another event (a device that resent it): credited once.
    let reply = cloud
        .push(&till, &[refunded_event(entry, "30000", 3)])
        .await;
    assert_eq!(reply.statuses(), vec!["stored"]);
    let info = card(cloud, &shop).await;
    assert_eq!(decimal(&info["balance"]), dec!(50000));
    let kinds: Vec<&str> = info["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["issue", "redeem", "refund"]);
    // The entry id reused for another amount is refused.
    let reply = cloud.push(&till, &[refunded_event(entry, "1000", 4)]).await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    assert_eq!(decimal(&card(cloud, &shop).await["balance"]), dec!(50000));
}

fn customer_event(customer: Uuid, seq: i64) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "CustomerAdded".into(),
        occurred_at: Timestamp::now(),
        payload: json!({
            "id": customer,
            "name": "Siti Rahayu",
            "phone": "081234567890",
            "consent_at": Timestamp::now(),
        }),
    }
}

fn points_event(
    customer: Uuid,
    reference: Uuid,
    sale: Uuid,
    kind: &str,
    points: i64,
    seq: i64,
) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "LoyaltyPoints".into(),
        occurred_at: Timestamp::now(),
        payload: json!({
            "entry_id": Uuid::now_v7(),
            "customer_id": customer,
            "reference_id": reference,
            "sale_id": sale,
            "kind": kind,
            "points": points,
            "spend": if kind == "earn" { "1000000" } else { "0" },
            "currency": "IDR",
            "occurred_at": Timestamp::now(),
        }),
    }
}

async fn balance(cloud: &Cloud, till: &Till, customer: Uuid) -> Value {
    let reply = cloud
        .call(
            Method::GET,
            &format!("/v1/customers/{customer}/points"),
            Some(&till.token),
            None,
        )
        .await;
    reply.expect(StatusCode::OK);
    reply.body
}

async fn points_are_applied_once_per_reference_and_kind(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    let sale = Uuid::now_v7();
    // Made in this order on the device, so their ids are in this order too.
    let added = customer_event(customer, 1);
    let earn = points_event(customer, sale, sale, "earn", 100, 2);
    let reply = cloud.push(&till, &[added, earn.clone()]).await;
    assert_eq!(reply.statuses(), vec!["stored", "stored"]);
    let body = balance(cloud, &till, customer).await;
    assert_eq!(body["points"], 100);
    assert_eq!(decimal(&body["lifetime_spend"]), dec!(1000000));

    // A retried sync: the same event, and the same change under a new event and entry id.
    let reply = cloud.push(&till, &[earn]).await;
    assert_eq!(reply.statuses(), vec!["already_stored"]);
    let reply = cloud
        .push(&till, &[points_event(customer, sale, sale, "earn", 100, 3)])
        .await;
    assert_eq!(reply.statuses(), vec!["stored"]);
    assert_eq!(balance(cloud, &till, customer).await["points"], 100);
    // The key with other points is refused, and a customer the cloud does not know.
    let reply = cloud
        .push(&till, &[points_event(customer, sale, sale, "earn", 50, 4)])
        .await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    let stranger = Uuid::now_v7();
    let reply = cloud
        .push(
            &till,
            &[points_event(stranger, sale, sale, "redeem", -5, 5)],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    // A sign that does not fit the kind is refused before anything is stored.
    let reply = cloud
        .push(
            &till,
            &[points_event(customer, Uuid::now_v7(), sale, "earn", -5, 6)],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    let body = balance(cloud, &till, customer).await;
    assert_eq!(body["points"], 100);
    assert_eq!(body["entries"].as_array().unwrap().len(), 1);
    // The customer sent twice is one customer.
    let reply = cloud.push(&till, &[customer_event(customer, 7)]).await;
    assert_eq!(reply.statuses(), vec!["stored"]);
    assert_eq!(cloud.count("customers").await, 1);
}

async fn p03_a_refunded_sale_paid_with_points_never_takes_them_twice(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    let first = Uuid::now_v7();
    let paid_with_points = Uuid::now_v7();
    let refund = Uuid::now_v7();
    let events = [
        customer_event(customer, 1),
        points_event(customer, first, first, "earn", 100, 2),
        points_event(
            customer,
            paid_with_points,
            paid_with_points,
            "redeem",
            -10,
            3,
        ),
    ];
    let reply = cloud.push(&till, &events).await;
    assert_eq!(reply.statuses(), vec!["stored", "stored", "stored"]);
    assert_eq!(balance(cloud, &till, customer).await["points"], 90);
    // The refund with the store's policy of restoring redeemed points, sent twice.
    let restore = points_event(customer, refund, paid_with_points, "restore_redeem", 10, 4);
    let again = points_event(customer, refund, paid_with_points, "restore_redeem", 10, 5);
    let reply = cloud.push(&till, &[restore, again]).await;
    assert_eq!(reply.statuses(), vec!["stored", "stored"]);
    let body = balance(cloud, &till, customer).await;
    assert_eq!(body["points"], 100);
    assert_ne!(body["points"], 80);
    // A sale that earned 10 and is fully refunded: +10 then -10.
    let earned = Uuid::now_v7();
    let undo = Uuid::now_v7();
    let reply = cloud
        .push(
            &till,
            &[
                points_event(customer, earned, earned, "earn", 10, 6),
                points_event(customer, undo, earned, "reverse_earn", -10, 7),
                points_event(customer, undo, earned, "reverse_earn", -10, 8),
            ],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["stored", "stored", "stored"]);
    let body = balance(cloud, &till, customer).await;
    assert_eq!(body["points"], 100);
    let kinds: Vec<&str> = body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec!["earn", "redeem", "restore_redeem", "earn", "reverse_earn"]
    );
}

async fn a_customers_points_are_only_the_merchants_own(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    cloud
        .push(&till, &[customer_event(customer, 1)])
        .await
        .expect(StatusCode::OK);
    let other = cloud.shop("Toko Lain").await;
    let other_till = cloud.till(&other, "D01").await;
    let reply = cloud
        .call(
            Method::GET,
            &format!("/v1/customers/{customer}/points"),
            Some(&other_till.token),
            None,
        )
        .await;
    reply.expect(StatusCode::NOT_FOUND);
    let reply = cloud
        .call(
            Method::GET,
            "/v1/customers/not-an-id/points",
            Some(&till.token),
            None,
        )
        .await;
    reply.expect(StatusCode::BAD_REQUEST);
    // Another merchant's till cannot add points to this customer.
    let sale = Uuid::now_v7();
    let reply = cloud
        .push(
            &other_till,
            &[points_event(customer, sale, sale, "earn", 5, 1)],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    assert_eq!(balance(cloud, &till, customer).await["points"], 0);
}

async fn a_customer_added_on_one_till_is_found_by_phone_on_another(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let one = cloud.till(&shop, "D01").await;
    let two = cloud.till(&shop, "D02").await;
    let customer = Uuid::now_v7();
    let added = customer_event(customer, 1);
    let sale = Uuid::now_v7();
    let earn = points_event(customer, sale, sale, "earn", 30, 2);
    cloud
        .push(&one, &[added, earn])
        .await
        .expect(StatusCode::OK);

    // Typed any way the register accepts it.
    let found = cloud
        .call(
            Method::GET,
            "/v1/customers?phone=0812-3456-7890",
            Some(&two.token),
            None,
        )
        .await;
    found.expect(StatusCode::OK);
    assert_eq!(found.body["customer"]["id"], customer.to_string());
    assert_eq!(found.body["customer"]["name"], "Siti Rahayu");
    assert_eq!(found.body["points"]["points"], 30);
    assert_eq!(found.body["points"]["entries"][0]["kind"], "earn");

    let missing = cloud
        .call(
            Method::GET,
            "/v1/customers?phone=0899000000",
            Some(&two.token),
            None,
        )
        .await;
    missing.expect(StatusCode::NOT_FOUND);
    assert!(!missing.message().contains("0899"), "{}", missing.message());
    let both = cloud
        .call(
            Method::GET,
            "/v1/customers?phone=081234567890&email=a@b.co",
            Some(&two.token),
            None,
        )
        .await;
    both.expect(StatusCode::BAD_REQUEST);
    let bad = cloud
        .call(
            Method::GET,
            "/v1/customers?email=nobody",
            Some(&two.token),
            None,
        )
        .await;
    bad.expect(StatusCode::BAD_REQUEST);
    // Another merchant's till finds nobody.
    let other = cloud.shop("Toko Lain").await;
    let stranger = cloud.till(&other, "D01").await;
    let hidden = cloud
        .call(
            Method::GET,
            "/v1/customers?phone=081234567890",
            Some(&stranger.token),
            None,
        )
        .await;
    hidden.expect(StatusCode::NOT_FOUND);
}

/// A `LoyaltyPoints` entry with `points` and `spend` as given.
fn spend_event(
    customer: Uuid,
    reference: Uuid,
    sale: Uuid,
    kind: &str,
    points: i64,
    spend: &str,
    seq: i64,
) -> Event {
    let mut event = points_event(customer, reference, sale, kind, points, seq);
    event.payload["spend"] = json!(spend);
    event
}

async fn a_sale_and_a_refund_without_points_count_their_spend_once(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    let sale = Uuid::now_v7();
    // A sale of 9,000 earns no points but adds its spend.
    let added = customer_event(customer, 1);
    let earn = spend_event(customer, sale, sale, "earn", 0, "9000", 2);
    let reply = cloud.push(&till, &[added, earn.clone()]).await;
    assert_eq!(reply.statuses(), vec!["stored", "stored"]);
    let body = balance(cloud, &till, customer).await;
    assert_eq!(body["points"], 0);
    assert_eq!(decimal(&body["lifetime_spend"]), dec!(9000));

    // A duplicated push (the same event), and the same entry under a new event id.
    let reply = cloud.push(&till, &[earn]).await;
    assert_eq!(reply.statuses(), vec!["already_stored"]);
    let reply = cloud
        .push(
            &till,
            &[spend_event(customer, sale, sale, "earn", 0, "9000", 3)],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["stored"]);
    assert_eq!(
        decimal(&balance(cloud, &till, customer).await["lifetime_spend"]),
        dec!(9000)
    );
    // The same key with another spend is refused; an entry of neither points nor spend too.
    let reply = cloud
        .push(
            &till,
            &[
                spend_event(customer, sale, sale, "earn", 0, "8000", 4),
                spend_event(customer, Uuid::now_v7(), sale, "earn", 0, "0", 5),
            ],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["rejected", "rejected"]);

    // Its refund takes 3,000 back, reversing no points; sent twice, applied once.
    let refund = Uuid::now_v7();
    let reply = cloud
        .push(
            &till,
            &[
                spend_event(customer, refund, sale, "reverse_earn", 0, "-3000", 6),
                spend_event(customer, refund, sale, "reverse_earn", 0, "-3000", 7),
            ],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["stored", "stored"]);
    let body = balance(cloud, &till, customer).await;
    assert_eq!(body["points"], 0);
    assert_eq!(decimal(&body["lifetime_spend"]), dec!(6000));
    assert_eq!(body["entries"].as_array().unwrap().len(), 2);
}
