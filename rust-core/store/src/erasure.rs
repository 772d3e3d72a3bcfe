//! A loyalty customer's erasure: their right to be forgotten.
//!
//! Erasing removes the customer's name, phone, email, birth year and gender from their row and
//! from the payloads of the `CustomerAdded` events this device queued for them, and queues a
//! `CustomerErased` event, all in one transaction. The row keeps its opaque id, its consent and
//! creation times, so the points ledger, the sales and their exactly-once keys stay as they
//! are. Sales never carry the customer's name (their receipts show none), so they need no
//! change. An erased customer cannot collect or spend points again, nor be merged back from
//! the cloud. Logs name the customer's id only.

use jiff::Timestamp;
use kasir_domain::DomainError;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

use crate::outbox::{EventKind, insert_event};
use crate::{Store, StoreError};

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erasure {
    /// The customer, now an opaque id.
    pub customer_id: Uuid,
    /// When the erasure was made.
    pub erased_at: Timestamp,
    /// The points balance, unchanged by the erasure.
    pub points: i64,
    /// The `CustomerAdded` events of this device whose payload was redacted.
    pub redacted_events: usize,
}

/// The payload of a `CustomerErased` event, as the cloud reads it.
#[derive(Debug, Serialize)]
struct ErasedPayload {
    customer_id: Uuid,
    erased_at: Timestamp,
}

/// The redacted payload that replaces a `CustomerAdded` event's.
#[derive(Debug, Serialize)]
struct RedactedCustomer<'a> {
    id: Uuid,
    consent_at: &'a str,
    erased: bool,
}

/// Refuses a customer that was erased, by id: they collect, spend and merge nothing again.
/// Nothing is said about an id that is not a customer (the caller decides).
pub(crate) fn refuse_erased(conn: &Connection, customer_id: &str) -> Result<(), StoreError> {
    let erased: Option<Option<String>> = conn
        .query_row(
            "SELECT erased_at FROM customers WHERE id = ?1",
            [customer_id],
            |r| r.get(0),
        )
        .optional()?;
    match erased {
        Some(Some(at)) => Err(DomainError::not_allowed(format!(
            "customer {customer_id} was erased at {at}: their data is gone and they collect no points"
        ))
        .into()),
        _ => Ok(()),
    }
}

/// Replaces the payload of this device's `CustomerAdded` events for the customer by its
/// redacted form; returns how many there were.
fn redact_added(tx: &Connection, customer_id: Uuid, consent_at: &str) -> Result<usize, StoreError> {
    let redacted = serde_json::to_string(&RedactedCustomer {
        id: customer_id,
        consent_at,
        erased: true,
    })?;
    Ok(tx.execute(
        "UPDATE outbox SET payload = ?2
         WHERE kind = 'CustomerAdded' AND json_valid(payload)
           AND json_extract(payload, '$.id') = ?1",
        params![customer_id.to_string(), redacted],
    )?)
}

impl Store {
    /// Erases a customer's personal data and queues the `CustomerErased` event, in one
    /// transaction. Refused: an unknown customer, one already erased.
    pub fn erase_customer(&mut self, customer_id: Uuid) -> Result<Erasure, StoreError> {
        let device_id = self.device()?.id.clone();
        let now = Timestamp::now();
        let id = customer_id.to_string();
        // The old values are overwritten on disk, not only unlinked (see `scrub`).
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let erased = self.erase_in_tx(&device_id, customer_id, &id, now);
        self.scrub()?;
        let erased = erased?;
        tracing::info!(customer = %customer_id, redacted_events = erased.redacted_events, "customer erased");
        Ok(erased)
    }

    /// Turns `secure_delete` back off and copies the write-ahead log into the database file
    /// and truncates it, so the erased values are in neither the file's free space nor the log.
    fn scrub(&mut self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "secure_delete", "OFF")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    fn erase_in_tx(
        &mut self,
        device_id: &str,
        customer_id: Uuid,
        id: &str,
        now: Timestamp,
    ) -> Result<Erasure, StoreError> {
        let tx = self.write_tx()?;
        let row: Option<(String, Option<String>)> = tx
            .query_row(
                "SELECT consent_at, erased_at FROM customers WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let consent_at = match row {
            None => {
                return Err(StoreError::NotFound {
                    what: "customer",
                    key: id.to_string(),
                });
            }
            Some((_, Some(at))) => {
                return Err(DomainError::not_allowed(format!(
                    "customer {id} is already erased (at {at})"
                ))
                .into());
            }
            Some((consent_at, None)) => consent_at,
        };
        tx.execute(
            "UPDATE customers SET name = NULL, phone = NULL, email = NULL, birth_year = NULL,
                gender = NULL, erased_at = ?2
             WHERE id = ?1",
            params![id, now.to_string()],
        )?;
        let redacted_events = redact_added(&tx, customer_id, &consent_at)?;
        insert_event(
            &tx,
            device_id,
            EventKind::CustomerErased,
            &now.to_string(),
            &serde_json::to_string(&ErasedPayload {
                customer_id,
                erased_at: now,
            })?,
        )?;
        let points: i64 = tx.query_row(
            "SELECT coalesce(sum(points), 0) FROM loyalty_entries WHERE customer_id = ?1",
            [&id],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(Erasure {
            customer_id,
            erased_at: now,
            points,
            redacted_events,
        })
    }

    /// Removes the personal data of a customer erased elsewhere (the cloud's change feed says
    /// so), queueing nothing. Nothing changes for a customer this device does not hold or has
    /// erased already. Returns whether this device held their data.
    pub fn forget_customer(&mut self, customer_id: Uuid) -> Result<bool, StoreError> {
        self.conn.pragma_update(None, "secure_delete", "ON")?;
        let forgotten = self.forget_in_tx(customer_id);
        self.scrub()?;
        let forgotten = forgotten?;
        if forgotten {
            tracing::info!(customer = %customer_id, "customer erased elsewhere forgotten");
        }
        Ok(forgotten)
    }

    fn forget_in_tx(&mut self, customer_id: Uuid) -> Result<bool, StoreError> {
        let id = customer_id.to_string();
        let tx = self.write_tx()?;
        let consent_at: Option<String> = tx
            .query_row(
                "SELECT consent_at FROM customers WHERE id = ?1 AND erased_at IS NULL",
                [&id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(consent_at) = consent_at else {
            return Ok(false);
        };
        tx.execute(
            "UPDATE customers SET name = NULL, phone = NULL, email = NULL, birth_year = NULL,
                gender = NULL, erased_at = ?2
             WHERE id = ?1",
            params![id, Timestamp::now().to_string()],
        )?;
        redact_added(&tx, customer_id, &consent_at)?;
        tx.commit()?;
        Ok(true)
    }

    /// The customer's points balance by id, erased or not (an erased customer's ledger stays).
    pub fn points_of(&self, customer_id: Uuid) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(points), 0) FROM loyalty_entries WHERE customer_id = ?1",
            [customer_id.to_string()],
            |r| r.get(0),
        )?)
    }

    /// When the customer was erased; `None` while they are not. Refused: an unknown customer.
    pub fn erased_at(&self, customer_id: Uuid) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT erased_at FROM customers WHERE id = ?1",
                [customer_id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound {
                what: "customer",
                key: customer_id.to_string(),
            })
    }
}
