//! Gift cards and loyalty end to end: a real `kasir-cloud` (SQLite, and PostgreSQL when
//! `KASIR_TEST_POSTGRES_URL` is set) and a real register. A card sold at the till is issued in
//! the cloud when its sale syncs, then pays part of a sale online; a dropped sale gives its
//! gift card payment back; a customer's points reach the cloud once, however often the device
//! syncs; and a refund of a sale paid partly with the card and with points gives each back
//! once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kasir_e2e::harness::{Cloud, Device};
use rust_decimal::Decimal;
use serde_json::Value;

const CARD: &str = "GC-7F3K-92QD";
/// Kecap Manis, 4,000.
const KECAP: &str = "8990121011028";
const PHONE: &str = "081234567890";

fn clouds() -> Vec<Cloud> {
    let mut clouds = vec![Cloud::sqlite()];
    if let Ok(url) = std::env::var("KASIR_TEST_POSTGRES_URL") {
        clouds.push(Cloud::postgres(&url));
    }
    clouds
}

fn decimal(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

fn points(device: &Device) -> (i64, Option<i64>) {
    let shown = device.json(&["customer", "show", PHONE]);
    (
        shown["customer"]["points"].as_i64().unwrap(),
        shown["cloud_points"].as_i64(),
    )
}

#[test]
fn a_card_sold_at_the_till_pays_online_and_points_move_once_through_the_cloud() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Setia");
        let store = owner.create_store("Toko Setia");
        let device = Device::new("D01");
        device.enroll(&cloud.url, &owner.enrolment_code(&store));
        device.json(&[
            "customer",
            "rule",
            "--spend-per-point",
            "1000",
            "--point-value",
            "100",
        ]);
        device.json(&["customer", "add", "Siti", "--phone", PHONE, "--consent"]);

        // Sold at the till: the cloud issues it when the sale arrives, once.
        let sold = device.sell(&format!("giftcard sell 50000 {CARD}\npay cash\n"));
        assert_eq!(sold[0]["gift_cards"][0]["kind"], "issue");
        device.sync_until_drained(5);
        device.sync_until_drained(5);
        assert_eq!(
            decimal(&owner.gift_card(CARD)["balance"]),
            Decimal::from(50_000)
        );

        // 3 Kecap Manis (12,000): 5,000 from the card online, the rest in cash; 12 points.
        let sale = device.sell(&format!(
            "customer {PHONE}\n3*{KECAP}\npay gift {CARD} 5000\npay cash\n"
        ));
        assert_eq!(sale[0]["tenders"][0]["method"], "giftcard");
        assert_eq!(
            decimal(&owner.gift_card(CARD)["balance"]),
            Decimal::from(45_000)
        );
        let receipt = sale[0]["receipt_number"].as_str().unwrap().to_string();

        // A sale dropped after the card paid: the payment goes back onto the card.
        device.sell(&format!("{KECAP}\npay gift {CARD} 3000\nvoid sale\nquit\n"));
        assert_eq!(
            decimal(&owner.gift_card(CARD)["balance"]),
            Decimal::from(42_000)
        );
        device.sync_until_drained(5);
        assert_eq!(
            decimal(&owner.gift_card(CARD)["balance"]),
            Decimal::from(45_000)
        );
        assert_eq!(points(&device), (12, Some(12)));

        // Points redeemed: 10 points are 1,000 off one Kecap; it earns 3.
        let redeemed = device.sell(&format!(
            "customer {PHONE}\n{KECAP}\nredeem points 10\npay cash\n"
        ));
        assert_eq!(redeemed[0]["total"], "3000");
        device.sync_until_drained(5);
        assert_eq!(points(&device), (5, Some(5)));

        // The sale paid partly by the card refunded whole: 5,000 back onto the card, its 12
        // points reversed, once, however often the device syncs.
        let refund = device.json(&["refund", &receipt]);
        assert_eq!(refund["total"], "12000");
        device.sync_until_drained(5);
        device.sync_until_drained(5);
        assert_eq!(
            decimal(&owner.gift_card(CARD)["balance"]),
            Decimal::from(50_000)
        );
        assert_eq!(points(&device), (-7, Some(-7)));
        let kinds: Vec<String> = owner.gift_card(CARD)["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(kinds, vec!["issue", "redeem", "redeem", "refund", "refund"]);
    }
}

#[test]
fn a_customer_added_on_one_register_earns_and_redeems_on_another() {
    let cloud = Cloud::sqlite();
    let owner = cloud.merchant("Toko Setia");
    let store = owner.create_store("Toko Setia");
    let one = Device::new("D01");
    let two = Device::new("D02");
    one.enroll(&cloud.url, &owner.enrolment_code(&store));
    two.enroll(&cloud.url, &owner.enrolment_code(&store));
    for device in [&one, &two] {
        device.json(&[
            "customer",
            "rule",
            "--spend-per-point",
            "1000",
            "--point-value",
            "100",
        ]);
    }
    one.json(&["customer", "add", "Siti", "--phone", PHONE, "--consent"]);
    one.sell(&format!("customer {PHONE}\n5*{KECAP}\npay cash\n"));
    one.sync_until_drained(5);

    // The second register has never seen her: it finds her in the cloud, with her 20 points,
    // and she spends 10 of them there.
    let sale = two.sell(&format!(
        "customer {PHONE}\n{KECAP}\nredeem points 10\npay cash\n"
    ));
    assert_eq!(sale[0]["total"], "3000");
    assert_eq!(points(&two).0, 20 - 10 + 3);
    two.sync_until_drained(5);
    // Both registers, and the cloud, agree; merging again changes nothing.
    assert_eq!(points(&one), (13, Some(13)));
    assert_eq!(points(&two), (13, Some(13)));
    assert_eq!(points(&two), (13, Some(13)));
}

/// The customer's lifetime spend on the device and in the cloud.
fn spend(device: &Device) -> (Decimal, Decimal) {
    let shown = device.json(&["customer", "show", PHONE]);
    (
        decimal(&shown["customer"]["lifetime_spend"]),
        decimal(&shown["cloud_lifetime_spend"]),
    )
}

#[test]
fn spend_without_points_reaches_the_tier_and_the_cloud_once() {
    use kasir_e2e::proxy::{Fault, FaultPlan, FaultProxy};
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Setia");
        let store = owner.create_store("Toko Setia");
        // Every request goes through a proxy that sends each one to the cloud twice.
        let proxy = FaultProxy::start(cloud.address, FaultPlan::clean()).unwrap();
        let device = Device::new("D01");
        device.enroll(&proxy.url(), &owner.enrolment_code(&store));
        device.json(&[
            "customer",
            "rule",
            "--spend-per-point",
            "10000",
            "--point-value",
            "100",
            "--tier",
            "Silver:8000:2",
        ]);
        device.json(&["customer", "add", "Siti", "--phone", PHONE, "--consent"]);

        // One Kecap Manis (4,000) earns no points, twice: 8,000 spent, Silver.
        let first = device.sell(&format!("customer {PHONE}\n{KECAP}\npay cash\n"));
        device.sell(&format!("customer {PHONE}\n{KECAP}\npay cash\n"));
        let shown = device.json(&["customer", "show", PHONE]);
        assert_eq!(shown["customer"]["points"], 0);
        assert_eq!(shown["customer"]["tier"], "Silver");
        // Three at Silver (12,000): 1 point doubled.
        device.sell(&format!("customer {PHONE}\n3*{KECAP}\npay cash\n"));
        assert_eq!(points(&device).0, 2);

        proxy.set_plan(FaultPlan::always(Fault::Duplicate));
        device.sync_until_drained(5);
        proxy.set_plan(FaultPlan::always(Fault::DropResponse));
        // The answer is lost after the cloud stored the events: the device sends them again.
        device.sell(&format!("customer {PHONE}\n{KECAP}\npay cash\n"));
        assert!(!device.sync());
        proxy.set_plan(FaultPlan::clean());
        device.sync_until_drained(5);
        assert_eq!(
            spend(&device),
            (Decimal::from(24_000), Decimal::from(24_000))
        );

        // The first sale, which earned nothing, refunded: its 4,000 leaves the spend.
        device.json(&["refund", first[0]["receipt_number"].as_str().unwrap()]);
        proxy.set_plan(FaultPlan::always(Fault::Duplicate));
        device.sync_until_drained(5);
        proxy.set_plan(FaultPlan::clean());
        assert_eq!(
            spend(&device),
            (Decimal::from(20_000), Decimal::from(20_000))
        );
        assert_eq!(points(&device), (2, Some(2)));
    }
}
