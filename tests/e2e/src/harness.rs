//! Real processes for end-to-end tests: a `kasir-cloud` server on a free loopback port with
//! its own database, an owner acting through the HTTP API, and devices driven through the
//! `kasir` command, each with its own store file.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use kasir_sync::protocol::{
    CreateEnrolmentRequest, CreateStoreRequest, EnrolmentCode, PROTOCOL_VERSION, StoreInfo,
    VERSION_HEADER,
};
use serde_json::Value;

/// The workspace's target directory.
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target")
}

/// The path of one of the workspace's binaries (`kasir`, `kasir-cloud`), built on first use
/// with the same profile as the tests.
pub fn binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "-q", "-p", "kasir-cli", "-p", "kasir-cloud"]);
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building kasir and kasir-cloud failed");
    });
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    target_dir().join(profile).join(name)
}

/// A running `kasir-cloud serve`; killed when dropped.
pub struct Cloud {
    child: Child,
    /// Its base URL.
    pub url: String,
    /// Its address, for a proxy in front of it.
    pub address: std::net::SocketAddr,
    database: String,
    _dir: tempfile::TempDir,
}

impl Cloud {
    /// Starts a server on SQLite in a fresh temporary folder.
    pub fn sqlite() -> Cloud {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = format!("sqlite://{}", dir.path().join("cloud.db").display());
        Cloud::start(database, dir)
    }

    /// Starts a server on the PostgreSQL database at `url` (which it migrates).
    pub fn postgres(url: &str) -> Cloud {
        Cloud::start(url.to_string(), tempfile::tempdir().expect("temp dir"))
    }

    fn start(database: String, dir: tempfile::TempDir) -> Cloud {
        let mut child = Command::new(binary("kasir-cloud"))
            .args(["--database", &database, "serve", "--listen", "127.0.0.1:0"])
            .env("KASIR_CLOUD_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kasir-cloud starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("kasir-cloud prints its address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .expect("a `listening on URL` line")
            .to_string();
        let address = url
            .trim_start_matches("http://")
            .parse()
            .expect("an address");
        Cloud {
            child,
            url,
            address,
            database,
            _dir: dir,
        }
    }

    /// The database file, when the server runs on SQLite.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        self.database.strip_prefix("sqlite://").map(PathBuf::from)
    }

    /// Creates a merchant with the operator command; returns an owner client.
    pub fn merchant(&self, name: &str) -> Owner {
        let out = Command::new(binary("kasir-cloud"))
            .args([
                "--database",
                &self.database,
                "merchant",
                "create",
                name,
                "--json",
            ])
            .env("KASIR_CLOUD_LOG", "warn")
            .output()
            .expect("kasir-cloud runs");
        assert!(
            out.status.success(),
            "merchant create: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let merchant: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let _ = rustls::crypto::ring::default_provider().install_default();
        Owner {
            base: self.url.clone(),
            token: merchant["owner_token"]
                .as_str()
                .expect("owner_token")
                .to_string(),
            http: reqwest::blocking::Client::new(),
        }
    }

    /// The server's peak resident memory so far, in KiB (`VmHWM`; Linux only).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Stops the server with SIGKILL.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Cloud {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The merchant's owner, calling the owner endpoints.
pub struct Owner {
    base: String,
    token: String,
    http: reqwest::blocking::Client,
}

impl Owner {
    fn send(&self, request: reqwest::blocking::RequestBuilder) -> Value {
        let response = request
            .bearer_auth(&self.token)
            .header(VERSION_HEADER, PROTOCOL_VERSION)
            .send()
            .expect("the cloud answers");
        let status = response.status();
        let body: Value = response.json().expect("JSON");
        assert!(status.is_success(), "{status}: {body}");
        body
    }

    /// Creates a store with the default Indonesian settings.
    pub fn create_store(&self, name: &str) -> StoreInfo {
        let request = CreateStoreRequest {
            name: name.into(),
            settings: None,
        };
        let body = self.send(
            self.http
                .post(format!("{}/v1/owner/stores", self.base))
                .json(&request),
        );
        serde_json::from_value(body).expect("a store")
    }

    /// A one-time enrolment code for `store`.
    pub fn enrolment_code(&self, store: &StoreInfo) -> String {
        let url = format!(
            "{}/v1/owner/stores/{}/enrolments",
            self.base, store.store_id
        );
        let body = self.send(self.http.post(url).json(&CreateEnrolmentRequest::default()));
        serde_json::from_value::<EnrolmentCode>(body)
            .expect("a code")
            .code
    }

    /// The day report of `store`.
    pub fn day_report(&self, store: &StoreInfo, date: &str) -> Value {
        self.send(self.http.get(format!(
            "{}/v1/owner/stores/{}/reports/day/{date}",
            self.base, store.store_id
        )))
    }

    /// The cloud's stock of `gtin` in `store`.
    pub fn stock(&self, store: &StoreInfo, gtin: &str) -> Value {
        self.send(self.http.get(format!(
            "{}/v1/owner/stores/{}/items/{gtin}/stock",
            self.base, store.store_id
        )))
    }

    /// Issues gift card `number` with `amount` in `currency`.
    pub fn issue_gift_card(&self, number: &str, currency: &str, amount: &str) -> Value {
        let body = serde_json::json!({
            "number": number, "currency": currency, "amount": amount,
            "entry_id": uuid::Uuid::now_v7(),
        });
        self.send(
            self.http
                .post(format!("{}/v1/owner/gift-cards", self.base))
                .json(&body),
        )
    }

    /// Gift card `number` with its ledger.
    pub fn gift_card(&self, number: &str) -> Value {
        self.send(
            self.http
                .get(format!("{}/v1/owner/gift-cards/{number}", self.base)),
        )
    }

    /// Upserts catalog items (JSON array of protocol catalog items).
    pub fn put_items(&self, store: &StoreInfo, items: Value) -> Value {
        self.send(
            self.http
                .put(format!(
                    "{}/v1/owner/stores/{}/items",
                    self.base, store.store_id
                ))
                .json(&items),
        )
    }
}

/// A device: a store file driven through the `kasir` command.
pub struct Device {
    dir: tempfile::TempDir,
    /// The store file.
    pub store: PathBuf,
}

impl Default for Device {
    fn default() -> Self {
        Device::new("D01")
    }
}

impl Device {
    /// A new device store with the sample catalog and receipt prefix `code`.
    pub fn new(code: &str) -> Device {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = dir.path().join("kasir.db");
        let device = Device { dir, store };
        let out = device.run(&["init", "--device-code", code]);
        assert!(
            out.status.success(),
            "init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        device
    }

    /// A `kasir` command on this device's store.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(binary("kasir"));
        command
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("KASIR_STORE")
            .env("KASIR_LOG", "error");
        command
    }

    /// Runs `kasir ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("kasir runs")
    }

    /// Runs `kasir --json ARGS`, expecting success, and parses its output.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    /// Feeds `script` to `kasir --json register`, expecting success; returns the sales.
    pub fn sell(&self, script: &str) -> Vec<Value> {
        let mut child = self
            .command(&["--json", "register"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kasir runs");
        // Written from another thread: the register answers each sale as it goes, and its
        // answers must be read meanwhile or both sides wait on full pipes.
        let mut stdin = child.stdin.take().expect("stdin");
        let script = script.to_string();
        let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
        let out = child.wait_with_output().expect("kasir ends");
        writer
            .join()
            .expect("writer thread")
            .expect("script written");
        assert!(
            out.status.success(),
            "register: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a sale"))
            .collect()
    }

    /// Enrols with `server` using `code`.
    pub fn enroll(&self, server: &str, code: &str) {
        let out = self.run(&["enroll", code, "--server", server]);
        assert!(
            out.status.success(),
            "enroll: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// One `kasir sync`; returns whether it succeeded.
    pub fn sync(&self) -> bool {
        self.run(&["sync"]).status.success()
    }

    /// Syncs until nothing waits, at most `tries` times a second apart (events leased by a
    /// killed worker wait for its lease to run out); returns how many syncs it took.
    pub fn sync_until_drained(&self, tries: usize) -> usize {
        for attempt in 1..=tries {
            if self.sync() && self.waiting() == 0 {
                return attempt;
            }
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
        panic!(
            "the queue did not drain in {tries} syncs: {}",
            self.json(&["status"])
        );
    }

    /// Events waiting in the outbox.
    pub fn waiting(&self) -> u64 {
        self.json(&["status"])["waiting"].as_u64().expect("a count")
    }

    /// The folder the store lives in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// A script of `count` cash sales of `codes`, one of each per sale.
pub fn cash_sales(count: usize, codes: &[&str]) -> String {
    let mut script = String::new();
    for _ in 0..count {
        for code in codes {
            script.push_str(code);
            script.push('\n');
        }
        script.push_str("pay cash\n");
    }
    script
}
