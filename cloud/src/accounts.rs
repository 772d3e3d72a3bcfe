//! Accounts: merchants (created by the operator's `kasir-cloud merchant create`), their
//! stores, one-time enrolment codes, and the devices that enrolled with them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use kasir_domain::settings::StoreSettings;
use kasir_sync::protocol::{
    Change, CreateEnrolmentRequest, CreateStoreRequest, DeviceInfo, EnrolRequest, EnrolResponse,
    EnrolmentCode, StoreInfo,
};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::auth::{Owner, parse_id};
use crate::changes::{append_change, lock_store};
use crate::error::ApiError;
use crate::http::{ApiJson, ApiPath};
use crate::tokens::{
    DEVICE_PREFIX, OWNER_PREFIX, hash, new_enrolment_code, new_token, normalise_code,
};
use crate::{AppState, Db};

/// How long an enrolment code is valid when the owner does not say.
const DEFAULT_CODE_HOURS: u32 = 72;

/// The longest an enrolment code may be valid (30 days).
const MAX_CODE_HOURS: u32 = 720;

/// A new merchant account with its owner token (shown once: only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewMerchant {
    /// The merchant's id.
    pub merchant_id: Uuid,
    /// The merchant's name.
    pub name: String,
    /// The owner token for the `/v1/owner/...` endpoints.
    pub owner_token: String,
}

/// Creates a merchant account named `name`.
pub async fn create_merchant(db: &Db, name: &str) -> Result<NewMerchant, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::BadRequest("name: is empty".into()));
    }
    let merchant_id = Uuid::now_v7();
    let owner_token = new_token(OWNER_PREFIX)?;
    sqlx::query(
        "INSERT INTO merchants (id, name, owner_token_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(merchant_id.to_string())
    .bind(name)
    .bind(hash(&owner_token))
    .bind(Timestamp::now().to_string())
    .execute(db.pool())
    .await?;
    tracing::info!(%merchant_id, "merchant created");
    Ok(NewMerchant {
        merchant_id,
        name: name.to_string(),
        owner_token,
    })
}

/// Gives merchant `merchant_id` a new owner token; the old one stops working at once.
pub async fn rotate_owner_token(db: &Db, merchant_id: Uuid) -> Result<NewMerchant, ApiError> {
    let owner_token = new_token(OWNER_PREFIX)?;
    let row =
        sqlx::query("UPDATE merchants SET owner_token_hash = $1 WHERE id = $2 RETURNING name")
            .bind(hash(&owner_token))
            .bind(merchant_id.to_string())
            .fetch_optional(db.pool())
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no merchant {merchant_id}")))?;
    tracing::info!(%merchant_id, "owner token replaced");
    Ok(NewMerchant {
        merchant_id,
        name: row.try_get(0)?,
        owner_token,
    })
}

/// A store as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoreRow {
    pub id: Uuid,
    pub merchant_id: Uuid,
    pub name: String,
    pub settings: StoreSettings,
}

impl StoreRow {
    pub(crate) fn from_row(row: &AnyRow) -> Result<StoreRow, ApiError> {
        let settings: String = row.try_get("settings")?;
        Ok(StoreRow {
            id: parse_id(&row.try_get::<String, _>("id")?, "store id")?,
            merchant_id: parse_id(&row.try_get::<String, _>("merchant_id")?, "merchant id")?,
            name: row.try_get("name")?,
            settings: serde_json::from_str(&settings)
                .map_err(|e| ApiError::Internal(format!("stored settings do not parse: {e}")))?,
        })
    }

    fn info(self) -> StoreInfo {
        StoreInfo {
            store_id: self.id,
            merchant_id: self.merchant_id,
            name: self.name,
            settings: self.settings,
        }
    }
}

/// The store `store_id` if it belongs to the owner's merchant. Another merchant's store is
/// answered exactly like a store that does not exist, so ids cannot be probed.
pub(crate) async fn owned_store(
    db: &Db,
    owner: Owner,
    store_id: Uuid,
) -> Result<StoreRow, ApiError> {
    let row = sqlx::query(
        "SELECT id, merchant_id, name, settings FROM stores WHERE id = $1 AND merchant_id = $2",
    )
    .bind(store_id.to_string())
    .bind(owner.merchant_id.to_string())
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| store_not_found(store_id))?;
    StoreRow::from_row(&row)
}

pub(crate) fn store_not_found(store_id: Uuid) -> ApiError {
    ApiError::NotFound(format!(
        "store {store_id} is not in this merchant's account"
    ))
}

/// `POST /v1/owner/stores`: opens a store; its settings are the first change of its feed.
pub async fn create_store(
    State(state): State<AppState>,
    owner: Owner,
    ApiJson(request): ApiJson<CreateStoreRequest>,
) -> Result<(StatusCode, Json<StoreInfo>), ApiError> {
    let name = request.name.trim().to_string();
    if name.is_empty() {
        return Err(ApiError::BadRequest("name: is empty".into()));
    }
    let settings = request
        .settings
        .unwrap_or_else(|| StoreSettings::indonesian_shop(&name));
    settings
        .validate()
        .map_err(|e| ApiError::BadRequest(format!("settings.{e}")))?;

    let store_id = Uuid::now_v7();
    let now = Timestamp::now().to_string();
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "INSERT INTO stores (id, merchant_id, name, currency, settings, change_seq, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6)",
    )
    .bind(store_id.to_string())
    .bind(owner.merchant_id.to_string())
    .bind(&name)
    .bind(settings.currency.code())
    .bind(to_json(&settings)?)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let (seq, _) = lock_store(&mut tx, store_id).await?;
    append_change(
        &mut tx,
        store_id,
        seq + 1,
        &Change::Settings {
            settings: settings.clone(),
        },
        &now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(%store_id, merchant_id = %owner.merchant_id, "store created");
    Ok((
        StatusCode::CREATED,
        Json(StoreInfo {
            store_id,
            merchant_id: owner.merchant_id,
            name,
            settings,
        }),
    ))
}

/// `GET /v1/owner/stores`: the merchant's stores, oldest first.
pub async fn list_stores(
    State(state): State<AppState>,
    owner: Owner,
) -> Result<Json<Vec<StoreInfo>>, ApiError> {
    let rows = sqlx::query(
        "SELECT id, merchant_id, name, settings FROM stores WHERE merchant_id = $1 ORDER BY id",
    )
    .bind(owner.merchant_id.to_string())
    .fetch_all(state.db.pool())
    .await?;
    let stores = rows
        .iter()
        .map(|r| StoreRow::from_row(r).map(StoreRow::info))
        .collect::<Result<_, _>>()?;
    Ok(Json(stores))
}

/// `GET /v1/owner/stores/{store_id}`: one store with its settings.
pub async fn get_store(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
) -> Result<Json<StoreInfo>, ApiError> {
    Ok(Json(owned_store(&state.db, owner, store_id).await?.info()))
}

/// `POST /v1/owner/stores/{store_id}/enrolments`: a one-time code for one device to join.
pub async fn create_enrolment(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<CreateEnrolmentRequest>,
) -> Result<(StatusCode, Json<EnrolmentCode>), ApiError> {
    let store = owned_store(&state.db, owner, store_id).await?;
    let hours = request.valid_hours.unwrap_or(DEFAULT_CODE_HOURS);
    if !(1..=MAX_CODE_HOURS).contains(&hours) {
        return Err(ApiError::BadRequest(format!(
            "valid_hours: {hours} is not between 1 and {MAX_CODE_HOURS}"
        )));
    }
    let now = Timestamp::now();
    let expires_at = now
        .checked_add(SignedDuration::from_hours(i64::from(hours)))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let code = new_enrolment_code()?;
    sqlx::query(
        "INSERT INTO enrolments (code_hash, store_id, created_at, expires_unix)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(hash(&normalise_code(&code)))
    .bind(store.id.to_string())
    .bind(now.to_string())
    .bind(expires_at.as_second())
    .execute(state.db.pool())
    .await?;
    tracing::info!(store_id = %store.id, hours, "enrolment code issued");
    Ok((
        StatusCode::CREATED,
        Json(EnrolmentCode {
            code,
            store_id: store.id,
            expires_at,
        }),
    ))
}

/// `POST /v1/enrol`: a device trades a one-time code for its token. The code is spent in the
/// same transaction that registers the device, so two devices racing with one code cannot
/// both join. A device enrolling again in its own store (a reinstall) gets a new token and the
/// old one stops working; a device already in another store is refused.
pub async fn enrol(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<Json<EnrolResponse>, ApiError> {
    let device = kasir_domain::settings::Device::new(request.device_id, &request.device_code)?;
    let code_hash = hash(&normalise_code(&request.code));
    let now = Timestamp::now();
    let token = new_token(DEVICE_PREFIX)?;

    let mut tx = state.db.begin_write().await?;
    let spent = sqlx::query(
        "UPDATE enrolments SET used_at = $1, device_id = $2
         WHERE code_hash = $3 AND used_at IS NULL AND expires_unix > $4
         RETURNING store_id",
    )
    .bind(now.to_string())
    .bind(&device.id)
    .bind(&code_hash)
    .bind(now.as_second())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(spent) = spent else {
        let found =
            sqlx::query("SELECT used_at, expires_unix FROM enrolments WHERE code_hash = $1")
                .bind(&code_hash)
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match found {
            None => ApiError::Unauthorized(
                "unknown enrolment code: check it, or ask the owner for a new one".into(),
            ),
            Some(row) if row.try_get::<Option<String>, _>(0)?.is_some() => ApiError::Conflict(
                "this enrolment code was already used: ask the owner for a new one".into(),
            ),
            Some(_) => ApiError::Conflict(
                "this enrolment code has expired: ask the owner for a new one".into(),
            ),
        });
    };
    let store_id: String = spent.try_get(0)?;

    let existing = sqlx::query("SELECT store_id FROM devices WHERE id = $1")
        .bind(&device.id)
        .fetch_optional(&mut *tx)
        .await?;
    match existing {
        Some(row) if row.try_get::<String, _>(0)? != store_id => {
            return Err(ApiError::Conflict(format!(
                "device {} is already enrolled in another store",
                device.id
            )));
        }
        Some(_) => {
            sqlx::query("UPDATE devices SET token_hash = $1, code = $2 WHERE id = $3")
                .bind(hash(&token))
                .bind(&device.code)
                .bind(&device.id)
                .execute(&mut *tx)
                .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO devices (id, store_id, code, token_hash, enrolled_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&device.id)
            .bind(&store_id)
            .bind(&device.code)
            .bind(hash(&token))
            .bind(now.to_string())
            .execute(&mut *tx)
            .await?;
        }
    }
    let merchant: String = sqlx::query("SELECT merchant_id FROM stores WHERE id = $1")
        .bind(&store_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    tx.commit().await?;

    tracing::info!(%store_id, device = %device.code, "device enrolled");
    Ok(Json(EnrolResponse {
        merchant_id: parse_id(&merchant, "merchant id")?,
        store_id: parse_id(&store_id, "store id")?,
        device_id: request.device_id,
        token,
    }))
}

/// `GET /v1/owner/stores/{store_id}/devices`: the store's devices and when each last synced.
pub async fn list_devices(
    State(state): State<AppState>,
    owner: Owner,
    ApiPath(store_id): ApiPath<Uuid>,
) -> Result<Json<Vec<DeviceInfo>>, ApiError> {
    let store = owned_store(&state.db, owner, store_id).await?;
    let rows = sqlx::query(
        "SELECT id, code, enrolled_at, last_push_at, last_pull_at FROM devices
         WHERE store_id = $1 ORDER BY code, id",
    )
    .bind(store.id.to_string())
    .fetch_all(state.db.pool())
    .await?;
    let devices = rows
        .iter()
        .map(|r| {
            Ok(DeviceInfo {
                device_id: parse_id(&r.try_get::<String, _>(0)?, "device id")?,
                device_code: r.try_get(1)?,
                enrolled_at: parse_time(&r.try_get::<String, _>(2)?)?,
                last_push_at: r
                    .try_get::<Option<String>, _>(3)?
                    .map(|t: String| parse_time(&t))
                    .transpose()?,
                last_pull_at: r
                    .try_get::<Option<String>, _>(4)?
                    .map(|t: String| parse_time(&t))
                    .transpose()?,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(devices))
}

fn parse_time(text: &str) -> Result<Timestamp, ApiError> {
    text.parse()
        .map_err(|e| ApiError::Internal(format!("stored time `{text}` does not parse: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))
}
