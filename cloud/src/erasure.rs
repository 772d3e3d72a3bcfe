//! A loyalty customer's erasure (their right to be forgotten), from a device's
//! `CustomerErased` event or by the owner.
//!
//! The customer's row keeps its id, consent time, points and lifetime spend, so the ledger
//! (`loyalty_entries`) and the reports stay whole; its name becomes `''` and its phone, email,
//! birth year and gender NULL, and `erased_at` marks it. The payloads of the merchant's stored
//! `CustomerAdded` events for the customer are replaced by their redacted form
//! (`{"id", "consent_at", "erased": true}`); their hashes stay, so the same event sent again is
//! still recognised as stored and changes nothing. A `CustomerAdded` under another event id
//! finds the row and changes nothing either: the data is never re-created. Every store of the
//! merchant gets a `customer_erased` change, so devices that merged the customer forget them
//! on their next pull. Erasing is applied once: an erasure of an erased customer changes
//! nothing (a device's event is stored; the owner is told it is already erased). Logs name the
//! customer's id only.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use kasir_sync::protocol::{Change, CustomerErased};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Owner;
use crate::error::ApiError;
use crate::http::ApiPath;

/// What an erasure found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The personal data is removed now.
    Erased,
    /// The customer was erased before, at this time; nothing changed.
    AlreadyErased(String),
    /// Not a customer of this merchant.
    Unknown,
}

/// The redacted payload of a `CustomerAdded` event of an erased customer.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedactedCustomer {
    /// The customer.
    pub id: Uuid,
    /// When they had consented.
    pub consent_at: Timestamp,
    /// Always true.
    pub erased: bool,
}

/// Erases `customer_id` of `merchant_id` inside the caller's transaction (or savepoint).
pub(crate) async fn erase(
    conn: &mut AnyConnection,
    merchant_id: Uuid,
    customer_id: Uuid,
    now: &str,
) -> Result<Outcome, ApiError> {
    let merchant = merchant_id.to_string();
    let id = customer_id.to_string();
    let erased = sqlx::query(
        "UPDATE customers SET name = '', phone = NULL, email = NULL, birth_year = NULL,
            gender = NULL, erased_at = $3
         WHERE merchant_id = $1 AND id = $2 AND erased_at IS NULL
         RETURNING consent_at",
    )
    .bind(&merchant)
    .bind(&id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(erased) = erased else {
        let before =
            sqlx::query("SELECT erased_at FROM customers WHERE merchant_id = $1 AND id = $2")
                .bind(&merchant)
                .bind(&id)
                .fetch_optional(&mut *conn)
                .await?;
        return Ok(match before {
            Some(row) => Outcome::AlreadyErased(
                row.try_get::<Option<String>, _>(0)?
                    .unwrap_or_else(|| "an unknown time".into()),
            ),
            None => Outcome::Unknown,
        });
    };
    let consent_at: String = erased.try_get(0)?;
    let redacted = serde_json::json!({ "id": id, "consent_at": consent_at, "erased": true });
    // The payload is stored as compact JSON, so the customer's id appears as `"id":"..."`.
    let redacted_events = sqlx::query(
        "UPDATE events SET payload = $1
         WHERE kind = 'CustomerAdded' AND payload LIKE $2
           AND store_id IN (SELECT id FROM stores WHERE merchant_id = $3)",
    )
    .bind(redacted.to_string())
    .bind(format!("%\"id\":\"{id}\"%"))
    .bind(&merchant)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // Every store's devices learn it on their next pull, in store id order (the same order
    // for every writer, so two erasures never wait on each other's locks).
    let stores = sqlx::query("SELECT id FROM stores WHERE merchant_id = $1 ORDER BY id")
        .bind(&merchant)
        .fetch_all(&mut *conn)
        .await?;
    for store in stores {
        let store_id: String = store.try_get(0)?;
        let store_id = Uuid::parse_str(&store_id)
            .map_err(|e| ApiError::Internal(format!("stored store id: {e}")))?;
        let (seq, _) = crate::changes::lock_store(conn, store_id).await?;
        crate::changes::append_change(
            conn,
            store_id,
            seq + 1,
            &Change::CustomerErased { customer_id },
            now,
        )
        .await?;
    }
    tracing::info!(customer = %customer_id, redacted_events, "customer erased");
    Ok(Outcome::Erased)
}

/// `POST /v1/owner/customers/{id}/erasure`: the owner erases a customer's personal data.
/// 404 for a customer not the merchant's, 409 for one already erased.
pub async fn owner_erase(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CustomerErased>, ApiError> {
    let customer_id = Uuid::parse_str(id.trim())
        .map_err(|_| ApiError::BadRequest(format!("id: `{id}` is not a customer id (a UUID)")))?;
    let now = Timestamp::now();
    let mut tx = state.db.begin_write().await?;
    match erase(&mut tx, owner.merchant_id, customer_id, &now.to_string()).await? {
        Outcome::Erased => {}
        Outcome::AlreadyErased(at) => {
            return Err(ApiError::Conflict(format!(
                "customer {customer_id} is already erased (at {at})"
            )));
        }
        Outcome::Unknown => {
            return Err(ApiError::NotFound(format!(
                "customer {customer_id} is not a customer of this merchant"
            )));
        }
    }
    tx.commit().await?;
    Ok(Json(CustomerErased {
        customer_id,
        erased_at: now,
    }))
}

/// Stores the customer of a redacted `CustomerAdded` (the device erased them before the event
/// was sent): the row, already erased, so their points and their erasure apply. Nothing
/// changes when the row exists.
pub(crate) async fn add_erased(
    conn: &mut AnyConnection,
    device: &crate::auth::Device,
    customer: &RedactedCustomer,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    if !customer.erased {
        return Ok(Err("erased: a redacted customer says `true`".into()));
    }
    sqlx::query(
        "INSERT INTO customers (merchant_id, id, name, phone, email, birth_year, gender,
            consent_at, store_id, device_id, points, lifetime_spend_minor, created_at,
            erased_at)
         VALUES ($1, $2, '', NULL, NULL, NULL, NULL, $3, $4, $5, 0, 0, $6, $6)
         ON CONFLICT (merchant_id, id) DO NOTHING",
    )
    .bind(device.merchant_id.to_string())
    .bind(customer.id.to_string())
    .bind(customer.consent_at.to_string())
    .bind(device.store_id.to_string())
    .bind(device.device_id.to_string())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    tracing::info!(customer = %customer.id, device = %device.code, "erased customer added");
    Ok(Ok(()))
}
