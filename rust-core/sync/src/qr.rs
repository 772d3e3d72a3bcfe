//! Dynamic QR payments through a payment provider, and the verification of QR tenders.
//!
//! A register asks a provider for a payment of an amount under its own reference and gets the
//! payload to show (a dynamic QRIS code), the provider's id of the payment and when it
//! expires ([`QrPaymentProvider::create`]). It then polls the status, or is told it (a
//! notification), until the payment is paid, expired or cancelled; [`QrPaymentTracker`] is
//! the state machine that accepts only what can happen, and [`wait_for_payment`] the polling
//! loop. Creating is idempotent on the reference: asking again with the same reference and
//! amount returns the same payment, so a register that lost the answer asks again safely.
//!
//! The trait has no I/O types: the reference adapter ([`cloud::CloudQris`], with the `client`
//! feature) talks HTTP to the simulated provider of `kasir-cloud`; another provider is one
//! more implementation.
//!
//! Wire types, protocol version 1 (see [`crate::protocol`] for the conventions):
//!
//! - `POST /v1/qris/payments` ([`CreateQrPayment`] -> [`QrPayment`]), a device asks for a
//!   dynamic QRIS payment: whole rupiah, at most Rp 10,000,000, made from the store's QRIS
//!   payload in its cloud settings. A 404 means the store takes no dynamic QRIS payments
//!   (the register falls back to the static sticker); 409 a reference reused for another
//!   amount.
//! - `GET /v1/qris/payments/{provider_id}` (-> [`QrPayment`]) and
//!   `POST /v1/qris/payments/{provider_id}/cancel` (-> [`QrPayment`]).
//! - `POST /v1/qr-tenders/status` ([`QrTenderQuery`] -> [`QrTenderList`]): what the cloud
//!   decided about some of the device's QR tenders; `GET /v1/qr-tenders/unmatched`
//!   (-> [`QrTenderList`]): the store's QR tenders that nothing has verified.
//! - Owner, with the owner token: `PUT /v1/owner/stores/{store_id}/qris` ([`QrisConfig`]),
//!   `POST /v1/owner/stores/{store_id}/qris/payments/{provider_id}/simulate`
//!   ([`SimulateQrPayment`], the customer's bank app paying, or the payment running out),
//!   `POST /v1/owner/stores/{store_id}/qris/received` ([`ReceivedQrPayment`], a payment to the
//!   static sticker as the acquirer reports it), `GET /v1/owner/stores/{store_id}/qr-tenders`
//!   (`?status=unverified|verified|all`, -> [`QrTenderList`]) and
//!   `POST /v1/owner/stores/{store_id}/qr-tenders/{sale_id}/{tender_no}/match`
//!   ([`MatchQrTender`] -> [`QrTenderState`]).

use std::future::Future;
use std::time::Duration;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

/// The status of a dynamic QR payment. `Pending` is the only status that changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QrPaymentStatus {
    /// Shown, not paid yet.
    Pending,
    /// The customer paid.
    Paid,
    /// Nobody paid in time; the code no longer pays.
    Expired,
    /// The register (or the owner) called it off before it was paid.
    Cancelled,
}

impl QrPaymentStatus {
    /// The name sent and stored.
    pub fn name(self) -> &'static str {
        match self {
            QrPaymentStatus::Pending => "pending",
            QrPaymentStatus::Paid => "paid",
            QrPaymentStatus::Expired => "expired",
            QrPaymentStatus::Cancelled => "cancelled",
        }
    }

    /// The status of a name.
    pub fn from_name(name: &str) -> Option<QrPaymentStatus> {
        [
            QrPaymentStatus::Pending,
            QrPaymentStatus::Paid,
            QrPaymentStatus::Expired,
            QrPaymentStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }

    /// Whether the status is final.
    pub fn is_final(self) -> bool {
        self != QrPaymentStatus::Pending
    }

    /// Whether a payment in this status may move to `next`: a pending one to anything, a
    /// final one only to itself.
    pub fn may_become(self, next: QrPaymentStatus) -> bool {
        self == QrPaymentStatus::Pending || self == next
    }
}

/// `POST /v1/qris/payments`: a device asks for a dynamic QRIS payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateQrPayment {
    /// The device's reference for the payment, 1 to 25 letters, digits or `-` (it goes into
    /// the code as the reference label, tag 62 05). Asking again with the same reference and
    /// amount returns the same payment.
    pub reference: String,
    /// Whole rupiah, at most 10,000,000.
    pub amount: Decimal,
}

/// A dynamic QR payment as the provider holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrPayment {
    /// The provider's id of the payment (what the tender records as its reference).
    pub provider_id: String,
    /// The device's reference.
    pub reference: String,
    /// The amount.
    pub amount: Decimal,
    /// The currency code (`IDR`).
    pub currency: String,
    /// The EMV payload to show the customer.
    pub payload: String,
    /// Where it stands.
    pub status: QrPaymentStatus,
    /// When it was made.
    pub created_at: Timestamp,
    /// When a pending payment expires.
    pub expires_at: Timestamp,
    /// When it was paid.
    #[serde(default)]
    pub paid_at: Option<Timestamp>,
}

/// The most tenders one [`QrTenderQuery`] may ask about.
pub const MAX_TENDER_QUERY: usize = 500;

/// One QR tender of a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrTenderKey {
    /// The sale.
    pub sale_id: Uuid,
    /// The tender's number within the sale, from 1.
    pub tender_no: u32,
}

/// `POST /v1/qr-tenders/status`: a device asks what the cloud decided about its QR tenders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrTenderQuery {
    /// At most [`MAX_TENDER_QUERY`] tenders of the device's own sales.
    pub tenders: Vec<QrTenderKey>,
}

/// A QR tender as the cloud sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrTenderState {
    /// The sale.
    pub sale_id: Uuid,
    /// The tender's number within the sale.
    pub tender_no: u32,
    /// The sale's receipt number.
    pub receipt_number: String,
    /// The device that took it (its receipt prefix).
    pub device_code: String,
    /// The store's business day of the sale.
    pub business_date: jiff::civil::Date,
    /// The tender's reference.
    pub reference: String,
    /// What it paid.
    pub amount: Decimal,
    /// `verified` or `unverified`.
    pub status: String,
    /// `provider` (matched to a payment the provider received) or `owner` (matched by hand).
    #[serde(default)]
    pub verified_by: Option<String>,
    /// The provider's payment it was matched to.
    #[serde(default)]
    pub provider_id: Option<String>,
    /// When it was verified.
    #[serde(default)]
    pub verified_at: Option<Timestamp>,
    /// The owner's note, for a tender matched by hand.
    #[serde(default)]
    pub note: Option<String>,
}

/// QR tenders, oldest sale first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrTenderList {
    /// The tenders.
    pub tenders: Vec<QrTenderState>,
}

/// `PUT /v1/owner/stores/{store_id}/qris`: whether the store takes dynamic QRIS payments
/// through the (simulated) provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrisConfig {
    /// Whether devices may create dynamic payments.
    pub enabled: bool,
    /// How long a payment stays payable, in seconds (0 to 86,400; absent: 300). 0 makes
    /// every payment expire at once, to try the expiry path.
    #[serde(default = "default_expiry")]
    pub expires_in_seconds: u32,
    /// Simulation: every payment is paid the first time its status is asked for, as if the
    /// customer scanned and paid at once.
    #[serde(default)]
    pub auto_pay: bool,
}

fn default_expiry() -> u32 {
    300
}

/// The most seconds [`QrisConfig::expires_in_seconds`] may be.
pub const MAX_EXPIRY_SECONDS: u32 = 86_400;

/// What the simulated provider is told happened to a pending payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SimulatedOutcome {
    /// The customer's bank app paid it.
    Paid,
    /// It ran out.
    Expired,
}

/// `POST .../qris/payments/{provider_id}/simulate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulateQrPayment {
    /// What happened.
    pub outcome: SimulatedOutcome,
}

/// `POST .../qris/received`: a payment to the store's static QRIS sticker, as the acquirer
/// reports it (its reference is what the customer's app shows, and what the clerk types).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivedQrPayment {
    /// The acquirer's reference (1 to 64 printable characters).
    pub reference: String,
    /// What was paid.
    pub amount: Decimal,
}

/// `POST .../qr-tenders/{sale_id}/{tender_no}/match`: the owner vouches for a tender.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchQrTender {
    /// Why (for example the bank statement line), at most 200 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// The longest device reference of a dynamic payment: the EMV reference label's limit.
pub const MAX_REFERENCE_CHARS: usize = 25;

/// Checks a device reference: 1 to 25 ASCII letters, digits or `-`.
pub fn check_reference(reference: &str) -> Result<(), String> {
    if reference.is_empty()
        || reference.len() > MAX_REFERENCE_CHARS
        || !reference
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(format!(
            "reference: `{}` must be 1 to {MAX_REFERENCE_CHARS} letters, digits or `-`",
            reference.chars().take(40).collect::<String>()
        ));
    }
    Ok(())
}

/// Why a provider could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProviderError {
    /// The provider (or the way to it) could not be reached: take the payment with the static
    /// code, unverified.
    #[error("the payment provider cannot be reached: {0}")]
    Unavailable(String),
    /// The merchant takes no dynamic QR payments through a provider.
    #[error("the store takes no dynamic QR payments: {0}")]
    NotOffered(String),
    /// The provider refused the request (a bad amount, a reference reused for another amount).
    #[error("the payment provider refused: {0}")]
    Refused(String),
    /// The provider answered something that cannot be: another payment, another amount, a
    /// final status changing.
    #[error("the payment provider answered inconsistently: {0}")]
    Inconsistent(String),
}

/// What a register asks a provider for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// The register's reference (see [`check_reference`]).
    pub reference: String,
    /// The amount.
    pub amount: Decimal,
}

/// A payment provider for dynamic QR payments. No I/O types: an implementation may speak
/// HTTP, a vendor SDK or nothing at all (the tests' fake).
pub trait QrPaymentProvider {
    /// Creates the payment (or returns the one already made with this reference).
    fn create(
        &self,
        request: &PaymentRequest,
    ) -> impl Future<Output = Result<QrPayment, ProviderError>> + Send;

    /// The payment's status now.
    fn status(
        &self,
        provider_id: &str,
    ) -> impl Future<Output = Result<QrPayment, ProviderError>> + Send;

    /// Calls a pending payment off; a payment already final is returned as it is (so the
    /// caller learns that it was paid after all).
    fn cancel(
        &self,
        provider_id: &str,
    ) -> impl Future<Output = Result<QrPayment, ProviderError>> + Send;
}

/// The register's view of one dynamic payment: accepts the provider's answers (a poll, or a
/// notification it was told) only when they can follow what it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPaymentTracker {
    payment: QrPayment,
}

impl QrPaymentTracker {
    /// Starts tracking the payment a provider created for `request`; refused when it is for
    /// another reference or amount.
    pub fn new(
        request: &PaymentRequest,
        created: QrPayment,
    ) -> Result<QrPaymentTracker, ProviderError> {
        if created.reference != request.reference {
            return Err(ProviderError::Inconsistent(format!(
                "asked for reference {}, got a payment for {}",
                request.reference, created.reference
            )));
        }
        if created.amount != request.amount {
            return Err(ProviderError::Inconsistent(format!(
                "asked for {}, got a payment of {}",
                request.amount, created.amount
            )));
        }
        Ok(QrPaymentTracker { payment: created })
    }

    /// The payment as last known.
    pub fn payment(&self) -> &QrPayment {
        &self.payment
    }

    /// Its status as last known.
    pub fn status(&self) -> QrPaymentStatus {
        self.payment.status
    }

    /// Takes what the provider says about the payment (a poll's answer, or a notification).
    /// Refused, changing nothing: another payment, another amount, or a final status
    /// changing. Returns whether the status changed.
    pub fn observe(&mut self, update: &QrPayment) -> Result<bool, ProviderError> {
        if update.provider_id != self.payment.provider_id
            || update.reference != self.payment.reference
        {
            return Err(ProviderError::Inconsistent(format!(
                "an answer about payment {} while waiting for {}",
                update.provider_id, self.payment.provider_id
            )));
        }
        if update.amount != self.payment.amount {
            return Err(ProviderError::Inconsistent(format!(
                "payment {} is now of {}, not {}",
                update.provider_id, update.amount, self.payment.amount
            )));
        }
        if !self.payment.status.may_become(update.status) {
            return Err(ProviderError::Inconsistent(format!(
                "payment {} was {} and is now said to be {}",
                update.provider_id,
                self.payment.status.name(),
                update.status.name()
            )));
        }
        let changed = update.status != self.payment.status;
        self.payment = update.clone();
        Ok(changed)
    }

    /// Whether a pending payment is past its expiry at `now` (the register then cancels it
    /// at the provider rather than wait for the provider to say so).
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.payment.status == QrPaymentStatus::Pending && now >= self.payment.expires_at
    }
}

/// How [`wait_for_payment`] polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// Between two status requests.
    pub interval: Duration,
    /// The most status requests; `None`: until the payment expires.
    pub max_polls: Option<u32>,
}

/// How waiting for a payment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitOutcome {
    /// Paid: record the tender as verified, with the provider's id.
    Paid(QrPayment),
    /// Not paid (expired, cancelled, or still pending after the most polls and then
    /// cancelled): nothing to record.
    NotPaid(QrPayment),
}

/// Polls the payment until it is final, overdue or the polls run out; an unpaid payment is
/// then cancelled at the provider (whose answer may still be that it was paid). `now` gives
/// the time and `sleep` waits, so the loop runs on any executor, and in tests without
/// waiting.
pub async fn wait_for_payment<P, S, F>(
    provider: &P,
    tracker: &mut QrPaymentTracker,
    options: PollOptions,
    now: impl Fn() -> Timestamp,
    mut sleep: S,
) -> Result<WaitOutcome, ProviderError>
where
    P: QrPaymentProvider,
    S: FnMut(Duration) -> F,
    F: Future<Output = ()>,
{
    let mut polls = 0u32;
    while !tracker.status().is_final() {
        if tracker.is_overdue(now()) || options.max_polls.is_some_and(|max| polls >= max) {
            let answer = provider.cancel(&tracker.payment().provider_id).await?;
            tracker.observe(&answer)?;
            break;
        }
        if polls > 0 {
            sleep(options.interval).await;
        }
        polls += 1;
        let answer = provider.status(&tracker.payment().provider_id).await?;
        tracker.observe(&answer)?;
    }
    Ok(match tracker.status() {
        QrPaymentStatus::Paid => WaitOutcome::Paid(tracker.payment().clone()),
        _ => WaitOutcome::NotPaid(tracker.payment().clone()),
    })
}

/// The reference adapter: the simulated provider of `kasir-cloud`, through the device's
/// cloud client.
#[cfg(feature = "client")]
pub mod cloud {
    use kasir_store::Store;
    use kasir_store::qr_payments::{QrVerificationUpdate, VerifiedBy};
    use uuid::Uuid;

    use super::{
        CreateQrPayment, MAX_TENDER_QUERY, PaymentRequest, ProviderError, QrPayment,
        QrPaymentProvider, QrTenderKey, QrTenderList, QrTenderQuery,
    };
    use crate::client::{Client, SyncError};

    /// Dynamic QRIS payments through the store's cloud account.
    #[derive(Debug, Clone)]
    pub struct CloudQris {
        client: Client,
    }

    impl CloudQris {
        /// The adapter over an enrolled device's client.
        pub fn new(client: Client) -> CloudQris {
            CloudQris { client }
        }
    }

    /// What a failed request means for a payment.
    pub(super) fn provider_error(error: SyncError) -> ProviderError {
        match error {
            SyncError::Server {
                status: 404,
                message,
                ..
            } => ProviderError::NotOffered(message),
            SyncError::NotEnrolled => ProviderError::NotOffered(error.to_string()),
            e if e.is_transient() => ProviderError::Unavailable(e.to_string()),
            SyncError::Server { message, .. } => ProviderError::Refused(message),
            e => ProviderError::Unavailable(e.to_string()),
        }
    }

    /// A failure about a payment the provider created: a 404 means it lost it, not that the
    /// store takes no payments.
    fn known_payment_error(provider_id: &str, error: SyncError) -> ProviderError {
        match error {
            SyncError::Server { status: 404, .. } => ProviderError::Inconsistent(format!(
                "the provider no longer knows payment {provider_id}"
            )),
            other => provider_error(other),
        }
    }

    impl QrPaymentProvider for CloudQris {
        async fn create(&self, request: &PaymentRequest) -> Result<QrPayment, ProviderError> {
            self.client
                .post_json(
                    "/v1/qris/payments",
                    &CreateQrPayment {
                        reference: request.reference.clone(),
                        amount: request.amount,
                    },
                )
                .await
                .map_err(provider_error)
        }

        async fn status(&self, provider_id: &str) -> Result<QrPayment, ProviderError> {
            self.client
                .get_json(&format!("/v1/qris/payments/{provider_id}"))
                .await
                .map_err(|e| known_payment_error(provider_id, e))
        }

        async fn cancel(&self, provider_id: &str) -> Result<QrPayment, ProviderError> {
            self.client
                .post_json(
                    &format!("/v1/qris/payments/{provider_id}/cancel"),
                    &serde_json::json!({}),
                )
                .await
                .map_err(|e| known_payment_error(provider_id, e))
        }
    }

    /// The most unverified tenders one sync asks about (the oldest first).
    pub const MAX_TENDERS_PER_SYNC: usize = 4 * MAX_TENDER_QUERY;

    /// Asks the cloud about this device's unverified QR tenders (the oldest
    /// [`MAX_TENDERS_PER_SYNC`]) and records those it has verified; returns how many. A cloud
    /// without QR verification (an older server answers 404) verifies none.
    pub async fn refresh_verifications(
        store: &mut Store,
        client: &Client,
    ) -> Result<usize, SyncError> {
        let mut unverified = store.qr_tenders(true)?;
        unverified.truncate(MAX_TENDERS_PER_SYNC);
        let mut changed = 0;
        for chunk in unverified.chunks(MAX_TENDER_QUERY) {
            let tenders = chunk
                .iter()
                .map(|t| {
                    Ok(QrTenderKey {
                        sale_id: Uuid::parse_str(&t.sale_id)
                            .map_err(|e| SyncError::Protocol(format!("sale {}: {e}", t.sale_id)))?,
                        tender_no: t.tender_no,
                    })
                })
                .collect::<Result<Vec<_>, SyncError>>()?;
            let answer = match client.qr_tender_status(&QrTenderQuery { tenders }).await {
                Ok(answer) => answer,
                Err(SyncError::Server { status: 404, .. }) => return Ok(changed),
                Err(e) => return Err(e),
            };
            let updates: Vec<QrVerificationUpdate> = answer
                .tenders
                .iter()
                .filter(|t| t.status == "verified")
                .filter_map(|t| {
                    Some(QrVerificationUpdate {
                        sale_id: t.sale_id.to_string(),
                        tender_no: t.tender_no,
                        verified_by: VerifiedBy::from_name(t.verified_by.as_deref()?)?,
                        provider_id: t.provider_id.clone(),
                        verified_at: t.verified_at?,
                    })
                })
                .collect();
            changed += store.apply_qr_verifications(&updates)?;
        }
        Ok(changed)
    }

    impl Client {
        /// What the cloud decided about some of this device's QR tenders.
        pub async fn qr_tender_status(
            &self,
            query: &QrTenderQuery,
        ) -> Result<QrTenderList, SyncError> {
            self.post_json("/v1/qr-tenders/status", query).await
        }

        /// The store's QR tenders that nothing has verified yet.
        pub async fn unmatched_qr_tenders(&self) -> Result<QrTenderList, SyncError> {
            self.get_json("/v1/qr-tenders/unmatched").await
        }
    }
}

#[cfg(all(test, feature = "client"))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use std::cell::RefCell;
    use std::sync::Mutex;

    fn payment(status: QrPaymentStatus) -> QrPayment {
        let created: Timestamp = "2026-01-05T03:00:00Z".parse().unwrap();
        QrPayment {
            provider_id: "SIMQ-1".into(),
            reference: "D01-ABC".into(),
            amount: dec!(38500),
            currency: "IDR".into(),
            payload: "000201...".into(),
            status,
            created_at: created,
            expires_at: created + jiff::SignedDuration::from_secs(300),
            paid_at: None,
        }
    }

    fn request() -> PaymentRequest {
        PaymentRequest {
            reference: "D01-ABC".into(),
            amount: dec!(38500),
        }
    }

    /// A provider that answers its polls from a script, and records what it was asked.
    struct Scripted {
        polls: Mutex<Vec<QrPaymentStatus>>,
        cancel_answer: QrPaymentStatus,
        calls: Mutex<Vec<String>>,
    }

    impl Scripted {
        fn new(polls: &[QrPaymentStatus], cancel_answer: QrPaymentStatus) -> Scripted {
            Scripted {
                polls: Mutex::new(polls.iter().rev().copied().collect()),
                cancel_answer,
                calls: Mutex::new(Vec::new()),
            }
        }
        fn calls(&self) -> Vec<String> {
            self.calls.lock().unwrap().clone()
        }
    }

    impl QrPaymentProvider for Scripted {
        async fn create(&self, request: &PaymentRequest) -> Result<QrPayment, ProviderError> {
            self.calls.lock().unwrap().push("create".into());
            let mut p = payment(QrPaymentStatus::Pending);
            p.reference.clone_from(&request.reference);
            Ok(p)
        }
        async fn status(&self, _: &str) -> Result<QrPayment, ProviderError> {
            self.calls.lock().unwrap().push("status".into());
            let status = self
                .polls
                .lock()
                .unwrap()
                .pop()
                .unwrap_or(QrPaymentStatus::Pending);
            Ok(payment(status))
        }
        async fn cancel(&self, _: &str) -> Result<QrPayment, ProviderError> {
            self.calls.lock().unwrap().push("cancel".into());
            Ok(payment(self.cancel_answer))
        }
    }

    fn run<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    fn before_expiry() -> Timestamp {
        "2026-01-05T03:01:00Z".parse().unwrap()
    }

    #[test]
    fn only_a_pending_payment_changes() {
        use QrPaymentStatus::*;
        for from in [Pending, Paid, Expired, Cancelled] {
            for to in [Pending, Paid, Expired, Cancelled] {
                assert_eq!(
                    from.may_become(to),
                    from == Pending || from == to,
                    "{from:?}"
                );
            }
            assert_eq!(QrPaymentStatus::from_name(from.name()), Some(from));
        }
        assert_eq!(QrPaymentStatus::from_name("settled"), None);
    }

    #[test]
    fn the_tracker_refuses_what_cannot_follow() {
        let mut tracker =
            QrPaymentTracker::new(&request(), payment(QrPaymentStatus::Pending)).unwrap();
        let mut other = payment(QrPaymentStatus::Paid);
        other.provider_id = "SIMQ-2".into();
        assert!(tracker.observe(&other).is_err());
        let mut cheaper = payment(QrPaymentStatus::Paid);
        cheaper.amount = dec!(1000);
        assert!(tracker.observe(&cheaper).is_err());
        assert_eq!(tracker.status(), QrPaymentStatus::Pending);

        // Told it was paid (a notification), then a late poll saying pending: refused.
        assert!(tracker.observe(&payment(QrPaymentStatus::Paid)).unwrap());
        assert!(!tracker.observe(&payment(QrPaymentStatus::Paid)).unwrap());
        let err = tracker
            .observe(&payment(QrPaymentStatus::Pending))
            .unwrap_err();
        assert!(err.to_string().contains("was paid"), "{err}");
        assert_eq!(tracker.status(), QrPaymentStatus::Paid);

        let mut wrong = payment(QrPaymentStatus::Pending);
        wrong.amount = dec!(38000);
        assert!(QrPaymentTracker::new(&request(), wrong).is_err());
    }

    #[test]
    fn a_payment_is_overdue_only_while_pending_and_past_expiry() {
        let tracker = QrPaymentTracker::new(&request(), payment(QrPaymentStatus::Pending)).unwrap();
        let expiry = tracker.payment().expires_at;
        assert!(!tracker.is_overdue(before_expiry()));
        assert!(tracker.is_overdue(expiry));
        let paid = QrPaymentTracker::new(&request(), payment(QrPaymentStatus::Paid)).unwrap();
        assert!(!paid.is_overdue(expiry));
    }

    #[test]
    fn waiting_polls_until_paid_and_sleeps_between_polls() {
        use QrPaymentStatus::*;
        let provider = Scripted::new(&[Pending, Pending, Paid], Cancelled);
        let created = run(provider.create(&request())).unwrap();
        let mut tracker = QrPaymentTracker::new(&request(), created).unwrap();
        let slept = RefCell::new(Vec::new());
        let options = PollOptions {
            interval: Duration::from_millis(1500),
            max_polls: None,
        };
        let outcome = run(wait_for_payment(
            &provider,
            &mut tracker,
            options,
            before_expiry,
            |d| {
                slept.borrow_mut().push(d);
                std::future::ready(())
            },
        ))
        .unwrap();
        assert!(matches!(outcome, WaitOutcome::Paid(ref p) if p.provider_id == "SIMQ-1"));
        assert_eq!(provider.calls(), ["create", "status", "status", "status"]);
        assert_eq!(slept.borrow().as_slice(), [Duration::from_millis(1500); 2]);
    }

    #[test]
    fn after_the_last_poll_the_payment_is_cancelled() {
        let provider = Scripted::new(&[], QrPaymentStatus::Cancelled);
        let mut tracker =
            QrPaymentTracker::new(&request(), payment(QrPaymentStatus::Pending)).unwrap();
        let options = PollOptions {
            interval: Duration::ZERO,
            max_polls: Some(2),
        };
        let outcome = run(wait_for_payment(
            &provider,
            &mut tracker,
            options,
            before_expiry,
            |_| std::future::ready(()),
        ))
        .unwrap();
        assert!(
            matches!(outcome, WaitOutcome::NotPaid(ref p) if p.status == QrPaymentStatus::Cancelled)
        );
        assert_eq!(provider.calls(), ["status", "status", "cancel"]);
    }

    #[test]
    fn a_cancel_that_comes_too_late_is_a_payment() {
        // The customer paid between the last poll and the cancel.
        let provider = Scripted::new(&[], QrPaymentStatus::Paid);
        let mut tracker =
            QrPaymentTracker::new(&request(), payment(QrPaymentStatus::Pending)).unwrap();
        let options = PollOptions {
            interval: Duration::ZERO,
            max_polls: Some(0),
        };
        let outcome = run(wait_for_payment(
            &provider,
            &mut tracker,
            options,
            before_expiry,
            |_| std::future::ready(()),
        ))
        .unwrap();
        assert!(matches!(outcome, WaitOutcome::Paid(_)));
        assert_eq!(provider.calls(), ["cancel"]);
    }

    #[test]
    fn an_overdue_payment_is_cancelled_without_polling() {
        let provider = Scripted::new(&[QrPaymentStatus::Paid], QrPaymentStatus::Expired);
        let mut tracker =
            QrPaymentTracker::new(&request(), payment(QrPaymentStatus::Pending)).unwrap();
        let expiry = tracker.payment().expires_at;
        let options = PollOptions {
            interval: Duration::ZERO,
            max_polls: None,
        };
        let outcome = run(wait_for_payment(
            &provider,
            &mut tracker,
            options,
            move || expiry,
            |_| std::future::ready(()),
        ))
        .unwrap();
        assert!(
            matches!(outcome, WaitOutcome::NotPaid(ref p) if p.status == QrPaymentStatus::Expired)
        );
        assert_eq!(provider.calls(), ["cancel"]);
    }

    #[test]
    fn the_adapter_tells_a_missing_provider_from_a_missing_network_and_a_refusal() {
        use crate::client::SyncError;
        let server = |status: u16| SyncError::Server {
            status,
            code: "x".into(),
            message: format!("status {status}"),
        };
        // No provider for the store (or an older cloud without the endpoint): the sticker.
        assert!(matches!(
            cloud::provider_error(server(404)),
            ProviderError::NotOffered(_)
        ));
        assert!(matches!(
            cloud::provider_error(SyncError::NotEnrolled),
            ProviderError::NotOffered(_)
        ));
        // No answer, or a failing server: the sticker too, but the payment may exist.
        for error in [
            SyncError::Network("refused".into()),
            server(500),
            server(503),
        ] {
            assert!(matches!(
                cloud::provider_error(error),
                ProviderError::Unavailable(_)
            ));
        }
        // A refusal is shown to the clerk as it is.
        for status in [400, 409] {
            assert!(
                matches!(cloud::provider_error(server(status)), ProviderError::Refused(ref m) if m.contains(&status.to_string()))
            );
        }
    }

    #[test]
    fn references_fit_the_reference_label() {
        assert!(check_reference("D01-0123456789abcdef").is_ok());
        assert!(check_reference("").is_err());
        assert!(check_reference("has space").is_err());
        assert!(check_reference(&"A".repeat(26)).is_err());
    }

    #[test]
    fn wire_statuses_are_snake_case() {
        let json = serde_json::to_value(payment(QrPaymentStatus::Cancelled)).unwrap();
        assert_eq!(json["status"], "cancelled");
        assert_eq!(json["amount"], "38500");
        let config: QrisConfig = serde_json::from_str(r#"{"enabled": true}"#).unwrap();
        assert_eq!(config.expires_in_seconds, 300);
        assert!(!config.auto_pay);
    }
}
