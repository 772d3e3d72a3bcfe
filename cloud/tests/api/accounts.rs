//! Accounts: enrolment codes are spent once, tokens are the only way in, and a merchant never
//! sees or writes another merchant's data.

use axum::http::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::common::*;
use crate::on_both_backends;

async fn an_enrolment_code_works_once(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let code = cloud.code(&shop).await;
    let enrol = |device_id: Uuid, code: &str| {
        json!({
            "code": code,
            "device_id": device_id,
            "device_code": "D01",
        })
    };

    let first = cloud
        .call(
            Method::POST,
            "/v1/enrol",
            None,
            Some(&enrol(Uuid::now_v7(), &code)),
        )
        .await;
    let second = cloud
        .call(
            Method::POST,
            "/v1/enrol",
            None,
            Some(&enrol(Uuid::now_v7(), &code)),
        )
        .await;
    let unknown = cloud
        .call(
            Method::POST,
            "/v1/enrol",
            None,
            Some(&enrol(Uuid::now_v7(), "AAAA-BBBB-CCCC-DDDD")),
        )
        .await;

    first.expect(StatusCode::OK);
    assert_eq!(first.body["store_id"], json!(shop.store_id));
    assert_eq!(first.body["merchant_id"], json!(shop.merchant_id));
    assert!(first.body["token"].as_str().unwrap().len() >= 64);
    second.expect(StatusCode::CONFLICT);
    assert!(
        second.message().contains("already used"),
        "{}",
        second.message()
    );
    unknown.expect(StatusCode::UNAUTHORIZED);
    assert!(unknown.message().contains("unknown enrolment code"));
    assert_eq!(cloud.count("devices").await, 1);
}

async fn two_devices_racing_with_one_code_enrol_only_one(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let code = cloud.code(&shop).await;
    let requests = (0..4)
        .map(|_| {
            let body = json!({ "code": code, "device_id": Uuid::now_v7(), "device_code": "D01" });
            Cloud::request(Method::POST, "/v1/enrol", None, Some(&body))
        })
        .collect();

    let replies = cloud.send_concurrently(requests).await;

    let ok = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let refused = replies
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, refused), (1, 3), "{replies:?}");
    assert_eq!(cloud.count("devices").await, 1);
}

async fn a_typed_code_is_accepted_in_lower_case_without_dashes(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let code = cloud.code(&shop).await.replace('-', "").to_lowercase();

    let reply = cloud
        .call(
            Method::POST,
            "/v1/enrol",
            None,
            Some(&json!({ "code": code, "device_id": Uuid::now_v7(), "device_code": "d01" })),
        )
        .await;

    reply.expect(StatusCode::OK);
}

async fn enrolling_again_replaces_the_device_token(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let code = cloud.code(&shop).await;

    let again = cloud
        .call(
            Method::POST,
            "/v1/enrol",
            None,
            Some(&json!({ "code": code, "device_id": till.device_id, "device_code": "D01" })),
        )
        .await;
    let old = cloud
        .call(Method::GET, "/v1/changes", Some(&till.token), None)
        .await;
    let new_token = again.body["token"].as_str().unwrap().to_string();
    let new = cloud
        .call(Method::GET, "/v1/changes", Some(&new_token), None)
        .await;

    again.expect(StatusCode::OK);
    old.expect(StatusCode::UNAUTHORIZED);
    new.expect(StatusCode::OK);
    assert_eq!(cloud.count("devices").await, 1);
}

async fn a_device_of_one_store_cannot_enrol_in_another(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let other = cloud.shop("Toko Lain").await;
    let till = cloud.till(&shop, "D01").await;
    let code = cloud.code(&other).await;

    let reply = cloud
        .call(
            Method::POST,
            "/v1/enrol",
            None,
            Some(&json!({ "code": code, "device_id": till.device_id, "device_code": "D01" })),
        )
        .await;

    reply.expect(StatusCode::CONFLICT);
    assert!(
        reply
            .message()
            .contains("already enrolled in another store")
    );
    let used: i64 = {
        use sqlx::Row;
        sqlx::query("SELECT count(*) FROM enrolments WHERE used_at IS NOT NULL")
            .fetch_one(cloud.db.pool())
            .await
            .unwrap()
            .try_get(0)
            .unwrap()
    };
    assert_eq!(used, 1, "the refused enrolment leaves the code unspent");
}

async fn tokens_are_stored_only_as_hashes(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;

    use sqlx::Row;
    let device_hash: String = sqlx::query("SELECT token_hash FROM devices")
        .fetch_one(cloud.db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let owner_hash: String = sqlx::query("SELECT owner_token_hash FROM merchants")
        .fetch_one(cloud.db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();

    assert_eq!(device_hash, kasir_cloud::tokens::hash(&till.token));
    assert_ne!(device_hash, till.token);
    assert_eq!(owner_hash, kasir_cloud::tokens::hash(&shop.owner));
}

async fn an_owner_sees_only_their_own_stores(cloud: &Cloud) {
    let mine = cloud.shop("Warung Sari").await;
    let theirs = cloud.shop("Toko Lain").await;
    let store = format!("/v1/owner/stores/{}", theirs.store_id);
    let items = json!({ "items": [catalog_item(KECAP, "Kecap", "1", "ppn")] });

    let read = cloud
        .call(Method::GET, &store, Some(&mine.owner), None)
        .await;
    let write = cloud
        .call(
            Method::PUT,
            &format!("{store}/items"),
            Some(&mine.owner),
            Some(&items),
        )
        .await;
    let code = cloud
        .call(
            Method::POST,
            &format!("{store}/enrolments"),
            Some(&mine.owner),
            Some(&json!({})),
        )
        .await;
    let report = cloud
        .call(
            Method::GET,
            &format!("{store}/reports/day/2026-03-03"),
            Some(&mine.owner),
            None,
        )
        .await;
    let list = cloud
        .call(Method::GET, "/v1/owner/stores", Some(&mine.owner), None)
        .await;

    for reply in [&read, &write, &code, &report] {
        reply.expect(StatusCode::NOT_FOUND);
        assert_eq!(reply.code(), "not_found");
        assert!(
            reply
                .message()
                .contains("is not in this merchant's account"),
            "{}",
            reply.message()
        );
    }
    assert_eq!(cloud.count("items").await, 0);
    assert_eq!(cloud.count("enrolments").await, 0);
    let listed: Vec<_> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["store_id"].clone())
        .collect();
    assert_eq!(listed, [json!(mine.store_id)]);
}

async fn a_device_cannot_push_for_another_device(cloud: &Cloud) {
    let mine = cloud.shop("Warung Sari").await;
    let theirs = cloud.shop("Toko Lain").await;
    let my_till = cloud.till(&mine, "D01").await;
    let their_till = cloud.till(&theirs, "D01").await;
    let their_events = indomie_events(&their_till, 1, 1);

    // My token, their device id and their sale.
    let body = json!({ "device_id": their_till.device_id, "events": their_events });
    let reply = cloud
        .call(
            Method::POST,
            "/v1/events",
            Some(&my_till.token),
            Some(&body),
        )
        .await;
    // My token and device id, their sale inside.
    let smuggled = cloud.push(&my_till, &their_events).await;

    reply.expect(StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "forbidden");
    assert!(reply.message().contains("the token belongs to device"));
    assert_eq!(smuggled.statuses(), ["rejected"]);
    cloud.assert_nothing_stored().await;
}

async fn a_device_pulls_only_its_own_stores_changes(cloud: &Cloud) {
    let mine = cloud.shop("Warung Sari").await;
    let theirs = cloud.shop("Toko Lain").await;
    let my_till = cloud.till(&mine, "D01").await;
    let items = json!({ "items": [catalog_item(KECAP, "Kecap Rahasia", "1", "ppn")] });
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/items", theirs.store_id),
            Some(&theirs.owner),
            Some(&items),
        )
        .await
        .expect(StatusCode::OK);

    let pulled = cloud
        .call(Method::GET, "/v1/changes", Some(&my_till.token), None)
        .await;

    pulled.expect(StatusCode::OK);
    let kinds: Vec<_> = pulled.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("settings")]);
    assert_eq!(pulled.body["changes"][0]["settings"]["name"], "Warung Sari");
}

async fn device_and_owner_tokens_only_open_their_own_endpoints(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;

    let owner_on_device = cloud
        .call(Method::GET, "/v1/changes", Some(&shop.owner), None)
        .await;
    let device_on_owner = cloud
        .call(Method::GET, "/v1/owner/stores", Some(&till.token), None)
        .await;

    owner_on_device.expect(StatusCode::UNAUTHORIZED);
    assert!(owner_on_device.message().contains("needs a device token"));
    device_on_owner.expect(StatusCode::UNAUTHORIZED);
    assert!(
        device_on_owner
            .message()
            .contains("needs the merchant's owner token")
    );
}

async fn a_store_gets_indonesian_settings_unless_given_others(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;

    let store = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;
    let mut on_mars = store.body["settings"].clone();
    on_mars["timezone"] = json!("Mars/Olympus");
    let bad = cloud
        .call(
            Method::POST,
            "/v1/owner/stores",
            Some(&shop.owner),
            Some(&json!({ "name": "Toko", "settings": on_mars })),
        )
        .await;

    store.expect(StatusCode::OK);
    assert_eq!(store.body["settings"]["currency"], "IDR");
    assert_eq!(store.body["settings"]["timezone"], "Asia/Jakarta");
    bad.expect(StatusCode::BAD_REQUEST);
    assert!(bad.message().contains("timezone"), "{}", bad.message());
    assert_eq!(cloud.count("stores").await, 1);
}

async fn the_owner_sees_the_devices_and_when_they_synced(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    cloud
        .push(&till, &indomie_events(&till, 1, 1))
        .await
        .expect(StatusCode::OK);

    let devices = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}/devices", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;

    devices.expect(StatusCode::OK);
    assert_eq!(devices.body[0]["device_id"], json!(till.device_id));
    assert_eq!(devices.body[0]["device_code"], "D01");
    assert!(devices.body[0]["last_push_at"].is_string());
    assert!(devices.body[0]["last_pull_at"].is_null());
}

on_both_backends!(
    an_enrolment_code_works_once,
    two_devices_racing_with_one_code_enrol_only_one,
    a_typed_code_is_accepted_in_lower_case_without_dashes,
    enrolling_again_replaces_the_device_token,
    a_device_of_one_store_cannot_enrol_in_another,
    tokens_are_stored_only_as_hashes,
    an_owner_sees_only_their_own_stores,
    a_device_cannot_push_for_another_device,
    a_device_pulls_only_its_own_stores_changes,
    device_and_owner_tokens_only_open_their_own_endpoints,
    a_store_gets_indonesian_settings_unless_given_others,
    the_owner_sees_the_devices_and_when_they_synced,
);
