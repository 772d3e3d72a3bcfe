//! Gift cards: a merchant's cards, their ledgers, and spending them so that a balance can
//! never be spent twice.
//!
//! A card belongs to a merchant and is spent in any of its stores. Its balance is the sum of
//! its ledger, kept on the card's row so that an online redemption is one conditional
//! statement, `UPDATE gift_cards SET balance_minor = balance_minor - $amount WHERE ... AND
//! balance_minor >= $amount`, inside the transaction that records the entry. Two redemptions
//! at the same moment queue on the card's row (PostgreSQL re-checks the condition against the
//! row the first one committed; SQLite takes its write lock at `BEGIN IMMEDIATE`), so the
//! second finds what the first left and is refused with a 409 saying how much is left.
//!
//! Every entry is keyed by an id made where it was made (the device, or the owner's tool): a
//! request retried after a lost answer finds its entry and gets the same answer, taking
//! nothing more. A refused redemption records nothing, so its retry is judged afresh.
//!
//! A redemption made while the device could not reach the cloud arrives later as a
//! `GiftCardRedeemed` event through the push ([`apply_offline`]). The money was taken at the
//! till, so it is recorded whatever the balance; the first one that takes the card below zero
//! marks it overdrawn, and the owner lists those cards.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use kasir_domain::giftcard::{CardNumber, EntryKind, entry_delta};
use kasir_domain::money::Currency;
use kasir_sync::protocol::{
    GiftCardBalance, GiftCardEntry, GiftCardInfo, GiftCardRedeemed, IssueGiftCardRequest,
    LoadGiftCardRequest, OverdrawnCards, RedeemRequest, Redemption,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::auth::{Device, Owner, parse_id};
use crate::error::ApiError;
use crate::http::{ApiJson, ApiPath};
use crate::units::{from_minor, to_minor, to_minor_as_written};

/// An entry as stored, to tell a retry from an id reused for something else.
struct StoredEntry {
    merchant_id: String,
    number: String,
    kind: String,
    delta_minor: i64,
    balance_after_minor: i64,
}

async fn stored_entry(
    conn: &mut AnyConnection,
    entry_id: Uuid,
) -> Result<Option<StoredEntry>, ApiError> {
    let row = sqlx::query(
        "SELECT merchant_id, number, kind, delta_minor, balance_after_minor
         FROM gift_card_entries WHERE id = $1",
    )
    .bind(entry_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(StoredEntry {
            merchant_id: r.try_get(0)?,
            number: r.try_get(1)?,
            kind: r.try_get(2)?,
            delta_minor: r.try_get(3)?,
            balance_after_minor: r.try_get(4)?,
        })
    })
    .transpose()
}

impl StoredEntry {
    /// Whether this is the entry that `merchant_id` asked for with the same card, kind and
    /// delta: a retry, answered as the first request was.
    fn is_retry_of(
        &self,
        merchant_id: Uuid,
        number: &CardNumber,
        kind: EntryKind,
        delta_minor: i64,
    ) -> bool {
        self.merchant_id == merchant_id.to_string()
            && self.number == number.as_str()
            && self.kind == kind.name()
            && self.delta_minor == delta_minor
    }
}

fn entry_reused(entry_id: Uuid) -> ApiError {
    ApiError::Conflict(format!(
        "entry_id: {entry_id} was already used for another gift card entry; make a new id \
         for a new entry"
    ))
}

fn card_not_found(number: &CardNumber) -> ApiError {
    ApiError::NotFound(format!("gift card {number} is not a card of this merchant"))
}

fn parse_number(text: &str) -> Result<CardNumber, ApiError> {
    CardNumber::parse(text).map_err(|e| ApiError::BadRequest(e.to_string()))
}

fn parse_currency(code: &str) -> Result<Currency, ApiError> {
    Currency::from_code(code).map_err(|e| ApiError::Internal(format!("stored currency: {e}")))
}

async fn store_currency(conn: &mut AnyConnection, store_id: Uuid) -> Result<Currency, ApiError> {
    let code: String = sqlx::query("SELECT currency FROM stores WHERE id = $1")
        .bind(store_id.to_string())
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    parse_currency(&code)
}

/// A card's currency and balance, if the merchant has it.
async fn card(
    conn: &mut AnyConnection,
    merchant_id: Uuid,
    number: &CardNumber,
) -> Result<Option<(Currency, i64)>, ApiError> {
    let row = sqlx::query(
        "SELECT currency, balance_minor FROM gift_cards WHERE merchant_id = $1 AND number = $2",
    )
    .bind(merchant_id.to_string())
    .bind(number.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((parse_currency(&r.try_get::<String, _>(0)?)?, r.try_get(1)?)))
        .transpose()
}

/// What an entry records besides its card, kind and amounts.
struct EntryContext<'a> {
    entry_no: i64,
    source: &'a str,
    store_id: Option<Uuid>,
    device_id: Option<Uuid>,
    sale_id: Option<Uuid>,
    event_id: Option<&'a str>,
    recorded_at: &'a str,
}

/// Records an entry unless its id is already there; whether it was new.
#[allow(
    clippy::too_many_arguments,
    reason = "the columns of one row, each named"
)]
async fn insert_entry(
    conn: &mut AnyConnection,
    entry_id: Uuid,
    merchant_id: Uuid,
    number: &CardNumber,
    kind: EntryKind,
    delta_minor: i64,
    balance_after_minor: i64,
    context: &EntryContext<'_>,
) -> Result<bool, ApiError> {
    let inserted = sqlx::query(
        "INSERT INTO gift_card_entries (id, merchant_id, number, kind, delta_minor,
            balance_after_minor, source, store_id, device_id, sale_id, event_id, recorded_at,
            entry_no)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO NOTHING RETURNING id",
    )
    .bind(entry_id.to_string())
    .bind(merchant_id.to_string())
    .bind(number.as_str())
    .bind(kind.name())
    .bind(delta_minor)
    .bind(balance_after_minor)
    .bind(context.source)
    .bind(context.store_id.map(|id| id.to_string()))
    .bind(context.device_id.map(|id| id.to_string()))
    .bind(context.sale_id.map(|id| id.to_string()))
    .bind(context.event_id)
    .bind(context.recorded_at)
    .bind(context.entry_no)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(inserted.is_some())
}

/// `POST /v1/gift-cards/{number}/redemptions`: takes `amount` from the card if it holds it.
pub async fn redeem(
    State(state): State<AppState>,
    device: Device,
    ApiPath(number): ApiPath<String>,
    ApiJson(request): ApiJson<RedeemRequest>,
) -> Result<Json<Redemption>, ApiError> {
    let number = parse_number(&number)?;
    let mut tx = state.db.begin_write().await?;
    let currency = store_currency(&mut tx, device.store_id).await?;
    let delta = entry_delta(EntryKind::Redeem, request.amount, currency)?;
    let delta_minor = to_minor_as_written("amount", delta, currency)?;
    let answer = |balance_minor: i64, already_applied: bool| Redemption {
        entry_id: request.entry_id,
        number: number.clone(),
        amount: request.amount,
        balance: from_minor(balance_minor, currency),
        currency: currency.code().to_string(),
        already_applied,
    };

    if let Some(prior) = stored_entry(&mut tx, request.entry_id).await? {
        tx.rollback().await?;
        return if prior.is_retry_of(device.merchant_id, &number, EntryKind::Redeem, delta_minor) {
            Ok(Json(answer(prior.balance_after_minor, true)))
        } else {
            Err(entry_reused(request.entry_id))
        };
    }

    let now = Timestamp::now().to_string();
    // The whole rule in one statement: the row is locked while it is checked and changed, so
    // no other redemption can spend what this one saw.
    let updated = sqlx::query(
        "UPDATE gift_cards SET balance_minor = balance_minor + $1, updated_at = $2,
            entry_count = entry_count + 1
         WHERE merchant_id = $3 AND number = $4 AND currency = $5 AND balance_minor >= $6
         RETURNING balance_minor, entry_count",
    )
    .bind(delta_minor)
    .bind(&now)
    .bind(device.merchant_id.to_string())
    .bind(number.as_str())
    .bind(currency.code())
    .bind(-delta_minor)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(updated) = updated else {
        let found = card(&mut tx, device.merchant_id, &number).await?;
        tx.rollback().await?;
        return Err(match found {
            None => card_not_found(&number),
            Some((card_currency, _)) if card_currency != currency => ApiError::BadRequest(format!(
                "gift card {number} is in {card_currency}, this store trades in {currency}"
            )),
            Some((_, balance_minor)) => ApiError::InsufficientBalance(format!(
                "gift card {number} has {} left, less than {}; pay the rest with another tender",
                currency.display(from_minor(balance_minor.max(0), currency)),
                currency.display(request.amount)
            )),
        });
    };
    let balance_minor: i64 = updated.try_get(0)?;
    let context = EntryContext {
        entry_no: updated.try_get(1)?,
        source: "online",
        store_id: Some(device.store_id),
        device_id: Some(device.device_id),
        sale_id: request.sale_id,
        event_id: None,
        recorded_at: &now,
    };
    let new = insert_entry(
        &mut tx,
        request.entry_id,
        device.merchant_id,
        &number,
        EntryKind::Redeem,
        delta_minor,
        balance_minor,
        &context,
    )
    .await?;
    if !new {
        // The same entry committed by a request that ran alongside this one: undo this
        // request's change and answer as that one was answered.
        tx.rollback().await?;
        let mut conn = state.db.pool().acquire().await?;
        let prior = stored_entry(&mut conn, request.entry_id)
            .await?
            .ok_or_else(|| ApiError::Internal("an entry conflicted but is not stored".into()))?;
        return if prior.is_retry_of(device.merchant_id, &number, EntryKind::Redeem, delta_minor) {
            Ok(Json(answer(prior.balance_after_minor, true)))
        } else {
            Err(entry_reused(request.entry_id))
        };
    }
    tx.commit().await?;
    tracing::info!(card = %number.masked(), device = %device.code, "gift card redeemed online");
    Ok(Json(answer(balance_minor, false)))
}

/// `GET /v1/gift-cards/{number}`: the card's balance now.
pub async fn balance(
    State(state): State<AppState>,
    device: Device,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<GiftCardBalance>, ApiError> {
    let number = parse_number(&number)?;
    let mut conn = state.db.pool().acquire().await?;
    let (currency, balance_minor) = card(&mut conn, device.merchant_id, &number)
        .await?
        .ok_or_else(|| card_not_found(&number))?;
    Ok(Json(GiftCardBalance {
        number,
        balance: from_minor(balance_minor, currency),
        currency: currency.code().to_string(),
        as_of: Timestamp::now(),
    }))
}

/// Applies a redemption made offline (a `GiftCardRedeemed` event, inside the push's
/// savepoint). It is recorded even when it overdraws the card, which is then marked
/// overdrawn. `Ok(Err(reason))` when the event cannot be applied: an unknown card, another
/// currency, an entry id used for something else.
pub(crate) async fn apply_offline(
    conn: &mut AnyConnection,
    device: &Device,
    event_id: &str,
    redeemed: &GiftCardRedeemed,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    let number = &redeemed.number;
    let Some((currency, _)) = card(conn, device.merchant_id, number).await? else {
        return Ok(Err(format!(
            "gift card {} is not a card of this merchant",
            number.masked()
        )));
    };
    if redeemed.currency != currency.code() {
        return Ok(Err(format!(
            "the redemption is in {}, the gift card in {currency}",
            redeemed.currency
        )));
    }
    let delta_minor = match entry_delta(EntryKind::Redeem, redeemed.amount, currency)
        .and_then(|delta| to_minor("amount", delta, currency))
    {
        Ok(delta) => delta,
        Err(e) => return Ok(Err(format!("the redemption does not fit: {e}"))),
    };
    if let Some(prior) = stored_entry(conn, redeemed.entry_id).await? {
        // Already applied, for example online before the answer was lost: nothing more.
        return Ok(
            if prior.is_retry_of(device.merchant_id, number, EntryKind::Redeem, delta_minor) {
                Ok(())
            } else {
                Err(format!(
                    "entry {} was already used for another gift card entry",
                    redeemed.entry_id
                ))
            },
        );
    }

    let row = sqlx::query(
        "UPDATE gift_cards SET balance_minor = balance_minor + $1, updated_at = $2,
            entry_count = entry_count + 1,
            overdrawn_at = CASE WHEN overdrawn_at IS NULL AND balance_minor + $1 < 0
                                THEN $2 ELSE overdrawn_at END
         WHERE merchant_id = $3 AND number = $4
         RETURNING balance_minor, entry_count",
    )
    .bind(delta_minor)
    .bind(now)
    .bind(device.merchant_id.to_string())
    .bind(number.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let balance_minor: i64 = row.try_get(0)?;
    let context = EntryContext {
        entry_no: row.try_get(1)?,
        source: "offline",
        store_id: Some(device.store_id),
        device_id: Some(device.device_id),
        sale_id: redeemed.sale_id,
        event_id: Some(event_id),
        recorded_at: now,
    };
    if !insert_entry(
        conn,
        redeemed.entry_id,
        device.merchant_id,
        number,
        EntryKind::Redeem,
        delta_minor,
        balance_minor,
        &context,
    )
    .await?
    {
        return Err(ApiError::Internal(format!(
            "entry {} appeared while its event was stored",
            redeemed.entry_id
        )));
    }
    if balance_minor < 0 {
        tracing::warn!(card = %number.masked(), device = %device.code,
            "an offline gift card redemption overdrew the card");
    }
    Ok(Ok(()))
}

/// Credits a card from an event (inside the push's savepoint): an issue or a load sold at a
/// till, or value paid back onto it. An issue creates the card when the merchant has none by
/// that number (one already issued is credited all the same: the money was taken at the
/// till, and the owner sees the entry). A second copy of the entry id changes nothing.
/// `Ok(Err(reason))` when it cannot be applied: a card of another currency, an unknown card
/// for a load or refund, an entry id used for something else.
#[allow(
    clippy::too_many_arguments,
    reason = "the parts of one entry, each named"
)]
async fn credit_from_event(
    conn: &mut AnyConnection,
    device: &Device,
    event_id: &str,
    entry_id: Uuid,
    number: &CardNumber,
    kind: EntryKind,
    amount: rust_decimal::Decimal,
    currency: Currency,
    sale_id: Option<Uuid>,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    let delta_minor = match entry_delta(kind, amount, currency)
        .and_then(|delta| to_minor("amount", delta, currency))
    {
        Ok(delta) => delta,
        Err(e) => return Ok(Err(format!("the gift card entry does not fit: {e}"))),
    };
    if let Some(prior) = stored_entry(conn, entry_id).await? {
        return Ok(
            if prior.is_retry_of(device.merchant_id, number, kind, delta_minor) {
                Ok(())
            } else {
                Err(format!(
                    "entry {entry_id} was already used for another gift card entry"
                ))
            },
        );
    }
    let created = if kind == EntryKind::Issue {
        sqlx::query(
            "INSERT INTO gift_cards (merchant_id, number, currency, balance_minor, entry_count,
                created_at, updated_at)
             VALUES ($1, $2, $3, 0, 0, $4, $4)
             ON CONFLICT (merchant_id, number) DO NOTHING RETURNING number",
        )
        .bind(device.merchant_id.to_string())
        .bind(number.as_str())
        .bind(currency.code())
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
        .is_some()
    } else {
        false
    };
    match card(conn, device.merchant_id, number).await? {
        None => {
            return Ok(Err(format!(
                "gift card {} is not a card of this merchant",
                number.masked()
            )));
        }
        Some((card_currency, _)) if card_currency != currency => {
            return Ok(Err(format!(
                "the entry is in {currency}, the gift card {} in {card_currency}",
                number.masked()
            )));
        }
        Some(_) => {}
    }
    if kind == EntryKind::Issue && !created {
        tracing::warn!(card = %number.masked(), device = %device.code,
            "a till sold a gift card number already issued; credited as sold");
    }
    let row = sqlx::query(
        "UPDATE gift_cards SET balance_minor = balance_minor + $1, updated_at = $2,
            entry_count = entry_count + 1
         WHERE merchant_id = $3 AND number = $4
         RETURNING balance_minor, entry_count",
    )
    .bind(delta_minor)
    .bind(now)
    .bind(device.merchant_id.to_string())
    .bind(number.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let balance_minor: i64 = row.try_get(0)?;
    let context = EntryContext {
        entry_no: row.try_get(1)?,
        source: "offline",
        store_id: Some(device.store_id),
        device_id: Some(device.device_id),
        sale_id,
        event_id: Some(event_id),
        recorded_at: now,
    };
    if !insert_entry(
        conn,
        entry_id,
        device.merchant_id,
        number,
        kind,
        delta_minor,
        balance_minor,
        &context,
    )
    .await?
    {
        return Err(ApiError::Internal(format!(
            "entry {entry_id} appeared while its event was stored"
        )));
    }
    Ok(Ok(()))
}

/// Issues and loads the gift cards a sale sold (inside the push's savepoint, with the sale),
/// each once by its entry id.
pub(crate) async fn apply_sale_cards(
    conn: &mut AnyConnection,
    device: &Device,
    event_id: &str,
    sale: &kasir_domain::sale::Sale,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    for line in &sale.gift_cards {
        let number = match line.card_number() {
            Ok(number) => number,
            Err(e) => return Ok(Err(format!("a gift card line: {e}"))),
        };
        let applied = credit_from_event(
            conn,
            device,
            event_id,
            line.entry_id,
            &number,
            line.kind.entry_kind(),
            line.amount,
            sale.currency,
            Some(sale.id),
            now,
        )
        .await?;
        if let Err(reason) = applied {
            return Ok(Err(reason));
        }
    }
    if !sale.gift_cards.is_empty() {
        tracing::info!(cards = sale.gift_cards.len(), device = %device.code,
            "gift cards sold at a till issued or loaded");
    }
    Ok(Ok(()))
}

/// Applies a `GiftCardRefunded` event (inside the push's savepoint): the value goes back onto
/// the card once, by its entry id.
pub(crate) async fn apply_refund(
    conn: &mut AnyConnection,
    device: &Device,
    event_id: &str,
    refunded: &kasir_sync::protocol::GiftCardRefunded,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    let currency = match Currency::from_code(&refunded.currency) {
        Ok(currency) => currency,
        Err(e) => return Ok(Err(format!("currency: {e}"))),
    };
    let applied = credit_from_event(
        conn,
        device,
        event_id,
        refunded.entry_id,
        &refunded.number,
        EntryKind::Refund,
        refunded.amount,
        currency,
        refunded.sale_id,
        now,
    )
    .await?;
    if applied.is_ok() {
        tracing::info!(card = %refunded.number.masked(), device = %device.code,
            "gift card refund applied");
    }
    Ok(applied)
}

fn info(row: &AnyRow, entries: Vec<GiftCardEntry>) -> Result<GiftCardInfo, ApiError> {
    let currency = parse_currency(&row.try_get::<String, _>("currency")?)?;
    let number = CardNumber::parse(&row.try_get::<String, _>("number")?)
        .map_err(|e| ApiError::Internal(format!("stored card number: {e}")))?;
    let overdrawn_at: Option<String> = row.try_get("overdrawn_at")?;
    Ok(GiftCardInfo {
        code: number.kasir_code(),
        number,
        currency: currency.code().to_string(),
        balance: from_minor(row.try_get("balance_minor")?, currency),
        overdrawn_at: overdrawn_at.map(|t| timestamp(&t)).transpose()?,
        entries,
    })
}

fn timestamp(text: &str) -> Result<Timestamp, ApiError> {
    text.parse()
        .map_err(|e| ApiError::Internal(format!("stored time `{text}`: {e}")))
}

/// The card with its whole ledger, oldest entry first.
async fn card_info(
    conn: &mut AnyConnection,
    merchant_id: Uuid,
    number: &CardNumber,
) -> Result<GiftCardInfo, ApiError> {
    let row = sqlx::query(
        "SELECT number, currency, balance_minor, overdrawn_at FROM gift_cards
         WHERE merchant_id = $1 AND number = $2",
    )
    .bind(merchant_id.to_string())
    .bind(number.as_str())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| card_not_found(number))?;
    let currency = parse_currency(&row.try_get::<String, _>("currency")?)?;
    let rows = sqlx::query(
        "SELECT id, kind, delta_minor, balance_after_minor, source, sale_id, recorded_at
         FROM gift_card_entries WHERE merchant_id = $1 AND number = $2
         ORDER BY entry_no",
    )
    .bind(merchant_id.to_string())
    .bind(number.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let entries = rows
        .iter()
        .map(|r| {
            let sale_id: Option<String> = r.try_get(5)?;
            Ok(GiftCardEntry {
                entry_id: parse_id(&r.try_get::<String, _>(0)?, "entry id")?,
                kind: EntryKind::parse(&r.try_get::<String, _>(1)?)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
                delta: from_minor(r.try_get(2)?, currency),
                balance_after: from_minor(r.try_get(3)?, currency),
                source: r.try_get(4)?,
                sale_id: sale_id.map(|s| parse_id(&s, "sale id")).transpose()?,
                recorded_at: timestamp(&r.try_get::<String, _>(6)?)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    info(&row, entries)
}

/// `POST /v1/owner/gift-cards`: issues a card with its first value (a new random number
/// unless one is given). A retry with the same entry id issues nothing more.
pub async fn issue(
    State(state): State<AppState>,
    owner: Owner,
    ApiJson(request): ApiJson<IssueGiftCardRequest>,
) -> Result<(StatusCode, Json<GiftCardInfo>), ApiError> {
    let currency = Currency::from_code(&request.currency)?;
    let delta = entry_delta(EntryKind::Issue, request.amount, currency)?;
    let delta_minor = to_minor_as_written("amount", delta, currency)?;
    let asked = request.number.is_some();
    let number = match request.number {
        Some(number) => number,
        None => {
            let mut bits = [0u8; 5];
            getrandom::fill(&mut bits)
                .map_err(|e| ApiError::Internal(format!("the random source failed: {e}")))?;
            CardNumber::from_random(bits)
        }
    };

    let mut tx = state.db.begin_write().await?;
    if let Some(prior) = stored_entry(&mut tx, request.entry_id).await? {
        // A retry without a number made a new random one; the stored entry has the first.
        let prior_number = CardNumber::parse(&prior.number)
            .map_err(|e| ApiError::Internal(format!("stored card number: {e}")))?;
        let same_number = if asked { &number } else { &prior_number };
        if !prior.is_retry_of(
            owner.merchant_id,
            same_number,
            EntryKind::Issue,
            delta_minor,
        ) {
            tx.rollback().await?;
            return Err(entry_reused(request.entry_id));
        }
        let card = card_info(&mut tx, owner.merchant_id, &prior_number).await?;
        tx.rollback().await?;
        return Ok((StatusCode::OK, Json(card)));
    }
    let now = Timestamp::now().to_string();
    let created = sqlx::query(
        "INSERT INTO gift_cards (merchant_id, number, currency, balance_minor, entry_count,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, 1, $5, $5)
         ON CONFLICT (merchant_id, number) DO NOTHING RETURNING number",
    )
    .bind(owner.merchant_id.to_string())
    .bind(number.as_str())
    .bind(currency.code())
    .bind(delta_minor)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    if created.is_none() {
        tx.rollback().await?;
        return Err(ApiError::Conflict(format!(
            "number: gift card {number} was already issued; load it instead"
        )));
    }
    let context = EntryContext {
        entry_no: 1,
        source: "owner",
        store_id: None,
        device_id: None,
        sale_id: None,
        event_id: None,
        recorded_at: &now,
    };
    if !insert_entry(
        &mut tx,
        request.entry_id,
        owner.merchant_id,
        &number,
        EntryKind::Issue,
        delta_minor,
        delta_minor,
        &context,
    )
    .await?
    {
        tx.rollback().await?;
        return Err(entry_reused(request.entry_id));
    }
    let card = card_info(&mut tx, owner.merchant_id, &number).await?;
    tx.commit().await?;
    tracing::info!(card = %number.masked(), "gift card issued");
    Ok((StatusCode::CREATED, Json(card)))
}

/// `POST /v1/owner/gift-cards/{number}/loads`: adds value to a card. A retry with the same
/// entry id loads nothing more.
pub async fn load(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(number): ApiPath<String>,
    ApiJson(request): ApiJson<LoadGiftCardRequest>,
) -> Result<Json<GiftCardInfo>, ApiError> {
    let number = parse_number(&number)?;
    let mut tx = state.db.begin_write().await?;
    let (currency, _) = card(&mut tx, owner.merchant_id, &number)
        .await?
        .ok_or_else(|| card_not_found(&number))?;
    let delta = entry_delta(EntryKind::Load, request.amount, currency)?;
    let delta_minor = to_minor_as_written("amount", delta, currency)?;
    if let Some(prior) = stored_entry(&mut tx, request.entry_id).await? {
        tx.rollback().await?;
        if !prior.is_retry_of(owner.merchant_id, &number, EntryKind::Load, delta_minor) {
            return Err(entry_reused(request.entry_id));
        }
        let mut conn = state.db.pool().acquire().await?;
        return Ok(Json(
            card_info(&mut conn, owner.merchant_id, &number).await?,
        ));
    }
    let now = Timestamp::now().to_string();
    let loaded = sqlx::query(
        "UPDATE gift_cards SET balance_minor = balance_minor + $1, updated_at = $2,
            entry_count = entry_count + 1
         WHERE merchant_id = $3 AND number = $4 RETURNING balance_minor, entry_count",
    )
    .bind(delta_minor)
    .bind(&now)
    .bind(owner.merchant_id.to_string())
    .bind(number.as_str())
    .fetch_one(&mut *tx)
    .await?;
    let balance_minor: i64 = loaded.try_get(0)?;
    let context = EntryContext {
        entry_no: loaded.try_get(1)?,
        source: "owner",
        store_id: None,
        device_id: None,
        sale_id: None,
        event_id: None,
        recorded_at: &now,
    };
    if !insert_entry(
        &mut tx,
        request.entry_id,
        owner.merchant_id,
        &number,
        EntryKind::Load,
        delta_minor,
        balance_minor,
        &context,
    )
    .await?
    {
        // Loaded alongside by a request with the same entry id: undo this one.
        tx.rollback().await?;
        let mut conn = state.db.pool().acquire().await?;
        return Ok(Json(
            card_info(&mut conn, owner.merchant_id, &number).await?,
        ));
    }
    let card = card_info(&mut tx, owner.merchant_id, &number).await?;
    tx.commit().await?;
    tracing::info!(card = %number.masked(), "gift card loaded");
    Ok(Json(card))
}

/// `GET /v1/owner/gift-cards/{number}`: the card, its balance and its whole ledger.
pub async fn get_card(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<GiftCardInfo>, ApiError> {
    let number = parse_number(&number)?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(
        card_info(&mut conn, owner.merchant_id, &number).await?,
    ))
}

/// `GET /v1/owner/gift-cards/overdrawn`: the cards offline redemptions took below zero,
/// most overdrawn first (with their balance now, which a later load may have restored).
pub async fn overdrawn(
    State(state): State<AppState>,
    owner: Owner,
) -> Result<Json<OverdrawnCards>, ApiError> {
    let rows = sqlx::query(
        "SELECT number, currency, balance_minor, overdrawn_at FROM gift_cards
         WHERE merchant_id = $1 AND overdrawn_at IS NOT NULL
         ORDER BY balance_minor, number",
    )
    .bind(owner.merchant_id.to_string())
    .fetch_all(state.db.pool())
    .await?;
    let cards = rows
        .iter()
        .map(|r| info(r, Vec::new()))
        .collect::<Result<_, _>>()?;
    Ok(Json(OverdrawnCards { cards }))
}
