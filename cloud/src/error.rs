//! The server's error: what a request got wrong (a 4xx naming the problem) or what went wrong
//! on the server (a 5xx whose details stay in the log), answered as the protocol's
//! [`ErrorBody`].

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kasir_sync::protocol::ErrorBody;
use thiserror::Error;

/// Why a request was refused or failed. A refused request has changed nothing.
#[derive(Debug, Error)]
pub enum ApiError {
    /// Malformed JSON, a wrong type, a bad value (400 `bad_request`).
    #[error("{0}")]
    BadRequest(String),
    /// No token, or a token the server does not know (401 `unauthorized`).
    #[error("{0}")]
    Unauthorized(String),
    /// A known caller asking for something that is not theirs (403 `forbidden`).
    #[error("{0}")]
    Forbidden(String),
    /// No such thing in the caller's account, or no such endpoint (404 `not_found`).
    #[error("{0}")]
    NotFound(String),
    /// The `kasir-protocol` header is missing or names a version this server does not speak
    /// (400 `unsupported_version`).
    #[error("{0}")]
    UnsupportedVersion(String),
    /// The body or the batch is bigger than the protocol allows (413 `payload_too_large`).
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body is in an encoding the server does not read (415 `unsupported_encoding`).
    #[error("{0}")]
    UnsupportedEncoding(String),
    /// The request contradicts what is stored (409 `conflict`).
    #[error("{0}")]
    Conflict(String),
    /// A gift card holds less than a redemption asks for; the message says what is left
    /// (409 `insufficient_balance`).
    #[error("{0}")]
    InsufficientBalance(String),
    /// The HTTP method is not served on this path (405 `method_not_allowed`).
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The database failed (500 `internal`).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Something the server itself got wrong (500 `internal`).
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::UnsupportedVersion(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Conflict(_) | ApiError::InsufficientBalance(_) => StatusCode::CONFLICT,
            ApiError::UnsupportedEncoding(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Database(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of the [`ErrorBody`].
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::UnsupportedVersion(_) => "unsupported_version",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::Conflict(_) => "conflict",
            ApiError::InsufficientBalance(_) => "insufficient_balance",
            ApiError::UnsupportedEncoding(_) => "unsupported_encoding",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::Database(_) | ApiError::Internal(_) => "internal",
        }
    }
}

impl From<kasir_domain::DomainError> for ApiError {
    fn from(e: kasir_domain::DomainError) -> Self {
        ApiError::BadRequest(e.to_string())
    }
}

impl From<crate::tokens::RandomError> for ApiError {
    fn from(e: crate::tokens::RandomError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = match &self {
            ApiError::Database(_) | ApiError::Internal(_) => {
                tracing::error!(error = %self, "request failed on the server");
                "the server failed; its log has the details".to_string()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            code: self.code().to_string(),
            message,
        };
        (self.status(), Json(body)).into_response()
    }
}
