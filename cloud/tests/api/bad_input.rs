//! Requests that are wrong as a whole: a 4xx whose ErrorBody names the problem, and nothing
//! stored. Each request would otherwise store a valid sale, so a missing check shows.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use kasir_sync::protocol::{MAX_BODY_BYTES, MAX_PUSH_EVENTS, VERSION_HEADER};
use serde_json::{Value, json};

use crate::common::*;
use crate::on_both_backends;

/// A push of one valid sale as raw text, with the given headers.
fn raw_push(body: String, headers: &[(&str, String)]) -> Request<Body> {
    let mut builder = Request::builder().method(Method::POST).uri("/v1/events");
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    builder.body(Body::from(body)).unwrap()
}

fn usual_headers(till: &Till) -> Vec<(&'static str, String)> {
    vec![
        (VERSION_HEADER, "1".into()),
        ("authorization", format!("Bearer {}", till.token)),
        ("content-type", "application/json".into()),
    ]
}

fn valid_body(till: &Till) -> Value {
    json!({ "device_id": till.device_id, "events": indomie_events(till, 1, 1) })
}

async fn malformed_json_is_a_400_naming_the_problem(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let text = valid_body(&till).to_string();
    let cut = text[..text.len() - 10].to_string();

    let reply = cloud.send(raw_push(cut, &usual_headers(&till))).await;

    reply.expect(StatusCode::BAD_REQUEST);
    assert_eq!(reply.code(), "bad_request");
    assert!(
        reply.message().contains("not valid JSON"),
        "{}",
        reply.message()
    );
    cloud.assert_nothing_stored().await;
}

async fn a_wrong_type_is_a_400_naming_the_field(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let mut body = valid_body(&till);
    body["events"][0]["seq"] = json!("one");
    let mut extra = valid_body(&till);
    extra["priority"] = json!("high");
    let mut bad_id = valid_body(&till);
    bad_id["events"][0]["id"] = json!(42);

    let replies = [
        cloud
            .send(raw_push(body.to_string(), &usual_headers(&till)))
            .await,
        cloud
            .send(raw_push(extra.to_string(), &usual_headers(&till)))
            .await,
        cloud
            .send(raw_push(bad_id.to_string(), &usual_headers(&till)))
            .await,
    ];

    for reply in &replies {
        reply.expect(StatusCode::BAD_REQUEST);
        assert_eq!(reply.code(), "bad_request");
    }
    assert!(
        replies[0].message().contains("events[0].seq"),
        "{}",
        replies[0].message()
    );
    assert!(
        replies[1].message().contains("priority"),
        "{}",
        replies[1].message()
    );
    assert!(
        replies[2].message().contains("events[0].id"),
        "{}",
        replies[2].message()
    );
    cloud.assert_nothing_stored().await;
}

async fn a_body_not_sent_as_json_is_refused(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let mut headers = usual_headers(&till);
    headers.pop();

    let reply = cloud
        .send(raw_push(valid_body(&till).to_string(), &headers))
        .await;

    reply.expect(StatusCode::BAD_REQUEST);
    assert!(reply.message().contains("Content-Type: application/json"));
    cloud.assert_nothing_stored().await;
}

async fn an_oversized_body_is_a_413(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let mut body = valid_body(&till);
    body["events"][0]["payload"]["receipt_number"] = json!("x".repeat(MAX_BODY_BYTES));

    let reply = cloud
        .send(raw_push(body.to_string(), &usual_headers(&till)))
        .await;

    reply.expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "payload_too_large");
    assert!(reply.message().contains(&MAX_BODY_BYTES.to_string()));
    cloud.assert_nothing_stored().await;
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn gzip_headers(till: &Till, encoding: &str) -> Vec<(&'static str, String)> {
    let mut headers = usual_headers(till);
    headers.push(("content-encoding", encoding.into()));
    headers
}

async fn a_gzipped_push_is_stored(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let body = gzip(valid_body(&till).to_string().as_bytes());
    let mut request = raw_push(String::new(), &gzip_headers(&till, "gzip"));
    *request.body_mut() = Body::from(body);

    let reply = cloud.send(request).await;

    reply.expect(StatusCode::OK);
    assert_eq!(reply.statuses(), vec!["stored"]);
    assert_eq!(cloud.count("sales").await, 1);
}

async fn a_gzip_bomb_is_a_413_like_any_oversized_body(cloud: &Cloud) {
    // A few kilobytes on the wire that inflate past the limit.
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let mut body = valid_body(&till);
    body["events"][0]["payload"]["receipt_number"] = json!("x".repeat(MAX_BODY_BYTES * 2));
    let compressed = gzip(body.to_string().as_bytes());
    assert!(
        compressed.len() < MAX_BODY_BYTES / 100,
        "{}",
        compressed.len()
    );
    let mut request = raw_push(String::new(), &gzip_headers(&till, "gzip"));
    *request.body_mut() = Body::from(compressed);

    let reply = cloud.send(request).await;

    reply.expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "payload_too_large");
    cloud.assert_nothing_stored().await;
}

async fn a_body_in_an_unknown_encoding_or_broken_gzip_is_refused(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let text = valid_body(&till).to_string();
    let mut broken = gzip(text.as_bytes());
    let middle = broken.len() / 2;
    broken.truncate(middle);
    let mut cut = raw_push(String::new(), &gzip_headers(&till, "gzip"));
    *cut.body_mut() = Body::from(broken);

    let brotli = cloud.send(raw_push(text, &gzip_headers(&till, "br"))).await;
    let cut = cloud.send(cut).await;

    brotli.expect(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(brotli.code(), "unsupported_encoding");
    assert!(brotli.message().contains("br"), "{}", brotli.message());
    cut.expect(StatusCode::BAD_REQUEST);
    assert_eq!(cut.code(), "bad_request");
    cloud.assert_nothing_stored().await;
}

async fn too_many_events_in_one_push_is_a_413(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let events = indomie_events(&till, MAX_PUSH_EVENTS + 1, 1);

    let reply = cloud.push(&till, &events).await;

    reply.expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply.message().contains("at most 500"),
        "{}",
        reply.message()
    );
    cloud.assert_nothing_stored().await;
}

async fn an_unknown_or_missing_token_is_a_401(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let body = valid_body(&till).to_string();
    let mut unknown = usual_headers(&till);
    unknown[1].1 = format!("Bearer kcd_{}", "0".repeat(64));
    let mut missing = usual_headers(&till);
    missing.remove(1);
    let mut basic = usual_headers(&till);
    basic[1].1 = "Basic dXNlcjpwYXNz".into();

    let replies = [
        cloud.send(raw_push(body.clone(), &unknown)).await,
        cloud.send(raw_push(body.clone(), &missing)).await,
        cloud.send(raw_push(body, &basic)).await,
    ];

    for reply in &replies {
        reply.expect(StatusCode::UNAUTHORIZED);
        assert_eq!(reply.code(), "unauthorized");
    }
    assert!(replies[0].message().contains("unknown device token"));
    assert!(
        replies[1]
            .message()
            .contains("missing header `Authorization: Bearer TOKEN`")
    );
    assert!(replies[2].message().contains("must be `Bearer TOKEN`"));
    cloud.assert_nothing_stored().await;
}

async fn an_unknown_protocol_version_is_refused_by_name(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let body = valid_body(&till).to_string();
    let mut v2 = usual_headers(&till);
    v2[0].1 = "2".into();
    let mut missing = usual_headers(&till);
    missing.remove(0);
    let mut garbage = usual_headers(&till);
    garbage[0].1 = "one".into();

    let replies = [
        cloud.send(raw_push(body.clone(), &v2)).await,
        cloud.send(raw_push(body.clone(), &missing)).await,
        cloud.send(raw_push(body, &garbage)).await,
    ];

    for reply in &replies {
        reply.expect(StatusCode::BAD_REQUEST);
        assert_eq!(reply.code(), "unsupported_version");
        assert_eq!(
            reply.version_header.as_deref(),
            Some("1"),
            "the answer says what the server speaks"
        );
    }
    assert!(
        replies[0]
            .message()
            .contains("protocol version 2 is not supported: this server speaks version 1"),
        "{}",
        replies[0].message()
    );
    assert!(
        replies[1]
            .message()
            .contains("missing header `kasir-protocol`")
    );
    assert!(replies[2].message().contains("not `one`"));
    cloud.assert_nothing_stored().await;
}

async fn unknown_endpoints_and_methods_answer_with_an_error_body(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;

    let nowhere = cloud
        .call(Method::GET, "/v1/nowhere", Some(&shop.owner), None)
        .await;
    let wrong_method = cloud
        .call(Method::DELETE, "/v1/events", Some(&shop.owner), None)
        .await;
    let bad_id = cloud
        .call(
            Method::GET,
            "/v1/owner/stores/not-a-uuid",
            Some(&shop.owner),
            None,
        )
        .await;

    nowhere.expect(StatusCode::NOT_FOUND);
    assert!(
        nowhere
            .message()
            .contains("no such endpoint: GET /v1/nowhere")
    );
    wrong_method.expect(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.code(), "method_not_allowed");
    bad_id.expect(StatusCode::BAD_REQUEST);
    assert!(
        bad_id.message().contains("bad value in the path"),
        "{}",
        bad_id.message()
    );
}

async fn a_bad_catalog_item_stores_none_of_the_batch(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let path = format!("/v1/owner/stores/{}/items", shop.store_id);
    let mie = catalog_item(MIE, "Mie", "5000", "exempt");
    let good = catalog_item(KECAP, "Kecap Manis", "11100", "ppn");
    let cases = [
        (with(mie.clone(), "price", "5000.5"), "items[1].price"),
        (
            with(mie.clone(), "tax_category", "pb1"),
            "items[1].tax_category",
        ),
        (with(mie.clone(), "name", "  "), "items[1].name"),
        (with(mie.clone(), "price", "-1"), "items[1].price"),
        (with(mie.clone(), "stock", "1.5"), "items[1].stock"),
        (with(mie.clone(), "gtin", KECAP), "items[1].gtin"),
        (with(mie.clone(), "gtin", "8998866200838"), "items[1].gtin"),
    ];

    for (bad, field) in cases {
        let reply = cloud
            .call(
                Method::PUT,
                &path,
                Some(&shop.owner),
                Some(&json!({ "items": [good.clone(), bad] })),
            )
            .await;
        reply.expect(StatusCode::BAD_REQUEST);
        assert!(
            reply.message().contains(field),
            "{field}: {}",
            reply.message()
        );
    }

    assert_eq!(cloud.count("items").await, 0);
    assert_eq!(
        cloud.count("changes").await,
        1,
        "only the store's first settings"
    );
}

on_both_backends!(
    malformed_json_is_a_400_naming_the_problem,
    a_wrong_type_is_a_400_naming_the_field,
    a_body_not_sent_as_json_is_refused,
    an_oversized_body_is_a_413,
    a_gzipped_push_is_stored,
    a_gzip_bomb_is_a_413_like_any_oversized_body,
    a_body_in_an_unknown_encoding_or_broken_gzip_is_refused,
    too_many_events_in_one_push_is_a_413,
    an_unknown_or_missing_token_is_a_401,
    an_unknown_protocol_version_is_refused_by_name,
    unknown_endpoints_and_methods_answer_with_an_error_body,
    a_bad_catalog_item_stores_none_of_the_batch,
);
