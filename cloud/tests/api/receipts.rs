//! Receipt links: `GET /r/{token}` shows a synced sale's receipt (HTML-escaped, in the store's
//! language, with its refunds and nothing personal), `GET /r/{token}.json` the same as JSON,
//! and anything else under `/r/` is a plain 404.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use jiff::Timestamp;
use kasir_domain::cart::Cart;
use kasir_domain::catalog::{Item, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::receipt_link::{TOKEN_BYTES, encode_token};
use kasir_domain::refund::{Refund, RefundContext, RefundKind, RefundRequest, RefundTo, Returned};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::tax::TaxRules;
use kasir_sync::protocol::Event;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::common::*;
use crate::on_both_backends;

/// A new token from the operating system's random source, as a device makes one.
fn token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).unwrap();
    encode_token(&bytes)
}

/// A sale of two Kecap Manis (Rp 11.100 each, PPN included) and one item whose name is
/// markup, paid with Rp 30.000 in cash and rung by staff member "Mira".
fn sale_with_markup(till: &Till) -> Sale {
    let rules = TaxRules::indonesia_retail();
    let mut cart = Cart::new(Currency::IDR);
    cart.add(&catalog(KECAP), Decimal::from(2)).unwrap();
    let odd = Item {
        gtin: Gtin::parse(MIE).unwrap(),
        sku: None,
        name: "<b>Teh</b> & \"Kopi\"".into(),
        price: Decimal::from(5_000),
        tax_category: "exempt".into(),
        unit: Unit::Each,
        category: None,
        stock: Decimal::ZERO,
    };
    cart.add(&odd, Decimal::ONE).unwrap();
    let total = cart.totals(&rules).unwrap().total;
    let mut payment = Payment::new(Currency::IDR, total, None);
    payment
        .add(TenderMethod::Cash, Decimal::from(30_000))
        .unwrap();
    let context = SaleContext {
        id: Uuid::now_v7(),
        device_id: till.device_id.to_string(),
        completed_at: "2026-03-03T03:00:00Z".parse().unwrap(),
        business_date: march(3),
    };
    let mut sale = Sale::complete(context, &cart, &rules, &payment).unwrap();
    sale.receipt_number = format!("{}-000001", till.code);
    sale.staff = Some("Mira".into());
    sale
}

/// The `SaleCompleted` event of `sale` carrying `token`, as a device sends it.
fn linked_event(sale: &Sale, seq: i64, token: &str) -> Event {
    let mut event = event(sale, seq);
    event.payload["receipt_token"] = token.into();
    event
}

/// `GET path` as a browser sends it: no protocol header, no token.
async fn browse(cloud: &Cloud, path: &str) -> Reply {
    cloud
        .send(
            Request::builder()
                .method(Method::GET)
                .uri(path)
                .body(Body::empty())
                .unwrap(),
        )
        .await
}

fn page_text(reply: &Reply) -> &str {
    reply
        .body
        .as_str()
        .unwrap_or_else(|| panic!("not a page: {}", reply.body))
}

async fn a_synced_sale_shows_its_receipt_escaped_and_without_personal_data(cloud: &Cloud) {
    let shop = cloud.shop("Toko <i>Sari</i>").await;
    let till = cloud.till(&shop, "D01").await;
    let sale = sale_with_markup(&till);
    let token = token();
    let reply = cloud.push(&till, &[linked_event(&sale, 1, &token)]).await;
    assert_eq!(reply.statuses(), vec!["stored"]);

    let page = browse(cloud, &format!("/r/{token}")).await;
    page.expect(StatusCode::OK);
    let html = page_text(&page);
    // 2 x 11.100 + 5.000 = 27.200; the PPN in the Kecap is 2 x 1.100; 30.000 - 27.200 back.
    assert!(html.contains("<html lang=\"id\">"), "{html}");
    assert!(
        html.contains("TOTAL</td><td class=\"amount\">Rp 27.200<"),
        "{html}"
    );
    assert!(
        html.contains("Pajak PPN 12% (termasuk)</td><td class=\"amount\">Rp 2.200<"),
        "{html}"
    );
    assert!(
        html.contains("Tunai</td><td class=\"amount\">Rp 30.000<"),
        "{html}"
    );
    assert!(
        html.contains("Kembali</td><td class=\"amount\">Rp 2.800<"),
        "{html}"
    );
    assert!(html.contains("2 &times; Rp 11.100"), "{html}");
    // Names are text, never markup.
    assert!(
        html.contains("&#60;b&#62;Teh&#60;/b&#62; &#38; &#34;Kopi&#34;"),
        "{html}"
    );
    assert!(!html.contains("<b>Teh</b>"), "{html}");
    assert!(
        html.contains("<h1>Toko &#60;i&#62;Sari&#60;/i&#62;</h1>"),
        "{html}"
    );
    assert!(!html.contains("<i>Sari</i>"), "{html}");
    // Nobody's name, nor the token itself.
    assert!(!html.contains("Mira"), "{html}");
    assert!(!html.contains(&token), "{html}");

    let json = browse(cloud, &format!("/r/{token}.json")).await;
    json.expect(StatusCode::OK);
    assert_eq!(json.body["total"], "27200");
    assert_eq!(json.body["tax_total"], "2200");
    assert_eq!(json.body["change"], "2800");
    assert_eq!(json.body["store_name"], "Toko <i>Sari</i>");
    assert_eq!(json.body["lines"][1]["name"], "<b>Teh</b> & \"Kopi\"");
    assert_eq!(json.body["tenders"][0]["method"], "cash");
    assert_eq!(json.body["language"], "id");
    assert!(json.body.get("staff").is_none(), "{}", json.body);
    assert!(!json.body.to_string().contains("Mira"));
}

async fn a_card_sale_shows_no_card_details(cloud: &Cloud) {
    let shop = cloud.shop("Toko Kartu").await;
    let till = cloud.till(&shop, "D01").await;
    let sale = sale(&till, march(3), &[(KECAP, 1)], Pay::Card);
    let token = token();
    let reply = cloud.push(&till, &[linked_event(&sale, 1, &token)]).await;
    assert_eq!(reply.statuses(), vec!["stored"]);

    let page = browse(cloud, &format!("/r/{token}")).await;
    page.expect(StatusCode::OK);
    let html = page_text(&page);
    assert!(
        html.contains("Kartu</td><td class=\"amount\">Rp 11.100<"),
        "{html}"
    );
    assert!(!html.contains("1234"), "the last four digits: {html}");
    assert!(!html.contains("A1B2C3"), "the approval code: {html}");
    let json = browse(cloud, &format!("/r/{token}.json")).await;
    let text = json.body.to_string();
    assert!(!text.contains("1234") && !text.contains("A1B2C3"), "{text}");
}

async fn unknown_and_malformed_tokens_are_a_plain_404(cloud: &Cloud) {
    let shop = cloud.shop("Toko Sepi").await;
    let till = cloud.till(&shop, "D01").await;
    let sale = sale(&till, march(3), &[(INDOMIE, 1)], Pay::Cash(5_000));
    let known = token();
    cloud
        .push(&till, &[linked_event(&sale, 1, &known)])
        .await
        .expect(StatusCode::OK);

    // One character off the known token, another token, and things that are no token at all.
    let mut near = known.clone().into_bytes();
    near[0] = if near[0] == b'A' { b'B' } else { b'A' };
    let near = String::from_utf8(near).unwrap();
    for path in [
        format!("/r/{near}"),
        format!("/r/{}", token()),
        "/r/short".to_string(),
        "/r/%3Cscript%3E".to_string(),
        format!("/r/{known}x"),
    ] {
        let reply = browse(cloud, &path).await;
        reply.expect(StatusCode::NOT_FOUND);
        let html = page_text(&reply);
        assert!(html.contains("Receipt not found"), "{path}: {html}");
        assert!(!html.contains("Rp"), "{path}: {html}");
    }
    let reply = browse(cloud, &format!("/r/{near}.json")).await;
    reply.expect(StatusCode::NOT_FOUND);
    assert_eq!(reply.code(), "not_found");
    // There is nothing to list receipts by.
    browse(cloud, "/r/").await.expect(StatusCode::NOT_FOUND);
    browse(cloud, &format!("/r/{known}"))
        .await
        .expect(StatusCode::OK);
}

async fn tokens_are_checked_and_older_events_are_still_stored(cloud: &Cloud) {
    let shop = cloud.shop("Toko Lama").await;
    let till = cloud.till(&shop, "D01").await;

    // A device that predates receipt links sends the sale alone: stored, without a link.
    let old = sale(&till, march(3), &[(INDOMIE, 1)], Pay::Cash(5_000));
    let reply = cloud.push(&till, &[event(&old, 1)]).await;
    assert_eq!(reply.statuses(), vec!["stored"]);

    // A token of the wrong form is refused, naming the field.
    let bad = sale(&till, march(3), &[(INDOMIE, 1)], Pay::Cash(5_000));
    let reply = cloud
        .push(&till, &[linked_event(&bad, 2, "<script>")])
        .await;
    assert_eq!(reply.statuses(), vec!["rejected"]);
    let reason = reply.body["results"][0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("receipt_token:"), "{reason}");

    // A token another sale holds is refused; the first sale keeps its receipt.
    let token = token();
    let first = sale(&till, march(3), &[(KECAP, 1)], Pay::Card);
    let second = sale(&till, march(3), &[(INDOMIE, 2)], Pay::Cash(10_000));
    let reply = cloud
        .push(
            &till,
            &[
                linked_event(&first, 3, &token),
                linked_event(&second, 4, &token),
            ],
        )
        .await;
    assert_eq!(reply.statuses(), vec!["stored", "rejected"]);
    let json = browse(cloud, &format!("/r/{token}.json")).await;
    assert_eq!(json.body["total"], "11100");
    assert_eq!(cloud.count("sales").await, 2);
}

async fn refunds_of_the_sale_are_shown(cloud: &Cloud) {
    let shop = cloud.shop("Toko Retur").await;
    let till = cloud.till(&shop, "D01").await;
    let sale = sale(&till, march(3), &[(KECAP, 2), (INDOMIE, 1)], Pay::Card);
    let token = token();
    cloud
        .push(&till, &[linked_event(&sale, 1, &token)])
        .await
        .expect(StatusCode::OK);
    let before = browse(cloud, &format!("/r/{token}")).await;
    assert!(!page_text(&before).contains("Pengembalian"));

    // One Kecap back: Rp 11.100.
    let context = RefundContext {
        id: Uuid::now_v7(),
        device_id: till.device_id.to_string(),
        created_at: Timestamp::now(),
        business_date: march(4),
    };
    let request = RefundRequest {
        lines: Some(vec![(1, Decimal::ONE)]),
        to: RefundTo::Original,
        kind: RefundKind::Refund,
        restock: true,
        staff: Some("Mira".into()),
        reason: None,
    };
    let mut refund = Refund::build(&sale, context, &request, &Returned::default()).unwrap();
    refund.refund_number = "D01-R000001".into();
    let refunded = Event {
        id: Uuid::now_v7(),
        seq: 2,
        kind: "SaleRefunded".into(),
        occurred_at: refund.created_at,
        payload: serde_json::to_value(&refund).unwrap(),
    };
    let reply = cloud.push(&till, &[refunded]).await;
    assert_eq!(reply.statuses(), vec!["stored"]);

    let page = browse(cloud, &format!("/r/{token}")).await;
    let html = page_text(&page);
    assert!(
        html.contains("Pengembalian D01-R000001 (2026-03-04)</td><td class=\"amount\">-Rp 11.100<"),
        "{html}"
    );
    assert!(
        html.contains("Total dikembalikan</td><td class=\"amount\">-Rp 11.100<"),
        "{html}"
    );
    // The sale's own total is unchanged: 2 x 11.100 + 3.500.
    assert!(
        html.contains("TOTAL</td><td class=\"amount\">Rp 25.700<"),
        "{html}"
    );
    assert!(!html.contains("Mira"), "{html}");
    let json = browse(cloud, &format!("/r/{token}.json")).await;
    assert_eq!(json.body["refunds"][0]["refund_number"], "D01-R000001");
    assert_eq!(json.body["refunds"][0]["kind"], "refund");
    assert_eq!(json.body["refunds"][0]["total"], "11100");
    assert_eq!(json.body["refunded_total"], "11100");
}

async fn an_english_store_gets_an_english_page(cloud: &Cloud) {
    let shop = cloud.shop("Corner Shop").await;
    let mut settings = kasir_domain::settings::StoreSettings::indonesian_shop("Corner Shop");
    settings.locale = kasir_domain::money::Locale::En;
    cloud
        .call(
            Method::PUT,
            &format!("/v1/owner/stores/{}/settings", shop.store_id),
            Some(&shop.owner),
            Some(&serde_json::to_value(&settings).unwrap()),
        )
        .await
        .expect(StatusCode::OK);
    let till = cloud.till(&shop, "D01").await;
    let sale = sale(&till, march(3), &[(KECAP, 1)], Pay::Cash(20_000));
    let token = token();
    cloud
        .push(&till, &[linked_event(&sale, 1, &token)])
        .await
        .expect(StatusCode::OK);

    let page = browse(cloud, &format!("/r/{token}")).await;
    let html = page_text(&page);
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(
        html.contains("Cash</td><td class=\"amount\">Rp 20,000<"),
        "{html}"
    );
    assert!(
        html.contains("Change</td><td class=\"amount\">Rp 8,900<"),
        "{html}"
    );
}

on_both_backends!(
    a_synced_sale_shows_its_receipt_escaped_and_without_personal_data,
    a_card_sale_shows_no_card_details,
    unknown_and_malformed_tokens_are_a_plain_404,
    tokens_are_checked_and_older_events_are_still_stored,
    refunds_of_the_sale_are_shown,
    an_english_store_gets_an_english_page,
);
