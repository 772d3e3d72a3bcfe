//! Gift cards end to end: a real `kasir-cloud` (SQLite, and PostgreSQL when
//! `KASIR_TEST_POSTGRES_URL` is set) and real device stores redeeming one card at the same
//! moment through `kasir giftcard redeem` (case S-03), and spending offline within limits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Output;

use kasir_e2e::harness::{Cloud, Device};
use rust_decimal::Decimal;
use serde_json::Value;

const CARD: &str = "GC-7F3K-92QD";

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

/// Starts `per_device` redemptions of `amount` on each device at once; waits for them all.
fn redeem_at_once(devices: &[&Device], per_device: usize, amount: &str) -> Vec<Output> {
    let children: Vec<_> = devices
        .iter()
        .flat_map(|d| (0..per_device).map(move |_| d))
        .map(|d| {
            d.command(&["--json", "giftcard", "redeem", CARD, amount])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

#[test]
fn two_registers_redeeming_the_whole_balance_at_once_let_exactly_one_through() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Hadiah");
        let store = owner.create_store("Toko Hadiah");
        let one = Device::new("D01");
        let two = Device::new("D02");
        one.enroll(&cloud.url, &owner.enrolment_code(&store));
        two.enroll(&cloud.url, &owner.enrolment_code(&store));
        owner.issue_gift_card(CARD, "IDR", "10000");

        let outputs = redeem_at_once(&[&one, &two], 1, "10000");

        let ok: Vec<&Output> = outputs.iter().filter(|o| o.status.success()).collect();
        assert_eq!(ok.len(), 1, "{outputs:?}");
        let done: Value = serde_json::from_slice(&ok[0].stdout).unwrap();
        assert_eq!(done["mode"], "online");
        assert_eq!(decimal(&done["left"]), Decimal::ZERO);
        let refused = outputs.iter().find(|o| !o.status.success()).unwrap();
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(message.contains("has Rp 0 left"), "{message}");
        assert!(message.contains("another tender"), "{message}");
        let card = owner.gift_card(CARD);
        assert_eq!(decimal(&card["balance"]), Decimal::ZERO);
    }
}

#[test]
fn twenty_redemptions_of_one_thousand_against_ten_thousand_let_exactly_ten_through() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Hadiah");
        let store = owner.create_store("Toko Hadiah");
        let one = Device::new("D01");
        let two = Device::new("D02");
        one.enroll(&cloud.url, &owner.enrolment_code(&store));
        two.enroll(&cloud.url, &owner.enrolment_code(&store));
        owner.issue_gift_card(CARD, "IDR", "10000");

        let outputs = redeem_at_once(&[&one, &two], 10, "1000");

        let ok = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(ok, 10, "{outputs:?}");
        let card = owner.gift_card(CARD);
        assert_eq!(decimal(&card["balance"]), Decimal::ZERO);
        let redeemed: Decimal = card["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "redeem")
            .map(|e| -decimal(&e["delta"]))
            .sum();
        assert_eq!(redeemed, Decimal::from(10_000));
    }
}

#[test]
fn with_the_cloud_gone_a_register_redeems_only_within_its_limits() {
    let cloud = Cloud::sqlite();
    let owner = cloud.merchant("Toko Hadiah");
    let store = owner.create_store("Toko Hadiah");
    let device = Device::new("D01");
    device.enroll(&cloud.url, &owner.enrolment_code(&store));
    owner.issue_gift_card(CARD, "IDR", "10000");
    device.json(&[
        "giftcard",
        "limits",
        "--per-redemption",
        "5000",
        "--per-card",
        "8000",
    ]);
    // The printed code scanned in the register shows the balance (and remembers it).
    let scanned = device.sell(&format!("KASIR:GIFT:{CARD}\nquit\n"));
    assert_eq!(scanned.len(), 1, "{scanned:?}");
    assert_eq!(scanned[0]["online"], true);
    assert_eq!(decimal(&scanned[0]["balance"]), Decimal::from(10_000));
    // The register now points at a port nothing listens on: the cloud is unreachable.
    drop(cloud);

    let first = device.json(&["giftcard", "redeem", CARD, "5000"]);
    let refused = device.run(&["giftcard", "redeem", CARD, "4000"]);
    let second = device.json(&["giftcard", "redeem", CARD, "3000"]);

    assert_eq!(first["mode"], "offline");
    assert_eq!(decimal(&first["left"]), Decimal::from(3000));
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("at most Rp 8.000 from one card"),
        "{message}"
    );
    assert_eq!(decimal(&second["left"]), Decimal::ZERO);
    assert_eq!(device.waiting(), 2);
}

#[test]
fn a_refund_onto_a_card_made_offline_can_be_spent_offline_and_the_cloud_settles_it() {
    use kasir_e2e::proxy::{Fault, FaultPlan, FaultProxy};
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Hadiah");
        let store = owner.create_store("Toko Hadiah");
        let proxy = FaultProxy::start(cloud.address, FaultPlan::clean()).unwrap();
        let device = Device::new("D01");
        device.enroll(&proxy.url(), &owner.enrolment_code(&store));
        owner.issue_gift_card(CARD, "IDR", "10000");
        device.json(&[
            "giftcard",
            "limits",
            "--per-redemption",
            "10000",
            "--per-card",
            "20000",
        ]);
        // Seen online: 10,000.
        assert_eq!(
            decimal(&device.json(&["giftcard", "balance", CARD])["balance"]),
            Decimal::from(10_000)
        );

        // The cloud unreachable: two Kecap Manis (8,000) paid by the card offline.
        proxy.set_plan(FaultPlan::always(Fault::DropRequest));
        let sale = device.sell(&format!("2*8990121011028\npay gift {CARD} 8000\n"));
        assert_eq!(sale[0]["tenders"][0]["method"], "giftcard");
        let before = device.json(&["giftcard", "balance", CARD]);
        // Refunded, still offline: the 8,000 goes back onto the card at once.
        let refund = device.json(&["refund", sale[0]["receipt_number"].as_str().unwrap()]);
        assert_eq!(refund["tenders"][0]["method"], "giftcard");
        let after = device.json(&["giftcard", "balance", CARD]);
        let spent = device.json(&["giftcard", "redeem", CARD, "9000"]);

        assert_eq!(decimal(&before["available_offline"]), Decimal::from(2_000));
        assert_eq!(decimal(&after["balance"]), Decimal::from(18_000));
        assert_eq!(decimal(&after["available_offline"]), Decimal::from(10_000));
        assert_eq!(spent["mode"], "offline");
        // Spent once: 10,000 - 8,000 + 8,000 - 9,000 leaves 1,000 here.
        assert_eq!(decimal(&spent["left"]), Decimal::from(1_000));
        assert!(
            !device
                .run(&["giftcard", "redeem", CARD, "1001"])
                .status
                .success()
        );

        // Back online: the cloud settles the same 1,000, and so does the device.
        proxy.set_plan(FaultPlan::clean());
        device.sync_until_drained(5);
        assert_eq!(
            decimal(&owner.gift_card(CARD)["balance"]),
            Decimal::from(1_000)
        );
        let online = device.json(&["giftcard", "balance", CARD]);
        assert_eq!(decimal(&online["balance"]), Decimal::from(1_000));
    }
}
