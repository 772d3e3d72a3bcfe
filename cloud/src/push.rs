//! Push: storing a device's events exactly once.
//!
//! Each event is keyed by the id the device made. In one transaction per request, each event
//! is inserted if absent (`ON CONFLICT (id) DO NOTHING`) and, when it was new, its sale, lines,
//! taxes, tenders and stock moves are written with it under a savepoint, so an event is stored
//! whole or not at all. Whatever happens in the network (a retry after a lost answer, the
//! same batch sent twice at once by two workers, duplicates within a batch, events out of
//! order), the unique id decides: the first insert wins and every other copy is answered
//! `already_stored`.
//!
//! An event that cannot be stored (not a sale, totals that do not add up, made on another
//! device, in another currency, an id another device used) is answered `rejected` with the
//! reason, and the others in the batch are stored all the same: one bad event must not hold
//! up a device's whole queue. A request that is wrong as a whole (not JSON, wrong shape, too
//! big, wrong device, unknown token, wrong protocol version) is a 4xx and stores nothing.
//!
//! Concurrency: the transaction first touches the device's row (`last_push_at`), which
//! serialises two workers pushing for one device; events are then inserted in id order, so two
//! transactions that share events take their locks in the same order and cannot deadlock.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use kasir_domain::money::Currency;
use kasir_domain::sale::Sale;
use kasir_sync::protocol::{
    Event, EventResult, EventStatus, GIFT_CARD_REDEEMED, GiftCardRedeemed, MAX_PUSH_EVENTS,
    PushRequest, PushResponse,
};
use sqlx::AnyConnection;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Device;
use crate::error::ApiError;
use crate::giftcards;
use crate::http::ApiJson;
use crate::tokens::digest;
use crate::units::{to_milli, to_minor};

/// The event kinds this server stores.
pub const SALE_COMPLETED: &str = "SaleCompleted";

/// A sale ready to store: every amount in minor units, every quantity in thousandths.
struct SaleRows {
    sale: Sale,
    subtotal: i64,
    discount: i64,
    charges: i64,
    tax: i64,
    total: i64,
    cash_rounding: i64,
    /// What the customer paid as tip.
    tips: i64,
    /// Per line: quantity, amount, tax.
    lines: Vec<(i64, i64, i64)>,
    /// Per rate: net, tax.
    taxes: Vec<(i64, i64)>,
    /// Per tender: amount, change.
    tenders: Vec<(i64, i64)>,
    /// The public receipt token the device gave the sale (absent from older devices).
    receipt_token: Option<String>,
}

/// What checking an event without the database found.
enum Checked {
    /// A sale to store.
    Sale(Box<SaleRows>),
    /// A gift card redemption made offline, to apply (see `giftcards::apply_offline`).
    GiftCard(GiftCardRedeemed),
    /// A customer, a change of points or a refund onto a gift card (see `loyalty::apply`).
    Effect(crate::loyalty::Effect),
    /// A refund, a shift or a cash movement (see `till::store`).
    Till(crate::till::TillEvent),
    /// Why it cannot be stored.
    Invalid(String),
}

/// Checks one event on its own: its kind, that its payload is a sale that verifies, made on
/// this device, in the store's currency.
fn check(event: &Event, device_id: Uuid, currency: Currency) -> Checked {
    if event.kind == GIFT_CARD_REDEEMED {
        return check_gift_card(event);
    }
    if let Some(effect) = crate::loyalty::parse_effect(event) {
        return match effect {
            Ok(effect) => Checked::Effect(effect),
            Err(reason) => Checked::Invalid(reason),
        };
    }
    if let Some(till) = crate::till::parse(event, device_id, currency) {
        return match till {
            Ok(till) => Checked::Till(till),
            Err(reason) => Checked::Invalid(reason),
        };
    }
    if event.kind != SALE_COMPLETED {
        return Checked::Invalid(format!(
            "unknown event kind `{}`: this server stores {SALE_COMPLETED} and \
             {GIFT_CARD_REDEEMED}",
            event.kind
        ));
    }
    if event.seq < 1 {
        return Checked::Invalid(format!("seq: {} is not 1 or more", event.seq));
    }
    let sale: Sale = match serde_json::from_value(event.payload.clone()) {
        Ok(sale) => sale,
        Err(e) => return Checked::Invalid(format!("the payload is not a sale: {e}")),
    };
    if let Err(e) = sale.verify() {
        return Checked::Invalid(format!("the sale does not verify: {e}"));
    }
    let receipt_token = match crate::receipt::token_of(&event.payload) {
        Ok(token) => token,
        Err(reason) => return Checked::Invalid(reason),
    };
    if Uuid::parse_str(&sale.device_id).ok() != Some(device_id) {
        return Checked::Invalid(format!(
            "the sale was made on device `{}`, not on the device pushing it",
            sale.device_id
        ));
    }
    if sale.currency != currency {
        return Checked::Invalid(format!(
            "the sale is in {}, the store trades in {currency}",
            sale.currency
        ));
    }
    match rows(sale, receipt_token) {
        Ok(rows) => Checked::Sale(Box::new(rows)),
        Err(e) => Checked::Invalid(format!("the sale does not fit: {e}")),
    }
}

/// Checks a `GiftCardRedeemed` event on its own: its number and its payload.
fn check_gift_card(event: &Event) -> Checked {
    if event.seq < 1 {
        return Checked::Invalid(format!("seq: {} is not 1 or more", event.seq));
    }
    match serde_json::from_value(event.payload.clone()) {
        Ok(redeemed) => Checked::GiftCard(redeemed),
        Err(e) => Checked::Invalid(format!("the payload is not a gift card redemption: {e}")),
    }
}

fn rows(sale: Sale, receipt_token: Option<String>) -> Result<SaleRows, kasir_domain::DomainError> {
    let c = sale.currency;
    Ok(SaleRows {
        receipt_token,
        subtotal: to_minor("subtotal", sale.subtotal, c)?,
        discount: to_minor("discount_total", sale.discount_total, c)?,
        charges: to_minor("charges_total", sale.charges_total, c)?,
        tax: to_minor("tax_total", sale.tax_total, c)?,
        total: to_minor("total", sale.total, c)?,
        cash_rounding: to_minor("cash_rounding", sale.cash_rounding, c)?,
        tips: to_minor("tips", sale.tip_paid(), c)?,
        lines: sale
            .lines
            .iter()
            .map(|l| {
                Ok((
                    to_milli("quantity", l.quantity)?,
                    to_minor("amount", l.amount, c)?,
                    to_minor("tax", l.tax, c)?,
                ))
            })
            .collect::<Result<_, kasir_domain::DomainError>>()?,
        taxes: sale
            .taxes
            .iter()
            .map(|t| Ok((to_minor("net", t.net, c)?, to_minor("tax", t.tax, c)?)))
            .collect::<Result<_, kasir_domain::DomainError>>()?,
        tenders: sale
            .tenders
            .iter()
            .map(|t| {
                Ok((
                    to_minor("amount", t.amount, c)?,
                    to_minor("change", t.change, c)?,
                ))
            })
            .collect::<Result<_, kasir_domain::DomainError>>()?,
        sale,
    })
}

pub(crate) fn result(id: Uuid, status: EventStatus, reason: Option<String>) -> EventResult {
    EventResult { id, status, reason }
}

/// Inserts `event`'s row (under the caller's savepoint); `false` when an event with its id is
/// stored already, whose answer [`stored_before`] gives once the savepoint is rolled back.
pub(crate) async fn insert_event(
    conn: &mut AnyConnection,
    device: &Device,
    event: &Event,
    hash: &str,
    received_at: &str,
) -> Result<bool, ApiError> {
    let inserted = sqlx::query(
        "INSERT INTO events (id, store_id, device_id, device_seq, kind, occurred_at, payload,
            payload_sha256, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO NOTHING RETURNING id",
    )
    .bind(event.id.to_string())
    .bind(device.store_id.to_string())
    .bind(device.device_id.to_string())
    .bind(event.seq)
    .bind(&event.kind)
    .bind(event.occurred_at.to_string())
    .bind(event.payload.to_string())
    .bind(hash)
    .bind(received_at)
    .fetch_optional(conn)
    .await?;
    Ok(inserted.is_some())
}

/// The answer for an event whose id [`insert_event`] found stored: already stored, or rejected
/// when the stored one differs.
pub(crate) async fn stored_before(
    conn: &mut AnyConnection,
    device: &Device,
    event: &Event,
    hash: &str,
) -> Result<EventResult, ApiError> {
    judge_stored(conn, event.id, device.device_id, hash)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(format!("event {} conflicted but is not stored", event.id))
        })
}

/// The answer for an event whose id is already stored: a retry of the same event from the
/// same device is `already_stored`; anything else reusing the id is refused.
pub(crate) async fn judge_stored(
    conn: &mut AnyConnection,
    id: Uuid,
    device_id: Uuid,
    hash: &str,
) -> Result<Option<EventResult>, ApiError> {
    let row = sqlx::query("SELECT device_id, payload_sha256 FROM events WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let stored_device: String = row.try_get(0)?;
    let stored_hash: String = row.try_get(1)?;
    Ok(Some(if stored_device != device_id.to_string() {
        result(
            id,
            EventStatus::Rejected,
            Some("the event id was already used by another device".into()),
        )
    } else if stored_hash != hash {
        result(
            id,
            EventStatus::Rejected,
            Some("the event id was already stored with different content".into()),
        )
    } else {
        result(id, EventStatus::AlreadyStored, None)
    }))
}

/// Stores one event (inside the request's transaction), or says why not.
async fn store(
    conn: &mut AnyConnection,
    device: &Device,
    event: &Event,
    checked: &Checked,
    hash: &str,
    received_at: &str,
) -> Result<EventResult, ApiError> {
    let rows = match checked {
        Checked::Invalid(reason) => {
            // An event stored earlier stays stored, whatever a retry of it looks like now.
            return Ok(
                match judge_stored(conn, event.id, device.device_id, hash).await? {
                    Some(stored) => stored,
                    None => result(event.id, EventStatus::Rejected, Some(reason.clone())),
                },
            );
        }
        Checked::Sale(rows) => rows,
        Checked::Till(till) => {
            return crate::till::store(conn, device, event, till, hash, received_at).await;
        }
        Checked::GiftCard(redeemed) => {
            return store_gift_card(conn, device, event, redeemed, hash, received_at).await;
        }
        Checked::Effect(effect) => {
            return store_effect(conn, device, event, effect, hash, received_at).await;
        }
    };
    let sale = &rows.sale;
    let id = event.id.to_string();
    let sale_id = sale.id.to_string();
    let store_id = device.store_id.to_string();
    let device_id = device.device_id.to_string();

    let mut savepoint = conn.begin().await?;
    if !insert_event(&mut savepoint, device, event, hash, received_at).await? {
        savepoint.rollback().await?;
        return stored_before(conn, device, event, hash).await;
    }
    if let Some(token) = &rows.receipt_token
        && crate::receipt::token_taken(&mut savepoint, token).await?
    {
        savepoint.rollback().await?;
        return Ok(result(
            event.id,
            EventStatus::Rejected,
            Some("receipt_token: already the token of another sale".into()),
        ));
    }

    let sale_inserted = sqlx::query(
        "INSERT INTO sales (id, event_id, store_id, device_id, receipt_number, completed_at,
            business_date, currency, subtotal_minor, discount_minor, charges_minor, tax_minor,
            total_minor, cash_rounding_minor, line_count, receipt_token, staff, tips_minor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18)
         ON CONFLICT (id) DO NOTHING RETURNING id",
    )
    .bind(&sale_id)
    .bind(&id)
    .bind(&store_id)
    .bind(&device_id)
    .bind(&sale.receipt_number)
    .bind(sale.completed_at.to_string())
    .bind(sale.business_date.to_string())
    .bind(sale.currency.code())
    .bind(rows.subtotal)
    .bind(rows.discount)
    .bind(rows.charges)
    .bind(rows.tax)
    .bind(rows.total)
    .bind(rows.cash_rounding)
    .bind(i64::try_from(sale.lines.len()).unwrap_or(i64::MAX))
    .bind(rows.receipt_token.as_deref())
    .bind(sale.staff.as_deref())
    .bind(rows.tips)
    .fetch_optional(&mut *savepoint)
    .await?;
    if sale_inserted.is_none() {
        savepoint.rollback().await?;
        return Ok(result(
            event.id,
            EventStatus::Rejected,
            Some(format!(
                "sale {sale_id} is already stored, from another event"
            )),
        ));
    }

    for (line, (quantity, amount, tax)) in sale.lines.iter().zip(&rows.lines) {
        sqlx::query(
            "INSERT INTO sale_lines (sale_id, line_no, gtin, name, quantity_milli, amount_minor,
                tax_minor)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&sale_id)
        .bind(i64::from(line.number))
        .bind(line.gtin.as_str())
        .bind(&line.name)
        .bind(*quantity)
        .bind(*amount)
        .bind(*tax)
        .execute(&mut *savepoint)
        .await?;
        sqlx::query(
            "INSERT INTO stock_moves (sale_id, line_no, store_id, device_id, gtin, delta_milli)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&sale_id)
        .bind(i64::from(line.number))
        .bind(&store_id)
        .bind(&device_id)
        .bind(line.gtin.as_str())
        .bind(-*quantity)
        .execute(&mut *savepoint)
        .await?;
    }
    for (rate, (net, tax)) in sale.taxes.iter().zip(&rows.taxes) {
        sqlx::query(
            "INSERT INTO sale_taxes (sale_id, rate, label, percent, net_minor, tax_minor)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&sale_id)
        .bind(&rate.rate)
        .bind(&rate.label)
        .bind(rate.percent.to_string())
        .bind(*net)
        .bind(*tax)
        .execute(&mut *savepoint)
        .await?;
    }
    for (number, (tender, (amount, change))) in sale.tenders.iter().zip(&rows.tenders).enumerate() {
        sqlx::query(
            "INSERT INTO sale_tenders (sale_id, tender_no, method, amount_minor, change_minor)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&sale_id)
        .bind(i64::try_from(number + 1).unwrap_or(i64::MAX))
        .bind(tender.method.name())
        .bind(*amount)
        .bind(*change)
        .execute(&mut *savepoint)
        .await?;
    }
    crate::qris::record_sale(&mut savepoint, device.store_id, sale).await?;
    // Gift cards sold or loaded at the till are issued and loaded with their sale.
    if let Err(reason) =
        giftcards::apply_sale_cards(&mut savepoint, device, &id, sale, received_at).await?
    {
        savepoint.rollback().await?;
        return Ok(result(event.id, EventStatus::Rejected, Some(reason)));
    }
    savepoint.commit().await?;
    Ok(result(event.id, EventStatus::Stored, None))
}

/// Stores a `GiftCardRedeemed` event and applies its redemption, both under one savepoint, or
/// says why not.
async fn store_gift_card(
    conn: &mut AnyConnection,
    device: &Device,
    event: &Event,
    redeemed: &GiftCardRedeemed,
    hash: &str,
    received_at: &str,
) -> Result<EventResult, ApiError> {
    let id = event.id.to_string();
    let mut savepoint = conn.begin().await?;
    if !insert_event(&mut savepoint, device, event, hash, received_at).await? {
        savepoint.rollback().await?;
        return stored_before(conn, device, event, hash).await;
    }
    match giftcards::apply_offline(&mut savepoint, device, &id, redeemed, received_at).await? {
        Ok(()) => {
            savepoint.commit().await?;
            Ok(result(event.id, EventStatus::Stored, None))
        }
        Err(reason) => {
            savepoint.rollback().await?;
            Ok(result(event.id, EventStatus::Rejected, Some(reason)))
        }
    }
}

/// Stores an event whose effect is applied with it (a customer, a change of points, a refund
/// onto a gift card), both under one savepoint, or says why not.
async fn store_effect(
    conn: &mut AnyConnection,
    device: &Device,
    event: &Event,
    effect: &crate::loyalty::Effect,
    hash: &str,
    received_at: &str,
) -> Result<EventResult, ApiError> {
    let id = event.id.to_string();
    let mut savepoint = conn.begin().await?;
    if !insert_event(&mut savepoint, device, event, hash, received_at).await? {
        savepoint.rollback().await?;
        return stored_before(conn, device, event, hash).await;
    }
    match crate::loyalty::apply(&mut savepoint, device, &id, effect, received_at).await? {
        Ok(()) => {
            savepoint.commit().await?;
            Ok(result(event.id, EventStatus::Stored, None))
        }
        Err(reason) => {
            savepoint.rollback().await?;
            Ok(result(event.id, EventStatus::Rejected, Some(reason)))
        }
    }
}

/// `POST /v1/events`: stores a batch of the device's events; answers one result per event,
/// in the order sent.
pub async fn push(
    State(state): State<AppState>,
    device: Device,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.device_id != device.device_id {
        return Err(ApiError::Forbidden(format!(
            "device_id: the token belongs to device {}, not to {}",
            device.device_id, request.device_id
        )));
    }
    if request.events.len() > MAX_PUSH_EVENTS {
        return Err(ApiError::PayloadTooLarge(format!(
            "events: {} in one push; at most {MAX_PUSH_EVENTS}",
            request.events.len()
        )));
    }
    if request.events.is_empty() {
        return Ok(Json(PushResponse {
            results: Vec::new(),
        }));
    }

    let currency: String = sqlx::query("SELECT currency FROM stores WHERE id = $1")
        .bind(device.store_id.to_string())
        .fetch_one(state.db.pool())
        .await?
        .try_get(0)?;
    let currency = Currency::from_code(&currency)
        .map_err(|e| ApiError::Internal(format!("the store's currency: {e}")))?;
    let checked: Vec<(Checked, String)> = request
        .events
        .iter()
        .map(|e| {
            let hash = digest(format!("{}\n{}", e.kind, e.payload).as_bytes());
            (check(e, device.device_id, currency), hash)
        })
        .collect();
    let mut order: Vec<usize> = (0..request.events.len()).collect();
    order.sort_by_key(|&i| request.events[i].id);

    let now = Timestamp::now().to_string();
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE devices SET last_push_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(device.device_id.to_string())
        .execute(&mut *tx)
        .await?;
    let mut results: Vec<Option<EventResult>> = vec![None; request.events.len()];
    for i in order {
        let (checked, hash) = &checked[i];
        results[i] = Some(store(&mut tx, &device, &request.events[i], checked, hash, &now).await?);
    }
    tx.commit().await?;

    let results: Vec<EventResult> = results.into_iter().flatten().collect();
    let count = |status| results.iter().filter(|r| r.status == status).count();
    tracing::info!(
        device = %device.code,
        stored = count(EventStatus::Stored),
        already_stored = count(EventStatus::AlreadyStored),
        rejected = count(EventStatus::Rejected),
        "events pushed"
    );
    for r in results.iter().filter(|r| r.status == EventStatus::Rejected) {
        let reason = r.reason.as_deref().unwrap_or("");
        tracing::debug!(event = %r.id, reason, "event rejected");
    }
    Ok(Json(PushResponse { results }))
}
