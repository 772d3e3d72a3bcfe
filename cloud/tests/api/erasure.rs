//! A loyalty customer's erasure: from a till's `CustomerErased` event or by the owner, applied
//! once, the data never re-created from an old `CustomerAdded`, and told to every store's
//! devices through the change feed.

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use kasir_sync::protocol::Event;
use serde_json::{Value, json};
use sqlx::Row;
use uuid::Uuid;

use crate::common::*;
use crate::on_both_backends;

on_both_backends!(
    a_tills_erasure_removes_the_data_once_and_keeps_the_points,
    an_old_customer_added_replayed_after_erasure_recreates_nothing,
    a_customer_erased_before_their_event_was_sent_arrives_redacted,
    the_owner_erases_a_customer_and_the_devices_are_told,
    another_merchants_customer_cannot_be_erased,
);

fn added(customer: Uuid, seq: i64) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "CustomerAdded".into(),
        occurred_at: Timestamp::now(),
        payload: json!({
            "id": customer,
            "name": "Siti Rahayu",
            "phone": "081234567890",
            "email": "siti@example.id",
            "birth_year": 1990,
            "gender": "female",
            "consent_at": Timestamp::now(),
        }),
    }
}

fn earned(customer: Uuid, points: i64, seq: i64) -> Event {
    let sale = Uuid::now_v7();
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "LoyaltyPoints".into(),
        occurred_at: Timestamp::now(),
        payload: json!({
            "entry_id": Uuid::now_v7(),
            "customer_id": customer,
            "reference_id": sale,
            "sale_id": sale,
            "kind": "earn",
            "points": points,
            "spend": "1000000",
            "currency": "IDR",
            "occurred_at": Timestamp::now(),
        }),
    }
}

fn erased(customer: Uuid, seq: i64) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: "CustomerErased".into(),
        occurred_at: Timestamp::now(),
        payload: json!({ "customer_id": customer, "erased_at": Timestamp::now() }),
    }
}

/// Everything the cloud keeps about customers and in their events, as one text.
async fn kept(cloud: &Cloud) -> String {
    let mut all = String::new();
    for sql in [
        "SELECT name || '|' || coalesce(phone, '') || '|' || coalesce(email, '') || '|'
             || coalesce(CAST(birth_year AS TEXT), '') || '|' || coalesce(gender, '')
         FROM customers",
        "SELECT payload FROM events",
    ] {
        for row in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(cloud.db.pool())
            .await
            .unwrap()
        {
            all.push_str(&row.try_get::<String, _>(0).unwrap());
            all.push('\n');
        }
    }
    all
}

fn assert_forgotten(all: &str) {
    for personal in ["Siti", "081234567890", "siti@example.id", "1990", "female"] {
        assert!(
            !all.contains(personal),
            "`{personal}` is still kept:\n{all}"
        );
    }
}

async fn points(cloud: &Cloud, till: &Till, customer: Uuid) -> Value {
    let reply = cloud
        .call(
            Method::GET,
            &format!("/v1/customers/{customer}/points"),
            Some(&till.token),
            None,
        )
        .await;
    reply.expect(StatusCode::OK);
    reply.body.clone()
}

async fn lookup(cloud: &Cloud, till: &Till, query: &str) -> StatusCode {
    cloud
        .call(
            Method::GET,
            &format!("/v1/customers?{query}"),
            Some(&till.token),
            None,
        )
        .await
        .status
}

async fn erase_as_owner(cloud: &Cloud, shop: &Shop, customer: &str) -> Reply {
    cloud
        .call(
            Method::POST,
            &format!("/v1/owner/customers/{customer}/erasure"),
            Some(&shop.owner),
            None,
        )
        .await
}

async fn pulled(cloud: &Cloud, till: &Till) -> Vec<Value> {
    let reply = cloud
        .call(
            Method::GET,
            "/v1/changes?limit=100",
            Some(&till.token),
            None,
        )
        .await;
    reply.expect(StatusCode::OK);
    reply.body["changes"].as_array().unwrap().clone()
}

async fn a_tills_erasure_removes_the_data_once_and_keeps_the_points(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    cloud
        .push(&till, &[added(customer, 1), earned(customer, 30, 2)])
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        lookup(cloud, &till, "phone=081234567890").await,
        StatusCode::OK
    );
    let before = points(cloud, &till, customer).await;

    let erasure = erased(customer, 3);
    let reply = cloud.push(&till, std::slice::from_ref(&erasure)).await;
    assert_eq!(reply.statuses(), vec!["stored"]);
    assert_forgotten(&kept(cloud).await);
    assert_eq!(points(cloud, &till, customer).await, before);
    assert_eq!(before["points"], 30);
    assert_eq!(
        lookup(cloud, &till, "phone=081234567890").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lookup(cloud, &till, "email=siti@example.id").await,
        StatusCode::NOT_FOUND
    );
    let changes = pulled(cloud, &till).await;
    let told: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "customer_erased")
        .collect();
    assert_eq!(told.len(), 1, "{changes:?}");
    assert_eq!(told[0]["customer_id"], customer.to_string());

    // The same event again, and the same erasure under another event id: nothing more.
    let events = cloud.count("events").await;
    let again = cloud.push(&till, &[erasure]).await;
    assert_eq!(again.statuses(), vec!["already_stored"]);
    let copy = cloud.push(&till, &[erased(customer, 4)]).await;
    assert_eq!(copy.statuses(), vec!["stored"]);
    assert_eq!(cloud.count("events").await, events + 1);
    assert_eq!(pulled(cloud, &till).await.len(), changes.len());
    assert_eq!(points(cloud, &till, customer).await, before);
    // Points earned afterwards (a refund's reversal, say) still go on the opaque id.
    let later = cloud.push(&till, &[earned(customer, 5, 5)]).await;
    assert_eq!(later.statuses(), vec!["stored"]);
    assert_eq!(points(cloud, &till, customer).await["points"], 35);
    // An erasure of someone unknown is refused, by id only.
    let nobody = Uuid::now_v7();
    let unknown = cloud.push(&till, &[erased(nobody, 6)]).await;
    assert_eq!(unknown.statuses(), vec!["rejected"]);
    let reason = unknown.body["results"][0]["reason"].as_str().unwrap();
    assert!(reason.contains(&nobody.to_string()), "{reason}");
    assert!(reason.contains("not a customer"), "{reason}");
}

async fn an_old_customer_added_replayed_after_erasure_recreates_nothing(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    let first = added(customer, 1);
    cloud
        .push(&till, std::slice::from_ref(&first))
        .await
        .expect(StatusCode::OK);
    cloud
        .push(&till, &[erased(customer, 2)])
        .await
        .expect(StatusCode::OK);
    // The same event (recognised by its hash, though its stored payload is redacted), and
    // the customer under a new event id.
    let again = cloud.push(&till, &[first]).await;
    assert_eq!(again.statuses(), vec!["already_stored"]);
    let copy = cloud.push(&till, &[added(customer, 3)]).await;
    assert_eq!(copy.statuses(), vec!["rejected"]);
    let reason = copy.body["results"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("was erased"), "{reason}");
    assert!(!reason.contains("Siti"), "{reason}");
    assert_forgotten(&kept(cloud).await);
    let row = sqlx::query("SELECT name, phone, erased_at FROM customers WHERE id = $1")
        .bind(customer.to_string())
        .fetch_one(cloud.db.pool())
        .await
        .unwrap();
    assert_eq!(row.try_get::<String, _>(0).unwrap(), "");
    assert_eq!(row.try_get::<Option<String>, _>(1).unwrap(), None);
    assert!(row.try_get::<Option<String>, _>(2).unwrap().is_some());
    assert_eq!(
        lookup(cloud, &till, "phone=081234567890").await,
        StatusCode::NOT_FOUND
    );
}

async fn a_customer_erased_before_their_event_was_sent_arrives_redacted(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    let redacted = Event {
        id: Uuid::now_v7(),
        seq: 1,
        kind: "CustomerAdded".into(),
        occurred_at: Timestamp::now(),
        payload: json!({ "id": customer, "consent_at": Timestamp::now(), "erased": true }),
    };
    let reply = cloud
        .push(
            &till,
            &[redacted, earned(customer, 12, 2), erased(customer, 3)],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["stored", "stored", "stored"]);
    assert_eq!(points(cloud, &till, customer).await["points"], 12);
    let erased_at = sqlx::query("SELECT erased_at FROM customers WHERE id = $1")
        .bind(customer.to_string())
        .fetch_one(cloud.db.pool())
        .await
        .unwrap()
        .try_get::<Option<String>, _>(0)
        .unwrap();
    assert!(erased_at.is_some());
    // A redacted payload carries nothing else.
    let mut bad = added(customer, 4);
    bad.payload["erased"] = json!(true);
    let refused = cloud.push(&till, &[bad]).await;
    assert_eq!(refused.statuses(), vec!["rejected"]);
}

async fn the_owner_erases_a_customer_and_the_devices_are_told(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let one = cloud.till(&shop, "D01").await;
    let two = cloud.till(&shop, "D02").await;
    let customer = Uuid::now_v7();
    cloud
        .push(&one, &[added(customer, 1), earned(customer, 30, 2)])
        .await
        .expect(StatusCode::OK);
    let seen = pulled(cloud, &two).await.len();

    let reply = erase_as_owner(cloud, &shop, &customer.to_string()).await;
    reply.expect(StatusCode::OK);
    assert_eq!(reply.body["customer_id"], customer.to_string());
    assert_forgotten(&kept(cloud).await);
    assert_eq!(points(cloud, &two, customer).await["points"], 30);
    let changes = pulled(cloud, &two).await;
    assert_eq!(changes.len(), seen + 1);
    assert_eq!(changes[seen]["kind"], "customer_erased");

    let again = erase_as_owner(cloud, &shop, &customer.to_string()).await;
    again.expect(StatusCode::CONFLICT);
    assert!(
        again.message().contains("already erased"),
        "{}",
        again.message()
    );
    assert_eq!(pulled(cloud, &two).await.len(), seen + 1);
    // The till's own erasure, arriving later, changes nothing.
    let late = cloud.push(&one, &[erased(customer, 3)]).await;
    assert_eq!(late.statuses(), vec!["stored"]);
    assert_eq!(pulled(cloud, &two).await.len(), seen + 1);

    let unknown = erase_as_owner(cloud, &shop, &Uuid::now_v7().to_string()).await;
    unknown.expect(StatusCode::NOT_FOUND);
    erase_as_owner(cloud, &shop, "siti")
        .await
        .expect(StatusCode::BAD_REQUEST);
    let device = cloud
        .call(
            Method::POST,
            &format!("/v1/owner/customers/{customer}/erasure"),
            Some(&one.token),
            None,
        )
        .await;
    assert!(
        device.status == StatusCode::UNAUTHORIZED || device.status == StatusCode::FORBIDDEN,
        "{:?}",
        device.status
    );
}

async fn another_merchants_customer_cannot_be_erased(cloud: &Cloud) {
    let shop = cloud.shop("Toko Setia").await;
    let till = cloud.till(&shop, "D01").await;
    let customer = Uuid::now_v7();
    cloud
        .push(&till, &[added(customer, 1)])
        .await
        .expect(StatusCode::OK);
    let other = cloud.shop("Toko Lain").await;
    let stranger = cloud.till(&other, "D01").await;
    let pushed = cloud.push(&stranger, &[erased(customer, 1)]).await;
    assert_eq!(pushed.statuses(), vec!["rejected"]);
    erase_as_owner(cloud, &other, &customer.to_string())
        .await
        .expect(StatusCode::NOT_FOUND);
    assert!(kept(cloud).await.contains("Siti Rahayu"));
    assert_eq!(
        lookup(cloud, &till, "phone=081234567890").await,
        StatusCode::OK
    );
}
