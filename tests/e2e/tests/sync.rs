//! Devices and the cloud end to end: real `kasir-cloud` processes (SQLite, and PostgreSQL when
//! `KASIR_TEST_POSTGRES_URL` is set), real device stores driven by `kasir`, a fault-injecting
//! proxy between them, and devices killed with SIGKILL while they sell and sync.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Stdio;
use std::time::Duration;

use kasir_e2e::harness::{Cloud, Device, cash_sales};
use kasir_e2e::proxy::{Fault, FaultPlan, FaultProxy};
use serde_json::Value;

const KECAP: &str = "8990121011028";
const MIE: &str = "8998866200837";
const MILK: &str = "8998009010552";

/// The clouds to run each test against: SQLite always, PostgreSQL when configured.
fn clouds() -> Vec<Cloud> {
    let mut clouds = vec![Cloud::sqlite()];
    if let Ok(url) = std::env::var("KASIR_TEST_POSTGRES_URL") {
        clouds.push(Cloud::postgres(&url));
    }
    clouds
}

/// The stock moved by sales, as a whole number of units.
fn moved(stock: &Value) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    let moved: rust_decimal::Decimal = stock["moved"].as_str().unwrap().parse().unwrap();
    assert!(moved.fract().is_zero(), "{moved}");
    moved.to_i64().unwrap()
}

fn business_date(device: &Device) -> String {
    device.json(&["sales", "list"])[0]["business_date"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The device's and the cloud's day reports agree on every sum.
fn assert_reports_match(device: &Value, cloud: &Value) {
    for key in [
        "sales",
        "subtotal",
        "discounts",
        "charges",
        "tax",
        "total",
        "cash_rounding",
    ] {
        assert_eq!(
            device[key], cloud[key],
            "{key}: device {device} cloud {cloud}"
        );
    }
    let tenders = |report: &Value| -> Vec<(String, String)> {
        report["tenders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["method"].as_str().unwrap().to_string(),
                    t["amount"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(tenders(device), tenders(cloud));
}

#[test]
fn a_sale_made_offline_appears_in_the_cloud_report() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Offline");
        let store = owner.create_store("Toko Offline");
        let device = Device::new("D01");
        // Sold before the device ever reached the cloud.
        device.sell(&cash_sales(3, &[KECAP, MIE]));
        assert_eq!(device.waiting(), 3);

        device.enroll(&cloud.url, &owner.enrolment_code(&store));
        device.sync_until_drained(3);

        let date = business_date(&device);
        assert_reports_match(
            &device.json(&["report", "day", &date]),
            &owner.day_report(&store, &date),
        );
        let status = device.json(&["status"]);
        assert_eq!(status["synced"], 3);
        assert_eq!(status["last_error"], Value::Null);
    }
}

#[test]
fn a_retry_after_a_lost_response_stores_the_sale_once() {
    // Case S-01: the server commits, the answer is lost, the device retries.
    let cloud = Cloud::sqlite();
    let owner = cloud.merchant("Toko");
    let store = owner.create_store("Toko");
    let proxy = FaultProxy::start(cloud.address, FaultPlan::clean()).unwrap();
    let device = Device::new("D01");
    device.enroll(&proxy.url(), &owner.enrolment_code(&store));
    device.sell(&cash_sales(1, &[KECAP]));

    proxy.set_plan(FaultPlan::always(Fault::DropResponse));
    assert!(!device.sync(), "the sync whose answer was lost must fail");
    assert_eq!(device.waiting(), 1);
    proxy.set_plan(FaultPlan::clean());
    assert!(device.sync());

    let report = owner.day_report(&store, &business_date(&device));
    assert_eq!(report["sales"], 1);
    assert_eq!(report["total"], "4000");
    assert_eq!(moved(&owner.stock(&store, "08990121011028")), -1);
    assert_eq!(device.json(&["status"])["synced"], 1);
}

#[test]
fn two_workers_draining_one_queue_store_each_sale_once() {
    // Case S-02: two sync processes start together on one store.
    for cloud in clouds() {
        let owner = cloud.merchant("Toko");
        let store = owner.create_store("Toko");
        let device = Device::new("D01");
        device.enroll(&cloud.url, &owner.enrolment_code(&store));
        device.sell(&cash_sales(3, &[KECAP]));

        let workers: Vec<_> = (0..2)
            .map(|_| {
                device
                    .command(&["sync"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut worker in workers {
            worker.wait().unwrap();
        }
        device.sync_until_drained(3);

        assert_eq!(
            owner.day_report(&store, &business_date(&device))["sales"],
            3
        );
        assert_eq!(device.json(&["status"])["synced"], 3);
    }
}

#[test]
fn thousands_of_sales_under_every_fault_arrive_exactly_once() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Sibuk");
        let store = owner.create_store("Toko Sibuk");
        let proxy = FaultProxy::start(cloud.address, FaultPlan::clean()).unwrap();
        let device = Device::new("D01");
        device.enroll(&proxy.url(), &owner.enrolment_code(&store));
        device.sell(&cash_sales(2000, &[KECAP, MIE, MILK]));

        // Every kind of fault on 5% of requests each; small batches so that there are many.
        proxy.set_plan(FaultPlan::every_fault(20261203, 5));
        let mut rounds = 0;
        while device.waiting() > 0 {
            rounds += 1;
            assert!(
                rounds <= 300,
                "the queue did not drain: {}",
                device.json(&["status"])
            );
            let _ = device.run(&["sync", "--batch", "25"]);
        }
        let faults = proxy
            .stats()
            .faults
            .load(std::sync::atomic::Ordering::Relaxed);
        assert!(faults > 0, "no fault was injected");

        let date = business_date(&device);
        let cloud_report = owner.day_report(&store, &date);
        assert_eq!(cloud_report["sales"], 2000);
        assert_reports_match(&device.json(&["report", "day", &date]), &cloud_report);
        assert_eq!(moved(&owner.stock(&store, "08990121011028")), -2000);
    }
}

/// A deterministic pseudo-random sequence, so that a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

#[test]
fn devices_killed_while_selling_and_syncing_lose_and_double_nothing() {
    let cloud = Cloud::sqlite();
    let owner = cloud.merchant("Toko");
    let store = owner.create_store("Toko");
    let proxy = FaultProxy::start(cloud.address, FaultPlan::every_fault(7, 3)).unwrap();
    let device = Device::new("D01");
    device.enroll(&proxy.url(), &owner.enrolment_code(&store));
    let script = cash_sales(200, &[KECAP, MIE]);
    let mut random = Lcg(42);

    let mut kills = 0;
    while kills < 200 {
        let selling = random.next(2) == 0;
        let mut command = if selling {
            device.command(&["--json", "register"])
        } else {
            device.command(&["sync"])
        };
        let stdin = if selling {
            Stdio::piped()
        } else {
            Stdio::null()
        };
        let mut child = command
            .stdin(stdin)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if selling {
            let mut stdin = child.stdin.take().unwrap();
            let script = script.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(script.as_bytes());
            });
        }
        std::thread::sleep(Duration::from_millis(5 + random.next(60)));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }

    proxy.set_plan(FaultPlan::clean());
    // Syncs killed mid-upload leave their batches leased until the lease runs out (15 s).
    device.sync_until_drained(40);
    let date = business_date(&device);
    let device_report = device.json(&["report", "day", &date]);
    assert!(
        device_report["sales"].as_u64().unwrap() > 0,
        "no sale survived: {device_report}"
    );
    assert_reports_match(&device_report, &owner.day_report(&store, &date));
}

#[test]
fn two_devices_selling_offline_both_count_in_the_cloud_stock() {
    for first_to_sync in [0, 1] {
        let cloud = Cloud::sqlite();
        let owner = cloud.merchant("Toko");
        let store = owner.create_store("Toko");
        let devices = [Device::new("D01"), Device::new("D02")];
        for device in &devices {
            device.enroll(&cloud.url, &owner.enrolment_code(&store));
        }
        devices[0].sell(&cash_sales(3, &[KECAP]));
        devices[1].sell(&cash_sales(2, &[KECAP]));

        devices[first_to_sync].sync_until_drained(2);
        devices[1 - first_to_sync].sync_until_drained(2);

        let stock = owner.stock(&store, "08990121011028");
        assert_eq!(moved(&stock), -5, "{stock}");
        let report = owner.day_report(&store, &business_date(&devices[0]));
        assert_eq!(report["sales"], 5);
    }
}

#[test]
fn catalog_changes_from_the_cloud_reach_the_register() {
    let cloud = Cloud::sqlite();
    let owner = cloud.merchant("Toko");
    let store = owner.create_store("Toko");
    let device = Device::new("D01");
    device.enroll(&cloud.url, &owner.enrolment_code(&store));
    owner.put_items(
        &store,
        serde_json::json!({ "items": [{ "gtin": "8990121011028", "name": "Kecap Manis 135 ml",
                             "price": "4500", "tax_category": "ppn", "unit": "each" }] }),
    );

    device.sync_until_drained(2);
    let sales = device.sell(&cash_sales(1, &[KECAP]));

    assert_eq!(sales[0]["total"], "4500");
    assert_eq!(sales[0]["lines"][0]["name"], "Kecap Manis 135 ml");
    // Pulling again brings nothing twice.
    let again = device.json(&["sync"]);
    assert_eq!(again["changes"], 0);
}
