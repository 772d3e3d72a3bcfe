//! Gift cards: case S-03 (a balance spent twice at once), retries, isolation between
//! merchants, and offline redemptions that overdraw a card.

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use kasir_cloud::accounts;
use kasir_domain::settings::StoreSettings;
use kasir_sync::protocol::Event;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    two_redemptions_of_the_whole_balance_at_once_let_exactly_one_through,
    fifty_redemptions_of_one_against_ten_let_exactly_ten_through,
    a_retried_redemption_is_applied_once_and_answered_the_same,
    a_redemption_larger_than_the_balance_is_refused_saying_what_is_left,
    another_merchants_card_is_not_found,
    offline_redemptions_are_applied_once_and_an_overdraft_is_flagged,
    loads_and_issues_are_idempotent_and_the_ledger_is_the_balance,
);

const CARD: &str = "GC-7F3K-92QD";

/// A merchant whose one store trades in US dollars (two decimals, as in case S-03).
async fn dollar_shop(cloud: &Cloud, name: &str) -> Shop {
    let merchant = accounts::create_merchant(&cloud.db, name).await.unwrap();
    let mut settings = StoreSettings::indonesian_shop(name);
    settings.currency = kasir_domain::money::Currency::from_code("USD").unwrap();
    settings.cash_rounding = None;
    let store = cloud
        .call(
            Method::POST,
            "/v1/owner/stores",
            Some(&merchant.owner_token),
            Some(&json!({ "name": name, "settings": settings })),
        )
        .await;
    store.expect(StatusCode::CREATED);
    Shop {
        merchant_id: merchant.merchant_id,
        owner: merchant.owner_token,
        store_id: store.body["store_id"].as_str().unwrap().parse().unwrap(),
    }
}

async fn issue(cloud: &Cloud, shop: &Shop, number: &str, amount: &str) -> Reply {
    cloud
        .call(
            Method::POST,
            "/v1/owner/gift-cards",
            Some(&shop.owner),
            Some(&json!({
                "number": number, "currency": "USD", "amount": amount, "entry_id": Uuid::now_v7()
            })),
        )
        .await
}

fn redemption(
    till: &Till,
    number: &str,
    entry_id: Uuid,
    amount: &str,
) -> axum::http::Request<axum::body::Body> {
    Cloud::request(
        Method::POST,
        &format!("/v1/gift-cards/{number}/redemptions"),
        Some(&till.token),
        Some(&json!({ "entry_id": entry_id, "amount": amount, "sale_id": Uuid::now_v7() })),
    )
}

async fn card(cloud: &Cloud, shop: &Shop, number: &str) -> Value {
    let reply = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/gift-cards/{number}"),
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

/// The sum of the deltas of the card's ledger.
fn ledger_sum(card: &Value) -> Decimal {
    card["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| decimal(&e["delta"]))
        .sum()
}

fn redeemed_event(number: &str, entry_id: Uuid, amount: &str, seq: i64) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "GiftCardRedeemed".into(),
        occurred_at: Timestamp::now(),
        payload: json!({
            "entry_id": entry_id,
            "number": number,
            "amount": amount,
            "currency": "USD",
            "redeemed_at": Timestamp::now(),
        }),
    }
}

async fn two_redemptions_of_the_whole_balance_at_once_let_exactly_one_through(cloud: &Cloud) {
    let shop = dollar_shop(cloud, "Toko Hadiah").await;
    let one = cloud.till(&shop, "D01").await;
    let two = cloud.till(&shop, "D02").await;
    issue(cloud, &shop, CARD, "10.00")
        .await
        .expect(StatusCode::CREATED);

    let replies = cloud
        .send_concurrently(vec![
            redemption(&one, CARD, Uuid::now_v7(), "10.00"),
            redemption(&two, CARD, Uuid::now_v7(), "10.00"),
        ])
        .await;

    let ok: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .collect();
    let refused: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT)
        .collect();
    assert_eq!(ok.len(), 1, "{replies:?}");
    assert_eq!(refused.len(), 1, "{replies:?}");
    assert_eq!(decimal(&ok[0].body["balance"]), dec!(0));
    assert_eq!(refused[0].code(), "insufficient_balance");
    assert!(
        refused[0].message().contains("has $ 0.00 left"),
        "{}",
        refused[0].message()
    );
    assert!(refused[0].message().contains("another tender"));
    let card = card(cloud, &shop, CARD).await;
    assert_eq!(decimal(&card["balance"]), dec!(0));
    assert_eq!(ledger_sum(&card), dec!(0));
}

async fn fifty_redemptions_of_one_against_ten_let_exactly_ten_through(cloud: &Cloud) {
    let shop = dollar_shop(cloud, "Toko Hadiah").await;
    let one = cloud.till(&shop, "D01").await;
    let two = cloud.till(&shop, "D02").await;
    issue(cloud, &shop, CARD, "10.00")
        .await
        .expect(StatusCode::CREATED);

    let requests = (0..50)
        .map(|i| {
            redemption(
                if i % 2 == 0 { &one } else { &two },
                CARD,
                Uuid::now_v7(),
                "1.00",
            )
        })
        .collect();
    let replies = cloud.send_concurrently(requests).await;

    let ok = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let refused = replies
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.code() == "insufficient_balance")
        .count();
    assert_eq!((ok, refused), (10, 40), "{replies:?}");
    let card = card(cloud, &shop, CARD).await;
    assert_eq!(decimal(&card["balance"]), dec!(0));
    let redeemed: Decimal = card["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "redeem")
        .map(|e| -decimal(&e["delta"]))
        .sum();
    assert_eq!(redeemed, dec!(10.00));
    assert_eq!(card["entries"].as_array().unwrap().len(), 11);
    assert_eq!(ledger_sum(&card), dec!(0));
}

async fn a_retried_redemption_is_applied_once_and_answered_the_same(cloud: &Cloud) {
    let shop = dollar_shop(cloud, "Toko Hadiah").await;
    let till = cloud.till(&shop, "D01").await;
    issue(cloud, &shop, CARD, "10.00")
        .await
        .expect(StatusCode::CREATED);
    let entry = Uuid::now_v7();
    let body = json!({ "entry_id": entry, "amount": "7.50" });
    let path = format!("/v1/gift-cards/{CARD}/redemptions");

    let first = cloud
        .call(Method::POST, &path, Some(&till.token), Some(&body))
        .await;
    // Sent again at once, twice, as after a lost answer: 2.50 is left, less than 7.50, but
    // the retry is the same redemption, not a new one.
    let retries = cloud
        .send_concurrently(vec![
            Cloud::request(Method::POST, &path, Some(&till.token), Some(&body)),
            Cloud::request(Method::POST, &path, Some(&till.token), Some(&body)),
        ])
        .await;

    first.expect(StatusCode::OK);
    assert_eq!(first.body["already_applied"], false);
    assert_eq!(decimal(&first.body["balance"]), dec!(2.50));
    for retry in &retries {
        retry.expect(StatusCode::OK);
        assert_eq!(retry.body["already_applied"], true);
        assert_eq!(decimal(&retry.body["balance"]), dec!(2.50));
    }
    let card = card(cloud, &shop, CARD).await;
    assert_eq!(decimal(&card["balance"]), dec!(2.50));
    assert_eq!(card["entries"].as_array().unwrap().len(), 2);

    let reused = cloud
        .call(
            Method::POST,
            &path,
            Some(&till.token),
            Some(&json!({ "entry_id": entry, "amount": "1.00" })),
        )
        .await;
    reused.expect(StatusCode::CONFLICT);
    assert_eq!(reused.code(), "conflict");
    assert!(
        reused.message().contains("already used"),
        "{}",
        reused.message()
    );
}

async fn a_redemption_larger_than_the_balance_is_refused_saying_what_is_left(cloud: &Cloud) {
    let shop = dollar_shop(cloud, "Toko Hadiah").await;
    let till = cloud.till(&shop, "D01").await;
    issue(cloud, &shop, CARD, "4.25")
        .await
        .expect(StatusCode::CREATED);

    let short = cloud
        .send(redemption(&till, CARD, Uuid::now_v7(), "5.00"))
        .await;
    let fine = cloud
        .send(redemption(&till, CARD, Uuid::now_v7(), "1.005"))
        .await;
    let zero = cloud
        .send(redemption(&till, CARD, Uuid::now_v7(), "0"))
        .await;
    let typed = cloud
        .send(redemption(&till, "gc7f3k92qd", Uuid::now_v7(), "4.25"))
        .await;

    short.expect(StatusCode::CONFLICT);
    assert!(
        short
            .message()
            .contains("has $ 4.25 left, less than $ 5.00"),
        "{}",
        short.message()
    );
    fine.expect(StatusCode::BAD_REQUEST);
    assert!(
        fine.message().contains("more than 2 decimal places"),
        "{}",
        fine.message()
    );
    zero.expect(StatusCode::BAD_REQUEST);
    assert!(
        zero.message().contains("amount: is zero"),
        "{}",
        zero.message()
    );
    typed.expect(StatusCode::OK);
    assert_eq!(typed.body["number"], CARD);
    assert_eq!(decimal(&typed.body["balance"]), dec!(0));
}

async fn another_merchants_card_is_not_found(cloud: &Cloud) {
    let mine = dollar_shop(cloud, "Toko Hadiah").await;
    let theirs = dollar_shop(cloud, "Toko Lain").await;
    let my_till = cloud.till(&mine, "D01").await;
    issue(cloud, &theirs, CARD, "10.00")
        .await
        .expect(StatusCode::CREATED);

    let spend = cloud
        .send(redemption(&my_till, CARD, Uuid::now_v7(), "1.00"))
        .await;
    let read = cloud
        .call(
            Method::GET,
            &format!("/v1/gift-cards/{CARD}"),
            Some(&my_till.token),
            None,
        )
        .await;
    let as_owner = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/gift-cards/{CARD}"),
            Some(&mine.owner),
            None,
        )
        .await;
    let unknown = cloud
        .call(
            Method::GET,
            "/v1/gift-cards/GC-0000-0001",
            Some(&my_till.token),
            None,
        )
        .await;

    for reply in [&spend, &read, &as_owner, &unknown] {
        reply.expect(StatusCode::NOT_FOUND);
        assert!(
            reply.message().contains("is not a card of this merchant"),
            "{}",
            reply.body
        );
    }
    assert_eq!(
        spend.message().replace(CARD, "GC-0000-0001"),
        unknown.message()
    );
    assert_eq!(
        decimal(&card(cloud, &theirs, CARD).await["balance"]),
        dec!(10.00)
    );
}

async fn offline_redemptions_are_applied_once_and_an_overdraft_is_flagged(cloud: &Cloud) {
    let shop = dollar_shop(cloud, "Toko Hadiah").await;
    let one = cloud.till(&shop, "D01").await;
    let two = cloud.till(&shop, "D02").await;
    issue(cloud, &shop, CARD, "10.00")
        .await
        .expect(StatusCode::CREATED);
    issue(cloud, &shop, "GC-0000-0002", "3.00")
        .await
        .expect(StatusCode::CREATED);
    // Both registers last knew 10.00 and each took 6.00 offline: 12.00 from a 10.00 card.
    let from_one = redeemed_event(CARD, Uuid::now_v7(), "6.00", 1);
    let from_two = redeemed_event(CARD, Uuid::now_v7(), "6.00", 1);
    let within = redeemed_event("GC-0000-0002", Uuid::now_v7(), "1.00", 2);
    let unknown = redeemed_event("GC-0000-0003", Uuid::now_v7(), "1.00", 3);

    let first = cloud.push(&one, std::slice::from_ref(&from_one)).await;
    let second = cloud.push(&two, &[from_two, within, unknown]).await;
    let again = cloud.push(&one, &[from_one]).await;

    assert_eq!(first.statuses(), ["stored"]);
    assert_eq!(second.statuses(), ["stored", "stored", "rejected"]);
    assert!(
        second.body["results"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("GC-****-0003"),
        "{}",
        second.body
    );
    assert_eq!(again.statuses(), ["already_stored"]);
    let card = card(cloud, &shop, CARD).await;
    assert_eq!(decimal(&card["balance"]), dec!(-2.00));
    assert_eq!(ledger_sum(&card), dec!(-2.00));
    assert!(card["overdrawn_at"].is_string(), "{card}");
    let overdrawn = cloud
        .call(
            Method::GET,
            "/v1/owner/gift-cards/overdrawn",
            Some(&shop.owner),
            None,
        )
        .await;
    overdrawn.expect(StatusCode::OK);
    let cards = overdrawn.body["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{}", overdrawn.body);
    assert_eq!(cards[0]["number"], CARD);
    assert_eq!(decimal(&cards[0]["balance"]), dec!(-2.00));
    // Online, nothing more can be taken from the overdrawn card.
    let online = cloud
        .send(redemption(&one, CARD, Uuid::now_v7(), "0.01"))
        .await;
    online.expect(StatusCode::CONFLICT);
    assert!(
        online.message().contains("has $ 0.00 left"),
        "{}",
        online.message()
    );
}

async fn loads_and_issues_are_idempotent_and_the_ledger_is_the_balance(cloud: &Cloud) {
    let shop = dollar_shop(cloud, "Toko Hadiah").await;
    let till = cloud.till(&shop, "D01").await;
    let issue_entry = Uuid::now_v7();
    let issue_body = json!({ "currency": "USD", "amount": "5.00", "entry_id": issue_entry });
    let load_entry = Uuid::now_v7();

    let issued = cloud
        .call(
            Method::POST,
            "/v1/owner/gift-cards",
            Some(&shop.owner),
            Some(&issue_body),
        )
        .await;
    let reissued = cloud
        .call(
            Method::POST,
            "/v1/owner/gift-cards",
            Some(&shop.owner),
            Some(&issue_body),
        )
        .await;
    issued.expect(StatusCode::CREATED);
    reissued.expect(StatusCode::OK);
    let number = issued.body["number"].as_str().unwrap().to_string();
    assert_eq!(reissued.body["number"], number.as_str());
    assert_eq!(issued.body["code"], format!("KASIR:GIFT:{number}"));
    let load = json!({ "entry_id": load_entry, "amount": "2.50" });
    let path = format!("/v1/owner/gift-cards/{number}/loads");
    for _ in 0..2 {
        cloud
            .call(Method::POST, &path, Some(&shop.owner), Some(&load))
            .await
            .expect(StatusCode::OK);
    }
    cloud
        .send(redemption(&till, &number, Uuid::now_v7(), "1.25"))
        .await
        .expect(StatusCode::OK);
    let twice = issue(cloud, &shop, &number, "1.00").await;

    // 5.00 issued + 2.50 loaded once - 1.25 redeemed = 6.25.
    twice.expect(StatusCode::CONFLICT);
    let card = card(cloud, &shop, &number).await;
    assert_eq!(decimal(&card["balance"]), dec!(6.25));
    assert_eq!(ledger_sum(&card), dec!(6.25));
    let kinds: Vec<&str> = card["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["issue", "load", "redeem"]);
    let balance = cloud
        .call(
            Method::GET,
            &format!("/v1/gift-cards/{number}"),
            Some(&till.token),
            None,
        )
        .await;
    balance.expect(StatusCode::OK);
    assert_eq!(decimal(&balance.body["balance"]), dec!(6.25));
}
