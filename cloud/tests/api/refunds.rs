//! Refunds and till events from the devices: stored once however often they are sent, never
//! beyond their sale's total, and netted in the owner's day report.

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use kasir_domain::refund::{Refund, RefundContext, RefundKind, RefundRequest, RefundTo, Returned};
use kasir_domain::sale::Sale;
use kasir_sync::protocol::{DayReport, Event};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::common::*;
use crate::on_both_backends;

fn refund(till: &Till, sale: &Sale, lines: Option<Vec<(u32, Decimal)>>) -> Refund {
    let context = RefundContext {
        id: Uuid::now_v7(),
        device_id: till.device_id.to_string(),
        created_at: sale.completed_at,
        business_date: sale.business_date,
    };
    let request = RefundRequest {
        lines,
        to: RefundTo::Original,
        kind: RefundKind::Refund,
        restock: true,
        staff: Some("Mira".into()),
        reason: None,
    };
    let mut refund = Refund::build(sale, context, &request, &Returned::default()).unwrap();
    refund.refund_number = format!("{}-R000001", till.code);
    refund
}

fn till_event(kind: &str, seq: i64, occurred_at: Timestamp, payload: serde_json::Value) -> Event {
    Event {
        id: Uuid::now_v7(),
        seq,
        kind: kind.into(),
        occurred_at,
        payload,
    }
}

async fn refunds_are_stored_once_within_their_sale_and_netted_in_the_report(cloud: &Cloud) {
    let shop = cloud.shop("Toko Retur").await;
    let till = cloud.till(&shop, "D01").await;
    let sale = sale(&till, march(3), &[(KECAP, 2), (INDOMIE, 1)], Pay::Card);
    cloud
        .push(&till, &[event(&sale, 1)])
        .await
        .expect(StatusCode::OK);

    let part = refund(&till, &sale, Some(vec![(1, Decimal::ONE)]));
    let refunded = till_event(
        "SaleRefunded",
        2,
        sale.completed_at,
        serde_json::to_value(&part).unwrap(),
    );
    let shift = till_event(
        "ShiftOpened",
        3,
        sale.completed_at,
        json!({ "shift_id": Uuid::now_v7(), "number": 1, "float": "100000" }),
    );
    let reply = cloud.push(&till, &[refunded.clone(), shift.clone()]).await;
    reply.expect(StatusCode::OK);
    assert_eq!(reply.statuses(), vec!["stored", "stored"]);
    let again = cloud.push(&till, &[refunded, shift]).await;
    assert_eq!(again.statuses(), vec!["already_stored", "already_stored"]);
    assert_eq!(cloud.count("refunds").await, 1);

    // A whole refund on top of the part would give back more than the sale took.
    let whole = refund(&till, &sale, None);
    let mut too_much = till_event(
        "SaleRefunded",
        4,
        sale.completed_at,
        serde_json::to_value(&whole).unwrap(),
    );
    let reply = cloud.push(&till, std::slice::from_ref(&too_much)).await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    let reason = reply.body["results"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("beyond its total"), "{reason}");

    // A refund made on another device, or that does not add up, is refused.
    let mut forged = whole.clone();
    forged.total += Decimal::ONE;
    too_much.id = Uuid::now_v7();
    too_much.payload = serde_json::to_value(&forged).unwrap();
    let reply = cloud.push(&till, &[too_much]).await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    assert_eq!(cloud.count("refunds").await, 1);

    let report = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}/reports/day/2026-03-03", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;
    report.expect(StatusCode::OK);
    let parsed: DayReport = serde_json::from_value(report.body.clone()).unwrap();
    assert_eq!(parsed.refunds.count, 1);
    assert_eq!(parsed.refunds.total, part.total);
    assert_eq!(parsed.net_total, sale.total - part.total);
    assert_eq!(parsed.refunds.tenders[0].method, "card");

    // A device that predates refunds reads the report all the same.
    let mut old = report.body.clone();
    old.as_object_mut().unwrap().remove("refunds");
    old.as_object_mut().unwrap().remove("net_total");
    let old: DayReport = serde_json::from_value(old).unwrap();
    assert_eq!(old.refunds.count, 0);
}

on_both_backends!(refunds_are_stored_once_within_their_sale_and_netted_in_the_report);
