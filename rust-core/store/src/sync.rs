//! The device's side of sync, as far as the store goes: the link to the cloud account, leases
//! on outbox events, delivery results, pulled changes and the sync status a screen shows.

use std::time::Duration;

use jiff::Timestamp;
use kasir_domain::DomainError;
use kasir_domain::catalog::Item;
use kasir_domain::settings::StoreSettings;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::units::to_minor;
use crate::{STORE_KEY, Store, StoreError, write_setting};

/// The device's link to its cloud account, made by enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudLink {
    /// The server's base URL, for example `https://cloud.example.id`.
    pub server_url: String,
    /// The merchant (cloud account).
    pub merchant_id: String,
    /// The store the device belongs to.
    pub store_id: String,
    /// The device's secret token.
    // TODO(issue 4): on phones the token belongs in the platform's secure storage (Keystore,
    // Keychain) through a foreign trait; the CLI keeps it in the store file.
    pub token: String,
}

/// An event claimed for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedEvent {
    /// The per-device sequence number.
    pub seq: i64,
    /// The event's id.
    pub id: String,
    /// What it records.
    pub kind: String,
    /// When it happened (RFC 3339).
    pub occurred_at: String,
    /// The payload (JSON).
    pub payload: String,
}

/// What the cloud said about one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Stored, now or before: the event is synced.
    Stored,
    /// Refused: kept on the device with the reason, not sent again.
    Rejected(String),
}

/// A rejected event, for the status screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedEvent {
    /// The per-device sequence number.
    pub seq: i64,
    /// The event's id.
    pub id: String,
    /// What it records.
    pub kind: String,
    /// Why the cloud refused it.
    pub reason: String,
}

/// What a screen shows about sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// Whether the device is enrolled with a cloud account.
    pub enrolled: bool,
    /// The server, when enrolled.
    pub server_url: Option<String>,
    /// Events waiting to be delivered.
    pub waiting: u64,
    /// When the oldest waiting event happened.
    pub oldest_waiting: Option<String>,
    /// Its age in seconds at the time of asking.
    pub oldest_waiting_age_secs: Option<i64>,
    /// Events delivered.
    pub synced: u64,
    /// When sync last completed without error.
    pub last_success_at: Option<String>,
    /// When sync was last tried.
    pub last_attempt_at: Option<String>,
    /// The last error, if the last attempt failed.
    pub last_error: Option<String>,
    /// Events the cloud refused, with the reason.
    pub rejected: Vec<RejectedEvent>,
}

impl Store {
    /// Records the link to the cloud account (after enrolment). Refused if the device is
    /// already enrolled.
    pub fn set_cloud_link(&mut self, link: &CloudLink) -> Result<(), StoreError> {
        if self.cloud_link()?.is_some() {
            return Err(DomainError::not_allowed("this device is already enrolled").into());
        }
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE sync_state SET server_url = ?1, merchant_id = ?2, store_id = ?3, token = ?4, cursor = NULL
             WHERE id = 1",
            params![link.server_url, link.merchant_id, link.store_id, link.token],
        )?;
        tx.commit()?;
        tracing::info!("device enrolled");
        Ok(())
    }

    /// The link to the cloud account, if the device is enrolled.
    pub fn cloud_link(&self) -> Result<Option<CloudLink>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT server_url, merchant_id, store_id, token FROM sync_state
                 WHERE id = 1 AND server_url IS NOT NULL",
                [],
                |r| {
                    Ok(CloudLink {
                        server_url: r.get(0)?,
                        merchant_id: r.get(1)?,
                        store_id: r.get(2)?,
                        token: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Claims up to `limit` pending events, oldest first, for `worker` until `lease` from now.
    /// Events leased by another worker whose lease has not run out are skipped, so two workers
    /// never send the same event at the same time.
    pub fn claim_events(
        &mut self,
        worker: &str,
        limit: usize,
        lease: Duration,
    ) -> Result<Vec<ClaimedEvent>, StoreError> {
        let now = Timestamp::now().as_millisecond();
        let until = now.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX));
        let tx = self.write_tx()?;
        let events = {
            let mut select = tx.prepare_cached(
                "SELECT seq, id, kind, occurred_at, payload FROM outbox
                 WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < ?1)
                 ORDER BY seq LIMIT ?2",
            )?;
            let rows = select.query_map(
                params![now, i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| {
                    Ok(ClaimedEvent {
                        seq: r.get(0)?,
                        id: r.get(1)?,
                        kind: r.get(2)?,
                        occurred_at: r.get(3)?,
                        payload: r.get(4)?,
                    })
                },
            )?;
            let events: Vec<ClaimedEvent> = rows.collect::<Result<_, _>>()?;
            let mut lease = tx.prepare_cached(
                "UPDATE outbox SET lease_owner = ?1, lease_until = ?2 WHERE seq = ?3",
            )?;
            for event in &events {
                lease.execute(params![worker, until, event.seq])?;
            }
            events
        };
        tx.commit()?;
        Ok(events)
    }

    /// Records what the cloud said about delivered events: stored ones are synced, rejected
    /// ones are kept with their reason. Results for events not in the outbox are an error.
    pub fn record_deliveries(&mut self, results: &[(String, Delivery)]) -> Result<(), StoreError> {
        let now = Timestamp::now().to_string();
        let tx = self.write_tx()?;
        {
            let mut synced = tx.prepare_cached(
                "UPDATE outbox SET status = 'synced', synced_at = ?2, lease_owner = NULL, lease_until = NULL,
                    attempts = attempts + 1, last_error = NULL
                 WHERE id = ?1 AND status <> 'synced'",
            )?;
            let mut rejected = tx.prepare_cached(
                "UPDATE outbox SET status = 'rejected', lease_owner = NULL, lease_until = NULL,
                    attempts = attempts + 1, last_error = ?2
                 WHERE id = ?1 AND status = 'pending'",
            )?;
            let mut exists = tx.prepare_cached("SELECT 1 FROM outbox WHERE id = ?1")?;
            for (id, delivery) in results {
                if !exists.exists([id])? {
                    return Err(StoreError::NotFound {
                        what: "outbox event",
                        key: id.clone(),
                    });
                }
                match delivery {
                    Delivery::Stored => synced.execute(params![id, now])?,
                    Delivery::Rejected(reason) => rejected.execute(params![id, reason])?,
                };
            }
        }
        tx.commit()?;
        let rejected = results
            .iter()
            .filter(|(_, d)| matches!(d, Delivery::Rejected(_)))
            .count();
        tracing::info!(events = results.len(), rejected, "batch delivered");
        Ok(())
    }

    /// Extends the leases `worker` still holds on `seqs` to `lease` from now, while their
    /// delivery is under way; returns how many it still held.
    pub fn renew_leases(
        &mut self,
        worker: &str,
        seqs: &[i64],
        lease: Duration,
    ) -> Result<usize, StoreError> {
        let now = Timestamp::now().as_millisecond();
        let until = now.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX));
        let tx = self.write_tx()?;
        let mut held = 0;
        {
            let mut renew = tx.prepare_cached(
                "UPDATE outbox SET lease_until = ?1
                 WHERE seq = ?2 AND lease_owner = ?3 AND status = 'pending'",
            )?;
            for seq in seqs {
                held += renew.execute(params![until, seq, worker])?;
            }
        }
        tx.commit()?;
        Ok(held)
    }

    /// Pending events that another worker is sending right now (its lease has not run out).
    pub fn leased_elsewhere(&self, worker: &str) -> Result<u64, StoreError> {
        let now = Timestamp::now().as_millisecond();
        let count: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND lease_until >= ?1
                AND lease_owner IS NOT ?2",
            params![now, worker],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Gives back the leases `worker` holds after a failed delivery, counting the attempt.
    pub fn release_events(&mut self, worker: &str, seqs: &[i64]) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        {
            let mut release = tx.prepare_cached(
                "UPDATE outbox SET lease_owner = NULL, lease_until = NULL, attempts = attempts + 1
                 WHERE seq = ?1 AND lease_owner = ?2 AND status = 'pending'",
            )?;
            for seq in seqs {
                release.execute(params![seq, worker])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The cursor of the last applied pull, if any.
    pub fn sync_cursor(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| {
                r.get(0)
            })?)
    }

    /// Applies pulled changes and stores the cursor that follows them, in one transaction: a
    /// crash leaves either all of it or none, so a change is applied exactly once. Items from
    /// the cloud replace the device's copy (stock is the device's own and is kept); settings
    /// replace the device's settings.
    pub fn apply_changes(
        &mut self,
        items: &[Item],
        settings: Option<&StoreSettings>,
        next_cursor: &str,
    ) -> Result<(), StoreError> {
        let current = self.settings()?.clone();
        let effective = settings.unwrap_or(&current);
        effective.validate()?;
        if effective.currency != current.currency {
            return Err(
                DomainError::invalid("currency", "the cloud changed the store's currency").into(),
            );
        }
        for item in items {
            effective.tax.category(&item.tax_category)?;
            current.currency.check_scale("price", item.price)?;
        }
        let now = Timestamp::now().to_string();
        let tx = self.write_tx()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO items (gtin, sku, name, price_minor, tax_category, unit, category, stock_milli, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)
                 ON CONFLICT (gtin) DO UPDATE SET
                    sku = excluded.sku, name = excluded.name, price_minor = excluded.price_minor,
                    tax_category = excluded.tax_category, unit = excluded.unit, category = excluded.category,
                    updated_at = excluded.updated_at",
            )?;
            for item in items {
                upsert.execute(params![
                    item.gtin.as_str(),
                    item.sku,
                    item.name,
                    to_minor(item.price, current.currency)?,
                    item.tax_category,
                    item.unit.name(),
                    item.category,
                    now,
                ])?;
            }
        }
        if let Some(settings) = settings {
            write_setting(&tx, STORE_KEY, settings)?;
        }
        tx.execute(
            "UPDATE sync_state SET cursor = ?1 WHERE id = 1",
            [next_cursor],
        )?;
        tx.commit()?;
        if let Some(settings) = settings {
            self.settings = Some(settings.clone());
        }
        if !items.is_empty() || settings.is_some() {
            tracing::info!(
                items = items.len(),
                settings = settings.is_some(),
                "cloud changes applied"
            );
        }
        Ok(())
    }

    /// Notes the start of a sync attempt.
    pub fn record_sync_attempt(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE sync_state SET last_attempt_at = ?1 WHERE id = 1",
            [Timestamp::now().to_string()],
        )?;
        Ok(())
    }

    /// Notes a sync that completed without error.
    pub fn record_sync_success(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE sync_state SET last_success_at = ?1, last_error = NULL, last_error_at = NULL WHERE id = 1",
            [Timestamp::now().to_string()],
        )?;
        Ok(())
    }

    /// Notes a failed sync with its error (no personal data: the message of a network or
    /// protocol error).
    pub fn record_sync_error(&mut self, error: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE sync_state SET last_error = ?1, last_error_at = ?2 WHERE id = 1",
            params![error, Timestamp::now().to_string()],
        )?;
        Ok(())
    }

    /// What a screen shows about sync.
    pub fn sync_status(&self) -> Result<SyncStatus, StoreError> {
        let summary = self.outbox_summary()?;
        let (server_url, last_attempt_at, last_success_at, last_error): (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = self.conn.query_row(
            "SELECT server_url, last_attempt_at, last_success_at, last_error FROM sync_state WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let mut statement = self.conn.prepare(
            "SELECT seq, id, kind, coalesce(last_error, '') FROM outbox WHERE status = 'rejected' ORDER BY seq",
        )?;
        let rejected = statement
            .query_map([], |r| {
                Ok(RejectedEvent {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    kind: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let age = summary
            .oldest_pending
            .as_deref()
            .and_then(|t| t.parse::<Timestamp>().ok())
            .map(|t| Timestamp::now().duration_since(t).as_secs());
        Ok(SyncStatus {
            enrolled: server_url.is_some(),
            server_url,
            waiting: summary.pending,
            oldest_waiting: summary.oldest_pending,
            oldest_waiting_age_secs: age,
            synced: summary.synced,
            last_success_at,
            last_attempt_at,
            last_error,
            rejected,
        })
    }
}
