//! The sync worker: pushes the outbox in leased batches, pulls the cloud's changes, and backs
//! off with jitter when the network or the server fails.
//!
//! Delivery is at least once from the device and exactly once in the cloud: an event is marked
//! synced only after the server answered for it, and the server stores each event id once, so a
//! lost answer, a retry or a second worker never doubles a sale.

use std::sync::Arc;
use std::time::Duration;

use kasir_domain::DomainError;
use kasir_domain::catalog::Item;
use kasir_domain::settings::{SettingChange, StoreSettings};
use kasir_store::Store;
use kasir_store::sync::{ClaimedEvent, Delivery};
use serde::Serialize;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::client::{Client, SyncError};
use crate::protocol::{
    Change, EnrolRequest, Event, EventStatus, MAX_PULL_CHANGES, MAX_PUSH_EVENTS, PushRequest,
    PushResponse,
};

/// How the worker runs.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// A name for this worker, unique among the workers of one store (leases carry it).
    pub worker_id: String,
    /// Events per push.
    pub batch_size: usize,
    /// How long a claimed batch stays leased to this worker. The worker renews the lease
    /// every third of it while the upload is under way, so a batch stays leased for as long
    /// as its upload takes, and a worker that died (a killed app) holds its batch no longer
    /// than this.
    pub lease: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            worker_id: Uuid::now_v7().to_string(),
            batch_size: 200,
            lease: Duration::from_secs(15),
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Events the cloud stored now.
    pub stored: usize,
    /// Events the cloud had already (retries).
    pub already_stored: usize,
    /// Events the cloud refused.
    pub rejected: usize,
    /// Changes pulled and applied.
    pub changes: usize,
    /// QR tenders the cloud has verified since the last sync (matched to a payment the
    /// provider received, or by the owner).
    pub qr_verified: usize,
    /// Events left waiting because another worker was sending them (or one that died held
    /// them; its lease runs out within [`SyncOptions::lease`]).
    pub leased_elsewhere: u64,
    /// The store's settings the cloud's changed on this device, one by one.
    pub settings_changed: Vec<SettingChange>,
}

/// What enrolment did: the link is recorded, and the cloud's catalog and settings were
/// fetched, unless the cloud could not be reached right after (then the first sync fetches
/// them, under the same rule).
#[derive(Debug)]
pub struct Enrolment {
    /// The changes received (items and settings).
    pub changes: usize,
    /// The settings the cloud's changed, each old -> new; the device's own value stays where
    /// the cloud has none (see [`StoreSettings::merged_over`]).
    pub settings_changed: Vec<SettingChange>,
    /// Why the cloud's changes could not be fetched right after enrolling, if they could not.
    pub fetch_failed: Option<SyncError>,
}

/// Enrols the device with the cloud: trades `code` for a token, records the link, then
/// fetches the cloud's catalog and settings (see [`pull_changes`]).
pub async fn enrol(
    store: &mut Store,
    server_url: &str,
    code: &str,
) -> Result<Enrolment, SyncError> {
    if store.cloud_link()?.is_some() {
        return Err(DomainError::not_allowed("this device is already enrolled").into_sync());
    }
    let device = store.device()?.clone();
    let device_id = Uuid::parse_str(&device.id).map_err(|e| SyncError::Protocol(e.to_string()))?;
    let client = Client::new(server_url, None)?;
    let answer = client
        .enrol(&EnrolRequest {
            code: code.trim().to_string(),
            device_id,
            device_code: device.code.clone(),
        })
        .await?;
    if answer.device_id != device_id {
        return Err(SyncError::Protocol(
            "the server enrolled another device id".into(),
        ));
    }
    let token = answer.token.clone();
    store.set_cloud_link(&kasir_store::sync::CloudLink {
        server_url: client.base_url().to_string(),
        merchant_id: answer.merchant_id.to_string(),
        store_id: answer.store_id.to_string(),
        token: answer.token,
    })?;
    let client = Client::new(server_url, Some(token))?;
    Ok(match pull_changes(store, &client).await {
        Ok((changes, settings_changed)) => Enrolment {
            changes,
            settings_changed,
            fetch_failed: None,
        },
        Err(SyncError::Store(e)) => return Err(SyncError::Store(e)),
        Err(e) => {
            tracing::debug!(error = %e, "the cloud's changes were not fetched after enrolling");
            Enrolment {
                changes: 0,
                settings_changed: Vec::new(),
                fetch_failed: Some(e),
            }
        }
    })
}

trait IntoSync {
    fn into_sync(self) -> SyncError;
}

impl IntoSync for DomainError {
    fn into_sync(self) -> SyncError {
        SyncError::Store(self.into())
    }
}

/// The client for the store's cloud link.
pub fn client_for(store: &Store) -> Result<Client, SyncError> {
    let link = store.cloud_link()?.ok_or(SyncError::NotEnrolled)?;
    Client::new(&link.server_url, Some(link.token))
}

/// Pushes every waiting event, then pulls every change; records the outcome in the store.
pub async fn sync_once(
    store: &mut Store,
    client: &Client,
    options: &SyncOptions,
) -> Result<SyncReport, SyncError> {
    store.record_sync_attempt()?;
    let result = push_all(store, client, options).await;
    let result = match result {
        Ok(mut report) => pull_changes(store, client)
            .await
            .map(|(changes, settings_changed)| {
                report.changes = changes;
                report.settings_changed = settings_changed;
                report
            }),
        Err(e) => Err(e),
    };
    let result = match result {
        // The events are delivered and the changes applied: a cloud that cannot say what it
        // verified now is asked again next time, without failing this sync.
        Ok(mut report) => match crate::qr::cloud::refresh_verifications(store, client).await {
            Ok(verified) => {
                report.qr_verified = verified;
                Ok(report)
            }
            Err(SyncError::Store(e)) => Err(SyncError::Store(e)),
            Err(e) => {
                tracing::warn!(error = %e, "qr verifications not fetched");
                Ok(report)
            }
        },
        Err(e) => Err(e),
    };
    match &result {
        Ok(report) => {
            store.record_sync_success()?;
            tracing::info!(
                stored = report.stored,
                already = report.already_stored,
                rejected = report.rejected,
                changes = report.changes,
                "sync done"
            );
        }
        Err(e) => {
            // The clerk's words are kept for `status`; the network library's detail went to
            // the debug log where the request failed. The caller tells the clerk (once).
            let message = e.for_clerk(client.base_url());
            store.record_sync_error(&message)?;
            tracing::debug!(error = %message, "sync failed");
        }
    }
    result
}

async fn push_all(
    store: &mut Store,
    client: &Client,
    options: &SyncOptions,
) -> Result<SyncReport, SyncError> {
    let device_id =
        Uuid::parse_str(&store.device()?.id).map_err(|e| SyncError::Protocol(e.to_string()))?;
    let mut report = SyncReport::default();
    let mut batch_size = options.batch_size.clamp(1, MAX_PUSH_EVENTS);
    loop {
        let claimed = store.claim_events(&options.worker_id, batch_size, options.lease)?;
        if claimed.is_empty() {
            report.leased_elsewhere = store.leased_elsewhere(&options.worker_id)?;
            return Ok(report);
        }
        let seqs: Vec<i64> = claimed.iter().map(|e| e.seq).collect();
        let request = match to_request(device_id, &claimed) {
            Ok(request) => request,
            Err(e) => {
                store.release_events(&options.worker_id, &seqs)?;
                return Err(e);
            }
        };
        let answer = match push_renewing(store, client, &request, options, &seqs).await? {
            Ok(answer) => answer,
            Err(SyncError::Server { status: 413, .. }) if batch_size > 1 => {
                // The batch is too large for the server: send smaller ones.
                store.release_events(&options.worker_id, &seqs)?;
                batch_size /= 2;
                continue;
            }
            Err(e) => {
                store.release_events(&options.worker_id, &seqs)?;
                return Err(e);
            }
        };

        let mut results = Vec::with_capacity(answer.results.len());
        for result in &answer.results {
            if !claimed.iter().any(|e| e.id == result.id.to_string()) {
                store.release_events(&options.worker_id, &seqs)?;
                return Err(SyncError::Protocol(format!(
                    "the server answered for event {} it was not sent",
                    result.id
                )));
            }
            let delivery = match result.status {
                EventStatus::Stored => {
                    report.stored += 1;
                    Delivery::Stored
                }
                EventStatus::AlreadyStored => {
                    report.already_stored += 1;
                    Delivery::Stored
                }
                EventStatus::Rejected => {
                    report.rejected += 1;
                    Delivery::Rejected(
                        result
                            .reason
                            .clone()
                            .unwrap_or_else(|| "rejected without a reason".into()),
                    )
                }
            };
            results.push((result.id.to_string(), delivery));
        }
        store.record_deliveries(&results)?;
        // Events the server did not answer for stay pending for the next round.
        let answered: Vec<String> = results.into_iter().map(|(id, _)| id).collect();
        let unanswered: Vec<i64> = claimed
            .iter()
            .filter(|e| !answered.contains(&e.id))
            .map(|e| e.seq)
            .collect();
        if !unanswered.is_empty() {
            store.release_events(&options.worker_id, &unanswered)?;
            return Err(SyncError::Protocol(format!(
                "the server did not answer for {} event(s)",
                unanswered.len()
            )));
        }
    }
}

/// Uploads `request`, renewing the lease on its events every third of the lease meanwhile.
/// The outer error is the store's; the inner result is the upload's.
async fn push_renewing(
    store: &mut Store,
    client: &Client,
    request: &PushRequest,
    options: &SyncOptions,
    seqs: &[i64],
) -> Result<Result<PushResponse, SyncError>, SyncError> {
    let push = client.push(request);
    tokio::pin!(push);
    let period = (options.lease / 3).max(Duration::from_millis(100));
    let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        tokio::select! {
            answer = &mut push => return Ok(answer),
            _ = renew.tick() => {
                store.renew_leases(&options.worker_id, seqs, options.lease)?;
            }
        }
    }
}

fn to_request(device_id: Uuid, claimed: &[ClaimedEvent]) -> Result<PushRequest, SyncError> {
    let events = claimed
        .iter()
        .map(|e| {
            Ok(Event {
                id: Uuid::parse_str(&e.id)
                    .map_err(|x| SyncError::Protocol(format!("event {}: {x}", e.seq)))?,
                seq: e.seq,
                kind: e.kind.clone(),
                occurred_at: e
                    .occurred_at
                    .parse()
                    .map_err(|x| SyncError::Protocol(format!("event {}: {x}", e.seq)))?,
                payload: serde_json::from_str(&e.payload)
                    .map_err(|x| SyncError::Protocol(format!("event {}: {x}", e.seq)))?,
            })
        })
        .collect::<Result<_, SyncError>>()?;
    Ok(PushRequest { device_id, events })
}

/// Pulls every change and applies it; returns how many changes came and the settings they
/// changed. The first settings a device ever receives (it has pulled nothing before) are
/// merged over its own ([`StoreSettings::merged_over`]: the cloud's value wins where it has
/// one); later settings from the cloud are the settings as the owner now has them.
pub async fn pull_changes(
    store: &mut Store,
    client: &Client,
) -> Result<(usize, Vec<SettingChange>), SyncError> {
    let mut applied = 0;
    let mut first = store.sync_cursor()?.is_none();
    let mut settings_changed = Vec::new();
    loop {
        let cursor = store.sync_cursor()?;
        let answer = client.pull(cursor.as_deref(), MAX_PULL_CHANGES).await?;
        let mut items: Vec<Item> = Vec::new();
        let mut settings: Option<StoreSettings> = None;
        let stock = kasir_domain::Decimal::ZERO;
        let mut erased = Vec::new();
        for change in &answer.changes {
            match change {
                Change::Item { item } => {
                    // Later changes to the same item win; the store keeps its own stock.
                    items.retain(|i| i.gtin != item.gtin);
                    items.push(Item {
                        gtin: item.gtin.clone(),
                        sku: item.sku.clone(),
                        name: item.name.clone(),
                        price: item.price,
                        tax_category: item.tax_category.clone(),
                        unit: item.unit,
                        category: item.category.clone(),
                        stock,
                    });
                }
                Change::Settings { settings: s } => settings = Some(s.clone()),
                Change::CustomerErased { customer_id } => erased.push(*customer_id),
            }
        }
        // Before the cursor moves past them; forgetting again changes nothing.
        for customer_id in erased {
            store.forget_customer(customer_id)?;
        }
        let current = store.settings()?.clone();
        let settings = settings.map(|cloud| {
            if first {
                first = false;
                current.merged_over(&cloud)
            } else {
                cloud
            }
        });
        store.apply_changes(&items, settings.as_ref(), &answer.next_cursor)?;
        if let Some(new) = &settings {
            settings_changed.extend(current.changes_to(new));
        }
        applied += answer.changes.len();
        if !answer.more {
            return Ok((applied, settings_changed));
        }
    }
}

/// Exponential backoff with full jitter: the n-th delay is random between zero and
/// `min(max, base * 2^n)`, so that many devices coming back online do not retry in step.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    failures: u32,
}

impl Backoff {
    /// Backoff from `base` up to `max`.
    pub fn new(base: Duration, max: Duration) -> Backoff {
        Backoff {
            base,
            max,
            failures: 0,
        }
    }

    /// The ceiling of the next delay.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32.checked_shl(self.failures.min(20)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// Counts a failure and gives the delay before the next try.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.failures = self.failures.saturating_add(1);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }

    /// Forgets the failures after a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Runs sync again and again: every `interval` after a success, after a backoff delay after a
/// failure, and at once when `wake` is notified (the device reports the network is back).
/// Stops when `stop` is notified. `on_result` sees every outcome.
pub async fn watch(
    store: &mut Store,
    client: &Client,
    options: &SyncOptions,
    interval: Duration,
    wake: Arc<Notify>,
    stop: Arc<Notify>,
    mut on_result: impl FnMut(&Result<SyncReport, SyncError>),
) {
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    loop {
        let result = sync_once(store, client, options).await;
        let delay = match &result {
            Ok(_) => {
                backoff.reset();
                interval
            }
            Err(e) if e.is_transient() => backoff.next_delay(),
            Err(_) => backoff.next_delay().max(interval),
        };
        on_result(&result);
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = wake.notified() => {}
            _ = stop.notified() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_ceilings_double_up_to_the_maximum() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        let mut ceilings = Vec::new();
        for _ in 0..7 {
            ceilings.push(backoff.ceiling().as_secs());
            let delay = backoff.next_delay();
            assert!(delay <= Duration::from_secs(30));
        }
        assert_eq!(ceilings, vec![1, 2, 4, 8, 16, 30, 30]);
        backoff.reset();
        assert_eq!(backoff.ceiling(), Duration::from_secs(1));
    }

    #[test]
    fn jitter_spreads_the_delays() {
        let mut delays = std::collections::HashSet::new();
        for _ in 0..50 {
            let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
            for _ in 0..5 {
                backoff.next_delay();
            }
            delays.insert(backoff.next_delay());
        }
        assert!(delays.len() > 10, "delays did not vary: {delays:?}");
    }
}
