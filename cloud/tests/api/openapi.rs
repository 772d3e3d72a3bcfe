//! The OpenAPI document describes every endpoint the router serves, and nothing else.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

/// Every endpoint of the router, as `METHOD PATH`.
const ENDPOINTS: &[&str] = &[
    "GET /healthz",
    "GET /openapi.json",
    "GET /r/{token}",
    "GET /r/{token}.json",
    "POST /v1/enrol",
    "POST /v1/events",
    "GET /v1/changes",
    "POST /v1/owner/stores",
    "GET /v1/owner/stores",
    "GET /v1/owner/stores/{store_id}",
    "POST /v1/owner/stores/{store_id}/enrolments",
    "GET /v1/owner/stores/{store_id}/devices",
    "PUT /v1/owner/stores/{store_id}/items",
    "PUT /v1/owner/stores/{store_id}/settings",
    "GET /v1/owner/stores/{store_id}/items/{gtin}/stock",
    "GET /v1/owner/stores/{store_id}/reports/day/{date}",
    "GET /v1/gift-cards/{number}",
    "POST /v1/gift-cards/{number}/redemptions",
    "POST /v1/owner/gift-cards",
    "GET /v1/owner/gift-cards/overdrawn",
    "GET /v1/owner/gift-cards/{number}",
    "POST /v1/owner/gift-cards/{number}/loads",
    "GET /v1/customers",
    "GET /v1/customers/{id}/points",
    "POST /v1/owner/customers/{id}/erasure",
    "POST /v1/qris/payments",
    "GET /v1/qris/payments/{provider_id}",
    "POST /v1/qris/payments/{provider_id}/cancel",
    "POST /v1/qr-tenders/status",
    "GET /v1/qr-tenders/unmatched",
    "PUT /v1/owner/stores/{store_id}/qris",
    "POST /v1/owner/stores/{store_id}/qris/payments/{provider_id}/simulate",
    "POST /v1/owner/stores/{store_id}/qris/received",
    "GET /v1/owner/stores/{store_id}/qr-tenders",
    "POST /v1/owner/stores/{store_id}/qr-tenders/{sale_id}/{tender_no}/match",
];

fn operations(doc: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                found.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    found
}

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref" {
                    out.push(v.as_str().unwrap().to_string());
                } else {
                    refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_lists_exactly_the_served_endpoints() {
    let cloud = Cloud::sqlite().await;

    let reply = cloud.call(Method::GET, "/openapi.json", None, None).await;

    reply.expect(StatusCode::OK);
    let doc = &reply.body;
    assert_eq!(doc["openapi"], "3.1.0");
    let expected: BTreeSet<String> = ENDPOINTS.iter().map(|s| s.to_string()).collect();
    assert_eq!(operations(doc), expected);
    cloud.finish().await;
}

#[tokio::test]
async fn every_documented_operation_is_served_and_every_reference_resolves() {
    let cloud = Cloud::sqlite().await;
    let shop = cloud.shop("Warung Sari").await;
    let till = cloud.till(&shop, "D01").await;
    let doc: Value = serde_json::from_str(kasir_cloud::OPENAPI).unwrap();

    for operation in operations(&doc) {
        let (method, path) = operation.split_once(' ').unwrap();
        let concrete = path
            .replace("{store_id}", &shop.store_id.to_string())
            .replace("{gtin}", KECAP)
            .replace("{date}", "2026-03-03")
            .replace("{number}", "GC-7F3K-92QD");
        let token = if path.starts_with("/v1/owner") {
            &shop.owner
        } else {
            &till.token
        };
        let body = (method != "GET").then(|| json!({}));
        let reply = cloud
            .call(
                method.parse().unwrap(),
                &concrete,
                Some(token),
                body.as_ref(),
            )
            .await;
        assert_ne!(
            reply.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{operation}: {}",
            reply.body
        );
        assert!(
            !reply.message().starts_with("no such endpoint"),
            "{operation}: {}",
            reply.body
        );

        let spec = &doc["paths"][path][method.to_lowercase()];
        assert!(spec["summary"].is_string(), "{operation} has no summary");
        assert!(
            spec["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{operation} has no responses"
        );
    }

    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for reference in all {
        let pointer = reference.strip_prefix('#').unwrap();
        assert!(
            doc.pointer(pointer).is_some(),
            "{reference} does not resolve"
        );
    }
    cloud.finish().await;
}

#[tokio::test]
async fn health_answers_without_a_token() {
    let cloud = Cloud::sqlite().await;

    let reply = cloud
        .send(
            axum::http::Request::get("/healthz")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;

    reply.expect(StatusCode::OK);
    assert_eq!(reply.body, json!({ "status": "ok" }));
    assert_eq!(reply.version_header.as_deref(), Some("1"));
    cloud.finish().await;
}
