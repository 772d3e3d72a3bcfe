//! Pull: each change reaches a device exactly once, in order, across any number of pulls and
//! whatever the owner writes in between.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::*;
use crate::on_both_backends;

fn item_json(gtin: &str, name: &str, price: i64) -> Value {
    catalog_item(gtin, name, &price.to_string(), "ppn")
}

/// A valid GTIN-13 with the company prefix 899 and `n` as item reference.
fn gtin(n: u32) -> String {
    let data = format!("899{n:09}");
    let sum: u32 = data
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{data}{}", (10 - sum % 10) % 10)
}

async fn put_items(cloud: &Cloud, shop: &Shop, items: Vec<Value>) -> Reply {
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/items", shop.store_id),
            Some(&shop.owner),
            Some(&json!({ "items": items })),
        )
        .await
}

async fn pull(cloud: &Cloud, till: &Till, cursor: Option<&str>, limit: u32) -> Reply {
    let path = match cursor {
        Some(c) => format!("/v1/changes?cursor={c}&limit={limit}"),
        None => format!("/v1/changes?limit={limit}"),
    };
    let reply = cloud
        .call(Method::GET, &path, Some(&till.token), None)
        .await;
    reply.expect(StatusCode::OK);
    reply
}

/// What a change is about: `settings`, or the item's GTIN-14 and name.
fn label(change: &Value) -> String {
    match change["kind"].as_str().unwrap() {
        "settings" => "settings".into(),
        "item" => format!(
            "{} {}",
            change["item"]["gtin"].as_str().unwrap(),
            change["item"]["name"].as_str().unwrap()
        ),
        other => panic!("unexpected change kind {other}"),
    }
}

/// Pulls until nothing more is waiting, `limit` at a time; returns the changes and the cursor.
/// Gives up (failing the test) after 100 pulls, or when a page with changes does not move the
/// cursor.
async fn drain(
    cloud: &Cloud,
    till: &Till,
    mut cursor: Option<String>,
    limit: u32,
) -> (Vec<String>, Option<String>) {
    let mut seen = Vec::new();
    for _ in 0..100 {
        let reply = pull(cloud, till, cursor.as_deref(), limit).await;
        let changes = reply.body["changes"].as_array().unwrap();
        seen.extend(changes.iter().map(label));
        let next = reply.body["next_cursor"].as_str().unwrap().to_string();
        if !changes.is_empty() {
            assert_ne!(
                Some(&next),
                cursor.as_ref(),
                "the cursor did not move past {changes:?}"
            );
        }
        cursor = Some(next);
        if !reply.body["more"].as_bool().unwrap() {
            return (seen, cursor);
        }
    }
    panic!("still more changes after 100 pulls: {seen:?}");
}

async fn changes_arrive_once_and_in_order_across_interleaved_writes(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;

    let first = pull(cloud, &till, None, 2).await;
    put_items(
        cloud,
        &shop,
        vec![
            item_json(&gtin(1), "Satu", 1000),
            item_json(&gtin(2), "Dua", 2000),
            item_json(&gtin(3), "Tiga", 3000),
        ],
    )
    .await
    .expect(StatusCode::OK);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let second = pull(cloud, &till, Some(&cursor), 2).await;
    put_items(cloud, &shop, vec![item_json(&gtin(2), "Dua Baru", 2500)])
        .await
        .expect(StatusCode::OK);
    let cursor = second.body["next_cursor"].as_str().unwrap().to_string();
    let (rest, cursor) = drain(cloud, &till, Some(cursor), 2).await;
    let after = pull(cloud, &till, cursor.as_deref(), 2).await;

    assert_eq!(
        first.body["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(label)
            .collect::<Vec<_>>(),
        ["settings"]
    );
    assert_eq!(first.body["more"], false);
    let second: Vec<_> = second.body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(label)
        .collect();
    assert_eq!(
        second,
        [format!("0{} Satu", gtin(1)), format!("0{} Dua", gtin(2))]
    );
    assert_eq!(
        rest,
        [
            format!("0{} Tiga", gtin(3)),
            format!("0{} Dua Baru", gtin(2))
        ]
    );
    assert_eq!(after.body["changes"], json!([]));
    assert_eq!(after.body["more"], false);
    assert_eq!(
        after.body["next_cursor"].as_str(),
        cursor.as_deref(),
        "nothing new: the same cursor"
    );
}

async fn pulling_again_from_an_old_cursor_repeats_exactly_what_followed_it(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    put_items(
        cloud,
        &shop,
        (1..=5)
            .map(|n| item_json(&gtin(n), "Barang", 1000))
            .collect(),
    )
    .await
    .expect(StatusCode::OK);
    let page = pull(cloud, &till, None, 3).await;
    let cursor = page.body["next_cursor"].as_str().unwrap().to_string();

    // The device applied the page but crashed before saving the cursor... then it did not.
    let once = pull(cloud, &till, Some(&cursor), 10).await;
    let twice = pull(cloud, &till, Some(&cursor), 10).await;

    assert_eq!(page.body["more"], true);
    assert_eq!(once.body, twice.body);
    assert_eq!(
        once.body["changes"].as_array().unwrap().len(),
        3,
        "6 changes, 3 already pulled"
    );
}

async fn concurrent_writers_never_make_a_reader_skip_a_change(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let writers = 16;
    let requests = (0..writers)
        .map(|n| {
            let body =
                json!({ "items": [item_json(&gtin(100 + n), "Barang", 1000 + i64::from(n))] });
            Cloud::request(
                Method::PUT,
                &format!("/v1/owner/stores/{}/items", shop.store_id),
                Some(&shop.owner),
                Some(&body),
            )
        })
        .collect();

    // A reader pulls one change at a time while the writers run.
    let reader = {
        let (cloud_router, till) = (cloud, &till);
        async move {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            for _ in 0..200 {
                let reply = pull(cloud_router, till, cursor.as_deref(), 1).await;
                seen.extend(reply.body["changes"].as_array().unwrap().iter().map(label));
                cursor = Some(reply.body["next_cursor"].as_str().unwrap().to_string());
                if seen.len() == 1 + writers as usize {
                    break;
                }
                tokio::task::yield_now().await;
            }
            (seen, cursor)
        }
    };
    let (replies, (mut seen, cursor)) = tokio::join!(cloud.send_concurrently(requests), reader);
    for reply in &replies {
        reply.expect(StatusCode::OK);
    }
    let (rest, _) = drain(cloud, &till, cursor, 1).await;
    seen.extend(rest);

    assert_eq!(seen.len(), 1 + writers as usize, "{seen:?}");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "a change arrived twice: {seen:?}");
    for n in 0..writers {
        assert!(
            seen.iter()
                .any(|s| s.starts_with(&format!("0{}", gtin(100 + n)))),
            "item {n} never arrived"
        );
    }
}

async fn an_unchanged_item_appends_no_change(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let kecap = item_json(KECAP, "Kecap Manis", 11_100);
    let mut counted = kecap.clone();
    counted["stock"] = json!("24");

    let first = put_items(cloud, &shop, vec![kecap.clone()]).await;
    let same = put_items(cloud, &shop, vec![kecap]).await;
    let stock_only = put_items(cloud, &shop, vec![counted]).await;
    let (changes, _) = drain(cloud, &till, None, 100).await;

    assert_eq!(first.body["changes"], 1);
    assert_eq!(same.body["changes"], 0);
    assert_eq!(stock_only.body["changes"], 0);
    assert_eq!(
        changes,
        ["settings".to_string(), format!("0{KECAP} Kecap Manis")]
    );
}

async fn a_settings_change_reaches_the_devices(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let store = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;
    let mut settings = store.body["settings"].clone();
    settings["receipt_footer"] = json!("Sampai jumpa");

    let changed = cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/settings", shop.store_id),
            Some(&shop.owner),
            Some(&settings),
        )
        .await;
    let again = cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/settings", shop.store_id),
            Some(&shop.owner),
            Some(&settings),
        )
        .await;
    let pulled = pull(cloud, &till, None, 10).await;

    assert_eq!(changed.body["changes"], 1);
    assert_eq!(again.body["changes"], 0);
    let changes = pulled.body["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[1]["settings"]["receipt_footer"], "Sampai jumpa");
}

async fn settings_that_would_orphan_items_are_refused(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    put_items(cloud, &shop, vec![item_json(KECAP, "Kecap Manis", 11_100)])
        .await
        .expect(StatusCode::OK);
    let store = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;
    let mut no_ppn = store.body["settings"].clone();
    no_ppn["tax"]["categories"] = json!([{ "code": "exempt", "label": "Bebas", "rates": [] }]);
    let mut dollars = store.body["settings"].clone();
    dollars["currency"] = json!("USD");

    let orphaned = cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/settings", shop.store_id),
            Some(&shop.owner),
            Some(&no_ppn),
        )
        .await;
    let recurrencied = cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/settings", shop.store_id),
            Some(&shop.owner),
            Some(&dollars),
        )
        .await;

    orphaned.expect(StatusCode::CONFLICT);
    assert!(
        orphaned.message().contains("items still use `ppn`"),
        "{}",
        orphaned.message()
    );
    recurrencied.expect(StatusCode::CONFLICT);
    assert!(recurrencied.message().contains("currency"));
    assert_eq!(
        cloud.count("changes").await,
        2,
        "settings and the item, nothing more"
    );
}

async fn cursors_and_limits_the_server_did_not_issue_are_refused(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;

    let ahead = cloud
        .call(
            Method::GET,
            "/v1/changes?cursor=c999",
            Some(&till.token),
            None,
        )
        .await;
    let clock = cloud
        .call(
            Method::GET,
            "/v1/changes?cursor=2026-03-03T10:00:00Z",
            Some(&till.token),
            None,
        )
        .await;
    let zero = cloud
        .call(Method::GET, "/v1/changes?limit=0", Some(&till.token), None)
        .await;
    let huge = cloud
        .call(
            Method::GET,
            "/v1/changes?limit=5000",
            Some(&till.token),
            None,
        )
        .await;
    let words = cloud
        .call(
            Method::GET,
            "/v1/changes?limit=many",
            Some(&till.token),
            None,
        )
        .await;

    for reply in [&ahead, &clock, &zero, &huge, &words] {
        reply.expect(StatusCode::BAD_REQUEST);
    }
    assert!(ahead.message().contains("ahead of this store's changes"));
    assert!(clock.message().contains("was not issued by this server"));
    assert!(
        zero.message()
            .contains("limit: 0 is not between 1 and 1000")
    );
    assert!(words.message().contains("limit"), "{}", words.message());
}

on_both_backends!(
    changes_arrive_once_and_in_order_across_interleaved_writes,
    pulling_again_from_an_old_cursor_repeats_exactly_what_followed_it,
    concurrent_writers_never_make_a_reader_skip_a_change,
    an_unchanged_item_appends_no_change,
    a_settings_change_reaches_the_devices,
    settings_that_would_orphan_items_are_refused,
    cursors_and_limits_the_server_did_not_issue_are_refused,
);
