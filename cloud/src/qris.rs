//! QRIS payments through a simulated provider, and the verification of QR tenders.
//!
//! The provider is simulated inside the cloud account: a device asks for a dynamic payment of
//! an amount under its own reference, and the cloud makes the dynamic QRIS code from the
//! store's QRIS payload (point of initiation 12, the amount in tag 54, the device's reference
//! as the reference label in tag 62), keeps it pending until it is paid (the owner's
//! `simulate` endpoint stands for the customer's bank app, or `auto_pay` pays it at the first
//! status request), expires it when its time is up, or cancels it when the device calls it
//! off. A payment is created once per reference in a store: asking again returns it.
//!
//! Every QR tender of a pushed sale is recorded here, unverified, and matched against the
//! paid payments the provider knows: a dynamic payment whose id the tender carries, or a
//! payment to the static sticker that the acquirer reported with the reference the clerk
//! typed (`received`), in both cases for exactly the tender's amount, and each payment for
//! one tender at most. Matching runs both ways (a sale arriving after its payment, and a
//! payment arriving after its sale). What stays unverified is listed for the owner, who may
//! also match a tender by hand. The device's own claim is never taken: a register cannot
//! vouch for itself.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use kasir_domain::emvqr::{Field, Payload, Value, qris};
use kasir_domain::money::Currency;
use kasir_domain::payment::TenderMethod;
use kasir_domain::sale::Sale;
use kasir_domain::settings::StoreSettings;
use kasir_sync::qr::{
    CreateQrPayment, MAX_EXPIRY_SECONDS, MAX_TENDER_QUERY, MatchQrTender, QrPayment,
    QrPaymentStatus, QrTenderList, QrTenderQuery, QrTenderState, QrisConfig, ReceivedQrPayment,
    SimulateQrPayment, SimulatedOutcome, check_reference,
};
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::accounts::{owned_store, store_not_found};
use crate::auth::{Device, Owner};
use crate::error::ApiError;
use crate::http::{ApiJson, ApiPath, ApiQuery};
use crate::units::{from_minor, to_minor, to_minor_as_written};

/// The columns [`payment_from_row`] reads, for `concat!` (queries are static strings).
macro_rules! payment_columns {
    () => {
        "provider_id, reference, amount_minor, currency, payload, status, created_at, \
         expires_at, paid_at"
    };
}

/// The select of [`tender_from_row`], for `concat!`.
macro_rules! tender_query {
    () => {
        "SELECT t.sale_id, t.tender_no, s.receipt_number, d.code, s.business_date, s.currency, \
         t.reference, t.amount_minor, t.status, t.verified_by, t.provider_id, t.verified_at, \
         t.note FROM qr_tenders t JOIN sales s ON s.id = t.sale_id \
         JOIN devices d ON d.id = s.device_id "
    };
}

fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(format!("stored {what} does not parse: {e}"))
}

fn timestamp(text: &str) -> Result<Timestamp, ApiError> {
    text.parse().map_err(|e| internal("time", e))
}

fn payment_from_row(row: &AnyRow) -> Result<QrPayment, ApiError> {
    let currency: String = row.try_get("currency")?;
    let code = Currency::from_code(&currency).map_err(|e| internal("currency", e))?;
    let status: String = row.try_get("status")?;
    Ok(QrPayment {
        provider_id: row.try_get("provider_id")?,
        reference: row.try_get("reference")?,
        amount: from_minor(row.try_get("amount_minor")?, code),
        currency,
        payload: row.try_get("payload")?,
        status: QrPaymentStatus::from_name(&status)
            .ok_or_else(|| internal("payment status", &status))?,
        created_at: timestamp(&row.try_get::<String, _>("created_at")?)?,
        expires_at: timestamp(&row.try_get::<String, _>("expires_at")?)?,
        paid_at: row
            .try_get::<Option<String>, _>("paid_at")?
            .as_deref()
            .map(timestamp)
            .transpose()?,
    })
}

/// The store's QRIS settings, or `None` when it has never set them.
async fn config(conn: &mut AnyConnection, store_id: Uuid) -> Result<Option<QrisConfig>, ApiError> {
    let row = sqlx::query(
        "SELECT enabled, expires_in_seconds, auto_pay FROM qris_config WHERE store_id = $1",
    )
    .bind(store_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(QrisConfig {
            enabled: r.try_get::<i64, _>(0)? == 1,
            expires_in_seconds: u32::try_from(r.try_get::<i64, _>(1)?)
                .map_err(|e| internal("expiry", e))?,
            auto_pay: r.try_get::<i64, _>(2)? == 1,
        })
    })
    .transpose()
}

async fn settings(conn: &mut AnyConnection, store_id: Uuid) -> Result<StoreSettings, ApiError> {
    let text: String = sqlx::query("SELECT settings FROM stores WHERE id = $1")
        .bind(store_id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| store_not_found(store_id))?
        .try_get(0)?;
    serde_json::from_str(&text).map_err(|e| internal("settings", e))
}

/// The dynamic code of one payment: the sticker made dynamic for `amount`, with `reference`
/// as the reference label (tag 62, sub-tag 05), keeping the sticker's other additional data.
pub fn dynamic_payload(
    sticker: &str,
    amount: rust_decimal::Decimal,
    reference: &str,
) -> Result<String, ApiError> {
    let dynamic = qris::to_dynamic(sticker, amount).map_err(|e| match e {
        kasir_domain::emvqr::EmvQrError::InvalidField { tag: 54, reason } => {
            ApiError::BadRequest(format!("amount: {reason}"))
        }
        other => ApiError::Conflict(format!("the store's QRIS payload: {other}")),
    })?;
    let payload = Payload::parse(&dynamic)
        .map_err(|e| ApiError::Internal(format!("the dynamic code does not parse: {e}")))?;
    let mut additional: Vec<Field> = match payload.field(62).map(|f| &f.value) {
        Some(Value::Template(fields)) => fields.iter().filter(|f| f.tag != 5).cloned().collect(),
        _ => Vec::new(),
    };
    additional.push(Field::text(5, reference));
    additional.sort_by_key(|f| f.tag);
    let mut fields: Vec<Field> = payload
        .fields()
        .iter()
        .filter(|f| f.tag != 62)
        .cloned()
        .collect();
    let at = fields
        .iter()
        .position(|f| f.tag > 62)
        .unwrap_or(fields.len());
    fields.insert(at, Field::template(62, additional));
    Ok(Payload::new(fields).encode())
}

/// Applies what time (and the simulation's auto-pay) did to a pending payment, then reads it.
/// The caller holds a write transaction.
async fn refresh(
    conn: &mut AnyConnection,
    store_id: Uuid,
    provider_id: &str,
    auto_pay: bool,
) -> Result<QrPayment, ApiError> {
    let payment = read_payment(conn, store_id, provider_id).await?;
    if payment.status == QrPaymentStatus::Pending {
        let now = Timestamp::now();
        if now >= payment.expires_at {
            set_status(conn, provider_id, QrPaymentStatus::Expired, None).await?;
        } else if auto_pay {
            set_status(conn, provider_id, QrPaymentStatus::Paid, Some(now)).await?;
            let paid = read_payment(conn, store_id, provider_id).await?;
            match_payment(conn, store_id, &paid).await?;
        }
        return read_payment(conn, store_id, provider_id).await;
    }
    Ok(payment)
}

async fn read_payment(
    conn: &mut AnyConnection,
    store_id: Uuid,
    provider_id: &str,
) -> Result<QrPayment, ApiError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        payment_columns!(),
        " FROM qris_payments WHERE provider_id = $1 AND store_id = $2"
    ))
    .bind(provider_id)
    .bind(store_id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        ApiError::NotFound(format!(
            "QRIS payment `{}` is not one of this store's",
            provider_id.chars().take(64).collect::<String>()
        ))
    })?;
    payment_from_row(&row)
}

/// Moves a pending payment to `status`; a payment no longer pending is left as it is.
async fn set_status(
    conn: &mut AnyConnection,
    provider_id: &str,
    status: QrPaymentStatus,
    paid_at: Option<Timestamp>,
) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE qris_payments SET status = $1, paid_at = $2
         WHERE provider_id = $3 AND status = 'pending'",
    )
    .bind(status.name())
    .bind(paid_at.map(|t| t.to_string()))
    .bind(provider_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Verifies the oldest unverified tender of the store that a paid payment pays (the tender
/// carries the payment's id or its reference, for exactly its amount), if the payment has
/// verified none yet.
async fn match_payment(
    conn: &mut AnyConnection,
    store_id: Uuid,
    payment: &QrPayment,
) -> Result<(), ApiError> {
    if payment.status != QrPaymentStatus::Paid {
        return Ok(());
    }
    let used = sqlx::query("SELECT 1 FROM qr_tenders WHERE provider_id = $1")
        .bind(&payment.provider_id)
        .fetch_optional(&mut *conn)
        .await?;
    if used.is_some() {
        return Ok(());
    }
    let currency = Currency::from_code(&payment.currency).map_err(|e| internal("currency", e))?;
    let amount = to_minor("amount", payment.amount, currency)?;
    let tender = sqlx::query(
        "SELECT t.sale_id, t.tender_no FROM qr_tenders t JOIN sales s ON s.id = t.sale_id
         WHERE t.store_id = $1 AND t.status = 'unverified' AND t.amount_minor = $2
           AND (t.reference = $3 OR t.reference = $4)
         ORDER BY s.completed_at, t.sale_id, t.tender_no LIMIT 1",
    )
    .bind(store_id.to_string())
    .bind(amount)
    .bind(&payment.provider_id)
    .bind(&payment.reference)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = tender {
        let sale_id: String = row.try_get(0)?;
        let tender_no: i64 = row.try_get(1)?;
        verify_tender(conn, &sale_id, tender_no, &payment.provider_id).await?;
        tracing::info!(sale = %sale_id, tender_no, "qr tender matched to a provider payment");
    }
    Ok(())
}

async fn verify_tender(
    conn: &mut AnyConnection,
    sale_id: &str,
    tender_no: i64,
    provider_id: &str,
) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE qr_tenders SET status = 'verified', verified_by = 'provider', provider_id = $1,
            verified_at = $2
         WHERE sale_id = $3 AND tender_no = $4 AND status = 'unverified'",
    )
    .bind(provider_id)
    .bind(Timestamp::now().to_string())
    .bind(sale_id)
    .bind(tender_no)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the QR tenders of a sale just stored by a push (inside its savepoint), each matched
/// to a paid payment the provider knows if there is one.
pub(crate) async fn record_sale(
    conn: &mut AnyConnection,
    store_id: Uuid,
    sale: &Sale,
) -> Result<(), ApiError> {
    for (index, tender) in sale.tenders.iter().enumerate() {
        let TenderMethod::Qr { reference } = &tender.method else {
            continue;
        };
        let tender_no = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let amount = to_minor("amount", tender.amount, sale.currency)?;
        sqlx::query(
            "INSERT INTO qr_tenders (sale_id, tender_no, store_id, reference, amount_minor, status)
             VALUES ($1, $2, $3, $4, $5, 'unverified')
             ON CONFLICT (sale_id, tender_no) DO NOTHING",
        )
        .bind(sale.id.to_string())
        .bind(tender_no)
        .bind(store_id.to_string())
        .bind(reference)
        .bind(amount)
        .execute(&mut *conn)
        .await?;
        let payment = sqlx::query(
            "SELECT p.provider_id FROM qris_payments p
             WHERE p.store_id = $1 AND p.status = 'paid' AND p.amount_minor = $2
               AND (p.provider_id = $3 OR p.reference = $3)
               AND NOT EXISTS (SELECT 1 FROM qr_tenders t WHERE t.provider_id = p.provider_id)
             ORDER BY p.created_at LIMIT 1",
        )
        .bind(store_id.to_string())
        .bind(amount)
        .bind(reference)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = payment {
            let provider_id: String = row.try_get(0)?;
            verify_tender(conn, &sale.id.to_string(), tender_no, &provider_id).await?;
        }
    }
    Ok(())
}

/// `POST /v1/qris/payments`: a device asks for a dynamic QRIS payment (or gets the one it
/// already made with this reference).
pub async fn create_payment(
    State(state): State<AppState>,
    device: Device,
    ApiJson(request): ApiJson<CreateQrPayment>,
) -> Result<Json<QrPayment>, ApiError> {
    check_reference(&request.reference).map_err(ApiError::BadRequest)?;
    let mut tx = state.db.begin_write().await?;
    let config = config(&mut tx, device.store_id).await?;
    let Some(config) = config.filter(|c| c.enabled) else {
        return Err(ApiError::NotFound(
            "qris: this store takes no dynamic QRIS payments through a provider; take the \
             payment with the static code"
                .into(),
        ));
    };
    let settings = settings(&mut tx, device.store_id).await?;
    let Some(sticker) = settings.qris.as_deref() else {
        return Err(ApiError::NotFound(
            "qris: the store's settings have no QRIS payload to make the code from".into(),
        ));
    };
    if settings.currency != Currency::IDR {
        return Err(ApiError::Conflict(format!(
            "qris: the store trades in {}, QRIS in IDR",
            settings.currency
        )));
    }
    let amount_minor = to_minor_as_written("amount", request.amount, Currency::IDR)?;
    let payload = dynamic_payload(sticker, request.amount, &request.reference)?;
    let now = Timestamp::now();
    let expires = now + jiff::SignedDuration::from_secs(i64::from(config.expires_in_seconds));
    let provider_id = format!("SIMQ-{}", Uuid::now_v7().simple()).to_ascii_uppercase();
    sqlx::query(
        "INSERT INTO qris_payments (provider_id, store_id, device_id, kind, reference,
            amount_minor, currency, payload, status, created_at, expires_at)
         VALUES ($1, $2, $3, 'dynamic', $4, $5, 'IDR', $6, 'pending', $7, $8)
         ON CONFLICT (store_id, kind, reference) DO NOTHING",
    )
    .bind(&provider_id)
    .bind(device.store_id.to_string())
    .bind(device.device_id.to_string())
    .bind(&request.reference)
    .bind(amount_minor)
    .bind(&payload)
    .bind(now.to_string())
    .bind(expires.to_string())
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query(concat!(
        "SELECT ",
        payment_columns!(),
        " FROM qris_payments
         WHERE store_id = $1 AND kind = 'dynamic' AND reference = $2"
    ))
    .bind(device.store_id.to_string())
    .bind(&request.reference)
    .fetch_one(&mut *tx)
    .await?;
    let payment = payment_from_row(&row)?;
    if payment.amount != request.amount {
        return Err(ApiError::Conflict(format!(
            "reference: {} was used for a payment of {}, not {}",
            request.reference, payment.amount, request.amount
        )));
    }
    tx.commit().await?;
    if payment.provider_id == provider_id {
        tracing::info!(device = %device.code, "qris payment created");
    }
    Ok(Json(payment))
}

/// `GET /v1/qris/payments/{provider_id}`: where a payment of the device's store stands.
pub async fn get_payment(
    State(state): State<AppState>,
    device: Device,
    ApiPath(provider_id): ApiPath<String>,
) -> Result<Json<QrPayment>, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let auto_pay = config(&mut tx, device.store_id)
        .await?
        .is_some_and(|c| c.auto_pay);
    let payment = refresh(&mut tx, device.store_id, &provider_id, auto_pay).await?;
    tx.commit().await?;
    Ok(Json(payment))
}

/// `POST /v1/qris/payments/{provider_id}/cancel`: calls off a pending payment; one already
/// final is answered as it is.
pub async fn cancel_payment(
    State(state): State<AppState>,
    device: Device,
    ApiPath(provider_id): ApiPath<String>,
) -> Result<Json<QrPayment>, ApiError> {
    let mut tx = state.db.begin_write().await?;
    refresh(&mut tx, device.store_id, &provider_id, false).await?;
    set_status(&mut tx, &provider_id, QrPaymentStatus::Cancelled, None).await?;
    let payment = read_payment(&mut tx, device.store_id, &provider_id).await?;
    tx.commit().await?;
    Ok(Json(payment))
}

/// `PUT /v1/owner/stores/{store_id}/qris`: whether the store takes dynamic QRIS payments.
pub async fn put_config(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<QrisConfig>,
) -> Result<Json<QrisConfig>, ApiError> {
    owned_store(&state.db, owner, store_id).await?;
    if request.expires_in_seconds > MAX_EXPIRY_SECONDS {
        return Err(ApiError::BadRequest(format!(
            "expires_in_seconds: {} is more than {MAX_EXPIRY_SECONDS}",
            request.expires_in_seconds
        )));
    }
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO qris_config (store_id, enabled, expires_in_seconds, auto_pay, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (store_id) DO UPDATE SET enabled = excluded.enabled,
            expires_in_seconds = excluded.expires_in_seconds, auto_pay = excluded.auto_pay,
            updated_at = excluded.updated_at",
    )
    .bind(store_id.to_string())
    .bind(i64::from(request.enabled))
    .bind(i64::from(request.expires_in_seconds))
    .bind(i64::from(request.auto_pay))
    .bind(Timestamp::now().to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(request))
}

/// `POST /v1/owner/stores/{store_id}/qris/payments/{provider_id}/simulate`: the customer's
/// bank app paid the payment, or it ran out. Saying again what already happened changes
/// nothing; a payment that ended otherwise is a 409.
pub async fn simulate(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath((store_id, provider_id)): ApiPath<(Uuid, String)>,
    ApiJson(request): ApiJson<SimulateQrPayment>,
) -> Result<Json<QrPayment>, ApiError> {
    owned_store(&state.db, owner, store_id).await?;
    let mut tx = state.db.begin_write().await?;
    let payment = refresh(&mut tx, store_id, &provider_id, false).await?;
    let (wanted, paid_at) = match request.outcome {
        SimulatedOutcome::Paid => (QrPaymentStatus::Paid, Some(Timestamp::now())),
        SimulatedOutcome::Expired => (QrPaymentStatus::Expired, None),
    };
    if !payment.status.may_become(wanted) {
        return Err(ApiError::Conflict(format!(
            "QRIS payment {provider_id} is {} and cannot become {}",
            payment.status.name(),
            wanted.name()
        )));
    }
    set_status(&mut tx, &provider_id, wanted, paid_at).await?;
    let payment = read_payment(&mut tx, store_id, &provider_id).await?;
    match_payment(&mut tx, store_id, &payment).await?;
    tx.commit().await?;
    Ok(Json(payment))
}

/// `POST /v1/owner/stores/{store_id}/qris/received`: a payment to the static sticker, as the
/// acquirer reports it; recorded once per reference, and matched to the tender that names it.
pub async fn received(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<ReceivedQrPayment>,
) -> Result<Json<QrPayment>, ApiError> {
    let store = owned_store(&state.db, owner, store_id).await?;
    TenderMethod::qr(&request.reference)?;
    qris::check_amount(request.amount).map_err(|e| ApiError::BadRequest(format!("amount: {e}")))?;
    let amount_minor = to_minor_as_written("amount", request.amount, Currency::IDR)?;
    let now = Timestamp::now().to_string();
    let provider_id = format!("SIMS-{}", Uuid::now_v7().simple()).to_ascii_uppercase();
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO qris_payments (provider_id, store_id, kind, reference, amount_minor,
            currency, payload, status, created_at, expires_at, paid_at)
         VALUES ($1, $2, 'static', $3, $4, 'IDR', $5, 'paid', $6, $6, $6)
         ON CONFLICT (store_id, kind, reference) DO NOTHING",
    )
    .bind(&provider_id)
    .bind(store_id.to_string())
    .bind(request.reference.trim())
    .bind(amount_minor)
    .bind(store.settings.qris.as_deref().unwrap_or(""))
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query(concat!(
        "SELECT ",
        payment_columns!(),
        " FROM qris_payments
         WHERE store_id = $1 AND kind = 'static' AND reference = $2"
    ))
    .bind(store_id.to_string())
    .bind(request.reference.trim())
    .fetch_one(&mut *tx)
    .await?;
    let payment = payment_from_row(&row)?;
    if payment.amount != request.amount {
        return Err(ApiError::Conflict(format!(
            "reference: {} was reported for {}, not {}",
            payment.reference, payment.amount, request.amount
        )));
    }
    match_payment(&mut tx, store_id, &payment).await?;
    tx.commit().await?;
    Ok(Json(payment))
}

fn tender_from_row(row: &AnyRow) -> Result<QrTenderState, ApiError> {
    let currency: String = row.try_get(5)?;
    let currency = Currency::from_code(&currency).map_err(|e| internal("currency", e))?;
    let sale_id: String = row.try_get(0)?;
    Ok(QrTenderState {
        sale_id: Uuid::parse_str(&sale_id).map_err(|e| internal("sale id", e))?,
        tender_no: u32::try_from(row.try_get::<i64, _>(1)?)
            .map_err(|e| internal("tender number", e))?,
        receipt_number: row.try_get(2)?,
        device_code: row.try_get(3)?,
        business_date: row
            .try_get::<String, _>(4)?
            .parse()
            .map_err(|e| internal("business date", e))?,
        reference: row.try_get(6)?,
        amount: from_minor(row.try_get(7)?, currency),
        status: row.try_get(8)?,
        verified_by: row.try_get(9)?,
        provider_id: row.try_get(10)?,
        verified_at: row
            .try_get::<Option<String>, _>(11)?
            .as_deref()
            .map(timestamp)
            .transpose()?,
        note: row.try_get(12)?,
    })
}

async fn list(
    conn: &mut AnyConnection,
    store_id: Uuid,
    status: Option<&str>,
) -> Result<QrTenderList, ApiError> {
    let rows = sqlx::query(concat!(
        tender_query!(),
        "WHERE t.store_id = $1 AND ($2 = 'all' OR t.status = $2)
         ORDER BY s.completed_at, t.sale_id, t.tender_no LIMIT 1000"
    ))
    .bind(store_id.to_string())
    .bind(status.unwrap_or("all"))
    .fetch_all(&mut *conn)
    .await?;
    Ok(QrTenderList {
        tenders: rows.iter().map(tender_from_row).collect::<Result<_, _>>()?,
    })
}

/// `POST /v1/qr-tenders/status`: what the cloud decided about some of the device's own QR
/// tenders (tenders it does not have, or of other devices, are left out).
pub async fn tender_status(
    State(state): State<AppState>,
    device: Device,
    ApiJson(query): ApiJson<QrTenderQuery>,
) -> Result<Json<QrTenderList>, ApiError> {
    if query.tenders.len() > MAX_TENDER_QUERY {
        return Err(ApiError::PayloadTooLarge(format!(
            "tenders: {} in one query; at most {MAX_TENDER_QUERY}",
            query.tenders.len()
        )));
    }
    let mut conn = state.db.pool().acquire().await?;
    let mut tenders = Vec::new();
    for key in &query.tenders {
        let row = sqlx::query(concat!(
            tender_query!(),
            "WHERE t.sale_id = $1 AND t.tender_no = $2 AND t.store_id = $3
               AND s.device_id = $4"
        ))
        .bind(key.sale_id.to_string())
        .bind(i64::from(key.tender_no))
        .bind(device.store_id.to_string())
        .bind(device.device_id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            tenders.push(tender_from_row(&row)?);
        }
    }
    Ok(Json(QrTenderList { tenders }))
}

/// `GET /v1/qr-tenders/unmatched`: the QR tenders of the device's store that nothing has
/// verified, oldest first.
pub async fn unmatched(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<QrTenderList>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(
        list(&mut conn, device.store_id, Some("unverified")).await?,
    ))
}

/// The query of the owner's tender list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenderListQuery {
    /// `unverified` (absent), `verified` or `all`.
    pub status: Option<String>,
}

/// `GET /v1/owner/stores/{store_id}/qr-tenders?status=unverified|verified|all`.
pub async fn list_tenders(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<TenderListQuery>,
) -> Result<Json<QrTenderList>, ApiError> {
    owned_store(&state.db, owner, store_id).await?;
    let status = query.status.as_deref().unwrap_or("unverified");
    if !["unverified", "verified", "all"].contains(&status) {
        return Err(ApiError::BadRequest(format!(
            "status: `{}` is not unverified, verified or all",
            status.chars().take(20).collect::<String>()
        )));
    }
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(list(&mut conn, store_id, Some(status)).await?))
}

/// `POST /v1/owner/stores/{store_id}/qr-tenders/{sale_id}/{tender_no}/match`: the owner
/// vouches for a tender (a tender already verified is answered as it is).
pub async fn match_tender(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath((store_id, sale_id, tender_no)): ApiPath<(Uuid, Uuid, u32)>,
    ApiJson(request): ApiJson<MatchQrTender>,
) -> Result<Json<QrTenderState>, ApiError> {
    owned_store(&state.db, owner, store_id).await?;
    let note = request
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 200) {
        return Err(ApiError::BadRequest(
            "note: longer than 200 characters".into(),
        ));
    }
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "UPDATE qr_tenders SET status = 'verified', verified_by = 'owner', verified_at = $1,
            note = $2
         WHERE sale_id = $3 AND tender_no = $4 AND store_id = $5 AND status = 'unverified'",
    )
    .bind(Timestamp::now().to_string())
    .bind(note)
    .bind(sale_id.to_string())
    .bind(i64::from(tender_no))
    .bind(store_id.to_string())
    .execute(&mut *tx)
    .await?;
    let row = sqlx::query(concat!(
        tender_query!(),
        "WHERE t.sale_id = $1 AND t.tender_no = $2 AND t.store_id = $3"
    ))
    .bind(sale_id.to_string())
    .bind(i64::from(tender_no))
    .bind(store_id.to_string())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        ApiError::NotFound(format!(
            "sale {sale_id} of this store has no QR tender number {tender_no}"
        ))
    })?;
    let tender = tender_from_row(&row)?;
    tx.commit().await?;
    Ok(Json(tender))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const STICKER: &str = "00020101021126570011ID.DANA.WWW011893600915300060605702090006060570303UMI\
                    51440014ID.CO.QRIS.WWW0215ID10190046990790303UMI5204481453033605802ID5912\
                    Saifullah.id6014Kota Pontianak61057812463045F72";

    #[test]
    fn the_dynamic_code_carries_the_amount_and_the_reference() {
        let code = dynamic_payload(STICKER, dec!(38500), "D01-ABC123").unwrap();
        let parsed = Payload::parse(&code).unwrap();
        assert_eq!(parsed.text(1), Some("12"));
        assert_eq!(parsed.text(54), Some("38500"));
        assert_eq!(parsed.field(62).and_then(|f| f.sub(5)), Some("D01-ABC123"));
        assert_eq!(parsed.merchant_name(), Some("Saifullah.id"));
        let tags: Vec<u8> = parsed.fields().iter().map(|f| f.tag).collect();
        let mut sorted = tags.clone();
        sorted.sort_unstable();
        assert_eq!(tags, sorted);
    }

    #[test]
    fn amounts_beyond_qris_limits_are_bad_requests() {
        for amount in [dec!(10000001), dec!(100.5), dec!(0)] {
            let err = dynamic_payload(STICKER, amount, "R1").unwrap_err();
            assert!(
                matches!(err, ApiError::BadRequest(ref m) if m.starts_with("amount")),
                "{err}"
            );
        }
        assert!(dynamic_payload(STICKER, dec!(10000000), "R1").is_ok());
    }
}
