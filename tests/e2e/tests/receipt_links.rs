//! Receipt links end to end: a device sells offline, knows each receipt's link before it is
//! enrolled with the cloud's address, and the link opens the same receipt once the sale synced.

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

fn get(url: &str) -> (u16, String) {
    let response = reqwest::blocking::get(url).expect("the cloud answers");
    let status = response.status().as_u16();
    (status, response.text().expect("a body"))
}

#[test]
fn a_sale_made_offline_opens_at_its_link_once_synced() {
    for cloud in clouds() {
        let owner = cloud.merchant("Toko Tautan");
        let store = owner.create_store("Toko Tautan");
        let device = Device::new("D01");
        let sales = device.sell(&cash_sales(2, &[KECAP, MILK]));
        let receipt = sales[1]["receipt_number"].as_str().unwrap().to_string();

        // Not enrolled: no server to link to, and the command says so.
        let out = device.run(&["receipt", &receipt, "--link"]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("not enrolled"), "{stderr}");
        assert!(stderr.contains("kasir enroll"), "{stderr}");

        // Enrolled but not synced: the link is known offline and does not open yet.
        device.enroll(&cloud.url, &owner.enrolment_code(&store));
        let link = device.json(&["receipt", &receipt, "--link"]);
        let url = link["url"].as_str().unwrap().to_string();
        assert!(url.starts_with(&format!("{}/r/", cloud.url)), "{url}");
        assert_eq!(link["synced"], false);
        assert_eq!(get(&url).0, 404);

        device.sync_until_drained(5);
        let link = device.json(&["receipt", &receipt, "--link"]);
        assert_eq!(link["url"], url.as_str(), "the link never changes");
        assert_eq!(link["synced"], true);

        let (status, body) = get(&format!("{url}.json"));
        assert_eq!(status, 200, "{body}");
        let public: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(public["receipt_number"], receipt.as_str());
        assert_eq!(public["total"], sales[1]["total"], "{public}");
        assert_eq!(public["change"], sales[1]["change"], "{public}");
        assert_eq!(public["lines"].as_array().map(Vec::len), Some(2));
        let (status, page) = get(&url);
        assert_eq!(status, 200);
        assert!(page.contains("<h1>Toko Tautan</h1>"), "{page}");
        assert!(page.contains(&receipt), "{page}");

        // The other sale has a link of its own.
        let first = sales[0]["receipt_number"].as_str().unwrap();
        let other = device.json(&["receipt", first, "--link"]);
        assert_ne!(other["url"], url.as_str());

        // The terminal shows the link and its QR code.
        let out = device.run(&["receipt", &receipt, "--link"]);
        assert!(out.status.success());
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.starts_with(&url), "{shown}");
        assert!(
            shown.contains('\u{2588}') || shown.contains('\u{2580}'),
            "{shown}"
        );
        assert!(!shown.contains("Not synced"), "{shown}");
    }
}
