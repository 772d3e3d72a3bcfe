//! Refunds and the till's shifts end to end: made offline on a real device store, synced to a
//! real `kasir-cloud`, and netted the same way in the device's and the owner's day reports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kasir_e2e::harness::{Cloud, Device, cash_sales};
use serde_json::Value;

const KECAP: &str = "8990121011028";
const MILK: &str = "8998009010552";

fn clouds() -> Vec<Cloud> {
    let mut clouds = vec![Cloud::sqlite()];
    if let Ok(url) = std::env::var("KASIR_TEST_POSTGRES_URL") {
        clouds.push(Cloud::postgres(&url));
    }
    clouds
}

#[test]
fn refunds_and_shifts_made_offline_sync_and_net_in_the_cloud_report() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Retur");
        let store = owner.create_store("Toko Retur");
        let device = Device::new("D01");
        assert!(device.run(&["shift", "open", "100000"]).status.success());
        let sales = device.sell(&cash_sales(2, &[KECAP, MILK]));
        let receipt = sales[0]["receipt_number"].as_str().unwrap().to_string();
        let refund = device.json(&["refund", &receipt, "--line", "1", "--to", "cash"]);
        let void_of = sales[1]["receipt_number"].as_str().unwrap().to_string();
        let void = device.json(&["void", &void_of]);
        assert_eq!(void["kind"], "void");
        assert!(
            device
                .run(&["shift", "payout", "5000", "--reason", "ice"])
                .status
                .success()
        );
        let z = device.json(&["shift", "close", "0"]);
        assert!(z["difference"].as_str().unwrap().starts_with('-'), "{z}");

        device.enroll(&cloud.url, &owner.enrolment_code(&store));
        device.sync_until_drained(5);
        let status = device.json(&["status"]);
        assert_eq!(
            status["rejected"].as_array().map(Vec::len),
            Some(0),
            "{status}"
        );
        assert_eq!(status["waiting"], 0, "{status}");

        let date = sales[0]["business_date"].as_str().unwrap();
        let mine = device.json(&["report", "day", date]);
        let theirs = owner.day_report(&store, date);
        assert_eq!(theirs["refunds"]["count"], 2, "{theirs}");
        assert_eq!(theirs["refunds"]["total"], mine["refunds"]["total"]);
        assert_eq!(theirs["net_total"], mine["refunds"]["net_total"]);
        let given: rust_decimal::Decimal = refund["total"].as_str().unwrap().parse().unwrap();
        let voided: rust_decimal::Decimal = void["total"].as_str().unwrap().parse().unwrap();
        let total: rust_decimal::Decimal = theirs["refunds"]["total"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(total, given + voided);
        assert_eq!(
            theirs["refunds"]["tenders"][0]["method"],
            Value::from("cash")
        );
    }
}
