//! The till's events: refunds and voids (`SaleRefunded`, stored as refunds and netted in the
//! day report), and shifts and cash movements (`ShiftOpened`, `CashMoved`, `ShiftClosed`,
//! kept as events for the record).
//!
//! A refund is checked on its own (it verifies, it was made on the pushing device, in the
//! store's currency) and, when its sale is here, against it: the sale's refunds together never
//! give back more than the sale's total. A refund whose sale has not arrived is stored all the
//! same (a device's events can arrive in any order); the devices enforce the limit too.

use kasir_domain::money::Currency;
use kasir_domain::refund::Refund;
use kasir_sync::protocol::{CASH_MOVED, Event, SALE_REFUNDED, SHIFT_CLOSED, SHIFT_OPENED};
use sqlx::{AnyConnection, Connection, Row};
use uuid::Uuid;

use crate::auth::Device;
use crate::error::ApiError;
use crate::push::{insert_event, result, stored_before};
use crate::units::to_minor;
use kasir_sync::protocol::{EventResult, EventStatus, RefundTotal, TenderTotal};

/// A till event, checked.
pub enum TillEvent {
    /// A refund or void, with its amounts in minor units: total, tax, tips, and per tender.
    Refund(Box<Refund>, [i64; 3], Vec<i64>),
    /// A shift or cash movement, kept as an event.
    Record,
}

/// The till event `event` is, checked; `None` when it is not one.
pub fn parse(
    event: &Event,
    device_id: Uuid,
    currency: Currency,
) -> Option<Result<TillEvent, String>> {
    let kind = event.kind.as_str();
    if ![SALE_REFUNDED, SHIFT_OPENED, CASH_MOVED, SHIFT_CLOSED].contains(&kind) {
        return None;
    }
    if event.seq < 1 {
        return Some(Err(format!("seq: {} is not 1 or more", event.seq)));
    }
    if kind != SALE_REFUNDED {
        return Some(if event.payload.is_object() {
            Ok(TillEvent::Record)
        } else {
            Err(format!("the payload of a {kind} event is not an object"))
        });
    }
    Some(check_refund(event, device_id, currency))
}

fn check_refund(event: &Event, device_id: Uuid, currency: Currency) -> Result<TillEvent, String> {
    let refund: Refund = serde_json::from_value(event.payload.clone())
        .map_err(|e| format!("the payload is not a refund: {e}"))?;
    refund
        .verify()
        .map_err(|e| format!("the refund does not verify: {e}"))?;
    if Uuid::parse_str(&refund.device_id).ok() != Some(device_id) {
        return Err(format!(
            "the refund was made on device `{}`, not on the device pushing it",
            refund.device_id
        ));
    }
    if refund.currency != currency {
        return Err(format!(
            "the refund is in {}, the store trades in {currency}",
            refund.currency
        ));
    }
    let minor = |field: &str, amount| to_minor(field, amount, currency).map_err(|e| e.to_string());
    let amounts = [
        minor("total", refund.total)?,
        minor("tax", refund.tax)?,
        minor("tips", refund.tips)?,
    ];
    let tenders = refund
        .tenders
        .iter()
        .map(|t| minor("tender", t.amount))
        .collect::<Result<_, _>>()?;
    Ok(TillEvent::Refund(Box::new(refund), amounts, tenders))
}

/// Stores a till event (inside the push's transaction, under a savepoint), or says why not.
pub async fn store(
    conn: &mut AnyConnection,
    device: &Device,
    event: &Event,
    till: &TillEvent,
    hash: &str,
    received_at: &str,
) -> Result<EventResult, ApiError> {
    let id = event.id.to_string();
    let store_id = device.store_id.to_string();
    let device_id = device.device_id.to_string();
    let mut savepoint = conn.begin().await?;
    if !insert_event(&mut savepoint, device, event, hash, received_at).await? {
        savepoint.rollback().await?;
        return stored_before(conn, device, event, hash).await;
    }
    let TillEvent::Refund(refund, [total, tax, tips], tenders) = till else {
        savepoint.commit().await?;
        return Ok(result(event.id, EventStatus::Stored, None));
    };
    let sale_id = refund.sale_id.to_string();
    let sale = sqlx::query(
        "SELECT s.total_minor, CAST(COALESCE(sum(r.total_minor), 0) AS BIGINT)
         FROM sales s LEFT JOIN refunds r ON r.sale_id = s.id
         WHERE s.id = $1 AND s.store_id = $2 GROUP BY s.total_minor",
    )
    .bind(&sale_id)
    .bind(&store_id)
    .fetch_optional(&mut *savepoint)
    .await?;
    if let Some(sale) = sale {
        let (sale_total, refunded): (i64, i64) = (sale.try_get(0)?, sale.try_get(1)?);
        if refunded + total > sale_total {
            savepoint.rollback().await?;
            return Ok(result(
                event.id,
                EventStatus::Rejected,
                Some(format!(
                    "refund {} would take the refunds of sale {} beyond its total",
                    refund.refund_number, refund.receipt_number
                )),
            ));
        }
    }
    let refund_id = refund.id.to_string();
    let stored = sqlx::query(
        "INSERT INTO refunds (id, event_id, store_id, device_id, refund_number, kind, sale_id,
            receipt_number, business_date, total_minor, tax_minor, tips_minor, staff)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO NOTHING RETURNING id",
    )
    .bind(&refund_id)
    .bind(&id)
    .bind(&store_id)
    .bind(&device_id)
    .bind(&refund.refund_number)
    .bind(refund.kind.name())
    .bind(&sale_id)
    .bind(&refund.receipt_number)
    .bind(refund.business_date.to_string())
    .bind(*total)
    .bind(*tax)
    .bind(*tips)
    .bind(refund.staff.clone())
    .fetch_optional(&mut *savepoint)
    .await?;
    if stored.is_none() {
        savepoint.rollback().await?;
        return Ok(result(
            event.id,
            EventStatus::Rejected,
            Some(format!(
                "refund {refund_id} is already stored, from another event"
            )),
        ));
    }
    for (i, (tender, amount)) in refund.tenders.iter().zip(tenders).enumerate() {
        sqlx::query(
            "INSERT INTO refund_tenders (refund_id, position, method, amount_minor)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&refund_id)
        .bind(i64::try_from(i + 1).unwrap_or(i64::MAX))
        .bind(&tender.method)
        .bind(*amount)
        .execute(&mut *savepoint)
        .await?;
    }
    savepoint.commit().await?;
    Ok(result(event.id, EventStatus::Stored, None))
}

/// The refunds of `day` in store `store_id`, for the day report.
pub async fn day_refunds(
    pool: &sqlx::AnyPool,
    store_id: &str,
    day: &str,
    currency: Currency,
) -> Result<RefundTotal, ApiError> {
    let money = |minor: i64| crate::units::from_minor(minor, currency);
    let totals = sqlx::query(
        "SELECT count(*), CAST(COALESCE(sum(total_minor), 0) AS BIGINT),
                CAST(COALESCE(sum(tax_minor), 0) AS BIGINT),
                CAST(COALESCE(sum(tips_minor), 0) AS BIGINT)
         FROM refunds WHERE store_id = $1 AND business_date = $2",
    )
    .bind(store_id)
    .bind(day)
    .fetch_one(pool)
    .await?;
    let tenders = sqlx::query(
        "SELECT t.method, count(*), CAST(sum(t.amount_minor) AS BIGINT)
         FROM refund_tenders t JOIN refunds r ON r.id = t.refund_id
         WHERE r.store_id = $1 AND r.business_date = $2
         GROUP BY t.method ORDER BY t.method",
    )
    .bind(store_id)
    .bind(day)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(TenderTotal {
            method: r.try_get(0)?,
            count: u64::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0),
            amount: money(r.try_get(2)?),
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(RefundTotal {
        count: u64::try_from(totals.try_get::<i64, _>(0)?).unwrap_or(0),
        total: money(totals.try_get(1)?),
        tax: money(totals.try_get(2)?),
        tips: money(totals.try_get(3)?),
        tenders,
    })
}
