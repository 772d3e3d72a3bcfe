//! kasir-cloud: the cloud account that Kasir devices sync with.
//!
//! A merchant (the account) has stores; a store has devices. Devices push their outbox events
//! (stored exactly once by id) and pull the catalog and settings changes the owner made (in
//! order, exactly once, by a server-issued cursor). The owner manages stores, enrolment codes,
//! the catalog and settings, and reads day reports and stock. The wire types are
//! [`kasir_sync::protocol`]; `/openapi.json` describes every endpoint.
//!
//! The server keeps no state outside its database (SQLite by default, or PostgreSQL), so
//! several instances can serve one PostgreSQL database behind a load balancer.

pub mod accounts;
pub mod auth;
pub mod changes;
pub mod db;
pub mod erasure;
pub mod error;
pub mod giftcards;
pub mod http;
pub mod loyalty;
pub mod push;
pub mod qris;
pub mod receipt;
pub mod report;
pub mod till;
pub mod tokens;
mod units;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use kasir_sync::protocol::MAX_BODY_BYTES;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;

pub use db::{Backend, Db};
pub use error::ApiError;

/// The OpenAPI 3.1 document of the API, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// What every request handler shares: only the database.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
}

/// The whole HTTP API over `db`.
pub fn router(db: Db) -> Router {
    let v1 = Router::new()
        .route("/enrol", post(accounts::enrol))
        .route("/events", post(push::push))
        .route("/changes", get(changes::pull))
        .route(
            "/owner/stores",
            post(accounts::create_store).get(accounts::list_stores),
        )
        .route("/owner/stores/{store_id}", get(accounts::get_store))
        .route(
            "/owner/stores/{store_id}/enrolments",
            post(accounts::create_enrolment),
        )
        .route(
            "/owner/stores/{store_id}/devices",
            get(accounts::list_devices),
        )
        .route("/owner/stores/{store_id}/items", put(changes::put_items))
        .route(
            "/owner/stores/{store_id}/settings",
            put(changes::put_settings),
        )
        .route(
            "/owner/stores/{store_id}/items/{gtin}/stock",
            get(report::item_stock),
        )
        .route(
            "/owner/stores/{store_id}/reports/day/{date}",
            get(report::day_report),
        )
        .route("/gift-cards/{number}", get(giftcards::balance))
        .route("/gift-cards/{number}/redemptions", post(giftcards::redeem))
        .route("/owner/gift-cards", post(giftcards::issue))
        .route("/owner/gift-cards/overdrawn", get(giftcards::overdrawn))
        .route("/owner/gift-cards/{number}", get(giftcards::get_card))
        .route("/owner/gift-cards/{number}/loads", post(giftcards::load))
        .route("/customers", get(loyalty::find))
        .route("/customers/{id}/points", get(loyalty::points))
        .route("/owner/customers/{id}/erasure", post(erasure::owner_erase))
        .route("/qris/payments", post(qris::create_payment))
        .route("/qris/payments/{provider_id}", get(qris::get_payment))
        .route(
            "/qris/payments/{provider_id}/cancel",
            post(qris::cancel_payment),
        )
        .route("/qr-tenders/status", post(qris::tender_status))
        .route("/qr-tenders/unmatched", get(qris::unmatched))
        .route("/owner/stores/{store_id}/qris", put(qris::put_config))
        .route(
            "/owner/stores/{store_id}/qris/payments/{provider_id}/simulate",
            post(qris::simulate),
        )
        .route(
            "/owner/stores/{store_id}/qris/received",
            post(qris::received),
        )
        .route(
            "/owner/stores/{store_id}/qr-tenders",
            get(qris::list_tenders),
        )
        .route(
            "/owner/stores/{store_id}/qr-tenders/{sale_id}/{tender_no}/match",
            post(qris::match_tender),
        )
        .route_layer(middleware::from_fn(http::require_version));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .route("/r/{token}", get(receipt::page))
        .nest("/v1", v1)
        .fallback(http::no_such_endpoint)
        .method_not_allowed_fallback(http::method_not_allowed)
        // The limit applies to the body as the handler reads it, after decompression, so a
        // small gzip bomb is refused like any other oversized body.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            RequestDecompressionLayer::new()
                .gzip(true)
                .pass_through_unaccepted(false),
        )
        .layer(middleware::from_fn(http::known_encoding))
        .layer(CompressionLayer::new().gzip(true))
        .layer(middleware::from_fn(http::observe))
        .with_state(AppState { db })
}

/// `GET /healthz`: whether the server and its database answer.
async fn healthz(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    state.db.ping().await?;
    Ok(axum::Json(serde_json::json!({ "status": "ok" })))
}

/// `GET /openapi.json`.
async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI)
}
