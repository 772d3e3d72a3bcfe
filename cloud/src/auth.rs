//! Who is calling: the owner of a merchant account, or an enrolled device, told apart by the
//! bearer token each request carries. A token is looked up by its hash; an unknown token is a
//! 401 and the handler never runs.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sqlx::Row;
use uuid::Uuid;

use crate::AppState;
use crate::error::ApiError;
use crate::tokens::{DEVICE_PREFIX, OWNER_PREFIX, hash};

/// The owner of a merchant account (from an owner token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// The merchant whose data this caller may see and change.
    pub merchant_id: Uuid,
}

/// An enrolled device (from a device token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The device.
    pub device_id: Uuid,
    /// Its receipt prefix.
    pub code: String,
    /// The one store it belongs to.
    pub store_id: Uuid,
    /// The merchant of that store.
    pub merchant_id: Uuid,
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized("missing header `Authorization: Bearer TOKEN`".into())
    })?;
    let text = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not text".into()))?;
    match text.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(ApiError::Unauthorized(
            "the Authorization header must be `Bearer TOKEN`".into(),
        )),
    }
}

pub(crate) fn parse_id(text: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text)
        .map_err(|_| ApiError::Internal(format!("stored {what} `{text}` is not a UUID")))
}

impl FromRequestParts<AppState> for Owner {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        if token.starts_with(DEVICE_PREFIX) {
            return Err(ApiError::Unauthorized(
                "this endpoint needs the merchant's owner token, not a device token".into(),
            ));
        }
        let row = sqlx::query("SELECT id FROM merchants WHERE owner_token_hash = $1")
            .bind(hash(token))
            .fetch_optional(state.db.pool())
            .await?;
        let Some(row) = row else {
            return Err(ApiError::Unauthorized("unknown owner token".into()));
        };
        Ok(Owner {
            merchant_id: parse_id(&row.try_get::<String, _>(0)?, "merchant id")?,
        })
    }
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        if token.starts_with(OWNER_PREFIX) {
            return Err(ApiError::Unauthorized(
                "this endpoint needs a device token (from `kasir enroll`), not the owner token"
                    .into(),
            ));
        }
        let row = sqlx::query(
            "SELECT d.id, d.code, d.store_id, s.merchant_id
             FROM devices d JOIN stores s ON s.id = d.store_id
             WHERE d.token_hash = $1",
        )
        .bind(hash(token))
        .fetch_optional(state.db.pool())
        .await?;
        let Some(row) = row else {
            return Err(ApiError::Unauthorized(
                "unknown device token: enrol the device again with a new code".into(),
            ));
        };
        Ok(Device {
            device_id: parse_id(&row.try_get::<String, _>(0)?, "device id")?,
            code: row.try_get(1)?,
            store_id: parse_id(&row.try_get::<String, _>(2)?, "store id")?,
            merchant_id: parse_id(&row.try_get::<String, _>(3)?, "merchant id")?,
        })
    }
}
