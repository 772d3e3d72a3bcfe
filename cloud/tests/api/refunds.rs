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

/// A card sale of one packet of noodles with a `tip`, rung by `staff`, number `n` of `till`.
fn tipped(till: &Till, n: u32, staff: Option<&str>, tip: i64) -> Sale {
    use kasir_domain::cart::{Cart, ChargeBasis, ChargeKind};
    use kasir_domain::money::Currency;
    use kasir_domain::payment::{Payment, TenderMethod};
    use kasir_domain::sale::SaleContext;
    use kasir_domain::tax::TaxRules;

    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&catalog(INDOMIE), Decimal::ONE).unwrap();
    if tip != 0 {
        cart.set_charge(
            ChargeKind::Tip,
            Some(ChargeBasis::Amount(Decimal::from(tip))),
            None,
        )
        .unwrap();
    }
    let total = cart.totals(&rules).unwrap().total;
    let mut payment = Payment::new(Currency::IDR, total, None);
    payment
        .add(TenderMethod::card("A1B2C3", "1234", "visa").unwrap(), total)
        .unwrap();
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: till.device_id.to_string(),
        completed_at: "2026-03-04T03:00:00Z".parse().unwrap(),
        business_date: march(4),
    };
    let mut sale = Sale::complete(context, &cart, &rules, &payment).unwrap();
    sale.receipt_number = format!("{}-{n:06}", till.code);
    sale.staff = staff.map(str::to_string);
    sale
}

async fn tips_are_reported_per_staff_member_over_every_device_net_of_refunds(cloud: &Cloud) {
    let shop = cloud.shop("Warung Tip").await;
    let front = cloud.till(&shop, "D01").await;
    let terrace = cloud.till(&shop, "D02").await;
    let ani_one = tipped(&front, 1, Some("Ani"), 2_000);
    let ani_two = tipped(&terrace, 1, Some("Ani"), 5_000);
    let budi = tipped(&front, 2, Some("Budi"), 1_500);
    let nobody = tipped(&front, 3, None, 500);
    let untipped = tipped(&terrace, 2, Some("Budi"), 0);
    let front_events = [event(&ani_one, 1), event(&budi, 2), event(&nobody, 3)];
    cloud
        .push(&front, &front_events)
        .await
        .expect(StatusCode::OK);
    let terrace_events = [event(&ani_two, 1), event(&untipped, 2)];
    cloud
        .push(&terrace, &terrace_events)
        .await
        .expect(StatusCode::OK);
    // A retried push counts nothing twice.
    cloud
        .push(&front, &front_events)
        .await
        .expect(StatusCode::OK);

    // Mira refunds Ani's terrace sale whole: the tip given back is Ani's, not Mira's.
    let back = refund(&terrace, &ani_two, None);
    assert_eq!(back.tips, ani_two.tip_paid());
    let refunded = till_event(
        "SaleRefunded",
        3,
        ani_two.completed_at,
        serde_json::to_value(&back).unwrap(),
    );
    cloud
        .push(&terrace, &[refunded])
        .await
        .expect(StatusCode::OK);

    let report = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}/reports/day/2026-03-04", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;
    report.expect(StatusCode::OK);
    let report: DayReport = serde_json::from_value(report.body).unwrap();
    let rows: Vec<(Option<&str>, u64, Decimal, Decimal, Decimal)> = report
        .tips
        .iter()
        .map(|t| (t.staff.as_deref(), t.sales, t.tips, t.refunded, t.net))
        .collect();
    let ani_tips = ani_one.tip_paid() + ani_two.tip_paid();
    assert_eq!(
        rows,
        vec![
            (None, 1, nobody.tip_paid(), Decimal::ZERO, nobody.tip_paid()),
            (Some("Ani"), 2, ani_tips, back.tips, ani_tips - back.tips),
            (
                Some("Budi"),
                1,
                budi.tip_paid(),
                Decimal::ZERO,
                budi.tip_paid()
            ),
        ]
    );
    assert_eq!(ani_one.tip_paid(), Decimal::from(2_000));
    // The tips are inside the day's charges.
    let tips: Decimal = report.tips.iter().map(|t| t.tips).sum();
    assert_eq!(tips, report.charges);
}

on_both_backends!(tips_are_reported_per_staff_member_over_every_device_net_of_refunds);
