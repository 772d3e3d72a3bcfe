//! Push: every event stored exactly once, whatever the network does.

use axum::http::StatusCode;
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

// S-01: the first upload committed but its answer was lost; the device sends it again.
async fn a_retry_after_a_lost_answer_is_already_stored(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let u1 = sale(&till, march(3), &[(MIE, 10)], Pay::Cash(50_000));
    assert_eq!(u1.total.to_string(), "50000");
    let events = [event(&u1, 1)];

    let first = cloud.push(&till, &events).await;
    let retry = cloud.push(&till, &events).await;

    first.expect(StatusCode::OK);
    assert_eq!(first.statuses(), ["stored"]);
    retry.expect(StatusCode::OK);
    assert_eq!(retry.statuses(), ["already_stored"]);
    assert_eq!(retry.body["results"][0]["id"], json!(events[0].id));
    assert_eq!(cloud.count("events").await, 1);
    assert_eq!(cloud.count("sales").await, 1);
    assert_eq!(cloud.count("sale_tenders").await, 1);
    assert_eq!(cloud.count("stock_moves").await, 1);
}

// S-02: two workers push the same three events at the same moment.
async fn two_workers_pushing_the_same_events_store_each_once(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let events = indomie_events(&till, 3, 1);

    let replies = cloud
        .send_concurrently(vec![
            Cloud::push_request(&till, &events),
            Cloud::push_request(&till, &events),
        ])
        .await;

    replies[0].expect(StatusCode::OK);
    replies[1].expect(StatusCode::OK);
    let all: Vec<String> = replies.iter().flat_map(Reply::statuses).collect();
    assert_eq!(all.iter().filter(|s| *s == "stored").count(), 3, "{all:?}");
    assert_eq!(
        all.iter().filter(|s| *s == "already_stored").count(),
        3,
        "{all:?}"
    );
    assert_eq!(cloud.count("sales").await, 3);
    assert_eq!(cloud.count("sale_lines").await, 3);
    assert_eq!(cloud.count("stock_moves").await, 3);
}

async fn many_concurrent_pushes_of_overlapping_batches_store_each_event_once(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let events = indomie_events(&till, 12, 1);
    let batches = [
        &events[0..6],
        &events[3..9],
        &events[6..12],
        &events[..],
        &events[2..10],
    ];

    let replies = cloud
        .send_concurrently(
            batches
                .iter()
                .map(|b| Cloud::push_request(&till, b))
                .collect(),
        )
        .await;

    for reply in &replies {
        reply.expect(StatusCode::OK);
    }
    let stored: usize = replies
        .iter()
        .map(|r| r.statuses().iter().filter(|s| *s == "stored").count())
        .sum();
    assert_eq!(stored, 12);
    assert!(
        replies
            .iter()
            .all(|r| r.statuses().iter().all(|s| s != "rejected"))
    );
    assert_eq!(cloud.count("sales").await, 12);
}

async fn a_duplicate_within_one_batch_is_stored_once(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let events = indomie_events(&till, 2, 1);
    let batch = [events[0].clone(), events[0].clone(), events[1].clone()];

    let reply = cloud.push(&till, &batch).await;

    reply.expect(StatusCode::OK);
    assert_eq!(reply.statuses(), ["stored", "already_stored", "stored"]);
    assert_eq!(cloud.count("sales").await, 2);
}

async fn events_out_of_order_are_stored_and_answered_in_the_order_sent(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let events = indomie_events(&till, 4, 1);
    let reordered = [events[3].clone(), events[1].clone()];
    let rest = [
        events[2].clone(),
        events[0].clone(),
        events[3].clone(),
        events[1].clone(),
    ];

    let first = cloud.push(&till, &reordered).await;
    let second = cloud.push(&till, &rest).await;

    assert_eq!(first.statuses(), ["stored", "stored"]);
    assert_eq!(
        second.statuses(),
        ["stored", "stored", "already_stored", "already_stored"]
    );
    let ids: Vec<_> = second.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    let sent: Vec<_> = rest.iter().map(|e| json!(e.id)).collect();
    assert_eq!(ids, sent);
    assert_eq!(cloud.count("sales").await, 4);
}

async fn a_rejected_event_does_not_hold_up_the_ones_after_it(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let mut events = indomie_events(&till, 3, 1);
    // Tampered on the way: the total no longer adds up.
    events[1].payload["total"] = json!("9999");

    let reply = cloud.push(&till, &events).await;

    reply.expect(StatusCode::OK);
    assert_eq!(reply.statuses(), ["stored", "rejected", "stored"]);
    let reason = reply.body["results"][1]["reason"].as_str().unwrap();
    assert!(reason.contains("does not verify"), "{reason}");
    assert_eq!(cloud.count("events").await, 2);
    assert_eq!(cloud.count("sales").await, 2);
    assert_eq!(cloud.count("sale_lines").await, 2);
}

async fn events_that_cannot_be_stored_are_rejected_with_their_reason(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let other = cloud.till(&shop, "D02").await;
    let mut foreign_device = event(&sale(&other, march(3), &[(MIE, 1)], Pay::Cash(5_000)), 1);
    foreign_device.id = uuid::Uuid::now_v7();
    let mut in_dollars = indomie_events(&till, 1, 2).remove(0);
    in_dollars.payload["currency"] = json!("USD");
    let mut not_a_sale = indomie_events(&till, 1, 3).remove(0);
    not_a_sale.payload = json!({ "hello": "world" });
    let mut unknown_kind = indomie_events(&till, 1, 4).remove(0);
    unknown_kind.kind = "StockCounted".into();
    let mut bad_line = indomie_events(&till, 1, 5).remove(0);
    bad_line.payload["lines"][0]["gross"] = json!("1");

    let reply = cloud
        .push(
            &till,
            &[
                foreign_device,
                in_dollars,
                not_a_sale,
                unknown_kind,
                bad_line,
            ],
        )
        .await;

    reply.expect(StatusCode::OK);
    assert_eq!(reply.statuses(), ["rejected"; 5]);
    let reason = |i: usize| {
        reply.body["results"][i]["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(reason(0).contains("made on device"), "{}", reason(0));
    assert!(
        reason(1).contains("the sale is in USD, the store trades in IDR"),
        "{}",
        reason(1)
    );
    assert!(reason(2).contains("not a sale"), "{}", reason(2));
    assert!(
        reason(3).contains("unknown event kind `StockCounted`"),
        "{}",
        reason(3)
    );
    assert!(
        reason(4).contains("line 1 gross does not add up"),
        "{}",
        reason(4)
    );
    cloud.assert_nothing_stored().await;
}

async fn an_event_id_is_never_reused(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let a = cloud.till(&shop, "D01").await;
    let b = cloud.till(&shop, "D02").await;
    let original = indomie_events(&a, 1, 1).remove(0);
    let mut same_id_other_device = indomie_events(&b, 1, 1).remove(0);
    same_id_other_device.id = original.id;
    let mut same_id_other_content = indomie_events(&a, 1, 2).remove(0);
    same_id_other_content.id = original.id;

    cloud
        .push(&a, std::slice::from_ref(&original))
        .await
        .expect(StatusCode::OK);
    let from_b = cloud.push(&b, &[same_id_other_device]).await;
    let changed = cloud.push(&a, &[same_id_other_content]).await;

    assert_eq!(from_b.statuses(), ["rejected"]);
    assert!(
        from_b.body["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("another device")
    );
    assert_eq!(changed.statuses(), ["rejected"]);
    assert!(
        changed.body["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("different content")
    );
    assert_eq!(cloud.count("sales").await, 1);
}

async fn one_sale_sent_under_two_event_ids_is_stored_once(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let first = indomie_events(&till, 1, 1).remove(0);
    let mut copy = first.clone();
    copy.id = uuid::Uuid::now_v7();

    let reply = cloud.push(&till, &[first, copy]).await;

    assert_eq!(reply.statuses(), ["stored", "rejected"]);
    assert!(
        reply.body["results"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("already stored")
    );
    assert_eq!(
        cloud.count("events").await,
        1,
        "the refused copy leaves no event behind"
    );
    assert_eq!(cloud.count("sales").await, 1);
}

async fn an_empty_push_is_answered_with_no_results(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;

    let reply = cloud.push(&till, &[]).await;

    reply.expect(StatusCode::OK);
    assert_eq!(reply.body, json!({ "results": [] }));
}

on_both_backends!(
    a_retry_after_a_lost_answer_is_already_stored,
    two_workers_pushing_the_same_events_store_each_once,
    many_concurrent_pushes_of_overlapping_batches_store_each_event_once,
    a_duplicate_within_one_batch_is_stored_once,
    events_out_of_order_are_stored_and_answered_in_the_order_sent,
    a_rejected_event_does_not_hold_up_the_ones_after_it,
    events_that_cannot_be_stored_are_rejected_with_their_reason,
    an_event_id_is_never_reused,
    one_sale_sent_under_two_event_ids_is_stored_once,
    an_empty_push_is_answered_with_no_results,
);
