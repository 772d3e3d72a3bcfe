//! QRIS payments through the simulated provider, and the verification of QR tenders.

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use kasir_domain::cart::Cart;
use kasir_domain::emvqr::Payload;
use kasir_domain::money::Currency;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::tax::TaxRules;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::*;
use crate::on_both_backends;

const STICKER: &str = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                       51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                       Saifullah.id6014Kota Pontianak61057812463045F72";

/// A shop whose cloud settings hold the QRIS sticker, with the provider configured by
/// `config` (none: the store takes no dynamic payments), and one till.
async fn qris_shop(cloud: &Cloud, config: Option<Value>) -> (Shop, Till) {
    let shop = cloud.shop("Warung QR").await;
    let store = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;
    let mut settings = store.body["settings"].clone();
    settings["qris"] = json!(STICKER);
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/settings", shop.store_id),
            Some(&shop.owner),
            Some(&settings),
        )
        .await
        .expect(StatusCode::OK);
    if let Some(config) = config {
        let reply = cloud
            .call(
                Method::PUT,
                &format!("/v1/owner/stores/{}/qris", shop.store_id),
                Some(&shop.owner),
                Some(&config),
            )
            .await;
        reply.expect(StatusCode::OK);
    }
    let till = cloud.till(&shop, "D01").await;
    (shop, till)
}

async fn create(cloud: &Cloud, till: &Till, reference: &str, amount: &str) -> Reply {
    cloud
        .call(
            Method::POST,
            "/v1/qris/payments",
            Some(&till.token),
            Some(&json!({ "reference": reference, "amount": amount })),
        )
        .await
}

async fn status(cloud: &Cloud, till: &Till, provider_id: &str) -> Reply {
    cloud
        .call(
            Method::GET,
            &format!("/v1/qris/payments/{provider_id}"),
            Some(&till.token),
            None,
        )
        .await
}

async fn cancel(cloud: &Cloud, till: &Till, provider_id: &str) -> Reply {
    cloud
        .call(
            Method::POST,
            &format!("/v1/qris/payments/{provider_id}/cancel"),
            Some(&till.token),
            Some(&json!({})),
        )
        .await
}

async fn simulate(cloud: &Cloud, shop: &Shop, provider_id: &str, outcome: &str) -> Reply {
    cloud
        .call(
            Method::POST,
            &format!(
                "/v1/owner/stores/{}/qris/payments/{provider_id}/simulate",
                shop.store_id
            ),
            Some(&shop.owner),
            Some(&json!({ "outcome": outcome })),
        )
        .await
}

async fn tenders(cloud: &Cloud, shop: &Shop, status: &str) -> Vec<Value> {
    let reply = cloud
        .call(
            Method::GET,
            &format!(
                "/v1/owner/stores/{}/qr-tenders?status={status}",
                shop.store_id
            ),
            Some(&shop.owner),
            None,
        )
        .await;
    reply.expect(StatusCode::OK);
    reply.body["tenders"].as_array().unwrap().clone()
}

const ENABLED: fn() -> Value = || json!({ "enabled": true });

/// A sale of one Kecap Manis (Rp 11.100) paid by QR with `reference`, and cash for the rest
/// when `qr_amount` is less.
fn qr_sale(till: &Till, reference: &str, qr_amount: i64) -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&catalog(KECAP), Decimal::ONE).unwrap();
    let total = cart.totals(&rules).unwrap().total;
    let mut payment = Payment::new(Currency::IDR, total, None);
    payment
        .add(
            TenderMethod::qr(reference).unwrap(),
            Decimal::from(qr_amount),
        )
        .unwrap();
    if !payment.is_paid() {
        payment
            .add(TenderMethod::Cash, payment.remaining())
            .unwrap();
    }
    let day = march(5);
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: till.device_id.to_string(),
        completed_at: format!("{day}T04:00:00Z").parse::<Timestamp>().unwrap(),
        business_date: day,
    };
    let mut sale = Sale::complete(context, &cart, &rules, &payment).unwrap();
    sale.receipt_number = format!("{}-{:06}", till.code, 7);
    sale
}

async fn a_dynamic_payment_is_made_once_per_reference_and_paid(cloud: &Cloud) {
    let (shop, till) = qris_shop(cloud, Some(ENABLED())).await;
    let first = create(cloud, &till, "D01-A1", "38500").await;
    first.expect(StatusCode::OK);
    assert_eq!(first.body["status"], "pending");
    assert_eq!(first.body["amount"], "38500");
    assert_eq!(first.body["currency"], "IDR");
    let payload = Payload::parse(first.body["payload"].as_str().unwrap()).unwrap();
    assert_eq!(payload.text(1), Some("12"));
    assert_eq!(payload.text(54), Some("38500"));
    assert_eq!(payload.field(62).and_then(|f| f.sub(5)), Some("D01-A1"));
    let provider_id = first.body["provider_id"].as_str().unwrap().to_string();
    let expires: Timestamp = first.body["expires_at"].as_str().unwrap().parse().unwrap();
    let created: Timestamp = first.body["created_at"].as_str().unwrap().parse().unwrap();
    assert_eq!((expires - created).as_secs(), 300);

    // Asked again (an answer the register lost): the same payment.
    let again = create(cloud, &till, "D01-A1", "38500").await;
    again.expect(StatusCode::OK);
    assert_eq!(again.body["provider_id"], first.body["provider_id"]);
    assert_eq!(cloud.count("qris_payments").await, 1);
    let other = create(cloud, &till, "D01-A1", "40000").await;
    other.expect(StatusCode::CONFLICT);
    assert!(other.message().contains("38500"), "{}", other.message());

    status(cloud, &till, &provider_id)
        .await
        .expect(StatusCode::OK);
    let paid = simulate(cloud, &shop, &provider_id, "paid").await;
    paid.expect(StatusCode::OK);
    assert_eq!(paid.body["status"], "paid");
    assert!(paid.body["paid_at"].is_string());
    let polled = status(cloud, &till, &provider_id).await;
    assert_eq!(polled.body["status"], "paid");
    // Paid is final: a cancel answers it as it is, an expiry is refused.
    assert_eq!(
        cancel(cloud, &till, &provider_id).await.body["status"],
        "paid"
    );
    simulate(cloud, &shop, &provider_id, "expired")
        .await
        .expect(StatusCode::CONFLICT);
    simulate(cloud, &shop, &provider_id, "paid")
        .await
        .expect(StatusCode::OK);

    // Another store's device does not see it.
    let other_shop = cloud.shop("Toko Lain").await;
    let stranger = cloud.till(&other_shop, "D09").await;
    status(cloud, &stranger, &provider_id)
        .await
        .expect(StatusCode::NOT_FOUND);
}

async fn bad_requests_and_stores_without_a_provider(cloud: &Cloud) {
    let (shop, till) = qris_shop(cloud, None).await;
    let reply = create(cloud, &till, "D01-A1", "38500").await;
    reply.expect(StatusCode::NOT_FOUND);
    assert!(reply.message().contains("static"), "{}", reply.message());
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/qris", shop.store_id),
            Some(&shop.owner),
            Some(&json!({ "enabled": false })),
        )
        .await
        .expect(StatusCode::OK);
    create(cloud, &till, "D01-A1", "38500")
        .await
        .expect(StatusCode::NOT_FOUND);
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/qris", shop.store_id),
            Some(&shop.owner),
            Some(&json!({ "enabled": true, "expires_in_seconds": 90000 })),
        )
        .await
        .expect(StatusCode::BAD_REQUEST);
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/qris", shop.store_id),
            Some(&shop.owner),
            Some(&json!({ "enabled": true })),
        )
        .await
        .expect(StatusCode::OK);
    for (reference, amount, field) in [
        ("D01-A2", "10000001", "amount"),
        ("D01-A3", "100.5", "amount"),
        ("D01-A4", "0", "amount"),
        ("D01 A5", "1000", "reference"),
        ("D01-0123456789012345678901", "1000", "reference"),
    ] {
        let reply = create(cloud, &till, reference, amount).await;
        reply.expect(StatusCode::BAD_REQUEST);
        assert!(
            reply.message().starts_with(field),
            "{reference} {amount}: {}",
            reply.message()
        );
    }
    create(cloud, &till, "D01-MAX", "10000000")
        .await
        .expect(StatusCode::OK);
    assert_eq!(cloud.count("qris_payments").await, 1);
    // The owner's endpoints are the owner's.
    simulate(
        cloud,
        &Shop {
            owner: till.token.clone(),
            ..shop.clone()
        },
        "X",
        "paid",
    )
    .await
    .expect(StatusCode::UNAUTHORIZED);
}

async fn payments_expire_and_are_cancelled(cloud: &Cloud) {
    let (shop, till) = qris_shop(
        cloud,
        Some(json!({ "enabled": true, "expires_in_seconds": 0 })),
    )
    .await;
    let created = create(cloud, &till, "D01-E1", "5000").await;
    let provider_id = created.body["provider_id"].as_str().unwrap().to_string();
    assert_eq!(
        status(cloud, &till, &provider_id).await.body["status"],
        "expired"
    );
    assert_eq!(
        cancel(cloud, &till, &provider_id).await.body["status"],
        "expired"
    );
    let late = simulate(cloud, &shop, &provider_id, "paid").await;
    late.expect(StatusCode::CONFLICT);
    assert!(late.message().contains("expired"), "{}", late.message());

    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/qris", shop.store_id),
            Some(&shop.owner),
            Some(&json!({ "enabled": true })),
        )
        .await
        .expect(StatusCode::OK);
    let created = create(cloud, &till, "D01-C1", "5000").await;
    let provider_id = created.body["provider_id"].as_str().unwrap().to_string();
    assert_eq!(
        cancel(cloud, &till, &provider_id).await.body["status"],
        "cancelled"
    );
    simulate(cloud, &shop, &provider_id, "paid")
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(
        status(cloud, &till, &provider_id).await.body["status"],
        "cancelled"
    );
}

async fn auto_pay_pays_at_the_first_status_request(cloud: &Cloud) {
    let (_, till) = qris_shop(cloud, Some(json!({ "enabled": true, "auto_pay": true }))).await;
    let created = create(cloud, &till, "D01-P1", "11100").await;
    assert_eq!(created.body["status"], "pending");
    let provider_id = created.body["provider_id"].as_str().unwrap();
    assert_eq!(
        status(cloud, &till, provider_id).await.body["status"],
        "paid"
    );
}

async fn a_tender_of_a_paid_payment_is_verified_when_its_sale_arrives(cloud: &Cloud) {
    let (shop, till) = qris_shop(cloud, Some(ENABLED())).await;
    let created = create(cloud, &till, "D01-S1", "11100").await;
    let provider_id = created.body["provider_id"].as_str().unwrap().to_string();
    simulate(cloud, &shop, &provider_id, "paid")
        .await
        .expect(StatusCode::OK);

    let sale = qr_sale(&till, &provider_id, 11_100);
    // The same payment named by a second sale verifies only the first.
    let twice = qr_sale(&till, &provider_id, 11_100);
    let reply = cloud
        .push(&till, &[event(&sale, 1), event(&twice, 2)])
        .await;
    assert_eq!(reply.statuses(), ["stored", "stored"]);

    let all = tenders(cloud, &shop, "all").await;
    assert_eq!(all.len(), 2);
    let verified = tenders(cloud, &shop, "verified").await;
    assert_eq!(verified.len(), 1);
    assert_eq!(verified[0]["sale_id"], sale.id.to_string());
    assert_eq!(verified[0]["verified_by"], "provider");
    assert_eq!(verified[0]["provider_id"], provider_id.as_str());
    assert_eq!(verified[0]["device_code"], "D01");
    let unverified = tenders(cloud, &shop, "unverified").await;
    assert_eq!(unverified.len(), 1);
    assert_eq!(unverified[0]["sale_id"], twice.id.to_string());

    // The device asks about its own tenders.
    let asked = cloud
        .call(
            Method::POST,
            "/v1/qr-tenders/status",
            Some(&till.token),
            Some(&json!({ "tenders": [
                { "sale_id": sale.id, "tender_no": 1 },
                { "sale_id": twice.id, "tender_no": 1 },
                { "sale_id": Uuid::now_v7(), "tender_no": 1 },
            ] })),
        )
        .await;
    asked.expect(StatusCode::OK);
    let answered = asked.body["tenders"].as_array().unwrap();
    assert_eq!(answered.len(), 2);
    assert_eq!(answered[0]["status"], "verified");
    assert_eq!(answered[1]["status"], "unverified");

    // A retried push changes nothing.
    let again = cloud.push(&till, &[event(&sale, 1)]).await;
    assert_eq!(again.statuses(), ["rejected"]);
    assert_eq!(cloud.count("qr_tenders").await, 2);
}

async fn a_static_tender_waits_until_its_payment_is_reported(cloud: &Cloud) {
    let (shop, till) = qris_shop(cloud, None).await;
    // Rp 6.100 by QR, the rest in cash.
    let sale = qr_sale(&till, "DANA-88812", 6_100);
    assert_eq!(
        cloud.push(&till, &[event(&sale, 1)]).await.statuses(),
        ["stored"]
    );
    let unmatched = cloud
        .call(
            Method::GET,
            "/v1/qr-tenders/unmatched",
            Some(&till.token),
            None,
        )
        .await;
    unmatched.expect(StatusCode::OK);
    let list = unmatched.body["tenders"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["reference"], "DANA-88812");
    assert_eq!(list[0]["amount"], "6100");
    assert_eq!(list[0]["tender_no"], 1);
    assert_eq!(list[0]["status"], "unverified");

    let received =
        |reference: &str, amount: &str| json!({ "reference": reference, "amount": amount });
    let path = format!("/v1/owner/stores/{}/qris/received", shop.store_id);
    // A payment of another amount under another reference matches nothing.
    cloud
        .call(
            Method::POST,
            &path,
            Some(&shop.owner),
            Some(&received("DANA-1", "6100")),
        )
        .await
        .expect(StatusCode::OK);
    cloud
        .call(
            Method::POST,
            &path,
            Some(&shop.owner),
            Some(&received("DANA-88812", "6000")),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(tenders(cloud, &shop, "unverified").await.len(), 1);
    // The same reference reported again for another amount is refused.
    let conflict = cloud
        .call(
            Method::POST,
            &path,
            Some(&shop.owner),
            Some(&received("DANA-88812", "6100")),
        )
        .await;
    conflict.expect(StatusCode::CONFLICT);
    cloud
        .call(
            Method::POST,
            &path,
            Some(&shop.owner),
            Some(&received("DANA-88812", "60000000")),
        )
        .await
        .expect(StatusCode::BAD_REQUEST);

    // The right one, reported after the sale arrived, verifies it.
    let sale2 = qr_sale(&till, "OVO-777", 11_100);
    cloud.push(&till, &[event(&sale2, 2)]).await;
    let reply = cloud
        .call(
            Method::POST,
            &path,
            Some(&shop.owner),
            Some(&received("OVO-777", "11100")),
        )
        .await;
    reply.expect(StatusCode::OK);
    assert_eq!(reply.body["status"], "paid");
    let verified = tenders(cloud, &shop, "verified").await;
    assert_eq!(verified.len(), 1);
    assert_eq!(verified[0]["reference"], "OVO-777");
    assert_eq!(verified[0]["verified_by"], "provider");
    let left = tenders(cloud, &shop, "unverified").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["reference"], "DANA-88812");
}

async fn the_owner_matches_a_tender_by_hand(cloud: &Cloud) {
    let (shop, till) = qris_shop(cloud, None).await;
    let sale = qr_sale(&till, "BCA-2026-0001", 11_100);
    cloud.push(&till, &[event(&sale, 1)]).await;
    let path = format!(
        "/v1/owner/stores/{}/qr-tenders/{}/1/match",
        shop.store_id, sale.id
    );
    let note = json!({ "note": "BCA statement 5 March, line 14" });
    let reply = cloud
        .call(Method::POST, &path, Some(&shop.owner), Some(&note))
        .await;
    reply.expect(StatusCode::OK);
    assert_eq!(reply.body["status"], "verified");
    assert_eq!(reply.body["verified_by"], "owner");
    assert_eq!(reply.body["note"], "BCA statement 5 March, line 14");
    let again = cloud
        .call(Method::POST, &path, Some(&shop.owner), Some(&json!({})))
        .await;
    again.expect(StatusCode::OK);
    assert_eq!(again.body["note"], "BCA statement 5 March, line 14");
    assert!(tenders(cloud, &shop, "unverified").await.is_empty());

    // No such tender; another merchant's store.
    cloud
        .call(
            Method::POST,
            &format!(
                "/v1/owner/stores/{}/qr-tenders/{}/2/match",
                shop.store_id, sale.id
            ),
            Some(&shop.owner),
            Some(&json!({})),
        )
        .await
        .expect(StatusCode::NOT_FOUND);
    let other = cloud.shop("Toko Lain").await;
    cloud
        .call(Method::POST, &path, Some(&other.owner), Some(&json!({})))
        .await
        .expect(StatusCode::NOT_FOUND);
    cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}/qr-tenders?status=odd", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await
        .expect(StatusCode::BAD_REQUEST);
}

async fn day_report(cloud: &Cloud, shop: &Shop) -> Value {
    let path = format!(
        "/v1/owner/stores/{}/reports/day/{}",
        shop.store_id,
        march(5)
    );
    let reply = cloud
        .call(Method::GET, &path, Some(&shop.owner), None)
        .await;
    reply.expect(StatusCode::OK);
    reply.body
}

async fn the_day_report_shows_unverified_qr_takings_apart(cloud: &Cloud) {
    let (shop, till) = qris_shop(cloud, None).await;
    // 5.000 by a static QR only the clerk confirmed, the rest (6.100) in cash.
    let sale = qr_sale(&till, "BCA-2026-0002", 5_000);
    cloud.push(&till, &[event(&sale, 1)]).await;
    let day = day_report(cloud, &shop).await;
    assert_eq!(
        day["qr"],
        json!({ "verified_count": 0, "verified": "0", "unverified_count": 1,
                "unverified": "5000" }),
        "{day}"
    );
    let qr = day["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["method"] == "qr")
        .unwrap();
    assert_eq!(qr["amount"], "5000");

    // Matched by the owner: verified.
    let path = format!(
        "/v1/owner/stores/{}/qr-tenders/{}/1/match",
        shop.store_id, sale.id
    );
    cloud
        .call(Method::POST, &path, Some(&shop.owner), Some(&json!({})))
        .await
        .expect(StatusCode::OK);
    let day = day_report(cloud, &shop).await;
    assert_eq!(
        day["qr"],
        json!({ "verified_count": 1, "verified": "5000", "unverified_count": 0,
                "unverified": "0" }),
        "{day}"
    );
}

async fn malformed_requests_are_refused_whole(cloud: &Cloud) {
    let (shop, till) = qris_shop(cloud, Some(ENABLED())).await;
    for body in [
        json!({ "reference": "D01-A1", "amount": "1000", "tip": "1" }),
        json!({ "reference": "D01-A1" }),
        json!({ "reference": "D01-A1", "amount": 1000.5 }),
    ] {
        let reply = cloud
            .call(
                Method::POST,
                "/v1/qris/payments",
                Some(&till.token),
                Some(&body),
            )
            .await;
        reply.expect(StatusCode::BAD_REQUEST);
        assert_eq!(reply.code(), "bad_request");
    }
    // The owner's token is not a device's, and the other way round.
    cloud
        .call(
            Method::POST,
            "/v1/qris/payments",
            Some(&shop.owner),
            Some(&json!({ "reference": "D01-A1", "amount": "1000" })),
        )
        .await
        .expect(StatusCode::UNAUTHORIZED);
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/qris", shop.store_id),
            Some(&till.token),
            Some(&json!({ "enabled": true })),
        )
        .await
        .expect(StatusCode::UNAUTHORIZED);
    let too_many: Vec<Value> = (0..501)
        .map(|_| json!({ "sale_id": Uuid::now_v7(), "tender_no": 1 }))
        .collect();
    cloud
        .call(
            Method::POST,
            "/v1/qr-tenders/status",
            Some(&till.token),
            Some(&json!({ "tenders": too_many })),
        )
        .await
        .expect(StatusCode::PAYLOAD_TOO_LARGE);
    let reply = simulate(cloud, &shop, "SIMQ-NOPE", "paid").await;
    reply.expect(StatusCode::NOT_FOUND);
    assert_eq!(cloud.count("qris_payments").await, 0);
}

on_both_backends!(
    malformed_requests_are_refused_whole,
    a_dynamic_payment_is_made_once_per_reference_and_paid,
    bad_requests_and_stores_without_a_provider,
    payments_expire_and_are_cancelled,
    auto_pay_pays_at_the_first_status_request,
    a_tender_of_a_paid_payment_is_verified_when_its_sale_arrives,
    a_static_tender_waits_until_its_payment_is_reported,
    the_owner_matches_a_tender_by_hand,
    the_day_report_shows_unverified_qr_takings_apart,
);
