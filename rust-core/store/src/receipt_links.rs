//! Receipt links: each sale's public token, made when the sale is stored, and the link the
//! device shows for it (the cloud's base URL from enrolment, `/r/`, the token).
//!
//! The token is written with the sale and carried in its `SaleCompleted` event (the sale's
//! record with a `receipt_token` field beside its own), so the device knows the link offline;
//! it resolves once the event has reached the cloud.

use kasir_domain::receipt_link::{self, TOKEN_BYTES};
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::{Store, StoreError};

/// The field of a `SaleCompleted` payload that carries the sale's receipt token.
pub const TOKEN_FIELD: &str = "receipt_token";

/// The link to a sale's receipt, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReceiptLink {
    /// The link.
    Ready {
        /// `BASE/r/TOKEN`.
        url: String,
        /// Whether the sale's event has reached the cloud (until then the link answers 404).
        synced: bool,
    },
    /// The device is not enrolled with a cloud account, so there is no server to link to.
    NotEnrolled,
    /// The sale was stored before receipt links existed and has no token.
    NoToken,
}

/// A new receipt token from the operating system's random source.
pub(crate) fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Corrupt(format!("the random source failed: {e}")))?;
    Ok(receipt_link::encode_token(&bytes))
}

/// The `SaleCompleted` payload: the sale's stored record (`body`) with its token beside it.
pub(crate) fn event_payload(body: &str, token: &str) -> Result<String, StoreError> {
    let mut payload: serde_json::Map<String, serde_json::Value> = serde_json::from_str(body)?;
    payload.insert(TOKEN_FIELD.into(), token.into());
    Ok(serde_json::to_string(&payload)?)
}

/// Whether the `SaleCompleted` event of the sale with id `?1` has reached the cloud; found
/// through the `outbox_sale_event` index, not by reading every event's payload. (The id is
/// bound, not joined: SQLite seeks an index on an expression only for a value it is given.)
pub(crate) const SALE_SYNCED: &str = "SELECT EXISTS (SELECT 1 FROM outbox
    WHERE kind = 'SaleCompleted' AND status = 'synced' AND json_extract(payload, '$.id') = ?1)";

impl Store {
    /// The receipt token of the sale with `receipt_number` (`None` for a sale stored before
    /// receipt links existed).
    pub fn receipt_token(&self, receipt_number: &str) -> Result<Option<String>, StoreError> {
        let token: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT receipt_token FROM sales WHERE receipt_number = ?1",
                [receipt_number.trim()],
                |r| r.get(0),
            )
            .optional()?;
        token.ok_or_else(|| StoreError::NotFound {
            what: "receipt",
            key: receipt_number.to_string(),
        })
    }

    /// The link to the receipt of the sale with `receipt_number`, known offline: the base URL
    /// the device enrolled with, `/r/` and the sale's token.
    pub fn receipt_link(&self, receipt_number: &str) -> Result<ReceiptLink, StoreError> {
        let Some(token) = self.receipt_token(receipt_number)? else {
            return Ok(ReceiptLink::NoToken);
        };
        let server_url: Option<String> =
            self.conn
                .query_row("SELECT server_url FROM sync_state WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
        let Some(server_url) = server_url else {
            return Ok(ReceiptLink::NotEnrolled);
        };
        let sale_id: String = self.conn.query_row(
            "SELECT id FROM sales WHERE receipt_number = ?1",
            [receipt_number.trim()],
            |r| r.get(0),
        )?;
        let synced: bool = self.conn.query_row(SALE_SYNCED, [sale_id], |r| r.get(0))?;
        Ok(ReceiptLink::Ready {
            url: receipt_link::link(&server_url, &token),
            synced,
        })
    }
}
