//! `kasir enroll`, `kasir sync` and `kasir status` against a cloud account run in this process:
//! enrolment says which of the register's settings the cloud's replace and keeps the ones the
//! cloud does not have; a cloud that cannot be reached (its port closed) or that fails (HTTP
//! 500) is reported once, in plain words, with what waits to be sent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use kasir_cloud::{Db, accounts, router};
use serde_json::{Value, json};

/// A static QRIS sticker (DANA, published test data; see rust-core/domain/tests/data/emvqr).
const STICKER: &str = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                       51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                       Saifullah.id6014Kota Pontianak61057812463045F72";

/// Kecap Manis in the sample catalog.
const KECAP: &str = "8990121011028";

/// A cloud account on a loopback port that can be made to fail every request with a 500, or
/// be shut down (its port then refuses connections).
struct Cloud {
    runtime: tokio::runtime::Runtime,
    url: String,
    owner: String,
    store_id: String,
    failing: Arc<AtomicBool>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<()>>,
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
        let failing = Arc::new(AtomicBool::new(false));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let fail = failing.clone();
        let (url, owner, served) = runtime.block_on(async {
            let db = Db::connect(&database).await.unwrap();
            let merchant = accounts::create_merchant(&db, "Warung Sync").await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let app = router(db).layer(axum::middleware::from_fn(
                move |request: axum::extract::Request, next: axum::middleware::Next| {
                    let fail = fail.load(Ordering::SeqCst);
                    async move {
                        if fail {
                            use axum::response::IntoResponse;
                            return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "boom")
                                .into_response();
                        }
                        next.run(request).await
                    }
                },
            ));
            let served = tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
            (url, merchant.owner_token, served)
        });
        let mut cloud = Cloud {
            runtime,
            url,
            owner,
            store_id: String::new(),
            failing,
            stop: Some(stop),
            served: Some(served),
            http: reqwest::Client::new(),
            _dir: dir,
        };
        let store = cloud.owner_call(
            "POST",
            "/v1/owner/stores",
            &json!({ "name": "Warung Sync" }),
        );
        cloud.store_id = store["store_id"].as_str().unwrap().to_string();
        cloud
    }

    fn store_path(&self, rest: &str) -> String {
        format!("/v1/owner/stores/{}{rest}", self.store_id)
    }

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

    /// Shuts the server down and waits until its port is closed.
    fn shut_down(&mut self) {
        let _ = self.stop.take().unwrap().send(());
        let served = self.served.take().unwrap();
        self.runtime.block_on(served).unwrap();
    }

    /// `host:port` as the messages name it.
    fn host(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }
}

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

    fn run(&self, args: &[&str], input: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kasir"))
            .arg("--store")
            .arg(self.store())
            .args(args)
            .env_remove("KASIR_STORE")
            .env_remove("KASIR_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("kasir.db")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn enrolling_lists_each_setting_it_changes_and_keeps_what_the_cloud_does_not_have() {
    let cloud = Cloud::start();
    // The cloud's store: its own name and footer, no QRIS sticker, no cash rounding.
    let mut settings =
        cloud.owner_call("GET", &cloud.store_path(""), &Value::Null)["settings"].clone();
    settings["name"] = json!("Warung Sync Pusat");
    settings["receipt_footer"] = json!("Matur nuwun");
    settings["qris"] = Value::Null;
    settings["cash_rounding"] = Value::Null;
    cloud.owner_call("PUT", &cloud.store_path("/settings"), &settings);

    let kasir = Kasir::new();
    let before = kasir.json(&["settings", "show"]);
    kasir.ok(&["settings", "set", "qris", STICKER]);
    kasir.ok(&["settings", "set", "cash-rounding", "100"]);

    let code = cloud.enrolment_code();
    let out = kasir.ok(&["enroll", &code, "--server", &cloud.url]);
    let old_name = before["name"].as_str().unwrap();
    assert!(
        out.contains(&format!("  name: {old_name} -> Warung Sync Pusat")),
        "{out}"
    );
    let old_footer = before["receipt_footer"].as_str().unwrap();
    assert!(
        out.contains(&format!("  footer: {old_footer} -> Matur nuwun")),
        "{out}"
    );
    // The sticker and the cash rounding are the register's own: the cloud has none, so they
    // stay, and enrolment does not list them.
    assert!(!out.contains("qris"), "{out}");
    assert!(!out.contains("cash-rounding"), "{out}");

    let after = kasir.json(&["settings", "show"]);
    assert_eq!(after["name"], "Warung Sync Pusat");
    assert_eq!(after["receipt_footer"], "Matur nuwun");
    assert_eq!(after["qris"], STICKER);
    assert_eq!(after["cash_rounding"]["increment"], "100");

    // A sync right after enrolment changes nothing more.
    let synced = kasir.json(&["sync"]);
    assert_eq!(synced["settings_changed"], json!([]), "{synced}");
    assert_eq!(kasir.json(&["settings", "show"]), after);
}

#[test]
fn an_enrolment_in_json_lists_the_changes_too() {
    let cloud = Cloud::start();
    let kasir = Kasir::new();
    kasir.ok(&["settings", "set", "name", "Toko Lokal"]);
    let code = cloud.enrolment_code();
    let enrolled = kasir.json(&["enroll", &code, "--server", &cloud.url]);
    let changes = enrolled["settings_changed"].as_array().unwrap();
    let name = changes
        .iter()
        .find(|c| c["setting"] == "name")
        .unwrap_or_else(|| panic!("{enrolled}"));
    assert_eq!(name["old"], "Toko Lokal");
    assert_eq!(name["new"], "Warung Sync");
    assert_eq!(enrolled["fetch_failed"], Value::Null);
}

/// A device enrolled with `cloud`, with one sale waiting to be sent.
fn enrolled_with_a_sale(cloud: &Cloud) -> Kasir {
    let kasir = Kasir::new();
    let code = cloud.enrolment_code();
    kasir.ok(&["enroll", &code, "--server", &cloud.url]);
    let out = kasir.run(&["register"], &format!("{KECAP}\npay cash\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(kasir.json(&["status"])["waiting"], 1);
    kasir
}

#[test]
fn an_unreachable_cloud_is_said_once_in_plain_words() {
    let mut cloud = Cloud::start();
    let kasir = enrolled_with_a_sale(&cloud);
    cloud.shut_down();

    let out = kasir.run(&["sync"], "");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    let expected = format!(
        "cannot reach the cloud at {} (connection refused); 1 record (a sale or the like) \
         waits and will be sent when it is back",
        cloud.host()
    );
    assert!(err.contains(&expected), "{err}");
    assert_eq!(err.matches("cannot reach the cloud").count(), 1, "{err}");
    for raw in [
        "error sending request",
        "client error",
        "tcp connect error",
        "Connect",
    ] {
        assert!(!err.contains(raw), "{raw}: {err}");
    }

    let status = kasir.ok(&["status"]);
    assert!(
        status.contains(&format!(
            "Last error   cannot reach the cloud at {} (connection refused)",
            cloud.host()
        )),
        "{status}"
    );
    assert!(!status.contains("error sending request"), "{status}");

    // The detail is in the debug log for whoever asks for it.
    let mut debug = Command::new(env!("CARGO_BIN_EXE_kasir"));
    let debug = debug
        .arg("--store")
        .arg(kasir.store())
        .arg("sync")
        .env_remove("KASIR_STORE")
        .env("KASIR_LOG", "kasir_sync=debug")
        .output()
        .unwrap();
    let log = text(&debug.stderr) + &text(&debug.stdout);
    assert!(log.contains("request to the cloud failed"), "{log}");
    assert!(log.contains("error sending request"), "{log}");
}

#[test]
fn a_failing_cloud_is_said_once_with_its_status() {
    let cloud = Cloud::start();
    let kasir = enrolled_with_a_sale(&cloud);
    cloud.failing.store(true, Ordering::SeqCst);

    let out = kasir.run(&["sync"], "");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    let expected = format!(
        "the cloud at {} has a fault (HTTP 500); sync tries again later; 1 record (a sale or \
         the like) waits and will be sent when it is back",
        cloud.host()
    );
    assert!(err.contains(&expected), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let status = kasir.ok(&["status"]);
    assert!(
        status.contains(&format!(
            "Last error   the cloud at {} has a fault (HTTP 500)",
            cloud.host()
        )),
        "{status}"
    );

    // Back to health, the sale goes.
    cloud.failing.store(false, Ordering::SeqCst);
    kasir.ok(&["sync"]);
    assert_eq!(kasir.json(&["status"])["waiting"], 0);
    assert!(kasir.json(&["status"])["last_error"].is_null());
}
