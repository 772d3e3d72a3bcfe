//! Enrolment and sync with the cloud account, on the library's runtime.
//!
//! Sync works on a connection of its own to the store file (WAL lets it write while the
//! register does), so a slow network never holds up a sale. The outbox's leases keep two
//! syncs from sending the same events. With secure storage, the device token lives there and
//! the store file keeps only the link (server, merchant, store).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use kasir_domain::settings::SettingChange;
use kasir_store::Store;
use kasir_store::sync::CloudLink;
use kasir_sync::client::{Client, SyncError};
use kasir_sync::protocol::EnrolRequest;
use kasir_sync::worker;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::error::KasirError;
use crate::kasir::Shared;
use crate::platform::{NetworkMonitor, ReachabilityListener};
use crate::runtime::runtime;
use crate::views::SyncReport;

/// The secure-storage key of the device token.
pub(crate) const TOKEN_KEY: &str = "kasir.device-token";

/// How background sync runs.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncOptions {
    /// Seconds between syncs after a success (failures retry sooner, with a growing delay).
    pub interval_secs: u64,
    /// Events sent per request.
    pub batch_size: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            interval_secs: 300,
            batch_size: 200,
        }
    }
}

/// The outcome of one background sync.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncEvent {
    /// When it finished.
    pub at: SystemTime,
    /// What it did, when it succeeded.
    pub report: Option<SyncReport>,
    /// Why it failed, when it did (it is retried).
    pub error: Option<String>,
}

/// Told about every background sync (the Kotlin wrapper turns this into a `Flow`, the Swift
/// one into an `AsyncStream`).
#[uniffi::export(with_foreign)]
pub trait SyncListener: Send + Sync {
    /// One sync finished.
    fn on_sync(&self, event: SyncEvent);
}

/// The device token for `link`: from the secure storage when the store file does not hold it.
fn token(shared: &Shared, link: &CloudLink) -> Result<String, KasirError> {
    if !link.token.is_empty() {
        return Ok(link.token.clone());
    }
    let storage = shared
        .secure_storage
        .as_ref()
        .ok_or_else(|| KasirError::DeviceUnavailable {
            reason: "the device token is in the secure storage, but none was given".into(),
        })?;
    storage
        .read(TOKEN_KEY.into())?
        .ok_or_else(|| KasirError::DeviceUnavailable {
            reason: "the secure storage lost the device token: enrol the device again".into(),
        })
}

/// A connection of sync's own and a client for the store's cloud link.
fn connect(shared: &Shared) -> Result<(Store, Client), KasirError> {
    let store = Store::open(&shared.path)?;
    let link = store.cloud_link()?.ok_or(KasirError::NotEnrolled)?;
    let client = Client::new(&link.server_url, Some(token(shared, &link)?))?;
    Ok((store, client))
}

fn worker_options(options: &SyncOptions) -> worker::SyncOptions {
    worker::SyncOptions {
        batch_size: options.batch_size.max(1) as usize,
        ..worker::SyncOptions::default()
    }
}

/// Trades `code` for a device token, records the link, then fetches the cloud's catalog and
/// settings; returns the settings the cloud's changed (the device keeps its own where the cloud
/// has none). When the cloud cannot be reached right after enrolling, the list is empty and
/// the first sync fetches them under the same rule.
pub(crate) async fn enrol(
    shared: &Shared,
    server_url: &str,
    code: &str,
) -> Result<Vec<SettingChange>, KasirError> {
    let device = {
        let store = shared.store()?;
        if store.cloud_link()?.is_some() {
            return Err(KasirError::NotAllowed {
                reason: "this device is already enrolled".into(),
            });
        }
        store.device()?.clone()
    };
    let device_id = uuid::Uuid::parse_str(&device.id).map_err(|_| KasirError::Storage {
        reason: "the device id is not a UUID".into(),
    })?;
    let client = Client::new(server_url, None)?;
    let answer = client
        .enrol(&EnrolRequest {
            code: code.trim().to_string(),
            device_id,
            device_code: device.code.clone(),
        })
        .await
        .map_err(|e| failed(&e, &client))?;
    if answer.device_id != device_id {
        return Err(SyncError::Protocol("the server enrolled another device id".into()).into());
    }
    let token = match &shared.secure_storage {
        Some(storage) => {
            storage.write(TOKEN_KEY.into(), answer.token)?;
            String::new()
        }
        None => answer.token,
    };
    shared.store()?.set_cloud_link(&CloudLink {
        server_url: client.base_url().to_string(),
        merchant_id: answer.merchant_id.to_string(),
        store_id: answer.store_id.to_string(),
        token,
    })?;
    tracing::info!("device enrolled");
    let (mut store, client) = connect(shared)?;
    match worker::pull_changes(&mut store, &client).await {
        Ok((_, changed)) => {
            refresh_settings(shared, &store, &changed)?;
            Ok(changed)
        }
        Err(SyncError::Store(e)) => Err(e.into()),
        Err(e) => {
            tracing::debug!(error = %e.for_clerk(client.base_url()), "the cloud's changes were not fetched after enrolling");
            Ok(Vec::new())
        }
    }
}

/// After sync's own connection applied the cloud's settings, the app's connection takes them
/// too (it keeps the settings it read), so that the next sale uses them.
fn refresh_settings(
    shared: &Shared,
    store: &Store,
    changed: &[SettingChange],
) -> Result<(), KasirError> {
    if !changed.is_empty() {
        shared.store()?.update_settings(store.settings()?.clone())?;
    }
    Ok(())
}

/// A failed sync as the app shows it: network trouble and server faults in the clerk's words,
/// naming the cloud's host.
fn failed(e: &SyncError, client: &Client) -> KasirError {
    match e {
        SyncError::Network(_) | SyncError::Server { .. } if e.is_transient() => {
            KasirError::Network {
                reason: e.for_clerk(client.base_url()),
            }
        }
        other => KasirError::from_ref(other),
    }
}

/// One push of the outbox and pull of changes.
pub(crate) async fn sync_once(
    shared: &Shared,
    options: &SyncOptions,
) -> Result<SyncReport, KasirError> {
    let (mut store, client) = connect(shared)?;
    let report = worker::sync_once(&mut store, &client, &worker_options(options))
        .await
        .map_err(|e| failed(&e, &client))?;
    refresh_settings(shared, &store, &report.settings_changed)?;
    Ok(report.into())
}

/// Background sync, running until cancelled.
#[derive(uniffi::Object)]
pub struct SyncHandle {
    stop: Arc<Notify>,
    wake: Arc<Notify>,
    task: Mutex<Option<JoinHandle<()>>>,
    monitor: Option<Arc<dyn NetworkMonitor>>,
}

/// Starts background sync (see [`crate::Kasir::start_sync`]).
pub(crate) fn start(
    shared: Arc<Shared>,
    options: SyncOptions,
    listener: Arc<dyn SyncListener>,
    monitor: Option<Arc<dyn NetworkMonitor>>,
) -> Result<Arc<SyncHandle>, KasirError> {
    if options.interval_secs == 0 {
        return Err(KasirError::invalid("interval_secs", "must be at least 1"));
    }
    let (mut store, client) = connect(&shared)?;
    let stop = Arc::new(Notify::new());
    let wake = Arc::new(Notify::new());
    if let Some(monitor) = &monitor {
        let reachability = ReachabilityListener::new(wake.clone(), monitor.is_reachable());
        monitor.start(Arc::new(reachability));
    }
    let interval = Duration::from_secs(options.interval_secs);
    let worker_options = worker_options(&options);
    let (task_wake, task_stop) = (wake.clone(), stop.clone());
    let task = runtime().spawn(async move {
        worker::watch(
            &mut store,
            &client,
            &worker_options,
            interval,
            task_wake,
            task_stop,
            |result| {
                let (report, error) = match result {
                    Ok(report) => (Some(report.clone().into()), None),
                    Err(e) => (None, Some(failed(e, &client).to_string())),
                };
                listener.on_sync(SyncEvent {
                    at: SystemTime::now(),
                    report,
                    error,
                });
            },
        )
        .await;
    });
    Ok(Arc::new(SyncHandle {
        stop,
        wake,
        task: Mutex::new(Some(task)),
        monitor,
    }))
}

impl KasirError {
    /// The public error for a sync failure seen by reference (the worker keeps the original).
    fn from_ref(e: &SyncError) -> KasirError {
        match e {
            SyncError::Network(m) => SyncError::Network(m.clone()).into(),
            SyncError::Server {
                status,
                code,
                message,
            } => SyncError::Server {
                status: *status,
                code: code.clone(),
                message: message.clone(),
            }
            .into(),
            SyncError::Protocol(m) => SyncError::Protocol(m.clone()).into(),
            SyncError::NotEnrolled => KasirError::NotEnrolled,
            SyncError::Store(e) => KasirError::Storage {
                reason: e.to_string(),
            },
        }
    }
}

#[uniffi::export]
impl SyncHandle {
    /// Syncs now instead of at the next turn.
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }

    /// Stops background sync; a sync in flight is abandoned (its events are sent again by the
    /// next sync, and the cloud stores each event once).
    pub fn cancel(&self) {
        self.stop.notify_one();
        if let Ok(mut task) = self.task.lock()
            && let Some(task) = task.take()
        {
            task.abort();
            if let Some(monitor) = &self.monitor {
                monitor.stop();
            }
        }
    }

    /// Whether background sync is still running.
    pub fn is_running(&self) -> bool {
        self.task
            .lock()
            .map(|t| t.as_ref().is_some_and(|t| !t.is_finished()))
            .unwrap_or(false)
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use crate::kasir::Kasir;
    use crate::runtime::runtime;

    /// The cloud's settings: another name and footer, no address, no QRIS sticker.
    const CLOUD_SETTINGS: &str = r#"{"name":"Warung Awan","address":[],"currency":"IDR",
        "locale":"id","timezone":"Asia/Jakarta","tax":{"rates":[{"code":"ppn",
        "label":"PPN 12%","percent":"12","base_numerator":11,"base_denominator":12},
        {"code":"ppn-luxury","label":"PPN 12% (barang mewah)","percent":"12",
        "base_numerator":1,"base_denominator":1}],"categories":[{"code":"ppn","label":"PPN",
        "rates":["ppn"]},{"code":"luxury","label":"PPN barang mewah","rates":["ppn-luxury"]},
        {"code":"exempt","label":"Bebas PPN","rates":[]}],"price_mode":"tax-included",
        "level":"document","rounding":"half-away-from-zero"},"receipt_footer":"Matur nuwun"}"#;

    /// A cloud that answers enrolment with a token and a pull with its settings, one
    /// request per connection; or, when `failing`, a 500 to everything.
    async fn fake_cloud(failing: bool) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // The head, then as much body as it announces.
                loop {
                    let n = socket.read(&mut buffer).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    request.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&request).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let text = String::from_utf8_lossy(&request).to_string();
                let (status, body) = if failing {
                    ("500 Internal Server Error", "{}".to_string())
                } else if text.starts_with("POST /v1/enrol") {
                    let device = text
                        .split("\"device_id\":\"")
                        .nth(1)
                        .and_then(|rest| rest.split('"').next())
                        .unwrap_or_default()
                        .to_string();
                    (
                        "200 OK",
                        format!(
                            r#"{{"merchant_id":"0197a000-0000-7000-8000-000000000001",
                            "store_id":"0197a000-0000-7000-8000-000000000002",
                            "device_id":"{device}","token":"kdt_test"}}"#
                        ),
                    )
                } else {
                    (
                        "200 OK",
                        format!(
                            r#"{{"changes":[{{"kind":"settings","settings":{CLOUD_SETTINGS}}}],
                            "next_cursor":"1","more":false}}"#
                        ),
                    )
                };
                let answer = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        });
        url
    }

    fn kasir(dir: &tempfile::TempDir) -> std::sync::Arc<Kasir> {
        crate::test_support::open_store(dir, "Toko Lokal", false)
    }

    #[test]
    fn enrolment_returns_each_setting_the_cloud_changes_and_keeps_the_rest() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let mut settings = kasir.settings().expect("settings");
        settings.address = vec!["Jl. Lokal 2".into()];
        kasir.update_settings(settings).expect("address");

        let changes = runtime().block_on(async {
            let url = fake_cloud(false).await;
            kasir.enrol(url, "7K2M-QX9D-4HTR-B8WZ".into()).await
        });
        let changes: Vec<String> = changes
            .expect("enrols")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            changes.contains(&"name: Toko Lokal -> Warung Awan".to_string()),
            "{changes:?}"
        );
        assert!(
            changes.contains(&"footer: Terima kasih -> Matur nuwun".to_string()),
            "{changes:?}"
        );
        assert!(
            !changes.iter().any(|c| c.starts_with("address")),
            "{changes:?}"
        );
        let settings = kasir.settings().expect("settings");
        assert_eq!(settings.name, "Warung Awan");
        assert_eq!(settings.address, vec!["Jl. Lokal 2".to_string()]);
    }

    #[test]
    fn an_unreachable_or_failing_cloud_is_reported_in_plain_words() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let (closed, failing) = runtime().block_on(async {
            // A port that was just closed refuses connections.
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("binds");
            let closed = format!("http://{}", listener.local_addr().expect("address"));
            drop(listener);
            (closed, fake_cloud(true).await)
        });
        for (url, expected) in [
            (&closed, "(connection refused)"),
            (&failing, "has a fault (HTTP 500)"),
        ] {
            let error = runtime()
                .block_on(kasir.enrol(url.clone(), "7K2M-QX9D-4HTR-B8WZ".into()))
                .expect_err("refused")
                .to_string();
            let host = url.trim_start_matches("http://");
            assert!(error.contains(&format!("the cloud at {host}")), "{error}");
            assert!(error.contains(expected), "{error}");
            assert!(!error.contains("error sending request"), "{error}");
        }
    }
}
