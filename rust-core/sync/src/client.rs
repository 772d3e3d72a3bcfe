//! The HTTP client for protocol v1.

use std::time::Duration;

use reqwest::StatusCode;
use thiserror::Error;

use crate::protocol::{
    EnrolRequest, EnrolResponse, ErrorBody, GiftCardBalance, PROTOCOL_VERSION, PullResponse,
    PushRequest, PushResponse, RedeemRequest, Redemption, VERSION_HEADER,
};

/// Why a sync request failed.
#[derive(Debug, Error)]
pub enum SyncError {
    /// The server could not be reached, or the connection broke: try again later. The text
    /// says so for the clerk ("cannot reach the cloud at HOST (connection refused)"); the
    /// network library's own chain of errors goes to the debug log only.
    #[error("{0}")]
    Network(String),
    /// The server answered with an error.
    #[error("server answered {status}: {message}")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The error code from the body (`bad_request`, `unauthorized`...).
        code: String,
        /// The server's explanation.
        message: String,
    },
    /// The server's answer did not follow the protocol.
    #[error("protocol: {0}")]
    Protocol(String),
    /// The device store failed.
    #[error(transparent)]
    Store(#[from] kasir_store::StoreError),
    /// The device is not enrolled with a cloud account.
    #[error("this device is not enrolled: run `kasir enroll CODE --server URL` first")]
    NotEnrolled,
}

impl SyncError {
    /// Whether trying again later may succeed (network trouble, server overload or failure),
    /// as opposed to a refusal that will not change by itself.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Network(_) => true,
            SyncError::Server { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            SyncError::Protocol(_) => true,
            SyncError::Store(_) | SyncError::NotEnrolled => false,
        }
    }

    /// What the clerk reads about this failure of a request to the cloud at `server` (its
    /// URL): what went wrong in plain words, the server's host, and what to do.
    pub fn for_clerk(&self, server: &str) -> String {
        let host = host_of(server);
        match self {
            SyncError::Network(message) => message.clone(),
            SyncError::Server { status, .. } if *status >= 500 => {
                format!("the cloud at {host} has a fault (HTTP {status}); sync tries again later")
            }
            SyncError::Server { status, .. } if *status == 429 || *status == 408 => {
                format!("the cloud at {host} is busy (HTTP {status}); sync tries again later")
            }
            SyncError::Server {
                status: status @ (401 | 403),
                message,
                ..
            } => format!(
                "the cloud at {host} does not accept this device (HTTP {status}: {message}); \
                 it may have been removed from the account: enrol it again with a new code"
            ),
            SyncError::Server {
                status, message, ..
            } => format!("the cloud at {host} refused the request (HTTP {status}: {message})"),
            SyncError::Protocol(message) => {
                format!("the cloud at {host} gave an answer this device cannot use: {message}")
            }
            SyncError::Store(_) | SyncError::NotEnrolled => self.to_string(),
        }
    }
}

/// `host:port` of a URL (the URL itself if it cannot be read).
pub fn host_of(url: &str) -> String {
    match reqwest::Url::parse(url.trim()) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => url.to_string(),
        },
        Err(_) => url.trim().to_string(),
    }
}

/// A client for one cloud server.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    /// A client for the server at `base_url`, with the device `token` if enrolled.
    pub fn new(base_url: &str, token: Option<String>) -> Result<Client, SyncError> {
        // Several clients may race to install the provider; the first one wins, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let base = base_url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SyncError::Protocol(format!(
                "server `{base_url}` must start with http:// or https://"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .user_agent(concat!("kasir/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Network(describe(&e, &base)))?;
        Ok(Client { http, base, token })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(VERSION_HEADER, PROTOCOL_VERSION);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        request
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, SyncError> {
        let response = request
            .send()
            .await
            .map_err(|e| SyncError::Network(describe(&e, &self.base)))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| SyncError::Network(describe(&e, &self.base)))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| {
                SyncError::Protocol(format!("unexpected answer from the server: {e}"))
            });
        }
        let body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
        Err(SyncError::Server {
            status: status.as_u16(),
            code: body
                .as_ref()
                .map_or_else(|| code_for(status).to_string(), |b| b.code.clone()),
            message: body.map_or_else(
                || String::from_utf8_lossy(&bytes).chars().take(200).collect(),
                |b| b.message,
            ),
        })
    }

    /// GETs `path` and reads the JSON answer.
    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, SyncError> {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    /// POSTs `body` as JSON to `path` and reads the JSON answer.
    pub(crate) async fn post_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, SyncError> {
        self.send(self.request(reqwest::Method::POST, path).json(body))
            .await
    }

    /// Trades an enrolment code for a device token.
    pub async fn enrol(&self, request: &EnrolRequest) -> Result<EnrolResponse, SyncError> {
        self.send(
            self.request(reqwest::Method::POST, "/v1/enrol")
                .json(request),
        )
        .await
    }

    /// Uploads a batch of events, gzipped: sale events are repetitive JSON, and a device on
    /// mobile data pays for every byte.
    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, SyncError> {
        let json = serde_json::to_vec(request)
            .map_err(|e| SyncError::Protocol(format!("the batch could not be encoded: {e}")))?;
        let body = gzip(&json)
            .map_err(|e| SyncError::Protocol(format!("the batch could not be compressed: {e}")))?;
        self.send(
            self.request(reqwest::Method::POST, "/v1/events")
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::CONTENT_ENCODING, "gzip")
                .body(body),
        )
        .await
    }

    /// Asks for changes after `cursor`.
    pub async fn pull(&self, cursor: Option<&str>, limit: u32) -> Result<PullResponse, SyncError> {
        let mut request = self.request(reqwest::Method::GET, "/v1/changes");
        let limit = limit.to_string();
        let mut query: Vec<(&str, &str)> = vec![("limit", &limit)];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        request = request.query(&query);
        self.send(request).await
    }
}

impl Client {
    /// Reads a gift card's balance as the cloud holds it.
    pub async fn gift_card_balance(
        &self,
        number: &kasir_domain::giftcard::CardNumber,
    ) -> Result<GiftCardBalance, SyncError> {
        self.send(self.request(
            reqwest::Method::GET,
            &format!("/v1/gift-cards/{}", number.as_str()),
        ))
        .await
    }

    /// Spends from a gift card online. The cloud takes the amount only if the card holds it
    /// (a 409 `insufficient_balance` otherwise, saying what is left); a retry with the same
    /// entry id is answered like the first request and takes nothing more.
    pub async fn redeem_gift_card(
        &self,
        number: &kasir_domain::giftcard::CardNumber,
        request: &RedeemRequest,
    ) -> Result<Redemption, SyncError> {
        self.send(
            self.request(
                reqwest::Method::POST,
                &format!("/v1/gift-cards/{}/redemptions", number.as_str()),
            )
            .json(request),
        )
        .await
    }
}

impl Client {
    /// A loyalty customer's points as the cloud keeps them (what every device of the
    /// merchant has synced).
    pub async fn customer_points(
        &self,
        customer_id: uuid::Uuid,
    ) -> Result<crate::protocol::CustomerPoints, SyncError> {
        self.send(self.request(
            reqwest::Method::GET,
            &format!("/v1/customers/{customer_id}/points"),
        ))
        .await
    }

    /// The merchant's customer with `phone` (or, when it holds an `@`, that email), added on
    /// any device, with their points.
    pub async fn find_customer(
        &self,
        phone_or_email: &str,
    ) -> Result<crate::protocol::CustomerFound, SyncError> {
        let key = if phone_or_email.contains('@') {
            "email"
        } else {
            "phone"
        };
        self.send(
            self.request(reqwest::Method::GET, "/v1/customers")
                .query(&[(key, phone_or_email)]),
        )
        .await
    }
}

fn code_for(status: StatusCode) -> &'static str {
    if status.is_server_error() {
        "internal"
    } else {
        "bad_request"
    }
}

/// A network error in plain words for the clerk: what failed and where. The whole chain of
/// causes (reqwest, hyper, the socket) goes to the debug log; the token travels in a header,
/// never in the URL, so the chain holds no secret.
fn describe(error: &reqwest::Error, base: &str) -> String {
    let mut chain = error.to_string();
    let mut causes: Vec<String> = Vec::new();
    let mut io_kind = None;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        causes.push(cause.to_string());
        source = cause.source();
    }
    tracing::debug!(server = %base, error = %chain, "request to the cloud failed");
    let host = host_of(base);
    let all = chain.to_ascii_lowercase();
    if error.is_timeout() || io_kind == Some(std::io::ErrorKind::TimedOut) {
        return format!("the cloud at {host} did not answer in time (timed out)");
    }
    if all.contains("dns error") || all.contains("failed to lookup address") {
        return format!(
            "cannot find the cloud's address {host} (name lookup failed: is the network up?)"
        );
    }
    if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        let detail = causes.last().map_or("", String::as_str);
        return format!("cannot make a secure connection to the cloud at {host} (TLS: {detail})");
    }
    let why = match io_kind {
        Some(std::io::ErrorKind::ConnectionRefused) => "connection refused".to_string(),
        Some(std::io::ErrorKind::ConnectionReset) => "connection reset".to_string(),
        Some(std::io::ErrorKind::ConnectionAborted) => "connection aborted".to_string(),
        Some(std::io::ErrorKind::NetworkUnreachable) => "network unreachable".to_string(),
        Some(std::io::ErrorKind::HostUnreachable) => "host unreachable".to_string(),
        _ if error.is_body() || error.is_decode() => {
            return format!("the connection to the cloud at {host} broke during the answer");
        }
        _ if error.is_connect() => "cannot connect".to_string(),
        _ => causes
            .last()
            .cloned()
            .unwrap_or_else(|| "network error".to_string()),
    };
    format!("cannot reach the cloud at {host} ({why})")
}

/// Compresses `bytes` with gzip.
fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 4),
        flate2::Compression::default(),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}
