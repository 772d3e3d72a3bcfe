//! A loyalty customer erased on a register that is offline, end to end: a real `kasir-cloud`
//! (SQLite, and PostgreSQL when `KASIR_TEST_POSTGRES_URL` is set) and real registers. Once the
//! register syncs (every request reaching the cloud twice), the cloud keeps neither the name
//! nor the phone, the points balance is what it was, and the other register that had merged
//! the customer forgets them on its next pull.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kasir_e2e::harness::{Cloud, Device};
use kasir_e2e::proxy::{Fault, FaultPlan, FaultProxy};
use kasir_sync::protocol::{PROTOCOL_VERSION, VERSION_HEADER};
use serde_json::Value;

/// Kecap Manis, 4,000.
const KECAP: &str = "8990121011028";
const PHONE: &str = "081234567890";
const NAME: &str = "Siti Rahayu";
const EMAIL: &str = "siti.rahayu@example.id";

fn clouds() -> Vec<Cloud> {
    let mut clouds = vec![Cloud::sqlite()];
    if let Ok(url) = std::env::var("KASIR_TEST_POSTGRES_URL") {
        clouds.push(Cloud::postgres(&url));
    }
    clouds
}

/// The customer's points as the cloud keeps them, asked with the device's own token.
fn cloud_points(cloud: &Cloud, device: &Device, customer: &str) -> Value {
    let db = rusqlite::Connection::open(&device.store).unwrap();
    let token: String = db
        .query_row("SELECT token FROM sync_state", [], |r| r.get(0))
        .unwrap();
    let response = reqwest::blocking::Client::new()
        .get(format!("{}/v1/customers/{customer}/points", cloud.url))
        .bearer_auth(token)
        .header(VERSION_HEADER, PROTOCOL_VERSION)
        .send()
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().unwrap()
}

/// Whether `file` (and its write-ahead log) holds `text` anywhere.
fn file_holds(file: &std::path::Path, text: &str) -> bool {
    let mut bytes = std::fs::read(file).unwrap_or_default();
    let mut wal = file.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[test]
fn a_customer_erased_offline_is_forgotten_by_the_cloud_and_the_other_register() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Setia");
        let store = owner.create_store("Toko Setia");
        let proxy = FaultProxy::start(cloud.address, FaultPlan::clean()).unwrap();
        let one = Device::new("D01");
        let two = Device::new("D02");
        one.enroll(&proxy.url(), &owner.enrolment_code(&store));
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
        let added = one.json(&[
            "customer",
            "add",
            NAME,
            "--phone",
            PHONE,
            "--email",
            EMAIL,
            "--birth-year",
            "1990",
            "--consent",
        ]);
        let id = added["id"].as_str().unwrap().to_string();
        one.sell(&format!("customer {PHONE}\n5*{KECAP}\npay cash\n"));
        one.sync_until_drained(5);
        // The other register finds her in the cloud, merges her and her 20 points, earns 4.
        two.sell(&format!("customer {PHONE}\n{KECAP}\npay cash\n"));
        two.sync_until_drained(5);
        assert_eq!(cloud_points(&cloud, &two, &id)["points"], 24);
        assert!(two.json(&["customer", "list"]).to_string().contains(NAME));

        // Offline: nothing reaches the cloud, the erasure is made and queued all the same.
        proxy.set_plan(FaultPlan::always(Fault::DropRequest));
        let erased = one.json(&["customer", "erase", PHONE]);
        assert_eq!(erased["customer_id"], id);
        assert!(
            !one.sync(),
            "the sync reached the cloud through a dead link"
        );
        assert!(one.waiting() >= 1);
        assert!(!one.json(&["customer", "list"]).to_string().contains(NAME));
        assert!(!file_holds(&one.store, NAME));
        assert!(!file_holds(&one.store, EMAIL));

        // Back online, every request is sent to the cloud twice; then the register syncs
        // again with nothing waiting.
        proxy.set_plan(FaultPlan::always(Fault::Duplicate));
        one.sync_until_drained(5);
        proxy.set_plan(FaultPlan::clean());
        assert!(one.sync());
        let after = cloud_points(&cloud, &two, &id);
        assert_eq!(after["points"], 24, "{after}");
        assert_eq!(after["entries"].as_array().unwrap().len(), 2, "{after}");

        // Nobody finds her by phone or email any more, through the cloud or on the register
        // that had merged her (its pull told it).
        let three = Device::new("D03");
        three.enroll(&cloud.url, &owner.enrolment_code(&store));
        for key in [PHONE, EMAIL] {
            let out = three.run(&["customer", "show", key]);
            assert!(!out.status.success(), "found by {key} in the cloud");
        }
        assert!(two.sync());
        assert!(!two.json(&["customer", "list"]).to_string().contains(NAME));
        let out = two.run(&["customer", "show", &id]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("erased"));
        assert!(!file_holds(&two.store, NAME));

        // On SQLite, the cloud's own file no longer holds the name, the phone or the email
        // in any table.
        if let Some(file) = cloud.sqlite_file() {
            let db = rusqlite::Connection::open(&file).unwrap();
            let dump: String = db
                .query_row(
                    "SELECT group_concat(name || '|' || coalesce(phone, '') || '|'
                         || coalesce(email, ''), ';') FROM customers",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(!dump.contains("Siti") && !dump.contains(PHONE), "{dump}");
            let events: String = db
                .query_row("SELECT group_concat(payload, ';') FROM events", [], |r| {
                    r.get(0)
                })
                .unwrap();
            for personal in [NAME, PHONE, EMAIL] {
                assert!(!events.contains(personal), "{personal} in the events");
            }
        }
    }
}
