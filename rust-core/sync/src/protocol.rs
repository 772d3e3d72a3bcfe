//! Protocol version 1 between a device and its cloud account.
//!
//! Every request carries the header [`VERSION_HEADER`] with [`PROTOCOL_VERSION`] and, except
//! enrolment, `Authorization: Bearer TOKEN`. Bodies are JSON; amounts are decimal strings.
//!
//! - `POST /v1/enrol` ([`EnrolRequest`] -> [`EnrolResponse`]): trade a one-time enrolment code
//!   for a device token.
//! - `POST /v1/events` ([`PushRequest`] -> [`PushResponse`]): upload outbox events. Each event is
//!   stored once by its id; the answer lists every event as stored, already stored, or rejected
//!   with a reason. A rejected event does not stop the others.
//! - `GET /v1/changes?cursor=C&limit=N` (-> [`PullResponse`]): catalog items and store
//!   settings that changed after cursor `C` (absent: from the beginning), in order, with the
//!   next cursor. Cursors are opaque strings issued by the server.
//!
//! Errors are a 4xx or 5xx status with an [`ErrorBody`].

use jiff::Timestamp;
use kasir_domain::catalog::Unit;
use kasir_domain::gtin::Gtin;
use kasir_domain::settings::StoreSettings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The request header that carries the protocol version.
pub const VERSION_HEADER: &str = "kasir-protocol";

/// The most events a device sends in one push, and the server accepts.
pub const MAX_PUSH_EVENTS: usize = 500;

/// The largest request body the server accepts, in bytes.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The most changes one pull returns.
pub const MAX_PULL_CHANGES: u32 = 1000;

/// `POST /v1/enrol`: a device asks to join a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time code the owner got when creating the enrolment.
    pub code: String,
    /// The device's own id (made when its store file was created).
    pub device_id: Uuid,
    /// The device's receipt-number prefix, for example `D01`.
    pub device_code: String,
}

/// The answer to an enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    /// The merchant (cloud account).
    pub merchant_id: Uuid,
    /// The store the device now belongs to.
    pub store_id: Uuid,
    /// The device's id, as registered.
    pub device_id: Uuid,
    /// The device's secret token; the server keeps only its hash.
    pub token: String,
}

/// One outbox event as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Made on the device (UUIDv7); the key the server deduplicates on.
    pub id: Uuid,
    /// The device's sequence number of the event, from 1.
    pub seq: i64,
    /// What the event records, for example `SaleCompleted`.
    pub kind: String,
    /// When it happened on the device.
    pub occurred_at: Timestamp,
    /// The fact itself: for `SaleCompleted`, a [`kasir_domain::sale::Sale`].
    pub payload: serde_json::Value,
}

/// `POST /v1/events`: a batch of events from one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The sending device; must be the device the token belongs to.
    pub device_id: Uuid,
    /// At most [`MAX_PUSH_EVENTS`] events, in sequence order.
    pub events: Vec<Event>,
}

/// What the server did with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Stored now.
    Stored,
    /// Stored before (a retry or a duplicate): nothing changed.
    AlreadyStored,
    /// Refused; `reason` says why. The device keeps it, visible, and does not resend it.
    Rejected,
}

/// The server's answer for one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventResult {
    /// The event's id.
    pub id: Uuid,
    /// Stored, already stored or rejected.
    pub status: EventStatus,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to a push: one result per event sent, in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One per event.
    pub results: Vec<EventResult>,
}

/// A catalog item as the cloud holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// The key.
    pub gtin: Gtin,
    /// The merchant's code.
    #[serde(default)]
    pub sku: Option<String>,
    /// Name.
    pub name: String,
    /// Price per unit, in the store's currency.
    pub price: Decimal,
    /// Tax category code.
    pub tax_category: String,
    /// Each or kg.
    pub unit: Unit,
    /// Category.
    #[serde(default)]
    pub category: Option<String>,
}

/// One change the device must apply, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// An item was created or changed; the cloud's copy wins over the device's.
    Item {
        /// The item as it now is.
        item: ItemRecord,
    },
    /// The store's settings changed.
    Settings {
        /// The settings as they now are.
        settings: StoreSettings,
    },
}

/// The answer to a pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Changes after the cursor given, oldest first.
    pub changes: Vec<Change>,
    /// The cursor to send next time (the same one when there was nothing new).
    pub next_cursor: String,
    /// Whether more changes are waiting (pull again at once).
    pub more: bool,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `unsupported_version`, `payload_too_large`, `conflict`, `internal`.
    pub code: String,
    /// What is wrong, naming the field or value at fault.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_in_a_push_are_refused() {
        let body = r#"{"device_id":"0190f3a0-0000-7000-8000-000000000000","events":[],"extra":1}"#;
        assert!(serde_json::from_str::<PushRequest>(body).is_err());
    }

    #[test]
    fn changes_are_tagged_by_kind() {
        let change = Change::Item {
            item: ItemRecord {
                gtin: Gtin::parse("8990121011028").unwrap(),
                sku: None,
                name: "Kecap Manis".into(),
                price: Decimal::from(4000),
                tax_category: "ppn".into(),
                unit: Unit::Each,
                category: None,
            },
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["kind"], "item");
        assert_eq!(json["item"]["price"], "4000");
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), change);
    }
}
