//! Loyalty: a merchant's customers and their points ledgers, fed by the devices' events.
//!
//! A customer arrives as a `CustomerAdded` event, each change of points as a `LoyaltyPoints`
//! event. An entry is keyed by `(merchant, reference, kind)` (the sale or refund that caused
//! it, and what it was) under a UNIQUE constraint: a resent event, the same refund settled
//! again, or the same change under another event id is recognised and applied once. The
//! customer's balance and lifetime spend are kept on their row and changed in the statement
//! that records the entry, inside the push's savepoint.
//!
//! Points redeemed at a till are recorded whatever the balance the cloud holds (the discount
//! was given); the device checked its own ledger. Personal data is never logged: logs name the
//! customer's id.

use axum::Json;
use axum::extract::State;
use kasir_domain::loyalty::{Customer, PointsKind};
use kasir_domain::money::Currency;
use kasir_sync::protocol::{
    CUSTOMER_ADDED, CUSTOMER_ERASED, CustomerErased, CustomerPoints, Event, GIFT_CARD_REFUNDED,
    GiftCardRefunded, LOYALTY_POINTS, LoyaltyPoints,
};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Device;
use crate::error::ApiError;
use crate::http::ApiPath;
use crate::units::{from_minor, to_minor};

/// An event whose effect is applied with it: a customer, a change of points, a refund onto a
/// gift card.
#[derive(Debug)]
pub(crate) enum Effect {
    /// A customer added on the device.
    CustomerAdded(Box<Customer>),
    /// A customer added on the device and erased there before the event was sent: the
    /// redacted payload.
    ErasedCustomerAdded(crate::erasure::RedactedCustomer),
    /// A customer's personal data erased on the device.
    CustomerErased(CustomerErased),
    /// A change of a customer's points.
    Points(LoyaltyPoints),
    /// Value paid back onto a gift card.
    GiftCardRefunded(GiftCardRefunded),
}

/// Reads an event of a kind this module applies; `None` for other kinds.
pub(crate) fn parse_effect(event: &Event) -> Option<Result<Effect, String>> {
    let parsed = match event.kind.as_str() {
        CUSTOMER_ADDED if event.payload.get("erased").is_some() => {
            serde_json::from_value(event.payload.clone())
                .map(Effect::ErasedCustomerAdded)
                .map_err(|e| format!("the payload is not an erased customer: {e}"))
        }
        CUSTOMER_ADDED => serde_json::from_value::<Customer>(event.payload.clone())
            .map(|c| Effect::CustomerAdded(Box::new(c)))
            .map_err(|e| format!("the payload is not a customer: {e}")),
        CUSTOMER_ERASED => serde_json::from_value(event.payload.clone())
            .map(Effect::CustomerErased)
            .map_err(|e| format!("the payload is not a customer erasure: {e}")),
        LOYALTY_POINTS => serde_json::from_value(event.payload.clone())
            .map(Effect::Points)
            .map_err(|e| format!("the payload is not a points entry: {e}")),
        GIFT_CARD_REFUNDED => serde_json::from_value(event.payload.clone())
            .map(Effect::GiftCardRefunded)
            .map_err(|e| format!("the payload is not a gift card refund: {e}")),
        _ => return None,
    };
    if event.seq < 1 {
        return Some(Err(format!("seq: {} is not 1 or more", event.seq)));
    }
    Some(parsed.and_then(|effect| {
        match &effect {
            Effect::Points(p) => p
                .kind
                .check_entry(p.points, p.spend)
                .map(|()| effect)
                .map_err(|e| e.to_string()),
            _ => Ok(effect),
        }
    }))
}

/// Applies an effect inside the push's savepoint. `Ok(Err(reason))` when it cannot be.
pub(crate) async fn apply(
    conn: &mut AnyConnection,
    device: &Device,
    event_id: &str,
    effect: &Effect,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    match effect {
        Effect::CustomerAdded(customer) => add_customer(conn, device, customer, now).await,
        Effect::ErasedCustomerAdded(customer) => {
            crate::erasure::add_erased(conn, device, customer, now).await
        }
        Effect::CustomerErased(erased) => {
            use crate::erasure::Outcome;
            Ok(
                match crate::erasure::erase(conn, device.merchant_id, erased.customer_id, now)
                    .await?
                {
                    // Applied once: the same erasure again, or after the owner's, changes nothing.
                    Outcome::Erased | Outcome::AlreadyErased(_) => Ok(()),
                    Outcome::Unknown => Err(format!(
                        "customer {} is not a customer of this merchant",
                        erased.customer_id
                    )),
                },
            )
        }
        Effect::Points(points) => apply_points(conn, device, event_id, points, now).await,
        Effect::GiftCardRefunded(refunded) => {
            crate::giftcards::apply_refund(conn, device, event_id, refunded, now).await
        }
    }
}

async fn add_customer(
    conn: &mut AnyConnection,
    device: &Device,
    customer: &Customer,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    let inserted = sqlx::query(
        "INSERT INTO customers (merchant_id, id, name, phone, email, birth_year, gender,
            consent_at, store_id, device_id, points, lifetime_spend_minor, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, $11)
         ON CONFLICT (merchant_id, id) DO NOTHING RETURNING id",
    )
    .bind(device.merchant_id.to_string())
    .bind(customer.id.to_string())
    .bind(&customer.name)
    .bind(&customer.phone)
    .bind(&customer.email)
    .bind(customer.birth_year.map(i64::from))
    .bind(customer.gender.map(|g| g.name()))
    .bind(customer.consent_at.to_string())
    .bind(device.store_id.to_string())
    .bind(device.device_id.to_string())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        // The same customer sent again under another event: nothing changes, unless they
        // were erased, when the event is refused so that their data is not kept in it.
        let erased = sqlx::query(
            "SELECT erased_at FROM customers WHERE merchant_id = $1 AND id = $2
             AND erased_at IS NOT NULL",
        )
        .bind(device.merchant_id.to_string())
        .bind(customer.id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
        if erased.is_some() {
            return Ok(Err(format!(
                "customer {} was erased: their data is not taken in again",
                customer.id
            )));
        }
        return Ok(Ok(()));
    }
    tracing::info!(customer = %customer.id, device = %device.code, "customer added");
    Ok(Ok(()))
}

async fn apply_points(
    conn: &mut AnyConnection,
    device: &Device,
    event_id: &str,
    points: &LoyaltyPoints,
    now: &str,
) -> Result<Result<(), String>, ApiError> {
    let currency = match Currency::from_code(&points.currency) {
        Ok(c) => c,
        Err(e) => return Ok(Err(format!("currency: {e}"))),
    };
    let spend_minor = match to_minor("spend", points.spend, currency) {
        Ok(s) => s,
        Err(e) => return Ok(Err(format!("the points entry does not fit: {e}"))),
    };
    // The key decides: an entry already there under (reference, kind) is this one again.
    let prior = sqlx::query(
        "SELECT customer_id, points, spend_minor FROM loyalty_entries
         WHERE merchant_id = $1 AND reference_id = $2 AND kind = $3",
    )
    .bind(device.merchant_id.to_string())
    .bind(points.reference_id.to_string())
    .bind(points.kind.name())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(prior) = prior {
        let customer: String = prior.try_get(0)?;
        let stored: i64 = prior.try_get(1)?;
        let stored_spend: i64 = prior.try_get(2)?;
        return Ok(
            if customer == points.customer_id.to_string()
                && stored == points.points
                && stored_spend == spend_minor
            {
                Ok(())
            } else {
                Err(format!(
                    "the `{}` points of {} are already recorded otherwise",
                    points.kind.name(),
                    points.reference_id
                ))
            },
        );
    }
    let updated = sqlx::query(
        "UPDATE customers SET points = points + $1,
            lifetime_spend_minor = lifetime_spend_minor + $2
         WHERE merchant_id = $3 AND id = $4
         RETURNING points",
    )
    .bind(points.points)
    .bind(spend_minor)
    .bind(device.merchant_id.to_string())
    .bind(points.customer_id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(updated) = updated else {
        return Ok(Err(format!(
            "customer {} is not a customer of this merchant",
            points.customer_id
        )));
    };
    let balance_after: i64 = updated.try_get(0)?;
    let inserted = sqlx::query(
        "INSERT INTO loyalty_entries (id, merchant_id, customer_id, reference_id, sale_id, kind,
            points, spend_minor, balance_after, device_id, event_id, occurred_at, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(points.entry_id.to_string())
    .bind(device.merchant_id.to_string())
    .bind(points.customer_id.to_string())
    .bind(points.reference_id.to_string())
    .bind(points.sale_id.to_string())
    .bind(points.kind.name())
    .bind(points.points)
    .bind(spend_minor)
    .bind(balance_after)
    .bind(device.device_id.to_string())
    .bind(event_id)
    .bind(points.occurred_at.to_string())
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        // The entry id was used for another entry: the savepoint takes the balance back.
        return Ok(Err(format!(
            "entry {} was already used for another points entry",
            points.entry_id
        )));
    }
    if points.kind == PointsKind::Redeem && balance_after < 0 {
        tracing::warn!(customer = %points.customer_id, device = %device.code,
            "points redeemed at a till took the balance below zero");
    }
    Ok(Ok(()))
}

/// `GET /v1/customers/{id}/points`: a customer's balance, lifetime spend and ledger.
pub async fn points(
    State(state): State<AppState>,
    device: Device,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CustomerPoints>, ApiError> {
    let customer_id = Uuid::parse_str(id.trim())
        .map_err(|_| ApiError::BadRequest(format!("id: `{id}` is not a customer id (a UUID)")))?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(
        customer_points(&mut conn, &device, customer_id).await?,
    ))
}

/// The query of `GET /v1/customers`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindQuery {
    /// A phone number, in any spelling the device accepts.
    #[serde(default)]
    pub phone: Option<String>,
    /// An email address.
    #[serde(default)]
    pub email: Option<String>,
}

/// `GET /v1/customers?phone=...|email=...`: the merchant's customer with that phone number or
/// email, with their points, for a device that has not seen them (the customer was added on
/// another device).
pub async fn find(
    State(state): State<AppState>,
    device: Device,
    crate::http::ApiQuery(query): crate::http::ApiQuery<FindQuery>,
) -> Result<Json<kasir_sync::protocol::CustomerFound>, ApiError> {
    let bad = |e: kasir_domain::DomainError| ApiError::BadRequest(e.to_string());
    let (column, value) = match (&query.phone, &query.email) {
        (Some(phone), None) => (
            "phone",
            kasir_domain::loyalty::normalise_phone(phone).map_err(bad)?,
        ),
        (None, Some(email)) => (
            "email",
            kasir_domain::loyalty::normalise_email(email).map_err(bad)?,
        ),
        _ => {
            return Err(ApiError::BadRequest(
                "give exactly one of phone= or email=".into(),
            ));
        }
    };
    let mut conn = state.db.pool().acquire().await?;
    let sql = format!(
        "SELECT id, name, phone, email, birth_year, gender, consent_at FROM customers
         WHERE merchant_id = $1 AND {column} = $2 AND erased_at IS NULL
         ORDER BY created_at LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(device.merchant_id.to_string())
        .bind(&value)
        .fetch_optional(&mut *conn)
        .await?
        // Never the phone number or the address itself.
        .ok_or_else(|| {
            ApiError::NotFound(format!("no customer of this merchant has that {column}"))
        })?;
    let internal =
        |what: &str, e: String| ApiError::Internal(format!("stored customer {what}: {e}"));
    let id: String = row.try_get(0)?;
    let customer = Customer {
        id: Uuid::parse_str(&id).map_err(|e| internal("id", e.to_string()))?,
        name: row.try_get(1)?,
        phone: row.try_get(2)?,
        email: row.try_get(3)?,
        birth_year: row
            .try_get::<Option<i64>, _>(4)?
            .map(|y| i32::try_from(y).map_err(|e| internal("birth year", e.to_string())))
            .transpose()?,
        gender: row
            .try_get::<Option<String>, _>(5)?
            .map(|g| {
                kasir_domain::loyalty::Gender::parse(&g)
                    .map_err(|e| internal("gender", e.to_string()))
            })
            .transpose()?,
        consent_at: row
            .try_get::<String, _>(6)?
            .parse()
            .map_err(|e: jiff::Error| internal("consent_at", e.to_string()))?,
    };
    let points = customer_points(&mut conn, &device, customer.id).await?;
    tracing::info!(customer = %customer.id, device = %device.code, "customer looked up");
    Ok(Json(kasir_sync::protocol::CustomerFound {
        customer,
        points,
    }))
}

/// A customer's balance, lifetime spend and ledger; 404 for another merchant's.
async fn customer_points(
    conn: &mut AnyConnection,
    device: &Device,
    customer_id: Uuid,
) -> Result<CustomerPoints, ApiError> {
    let row = sqlx::query(
        "SELECT points, lifetime_spend_minor FROM customers WHERE merchant_id = $1 AND id = $2",
    )
    .bind(device.merchant_id.to_string())
    .bind(customer_id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        ApiError::NotFound(format!(
            "customer {customer_id} is not a customer of this merchant"
        ))
    })?;
    let currency: String = sqlx::query("SELECT currency FROM stores WHERE id = $1")
        .bind(device.store_id.to_string())
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let currency = Currency::from_code(&currency)
        .map_err(|e| ApiError::Internal(format!("the store's currency: {e}")))?;
    let rows = sqlx::query(
        "SELECT id, reference_id, sale_id, kind, points, spend_minor, occurred_at
         FROM loyalty_entries WHERE merchant_id = $1 AND customer_id = $2
         ORDER BY recorded_at, id",
    )
    .bind(device.merchant_id.to_string())
    .bind(customer_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let parse = |text: String, what: &str| {
        Uuid::parse_str(&text).map_err(|e| ApiError::Internal(format!("stored {what}: {e}")))
    };
    let entries = rows
        .into_iter()
        .map(|r| {
            Ok(LoyaltyPoints {
                entry_id: parse(r.try_get(0)?, "entry id")?,
                customer_id,
                reference_id: parse(r.try_get(1)?, "reference id")?,
                sale_id: parse(r.try_get(2)?, "sale id")?,
                kind: PointsKind::parse(&r.try_get::<String, _>(3)?)
                    .map_err(|e| ApiError::Internal(format!("stored kind: {e}")))?,
                points: r.try_get(4)?,
                spend: from_minor(r.try_get(5)?, currency),
                currency: currency.code().to_string(),
                occurred_at: r
                    .try_get::<String, _>(6)?
                    .parse()
                    .map_err(|e| ApiError::Internal(format!("stored time: {e}")))?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(CustomerPoints {
        customer_id,
        points: row.try_get(0)?,
        lifetime_spend: from_minor(row.try_get(1)?, currency),
        entries,
    })
}
