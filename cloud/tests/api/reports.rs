//! What the owner reads: late sales land on the day they happened, and stock counts every
//! device's sales.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::common::*;
use crate::on_both_backends;

async fn report(cloud: &Cloud, shop: &Shop, day: &str) -> Reply {
    let reply = cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}/reports/day/{day}", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await;
    reply.expect(StatusCode::OK);
    reply
}

async fn stock(cloud: &Cloud, shop: &Shop, gtin: &str) -> Reply {
    cloud
        .call(
            Method::GET,
            &format!("/v1/owner/stores/{}/items/{gtin}/stock", shop.store_id),
            Some(&shop.owner),
            None,
        )
        .await
}

async fn a_sale_arriving_days_late_counts_on_the_day_it_happened(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let d01 = cloud.till(&shop, "D01").await;
    let d02 = cloud.till(&shop, "D02").await;
    // Made offline on 1 March...
    let kecap = sale(&d01, march(1), &[(KECAP, 1)], Pay::Cash(20_000));
    let mie = sale(&d02, march(1), &[(MIE, 2)], Pay::Card);
    // ...while a sale of 3 March reached the cloud first.
    let indomie = sale(&d01, march(3), &[(INDOMIE, 2)], Pay::Cash(10_000));

    cloud
        .push(&d01, &[event(&indomie, 2)])
        .await
        .expect(StatusCode::OK);
    cloud
        .push(&d02, &[event(&mie, 1)])
        .await
        .expect(StatusCode::OK);
    cloud
        .push(&d01, &[event(&kecap, 1)])
        .await
        .expect(StatusCode::OK);
    let first = report(cloud, &shop, "2026-03-01").await;
    let second = report(cloud, &shop, "2026-03-02").await;
    let third = report(cloud, &shop, "2026-03-03").await;

    // Kecap 11.100 including PPN 1.100 (11% of the net 10.000), paid 20.000 cash with
    // 8.900 change; Mie 2 x 5.000, PPN-exempt, by card.
    assert_eq!(first.body["sales"], 2);
    assert_eq!(first.body["currency"], "IDR");
    assert_eq!(first.body["subtotal"], "21100");
    assert_eq!(first.body["discounts"], "0");
    assert_eq!(first.body["total"], "21100");
    assert_eq!(first.body["tax"], "1100");
    assert_eq!(first.body["cash_rounding"], "0");
    assert_eq!(
        first.body["tenders"],
        json!([
            { "method": "card", "count": 1, "amount": "10000" },
            { "method": "cash", "count": 1, "amount": "11100" },
        ])
    );
    assert_eq!(
        first.body["taxes"],
        json!([{ "rate": "ppn", "label": "PPN 12%", "net": "10000", "tax": "1100" }])
    );
    assert_eq!(
        first.body["devices"],
        json!([
            { "device_id": d01.device_id, "device_code": "D01", "sales": 1, "total": "11100" },
            { "device_id": d02.device_id, "device_code": "D02", "sales": 1, "total": "10000" },
        ])
    );
    assert_eq!(second.body["sales"], 0);
    assert_eq!(second.body["total"], "0");
    assert_eq!(second.body["tenders"], json!([]));
    assert_eq!(third.body["sales"], 1);
    assert_eq!(third.body["total"], "7000");
}

async fn stock_is_the_count_less_every_devices_sales(cloud: &Cloud) {
    let shop = cloud.shop("Warung Sari").await;
    let d01 = cloud.till(&shop, "D01").await;
    let d02 = cloud.till(&shop, "D02").await;
    let items = json!({ "items": [
        with(catalog_item(MIE, "Mie Sedaap", "5000", "exempt"), "stock", "24"),
        with(catalog_item(INDOMIE, "Indomie Goreng", "3500", "ppn"), "stock", "40"),
    ] });
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/items", shop.store_id),
            Some(&shop.owner),
            Some(&items),
        )
        .await
        .expect(StatusCode::OK);
    // Both sold offline; they sync in opposite orders for the two items.
    let mie_d01 = sale(&d01, march(3), &[(MIE, 3)], Pay::Cash(15_000));
    let mie_d02 = sale(&d02, march(3), &[(MIE, 2)], Pay::Cash(10_000));
    let indomie_d01 = sale(&d01, march(3), &[(INDOMIE, 5)], Pay::Cash(20_000));
    let indomie_d02 = sale(&d02, march(3), &[(INDOMIE, 1), (KECAP, 1)], Pay::Card);

    cloud
        .push(&d02, &[event(&mie_d02, 1)])
        .await
        .expect(StatusCode::OK);
    cloud
        .push(&d01, &[event(&mie_d01, 1), event(&indomie_d01, 2)])
        .await
        .expect(StatusCode::OK);
    cloud
        .push(&d02, &[event(&indomie_d02, 2)])
        .await
        .expect(StatusCode::OK);
    let mie = stock(cloud, &shop, MIE).await;
    let indomie = stock(cloud, &shop, INDOMIE).await;
    let kecap = stock(cloud, &shop, KECAP).await;
    let unknown = stock(cloud, &shop, "96385074").await;

    mie.expect(StatusCode::OK);
    assert_eq!(
        mie.body,
        json!({ "gtin": format!("0{MIE}"), "base": "24", "moved": "-5", "stock": "19" })
    );
    assert_eq!(indomie.body["stock"], "34");
    assert_eq!(
        kecap.body,
        json!({ "gtin": format!("0{KECAP}"), "base": "0", "moved": "-1", "stock": "-1" })
    );
    unknown.expect(StatusCode::NOT_FOUND);
}

on_both_backends!(
    a_sale_arriving_days_late_counts_on_the_day_it_happened,
    stock_is_the_count_less_every_devices_sales,
);
