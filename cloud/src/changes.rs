//! The change feed: catalog and settings changes the owner makes, numbered per store, and the
//! pull that hands them to the store's devices exactly once.
//!
//! # Why a counter row, not a sequence
//!
//! A change takes its number by updating the store's own row (`stores.change_seq`) in the
//! transaction that writes the change. On PostgreSQL that update holds the row's lock until
//! commit, so a second writer of the same store waits and then reads the committed number:
//! numbers are handed out in commit order, and once a reader sees change `n`, every change
//! before `n` is already visible. A database sequence (or an autoincrement) hands numbers out
//! when rows are inserted, not when they commit: writer A takes 7, writer B takes 8 and
//! commits first, a device pulls 8 and moves its cursor past 7, and never sees 7 once A
//! commits. SQLite has one writer at a time anyway (`BEGIN IMMEDIATE`). The cost, writers of
//! one store queueing behind each other, is small: owners change catalogs rarely, and other
//! stores are not held up.
//!
//! The cursor given to devices is that number (as an opaque string). It is never a clock.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use kasir_domain::catalog::MAX_NAME_CHARS;
use kasir_domain::settings::StoreSettings;
use kasir_sync::protocol::{
    CatalogItem, CatalogUpdate, Change, MAX_CATALOG_ITEMS, MAX_PULL_CHANGES, PullResponse,
    UpdateResult,
};
use serde::Deserialize;
use sqlx::AnyConnection;
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::accounts::{owned_store, store_not_found, to_json};
use crate::auth::{Device, Owner};
use crate::error::ApiError;
use crate::http::{ApiJson, ApiPath, ApiQuery};
use crate::units::{from_minor, to_milli, to_minor_as_written};

/// Takes the store's row lock inside a write transaction and returns its last change number
/// and its settings. Every writer of the feed calls this first (see the module docs).
pub(crate) async fn lock_store(
    conn: &mut AnyConnection,
    store_id: Uuid,
) -> Result<(i64, StoreSettings), ApiError> {
    let row = sqlx::query(
        "UPDATE stores SET change_seq = change_seq WHERE id = $1 RETURNING change_seq, settings",
    )
    .bind(store_id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| store_not_found(store_id))?;
    let settings: String = row.try_get(1)?;
    let settings = serde_json::from_str(&settings)
        .map_err(|e| ApiError::Internal(format!("stored settings do not parse: {e}")))?;
    Ok((row.try_get(0)?, settings))
}

/// Writes change number `seq` of the store's feed and moves the store's counter to it. The
/// caller holds the store's lock ([`lock_store`]) and gives consecutive numbers.
pub(crate) async fn append_change(
    conn: &mut AnyConnection,
    store_id: Uuid,
    seq: i64,
    change: &Change,
    now: &str,
) -> Result<(), ApiError> {
    let kind = match change {
        Change::Item { .. } => "item",
        Change::Settings { .. } => "settings",
        Change::CustomerErased { .. } => "customer_erased",
    };
    sqlx::query(
        "INSERT INTO changes (store_id, seq, kind, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(store_id.to_string())
    .bind(seq)
    .bind(kind)
    .bind(to_json(change)?)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE stores SET change_seq = $1 WHERE id = $2")
        .bind(seq)
        .bind(store_id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An item checked against the store's settings, in stored units.
struct CheckedItem {
    gtin: String,
    sku: Option<String>,
    name: String,
    price_minor: i64,
    tax_category: String,
    unit: &'static str,
    category: Option<String>,
    stock_milli: Option<i64>,
}

fn check_item(
    index: usize,
    item: &CatalogItem,
    settings: &StoreSettings,
) -> Result<CheckedItem, ApiError> {
    let fault = |field: &str, reason: String| {
        ApiError::BadRequest(format!("items[{index}].{field}: {reason}"))
    };
    let name = item.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(fault("name", "is empty".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(fault(
            "name",
            format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    if item.price.is_sign_negative() && !item.price.is_zero() {
        return Err(fault("price", format!("{} is negative", item.price)));
    }
    let price_minor = to_minor_as_written("price", item.price, settings.currency)
        .map_err(|e| fault("price", e.to_string()))?;
    if settings.tax.category(&item.tax_category).is_err() {
        return Err(fault(
            "tax_category",
            format!(
                "`{}` is not one of the store's tax categories",
                item.tax_category
            ),
        ));
    }
    let stock_milli = match item.stock {
        None => None,
        Some(stock) if stock.is_sign_negative() && !stock.is_zero() => {
            return Err(fault("stock", format!("{stock} is negative")));
        }
        Some(stock) => {
            item.unit
                .check_decimals("stock", stock)
                .map_err(|e| fault("stock", e.to_string()))?;
            Some(to_milli("stock", stock).map_err(|e| fault("stock", e.to_string()))?)
        }
    };
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Ok(CheckedItem {
        gtin: item.gtin.as_str().to_string(),
        sku: text(&item.sku),
        name,
        price_minor,
        tax_category: item.tax_category.clone(),
        unit: item.unit.name(),
        category: text(&item.category),
        stock_milli,
    })
}

/// `PUT /v1/owner/stores/{store_id}/items`: creates or changes items, all or none. Each item
/// that changed (not one sent as it already was) appends a change for the devices; a stock
/// count alone appends none, since devices count stock by deltas.
pub async fn put_items(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
    ApiJson(update): ApiJson<CatalogUpdate>,
) -> Result<Json<UpdateResult>, ApiError> {
    owned_store(&state.db, owner, store_id).await?;
    if update.items.len() > MAX_CATALOG_ITEMS {
        return Err(ApiError::PayloadTooLarge(format!(
            "{} items; at most {MAX_CATALOG_ITEMS} per request",
            update.items.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, item) in update.items.iter().enumerate() {
        if !seen.insert(item.gtin.as_str()) {
            return Err(ApiError::BadRequest(format!(
                "items[{i}].gtin: {} is listed twice",
                item.gtin.as_str()
            )));
        }
    }

    let now = Timestamp::now().to_string();
    let mut tx = state.db.begin_write().await?;
    // The settings are read under the store's lock, so a concurrent settings change cannot
    // remove a tax category these items use between the check and the commit.
    let (mut seq, settings) = lock_store(&mut tx, store_id).await?;
    let checked = update
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| check_item(i, item, &settings))
        .collect::<Result<Vec<_>, _>>()?;

    let mut changes = 0;
    for (item, c) in update.items.iter().zip(&checked) {
        let current = sqlx::query(
            "SELECT sku, name, price_minor, tax_category, unit, category, stock_base_milli,
                    changed_seq
             FROM items WHERE store_id = $1 AND gtin = $2",
        )
        .bind(store_id.to_string())
        .bind(&c.gtin)
        .fetch_optional(&mut *tx)
        .await?;
        let unchanged = match &current {
            Some(row) => {
                row.try_get::<Option<String>, _>(0)? == c.sku
                    && row.try_get::<String, _>(1)? == c.name
                    && row.try_get::<i64, _>(2)? == c.price_minor
                    && row.try_get::<String, _>(3)? == c.tax_category
                    && row.try_get::<String, _>(4)? == c.unit
                    && row.try_get::<Option<String>, _>(5)? == c.category
            }
            None => false,
        };
        if !unchanged {
            seq += 1;
            changes += 1;
            let mut record = item.record();
            record.sku.clone_from(&c.sku);
            record.name.clone_from(&c.name);
            record.category.clone_from(&c.category);
            record.price = from_minor(c.price_minor, settings.currency);
            append_change(&mut tx, store_id, seq, &Change::Item { item: record }, &now).await?;
        }
        let (stock_milli, changed_seq) = match &current {
            Some(row) => (
                c.stock_milli.unwrap_or(row.try_get::<i64, _>(6)?),
                if unchanged {
                    row.try_get::<i64, _>(7)?
                } else {
                    seq
                },
            ),
            None => (c.stock_milli.unwrap_or(0), seq),
        };
        sqlx::query(
            "INSERT INTO items (store_id, gtin, sku, name, price_minor, tax_category, unit,
                category, stock_base_milli, changed_seq, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (store_id, gtin) DO UPDATE SET sku = excluded.sku, name = excluded.name,
                price_minor = excluded.price_minor, tax_category = excluded.tax_category,
                unit = excluded.unit, category = excluded.category,
                stock_base_milli = excluded.stock_base_milli,
                changed_seq = excluded.changed_seq, updated_at = excluded.updated_at",
        )
        .bind(store_id.to_string())
        .bind(&c.gtin)
        .bind(&c.sku)
        .bind(&c.name)
        .bind(c.price_minor)
        .bind(&c.tax_category)
        .bind(c.unit)
        .bind(&c.category)
        .bind(stock_milli)
        .bind(changed_seq)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(%store_id, items = checked.len(), changes, "catalog updated");
    Ok(Json(UpdateResult { changes }))
}

/// `PUT /v1/owner/stores/{store_id}/settings`: replaces the store's settings and appends
/// them to the feed (nothing when they are unchanged). The currency cannot change once items
/// or sales hold amounts in it, and every tax category an item uses must remain.
pub async fn put_settings(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
    ApiJson(settings): ApiJson<StoreSettings>,
) -> Result<Json<UpdateResult>, ApiError> {
    owned_store(&state.db, owner, store_id).await?;
    settings.validate()?;

    let now = Timestamp::now().to_string();
    let mut tx = state.db.begin_write().await?;
    let (seq, current) = lock_store(&mut tx, store_id).await?;
    if current == settings {
        return Ok(Json(UpdateResult { changes: 0 }));
    }
    if current.currency != settings.currency {
        let used: i64 = sqlx::query(
            "SELECT (SELECT count(*) FROM items WHERE store_id = $1)
                  + (SELECT count(*) FROM sales WHERE store_id = $1)",
        )
        .bind(store_id.to_string())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        if used > 0 {
            return Err(ApiError::Conflict(format!(
                "currency: cannot change from {} to {} once the store has items or sales",
                current.currency, settings.currency
            )));
        }
    }
    let categories = sqlx::query("SELECT DISTINCT tax_category FROM items WHERE store_id = $1")
        .bind(store_id.to_string())
        .fetch_all(&mut *tx)
        .await?;
    for row in categories {
        let code: String = row.try_get(0)?;
        if settings.tax.category(&code).is_err() {
            return Err(ApiError::Conflict(format!(
                "tax.categories: items still use `{code}`"
            )));
        }
    }
    sqlx::query("UPDATE stores SET settings = $1, currency = $2 WHERE id = $3")
        .bind(to_json(&settings)?)
        .bind(settings.currency.code())
        .bind(store_id.to_string())
        .execute(&mut *tx)
        .await?;
    append_change(
        &mut tx,
        store_id,
        seq + 1,
        &Change::Settings { settings },
        &now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(%store_id, "store settings changed");
    Ok(Json(UpdateResult { changes: 1 }))
}

/// The query of a pull.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// The cursor of the last pull; absent: from the beginning.
    pub cursor: Option<String>,
    /// The most changes to return (1 to [`MAX_PULL_CHANGES`]; absent: the most).
    pub limit: Option<u32>,
}

/// The cursor after change `seq`.
fn cursor(seq: i64) -> String {
    format!("c{seq}")
}

fn parse_cursor(text: &str) -> Result<i64, ApiError> {
    text.strip_prefix('c')
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "cursor: `{}` was not issued by this server",
                text.chars().take(40).collect::<String>()
            ))
        })
}

/// `GET /v1/changes?cursor=C&limit=N`: the device's store's changes after cursor `C`, oldest
/// first, with the cursor to send next time.
pub async fn pull(
    State(state): State<AppState>,
    device: Device,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let after = query
        .cursor
        .as_deref()
        .map(parse_cursor)
        .transpose()?
        .unwrap_or(0);
    let limit = query.limit.unwrap_or(MAX_PULL_CHANGES);
    if !(1..=MAX_PULL_CHANGES).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit: {limit} is not between 1 and {MAX_PULL_CHANGES}"
        )));
    }
    let store = device.store_id.to_string();
    let last: i64 = sqlx::query("SELECT change_seq FROM stores WHERE id = $1")
        .bind(&store)
        .fetch_one(state.db.pool())
        .await?
        .try_get(0)?;
    if after > last {
        return Err(ApiError::BadRequest(format!(
            "cursor: `{}` is ahead of this store's changes; it was issued for another store or \
             database (pull again without a cursor)",
            cursor(after)
        )));
    }

    let rows = sqlx::query(
        "SELECT seq, body FROM changes WHERE store_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(&store)
    .bind(after)
    .bind(i64::from(limit) + 1)
    .fetch_all(state.db.pool())
    .await?;
    let more = rows.len() > limit as usize;
    let mut next = after;
    let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
    for row in rows.iter().take(limit as usize) {
        next = row.try_get(0)?;
        let body: String = row.try_get(1)?;
        changes.push(serde_json::from_str(&body).map_err(|e| {
            ApiError::Internal(format!("stored change {next} does not parse: {e}"))
        })?);
    }

    sqlx::query("UPDATE devices SET last_pull_at = $1 WHERE id = $2")
        .bind(Timestamp::now().to_string())
        .bind(device.device_id.to_string())
        .execute(state.db.pool())
        .await?;
    tracing::debug!(device = %device.code, changes = changes.len(), more, "changes pulled");
    Ok(Json(PullResponse {
        changes,
        next_cursor: cursor(next),
        more,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        assert_eq!(parse_cursor(&cursor(42)).unwrap(), 42);
        assert!(parse_cursor("42").is_err());
        assert!(parse_cursor("c-1").is_err());
        assert!(parse_cursor("2026-01-01T00:00:00Z").is_err());
    }
}
