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
        .await?;
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
        Ok((_, changed)) => Ok(changed),
        Err(SyncError::Store(e)) => Err(e.into()),
        Err(e) => {
            tracing::debug!(error = %e.for_clerk(client.base_url()), "the cloud's changes were not fetched after enrolling");
            Ok(Vec::new())
        }
    }
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
