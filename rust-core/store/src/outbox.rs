//! The offline outbox: every fact the device must deliver to the cloud, numbered per device,
//! written in the same transaction as the fact itself.

use rusqlite::{Transaction, params};
use serde::Serialize;

use crate::{Store, StoreError, next_counter};

/// What an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventKind {
    /// A sale completed; the payload is the sale.
    SaleCompleted,
    /// A gift card was redeemed offline; the payload names the card, the amount and the entry.
    GiftCardRedeemed,
    /// A sale was refunded or voided; the payload is the refund.
    SaleRefunded,
    /// A till shift opened with its float.
    ShiftOpened,
    /// Cash was paid in or out of the drawer, or the drawer opened without a sale.
    CashMoved,
    /// A shift closed; the payload holds its Z report.
    ShiftClosed,
    /// Value was paid back onto a gift card (a dropped sale's redemption, or a refund); the
    /// payload names the card, the amount and the entry.
    GiftCardRefunded,
    /// A loyalty customer was added on this device; the payload is the customer.
    CustomerAdded,
    /// A customer's points changed; the payload is the ledger entry.
    LoyaltyPoints,
    /// A customer's personal data was erased; the payload names the customer.
    CustomerErased,
}

impl EventKind {
    /// The name stored and sent.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::SaleCompleted => "SaleCompleted",
            EventKind::GiftCardRedeemed => "GiftCardRedeemed",
            EventKind::SaleRefunded => "SaleRefunded",
            EventKind::ShiftOpened => "ShiftOpened",
            EventKind::CashMoved => "CashMoved",
            EventKind::ShiftClosed => "ShiftClosed",
            EventKind::GiftCardRefunded => "GiftCardRefunded",
            EventKind::CustomerAdded => "CustomerAdded",
            EventKind::LoyaltyPoints => "LoyaltyPoints",
            EventKind::CustomerErased => "CustomerErased",
        }
    }
}

/// An event waiting in (or delivered from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEvent {
    /// Per-device sequence number, from 1, without gaps.
    pub seq: i64,
    /// The event's id, a UUIDv7 made on the device.
    pub id: String,
    /// The device that made it.
    pub device_id: String,
    /// What it records.
    pub kind: String,
    /// When the fact happened.
    pub occurred_at: String,
    /// `pending`, `synced` or `rejected`.
    pub status: String,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// Why the last attempt failed, or why the cloud rejected it.
    pub last_error: Option<String>,
    /// The payload size in bytes.
    pub bytes: i64,
}

/// What waits to be synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxSummary {
    /// Events not yet delivered.
    pub pending: u64,
    /// When the oldest pending event happened.
    pub oldest_pending: Option<String>,
    /// Events the cloud refused, kept with their reason.
    pub rejected: u64,
    /// Events delivered.
    pub synced: u64,
}

/// Queues an event inside `tx`, with the next per-device sequence number and a new UUIDv7.
pub(crate) fn insert_event(
    tx: &Transaction<'_>,
    device_id: &str,
    kind: EventKind,
    occurred_at: &str,
    payload: &str,
) -> Result<i64, StoreError> {
    let seq = next_counter(tx, "outbox")?;
    tx.prepare_cached(
        "INSERT INTO outbox (seq, id, device_id, kind, occurred_at, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![seq, uuid::Uuid::now_v7().to_string(), device_id, kind.name(), occurred_at, payload])?;
    Ok(seq)
}

impl Store {
    /// Counts of pending, rejected and synced events, and the age of the oldest pending one.
    pub fn outbox_summary(&self) -> Result<OutboxSummary, StoreError> {
        Ok(self.conn.query_row(
            "SELECT
                count(*) FILTER (WHERE status = 'pending'),
                (SELECT occurred_at FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT 1),
                count(*) FILTER (WHERE status = 'rejected'),
                count(*) FILTER (WHERE status = 'synced')
             FROM outbox",
            [],
            |r| {
                Ok(OutboxSummary {
                    pending: r.get(0)?,
                    oldest_pending: r.get(1)?,
                    rejected: r.get(2)?,
                    synced: r.get(3)?,
                })
            },
        )?)
    }

    /// Events not yet synced (pending and rejected), oldest first, at most `limit`.
    pub fn outbox_events(&self, limit: usize) -> Result<Vec<OutboxEvent>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT seq, id, device_id, kind, occurred_at, status, attempts, last_error, length(payload)
             FROM outbox WHERE status <> 'synced' ORDER BY seq LIMIT ?1",
        )?;
        let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok(OutboxEvent {
                seq: r.get(0)?,
                id: r.get(1)?,
                device_id: r.get(2)?,
                kind: r.get(3)?,
                occurred_at: r.get(4)?,
                status: r.get(5)?,
                attempts: r.get(6)?,
                last_error: r.get(7)?,
                bytes: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The payload of the event with sequence number `seq`.
    pub fn outbox_payload(&self, seq: i64) -> Result<String, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT payload FROM outbox WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "outbox event",
                key: seq.to_string(),
            })
    }
}
