//! The HTTP edge: the protocol-version check, extractors whose failures answer with an
//! [`ErrorBody`](kasir_sync::protocol::ErrorBody) naming the problem, the fallbacks for unknown
//! endpoints, and request logging.

use std::time::Instant;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kasir_sync::protocol::{MAX_BODY_BYTES, PROTOCOL_VERSION, VERSION_HEADER};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Refuses a request without the `kasir-protocol` header, or naming a version this server
/// does not speak, before anything else looks at it.
pub async fn require_version(request: Request, next: Next) -> Response {
    let Some(value) = request.headers().get(VERSION_HEADER) else {
        return ApiError::UnsupportedVersion(format!(
            "missing header `{VERSION_HEADER}`: this server speaks protocol version \
             {PROTOCOL_VERSION}"
        ))
        .into_response();
    };
    let text = String::from_utf8_lossy(value.as_bytes());
    match text.trim().parse::<u32>() {
        Ok(PROTOCOL_VERSION) => next.run(request).await,
        Ok(other) => ApiError::UnsupportedVersion(format!(
            "protocol version {other} is not supported: this server speaks version \
             {PROTOCOL_VERSION} (header `{VERSION_HEADER}`)"
        ))
        .into_response(),
        Err(_) => ApiError::UnsupportedVersion(format!(
            "header `{VERSION_HEADER}` must be a version number such as {PROTOCOL_VERSION}, \
             not `{}`",
            text.chars().take(40).collect::<String>()
        ))
        .into_response(),
    }
}

/// Logs each request (method, route template, status, time) and marks every answer with the
/// protocol version. The route template, not the path, so that nothing a caller typed ends up
/// in the log; tokens travel in headers, which are never logged.
pub async fn observe(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "(no route)".into());
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        VERSION_HEADER,
        HeaderValue::from_str(&PROTOCOL_VERSION.to_string())
            .unwrap_or(HeaderValue::from_static("1")),
    );
    let status = response.status().as_u16();
    let ms = started.elapsed().as_millis();
    if response.status().is_server_error() {
        tracing::warn!(%method, route, status, ms, "request failed");
    } else {
        tracing::debug!(%method, route, status, ms, "request");
    }
    response
}

/// Refuses a body in an encoding the server does not read (it reads gzip and identity),
/// naming the encoding, before anything else looks at the request.
pub async fn known_encoding(request: Request, next: Next) -> Result<Response, ApiError> {
    if let Some(value) = request.headers().get(axum::http::header::CONTENT_ENCODING) {
        let encoding = String::from_utf8_lossy(value.as_bytes())
            .trim()
            .to_ascii_lowercase();
        if encoding != "gzip" && encoding != "identity" {
            return Err(ApiError::UnsupportedEncoding(format!(
                "the body is sent with `Content-Encoding: {encoding}`; send it as gzip or \
                 uncompressed"
            )));
        }
    }
    Ok(next.run(request).await)
}

/// The answer for a path no endpoint serves.
pub async fn no_such_endpoint(method: Method, uri: Uri) -> ApiError {
    ApiError::NotFound(format!(
        "no such endpoint: {method} {}; GET /openapi.json lists them",
        uri.path()
    ))
}

/// The answer for a method an endpoint does not serve.
pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!(
        "{method} is not served on {}; GET /openapi.json lists the methods",
        uri.path()
    ))
}

/// A JSON body whose every failure (not JSON, a wrong type, a missing or unknown field, too
/// big, not sent as JSON) is a 4xx naming the problem.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_error(rejection)),
        }
    }
}

fn json_error(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonSyntaxError(e) => {
            ApiError::BadRequest(format!("the body is not valid JSON: {}", e.body_text()))
        }
        JsonRejection::JsonDataError(e) => {
            ApiError::BadRequest(format!("the body does not fit: {}", e.body_text()))
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::BadRequest(
            "the body must be sent with `Content-Type: application/json`".into(),
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge(format!(
                "the body is larger than {MAX_BODY_BYTES} bytes; send fewer events per request"
            ))
        }
        other => ApiError::BadRequest(format!("the body could not be read: {}", other.body_text())),
    }
}

/// Query parameters whose failures are a 400 naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(ApiError::BadRequest(
                format!("bad query string: {}", e.body_text()),
            )),
            Err(e) => Err(ApiError::BadRequest(e.body_text())),
        }
    }
}

/// Path parameters (ids, dates) whose failures are a 400 naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => Err(ApiError::BadRequest(
                format!("bad value in the path: {}", e.body_text()),
            )),
            Err(e) => Err(ApiError::Internal(e.body_text())),
        }
    }
}
