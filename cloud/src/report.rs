//! What the owner reads: a business day's totals over every device, and an item's stock.
//!
//! Everything is summed from the integers stored when each sale arrived; nothing is
//! recomputed. A day is the sale's own business date (the store's local date when it was
//! made), so a sale that reaches the cloud days later still counts on the day it happened.

use axum::Json;
use axum::extract::State;
use jiff::civil::Date;
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use kasir_sync::protocol::{
    DayReport, DeviceTotal, ItemStock, QrTotals, StaffTipTotal, TaxTotal, TenderTotal,
};
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::accounts::owned_store;
use crate::auth::{Owner, parse_id};
use crate::error::ApiError;
use crate::http::ApiPath;
use crate::units::{from_milli, from_minor};

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// `GET /v1/owner/stores/{store_id}/reports/day/{date}`: the day's sales over every device.
pub async fn day_report(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath((store_id, date)): ApiPath<(Uuid, String)>,
) -> Result<Json<DayReport>, ApiError> {
    let date: Date = date
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("date: `{date}` is not a date (YYYY-MM-DD)")))?;
    let store = owned_store(&state.db, owner, store_id).await?;
    let currency: Currency = store.settings.currency;
    let money = |minor: i64| from_minor(minor, currency);
    let pool = state.db.pool();
    let store_key = store.id.to_string();
    let day = date.to_string();

    let totals = sqlx::query(
        "SELECT count(*),
                CAST(COALESCE(sum(subtotal_minor), 0) AS BIGINT),
                CAST(COALESCE(sum(discount_minor), 0) AS BIGINT),
                CAST(COALESCE(sum(charges_minor), 0) AS BIGINT),
                CAST(COALESCE(sum(tax_minor), 0) AS BIGINT),
                CAST(COALESCE(sum(total_minor), 0) AS BIGINT),
                CAST(COALESCE(sum(cash_rounding_minor), 0) AS BIGINT)
         FROM sales WHERE store_id = $1 AND business_date = $2",
    )
    .bind(&store_key)
    .bind(&day)
    .fetch_one(pool)
    .await?;

    let tenders = sqlx::query(
        "SELECT t.method, count(*), CAST(sum(t.amount_minor - t.change_minor) AS BIGINT)
         FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
         WHERE s.store_id = $1 AND s.business_date = $2
         GROUP BY t.method ORDER BY t.method",
    )
    .bind(&store_key)
    .bind(&day)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(TenderTotal {
            method: r.try_get(0)?,
            count: count(r.try_get(1)?),
            amount: money(r.try_get(2)?),
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;

    // A QR tender the cloud has no row for (pushed before QR verification existed) counts as
    // verified: only a row saying `unverified` marks one.
    let qr = sqlx::query(
        "SELECT count(*) FILTER (WHERE COALESCE(q.status, '') <> 'unverified'),
                CAST(COALESCE(sum(t.amount_minor - t.change_minor)
                    FILTER (WHERE COALESCE(q.status, '') <> 'unverified'), 0) AS BIGINT),
                count(*) FILTER (WHERE q.status = 'unverified'),
                CAST(COALESCE(sum(t.amount_minor - t.change_minor)
                    FILTER (WHERE q.status = 'unverified'), 0) AS BIGINT)
         FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
         LEFT JOIN qr_tenders q ON q.sale_id = t.sale_id AND q.tender_no = t.tender_no
         WHERE s.store_id = $1 AND s.business_date = $2 AND t.method = 'qr'",
    )
    .bind(&store_key)
    .bind(&day)
    .fetch_one(pool)
    .await?;
    let qr = QrTotals {
        verified_count: count(qr.try_get(0)?),
        verified: money(qr.try_get(1)?),
        unverified_count: count(qr.try_get(2)?),
        unverified: money(qr.try_get(3)?),
    };

    let taxes = sqlx::query(
        "SELECT t.rate, max(t.label), CAST(sum(t.net_minor) AS BIGINT),
                CAST(sum(t.tax_minor) AS BIGINT)
         FROM sale_taxes t JOIN sales s ON s.id = t.sale_id
         WHERE s.store_id = $1 AND s.business_date = $2
         GROUP BY t.rate ORDER BY t.rate",
    )
    .bind(&store_key)
    .bind(&day)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(TaxTotal {
            rate: r.try_get(0)?,
            label: r.try_get(1)?,
            net: money(r.try_get(2)?),
            tax: money(r.try_get(3)?),
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;

    let devices = sqlx::query(
        "SELECT s.device_id, d.code, count(*), CAST(sum(s.total_minor) AS BIGINT)
         FROM sales s JOIN devices d ON d.id = s.device_id
         WHERE s.store_id = $1 AND s.business_date = $2
         GROUP BY s.device_id, d.code ORDER BY d.code, s.device_id",
    )
    .bind(&store_key)
    .bind(&day)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(DeviceTotal {
            device_id: parse_id(&r.try_get::<String, _>(0)?, "device id")?,
            device_code: r.try_get(1)?,
            sales: count(r.try_get(2)?),
            total: money(r.try_get(3)?),
        })
    })
    .collect::<Result<_, ApiError>>()?;

    // Gift cards sold at the tills: the issue and load entries their sales made.
    let gift_cards_sold: i64 = sqlx::query(
        "SELECT CAST(COALESCE(sum(e.delta_minor), 0) AS BIGINT)
         FROM gift_card_entries e JOIN sales s ON s.id = e.sale_id
         WHERE s.store_id = $1 AND s.business_date = $2 AND e.kind IN ('issue', 'load')",
    )
    .bind(&store_key)
    .bind(&day)
    .fetch_one(pool)
    .await?
    .try_get(0)?;

    let tips = day_tips(pool, &store_key, &day, currency).await?;
    let refunds = crate::till::day_refunds(pool, &store_key, &day, currency).await?;
    Ok(Json(DayReport {
        store_id: store.id,
        date,
        currency: currency.code().to_string(),
        sales: count(totals.try_get(0)?),
        subtotal: money(totals.try_get(1)?),
        discounts: money(totals.try_get(2)?),
        charges: money(totals.try_get(3)?),
        tax: money(totals.try_get(4)?),
        total: money(totals.try_get(5)?),
        gift_cards_sold: money(gift_cards_sold),
        cash_rounding: money(totals.try_get(6)?),
        tenders,
        qr,
        tips,
        taxes,
        devices,
        net_total: money(totals.try_get(5)?) - refunds.total,
        refunds,
    }))
}

/// Tips per staff member on business day `day`: the tips of the day's sales each one rang,
/// less the tips that day's refunds gave back of their sales (whoever made the refund), the
/// same attribution as the device's Z and day reports.
async fn day_tips(
    pool: &sqlx::AnyPool,
    store_key: &str,
    day: &str,
    currency: Currency,
) -> Result<Vec<StaffTipTotal>, ApiError> {
    let rows = sqlx::query(
        "SELECT staff, CAST(sum(sales) AS BIGINT), CAST(sum(tips) AS BIGINT),
                CAST(sum(refunded) AS BIGINT)
         FROM (SELECT s.staff AS staff, 1 AS sales, s.tips_minor AS tips, 0 AS refunded
               FROM sales s
               WHERE s.store_id = $1 AND s.business_date = $2 AND s.tips_minor <> 0
               UNION ALL
               SELECT s.staff, 0, 0, r.tips_minor
               FROM refunds r JOIN sales s ON s.id = r.sale_id
               WHERE r.store_id = $1 AND r.business_date = $2 AND r.tips_minor <> 0) t
         GROUP BY staff",
    )
    .bind(store_key)
    .bind(day)
    .fetch_all(pool)
    .await?;
    // Sorted here: the two databases order NULL and letters differently.
    let mut tips = rows
        .iter()
        .map(|r| {
            let (tips, refunded): (i64, i64) = (r.try_get(2)?, r.try_get(3)?);
            Ok(StaffTipTotal {
                staff: r.try_get(0)?,
                sales: count(r.try_get(1)?),
                tips: from_minor(tips, currency),
                refunded: from_minor(refunded, currency),
                net: from_minor(tips - refunded, currency),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    tips.sort_by(|a, b| a.staff.cmp(&b.staff));
    Ok(tips)
}

/// `GET /v1/owner/stores/{store_id}/items/{gtin}/stock`: the owner's count plus every
/// device's stock moves.
pub async fn item_stock(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath((store_id, gtin)): ApiPath<(Uuid, String)>,
) -> Result<Json<ItemStock>, ApiError> {
    let gtin = Gtin::parse(&gtin).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let store = owned_store(&state.db, owner, store_id).await?;
    let pool = state.db.pool();
    let base: Option<i64> =
        sqlx::query("SELECT stock_base_milli FROM items WHERE store_id = $1 AND gtin = $2")
            .bind(store.id.to_string())
            .bind(gtin.as_str())
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
    let moves = sqlx::query(
        "SELECT count(*), CAST(COALESCE(sum(delta_milli), 0) AS BIGINT) FROM stock_moves
         WHERE store_id = $1 AND gtin = $2",
    )
    .bind(store.id.to_string())
    .bind(gtin.as_str())
    .fetch_one(pool)
    .await?;
    let (moved_count, moved): (i64, i64) = (moves.try_get(0)?, moves.try_get(1)?);
    if base.is_none() && moved_count == 0 {
        return Err(ApiError::NotFound(format!(
            "item {} is neither in this store's catalog nor in its sales",
            gtin.as_str()
        )));
    }
    let base = base.unwrap_or(0);
    Ok(Json(ItemStock {
        gtin,
        base: from_milli(base),
        moved: from_milli(moved),
        stock: from_milli(base + moved),
    }))
}
