//! QRIS payments at the register end to end: `kasir register` against a cloud account (run in
//! this process, with its simulated payment provider) taking a dynamic QRIS payment that the
//! provider verifies, and a static-QR payment taken offline that stays unverified until the
//! cloud matches it after a sync.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use kasir_cloud::{Db, accounts, router};
use serde_json::{Value, json};

/// A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr).
const STICKER: &str = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                       51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                       Saifullah.id6014Kota Pontianak61057812463045F72";

/// Kecap Manis in the sample catalog.
const KECAP: &str = "8990121011028";

/// A cloud account served on a loopback port, with one merchant and one store.
struct Cloud {
    runtime: tokio::runtime::Runtime,
    url: String,
    owner: String,
    store_id: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Cloud {
    fn start() -> Cloud {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let database = format!("sqlite://{}", dir.path().join("cloud.db").display());
        let (url, owner) = runtime.block_on(async {
            let db = Db::connect(&database).await.unwrap();
            let merchant = accounts::create_merchant(&db, "Warung QR").await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(async move {
                axum::serve(listener, router(db)).await.unwrap();
            });
            (url, merchant.owner_token)
        });
        let mut cloud = Cloud {
            runtime,
            url,
            owner,
            store_id: String::new(),
            http: reqwest::Client::new(),
            _dir: dir,
        };
        let store = cloud.owner_call("POST", "/v1/owner/stores", &json!({ "name": "Warung QR" }));
        cloud.store_id = store["store_id"].as_str().unwrap().to_string();
        let mut settings = store["settings"].clone();
        settings["qris"] = json!(STICKER);
        cloud.owner_call("PUT", &cloud.store_path("/settings"), &settings);
        cloud
    }

    fn store_path(&self, rest: &str) -> String {
        format!("/v1/owner/stores/{}{rest}", self.store_id)
    }

    /// An owner request; panics unless it succeeds.
    fn owner_call(&self, method: &str, path: &str, body: &Value) -> Value {
        let request = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.url))
            .bearer_auth(&self.owner)
            .header("kasir-protocol", "1");
        let request = if method == "GET" {
            request
        } else {
            request.json(body)
        };
        self.runtime.block_on(async {
            let response = request.send().await.unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap();
            assert!(status.is_success(), "{method} {path}: {status} {body}");
            body
        })
    }

    fn enrolment_code(&self) -> String {
        let code = self.owner_call("POST", &self.store_path("/enrolments"), &json!({}));
        code["code"].as_str().unwrap().to_string()
    }

    fn tenders(&self, status: &str) -> Vec<Value> {
        let list = self.owner_call(
            "GET",
            &self.store_path(&format!("/qr-tenders?status={status}")),
            &Value::Null,
        );
        list["tenders"].as_array().unwrap().clone()
    }
}

/// A device store driven through the `kasir` command.
struct Kasir {
    dir: tempfile::TempDir,
}

impl Kasir {
    fn new() -> Kasir {
        let kasir = Kasir {
            dir: tempfile::tempdir().unwrap(),
        };
        kasir.ok(&["init"]);
        kasir
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("kasir.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kasir"));
        command
            .arg("--store")
            .arg(self.store())
            .args(args)
            .env_remove("KASIR_STORE")
            // Polls follow each other at once: the tests wait for nothing.
            .env("KASIR_QR_POLL_MS", "0");
        command
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.command(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_slice(&self.ok(&all).stdout).unwrap()
    }

    /// Runs `kasir --json register` over `lines`; the JSON lines it printed.
    fn register(&self, lines: &[&str]) -> (Output, Vec<Value>) {
        let mut child = self
            .command(&["--json", "register"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = lines.join("\n");
        input.push('\n');
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let values = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (out, values)
    }

    /// The device's QR tenders: (reference, status, verified_by).
    fn qr_tenders(&self) -> Vec<(String, String, Option<String>)> {
        let conn = rusqlite::Connection::open(self.store()).unwrap();
        let mut statement = conn
            .prepare("SELECT reference, status, verified_by FROM qr_tenders ORDER BY recorded_at")
            .unwrap();
        statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

#[test]
fn a_dynamic_qris_payment_is_verified_by_the_provider() {
    let cloud = Cloud::start();
    cloud.owner_call(
        "PUT",
        &cloud.store_path("/qris"),
        &json!({ "enabled": true, "auto_pay": true }),
    );
    let kasir = Kasir::new();
    kasir.ok(&["enroll", &cloud.enrolment_code(), "--server", &cloud.url]);

    let (out, printed) = kasir.register(&[KECAP, "pay qris"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(printed.len(), 2, "{printed:?}");
    let shown = &printed[0];
    let provider_id = shown["provider_id"].as_str().unwrap();
    assert!(provider_id.starts_with("SIMQ-"), "{shown}");
    let parsed = kasir.json(&["qr", "parse", shown["qris"].as_str().unwrap()]);
    assert_eq!(parsed["initiation"], "dynamic");
    let sale = &printed[1];
    assert_eq!(parsed["amount"], sale["total"]);
    assert_eq!(sale["tenders"][0]["method"], "qr");
    assert_eq!(sale["tenders"][0]["reference"], provider_id);
    assert_eq!(sale["tenders"][0]["amount"], sale["total"]);
    assert_eq!(
        kasir.qr_tenders(),
        [(
            provider_id.to_string(),
            "verified".to_string(),
            Some("register".to_string())
        )]
    );
    let unmatched = kasir.json(&["qr", "unmatched", "--local"]);
    assert_eq!(unmatched["tenders"], json!([]));

    // The cloud, which knows the payment, verifies the tender when the sale arrives.
    let report = kasir.json(&["sync"]);
    assert_eq!(report["stored"], 1);
    let verified = cloud.tenders("verified");
    assert_eq!(verified.len(), 1);
    assert_eq!(verified[0]["provider_id"], provider_id);
    assert_eq!(verified[0]["verified_by"], "provider");
    assert!(cloud.tenders("unverified").is_empty());
}

#[test]
fn an_unpaid_qris_payment_is_called_off_and_records_nothing() {
    let cloud = Cloud::start();
    cloud.owner_call(
        "PUT",
        &cloud.store_path("/qris"),
        &json!({ "enabled": true }),
    );
    let kasir = Kasir::new();
    kasir.ok(&["enroll", &cloud.enrolment_code(), "--server", &cloud.url]);

    let (out, printed) = kasir.register(&[KECAP, "pay qris polls=3", "void sale"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Only the code was printed: no sale.
    assert_eq!(printed.len(), 1, "{printed:?}");
    assert!(printed[0]["provider_id"].is_string());
    assert!(kasir.qr_tenders().is_empty());
    assert_eq!(kasir.json(&["sales", "list"]).as_array().unwrap().len(), 0);
    let polls = kasir.register(&[KECAP, "pay qris polls=x"]).0;
    assert!(!polls.status.success());
    assert!(String::from_utf8_lossy(&polls.stderr).contains("polls"));
}

#[test]
fn a_static_qr_payment_taken_offline_stays_unverified_until_the_cloud_matches_it() {
    let cloud = Cloud::start();
    let kasir = Kasir::new();
    kasir.ok(&["settings", "set", "qris", STICKER]);

    // Not enrolled (as good as offline): the sticker's code, then the clerk's confirmation.
    let (out, printed) = kasir.register(&[KECAP, "pay qris", "pay qr ref=DANA-88812"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(printed.len(), 2, "{printed:?}");
    assert_eq!(printed[0]["verified"], false);
    let parsed = kasir.json(&["qr", "parse", printed[0]["qris"].as_str().unwrap()]);
    let sale = &printed[1];
    assert_eq!(parsed["amount"], sale["total"]);
    assert_eq!(sale["tenders"][0]["reference"], "DANA-88812");
    assert_eq!(
        kasir.qr_tenders(),
        [("DANA-88812".to_string(), "unverified".to_string(), None)]
    );
    let local = kasir.json(&["qr", "unmatched"]);
    assert_eq!(local["source"], "device");
    assert_eq!(local["tenders"][0]["reference"], "DANA-88812");
    assert_eq!(local["tenders"][0]["amount"], sale["total"]);

    // Online: the sale goes up with its tender, which the cloud cannot verify yet.
    kasir.ok(&["enroll", &cloud.enrolment_code(), "--server", &cloud.url]);
    let report = kasir.json(&["sync"]);
    assert_eq!(report["stored"], 1);
    assert_eq!(report["qr_verified"], 0);
    let online = kasir.json(&["qr", "unmatched"]);
    assert_eq!(online["source"], "cloud");
    assert_eq!(online["tenders"].as_array().unwrap().len(), 1);
    assert_eq!(online["tenders"][0]["device_code"], "D01");
    assert_eq!(cloud.tenders("unverified").len(), 1);

    // The acquirer reports the payment to the sticker; the next sync brings the verification.
    cloud.owner_call(
        "POST",
        &cloud.store_path("/qris/received"),
        &json!({ "reference": "DANA-88812", "amount": sale["total"] }),
    );
    assert!(cloud.tenders("unverified").is_empty());
    let report = kasir.json(&["sync"]);
    assert_eq!(report["qr_verified"], 1);
    assert_eq!(
        kasir.qr_tenders(),
        [(
            "DANA-88812".to_string(),
            "verified".to_string(),
            Some("provider".to_string())
        )]
    );
    assert_eq!(kasir.json(&["qr", "unmatched"])["tenders"], json!([]));
    // A second sync has nothing more to verify.
    assert_eq!(kasir.json(&["sync"])["qr_verified"], 0);
}

#[test]
fn a_register_that_cannot_reach_the_cloud_falls_back_to_the_sticker() {
    let cloud = Cloud::start();
    cloud.owner_call(
        "PUT",
        &cloud.store_path("/qris"),
        &json!({ "enabled": true }),
    );
    let kasir = Kasir::new();
    kasir.ok(&["enroll", &cloud.enrolment_code(), "--server", &cloud.url]);
    kasir.ok(&["sync"]);
    drop(cloud);

    let (out, printed) = kasir.register(&[KECAP, "pay qris", "pay qr ref=GOPAY-5"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(printed[0]["verified"], false);
    assert!(
        printed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("cannot be reached"),
        "{}",
        printed[0]
    );
    assert_eq!(
        kasir.qr_tenders(),
        [("GOPAY-5".to_string(), "unverified".to_string(), None)]
    );
    // The cloud does not answer: the device's own list.
    let unmatched = kasir.json(&["qr", "unmatched"]);
    assert_eq!(unmatched["source"], "device");
    assert_eq!(unmatched["tenders"].as_array().unwrap().len(), 1);
}

#[test]
fn a_store_without_the_provider_falls_back_to_the_sticker() {
    let cloud = Cloud::start();
    let kasir = Kasir::new();
    kasir.ok(&["enroll", &cloud.enrolment_code(), "--server", &cloud.url]);
    kasir.ok(&["sync"]);

    let (out, printed) = kasir.register(&[KECAP, "pay qris", "pay qr ref=OVO-1"]);

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(printed[0]["verified"], false);
    assert!(
        printed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("no dynamic QR"),
        "{}",
        printed[0]
    );
    assert_eq!(
        kasir.qr_tenders(),
        [("OVO-1".to_string(), "unverified".to_string(), None)]
    );
    // The owner vouches for it by hand; the device learns it at the next sync.
    kasir.ok(&["sync"]);
    let tender = &cloud.tenders("unverified")[0];
    cloud.owner_call(
        "POST",
        &cloud.store_path(&format!(
            "/qr-tenders/{}/{}/match",
            tender["sale_id"].as_str().unwrap(),
            tender["tender_no"]
        )),
        &json!({ "note": "OVO statement" }),
    );
    assert_eq!(kasir.json(&["sync"])["qr_verified"], 1);
    assert_eq!(kasir.qr_tenders()[0].2.as_deref(), Some("owner"));
}
