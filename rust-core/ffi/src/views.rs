//! Records that are views of the store's and the sync worker's results.
//!
//! `kasir-store` and `kasir-sync` have no FFI feature (they are the device's plumbing, not its
//! vocabulary), and their result types hold times as RFC 3339 strings; these records give the
//! apps the same facts with timestamps as timestamps. The open sale's view ([`CartView`]) is
//! the one thing a register screen redraws after every call.

use std::time::SystemTime;

use kasir_domain::Decimal;
use kasir_domain::cart::{CartLine, Totals};
use kasir_domain::payment::{Payment, Tender};
use kasir_domain::split::BillPart;

/// The open sale as a register screen shows it: its lines, totals and payment so far.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CartView {
    /// Every line, voided ones included (they stay on record, struck through).
    pub lines: Vec<CartLine>,
    /// The order discounts given, in the order they apply.
    pub order_discounts: Vec<kasir_domain::cart::Discount>,
    /// The totals of the active lines.
    pub totals: Totals,
    /// The payment so far.
    pub payment: PaymentState,
}

/// Where the payment of the open sale stands.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PaymentState {
    /// What the tenders must cover: the total plus any cash rounding.
    pub amount_due: Decimal,
    /// What is still to pay (zero or less once paid).
    pub remaining: Decimal,
    /// What cash would settle the sale now, after the store's cash rounding.
    pub cash_due: Decimal,
    /// Cash to give back over all tenders.
    pub change: Decimal,
    /// The cash rounding applied so far.
    pub rounding_adjustment: Decimal,
    /// Whether the tenders cover the sale, so that it can be completed.
    pub is_paid: bool,
    /// The tenders so far.
    pub tenders: Vec<Tender>,
}

impl PaymentState {
    /// The state of `payment`.
    pub(crate) fn of(payment: &Payment) -> PaymentState {
        PaymentState {
            amount_due: payment.amount_due(),
            remaining: payment.remaining().max(Decimal::ZERO),
            cash_due: payment.cash_due(),
            change: payment.change(),
            rounding_adjustment: payment.rounding_adjustment(),
            is_paid: payment.is_paid(),
            tenders: payment.tenders().to_vec(),
        }
    }
}

/// A line of the sales list.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SaleSummary {
    /// The receipt number (`D01-000042`).
    pub receipt_number: String,
    /// The sale's id.
    pub id: String,
    /// When it completed.
    pub completed_at: SystemTime,
    /// The business day it belongs to (`2026-12-03`).
    pub business_date: String,
    /// Number of lines.
    pub lines: u32,
    /// The total before cash rounding.
    pub total: Decimal,
}

/// One tender method's takings over a day.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TenderTotal {
    /// `cash`, `card` or `qr`.
    pub method: String,
    /// How many tenders.
    pub count: u64,
    /// What they paid toward sales (amount less change).
    pub amount: Decimal,
}

/// One tax rate over a day.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TaxTotal {
    /// The rate's code.
    pub rate: String,
    /// The rate's label.
    pub label: String,
    /// Sales value before tax.
    pub net: Decimal,
    /// Tax.
    pub tax: Decimal,
}

/// A best-selling item of a day.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BestSeller {
    /// The item's GTIN (14 digits).
    pub gtin: String,
    /// The item's name.
    pub name: String,
    /// Quantity sold.
    pub quantity: Decimal,
    /// Amount sold, after discounts.
    pub amount: Decimal,
}

/// The totals of one business day on this device.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DayReport {
    /// The day (`2026-12-03`).
    pub date: String,
    /// The store's currency.
    pub currency: String,
    /// Number of sales.
    pub sales: u64,
    /// Gross item sales before discounts.
    pub subtotal: Decimal,
    /// Discounts given.
    pub discounts: Decimal,
    /// Service charges and tips.
    pub charges: Decimal,
    /// Tax.
    pub tax: Decimal,
    /// Sale totals.
    pub total: Decimal,
    /// Cash rounding.
    pub cash_rounding: Decimal,
    /// Takings per tender method; they sum to `total + cash_rounding`.
    pub tenders: Vec<TenderTotal>,
    /// Tax per rate; they sum to `tax`.
    pub taxes: Vec<TaxTotal>,
    /// The ten items with the highest sales amount.
    pub best_sellers: Vec<BestSeller>,
}

impl From<kasir_store::report::DayReport> for DayReport {
    fn from(r: kasir_store::report::DayReport) -> Self {
        DayReport {
            date: r.date,
            currency: r.currency,
            sales: r.sales,
            subtotal: r.subtotal,
            discounts: r.discounts,
            charges: r.charges,
            tax: r.tax,
            total: r.total,
            cash_rounding: r.cash_rounding,
            tenders: r
                .tenders
                .into_iter()
                .map(|t| TenderTotal {
                    method: t.method,
                    count: t.count,
                    amount: t.amount,
                })
                .collect(),
            taxes: r
                .taxes
                .into_iter()
                .map(|t| TaxTotal {
                    rate: t.rate,
                    label: t.label,
                    net: t.net,
                    tax: t.tax,
                })
                .collect(),
            best_sellers: r
                .best_sellers
                .into_iter()
                .map(|b| BestSeller {
                    gtin: b.gtin,
                    name: b.name,
                    quantity: b.quantity,
                    amount: b.amount,
                })
                .collect(),
        }
    }
}

/// An event the cloud refused, kept on the device with the reason.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RejectedEvent {
    /// The per-device sequence number.
    pub seq: i64,
    /// The event's id.
    pub id: String,
    /// What it records (`sale.completed`).
    pub kind: String,
    /// Why the cloud refused it.
    pub reason: String,
}

/// What a screen shows about sync.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SyncStatus {
    /// Whether the device is enrolled with a cloud account.
    pub enrolled: bool,
    /// The server, when enrolled.
    pub server_url: Option<String>,
    /// Events waiting to be delivered.
    pub waiting: u64,
    /// When the oldest waiting event happened.
    pub oldest_waiting: Option<SystemTime>,
    /// Events delivered.
    pub synced: u64,
    /// When sync last completed without error.
    pub last_success_at: Option<SystemTime>,
    /// When sync was last tried.
    pub last_attempt_at: Option<SystemTime>,
    /// The last error, if the last attempt failed.
    pub last_error: Option<String>,
    /// Events the cloud refused, with the reason.
    pub rejected: Vec<RejectedEvent>,
}

/// A stored RFC 3339 time as a timestamp.
pub(crate) fn timestamp(text: Option<String>) -> Option<SystemTime> {
    text.and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .and_then(|t| SystemTime::try_from(t).ok())
}

impl From<kasir_store::sync::SyncStatus> for SyncStatus {
    fn from(s: kasir_store::sync::SyncStatus) -> Self {
        SyncStatus {
            enrolled: s.enrolled,
            server_url: s.server_url,
            waiting: s.waiting,
            oldest_waiting: timestamp(s.oldest_waiting),
            synced: s.synced,
            last_success_at: timestamp(s.last_success_at),
            last_attempt_at: timestamp(s.last_attempt_at),
            last_error: s.last_error,
            rejected: s
                .rejected
                .into_iter()
                .map(|r| RejectedEvent {
                    seq: r.seq,
                    id: r.id,
                    kind: r.kind,
                    reason: r.reason,
                })
                .collect(),
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// Events the cloud stored now.
    pub stored: u64,
    /// Events the cloud had already (a retry after a lost answer).
    pub already_stored: u64,
    /// Events the cloud refused (see [`SyncStatus::rejected`]).
    pub rejected: u64,
    /// Changes pulled from the cloud and applied (catalog, settings).
    pub changes: u64,
    /// Events left waiting because another sync was sending them.
    pub leased_elsewhere: u64,
}

impl From<kasir_sync::worker::SyncReport> for SyncReport {
    fn from(r: kasir_sync::worker::SyncReport) -> Self {
        SyncReport {
            stored: r.stored as u64,
            already_stored: r.already_stored as u64,
            rejected: r.rejected as u64,
            changes: r.changes as u64,
            leased_elsewhere: r.leased_elsewhere,
        }
    }
}

/// What a tip button shows: a percentage and what it comes to on the sale.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct TipOption {
    /// The percentage of the items after discounts.
    pub percent: Decimal,
    /// The tip it makes, in the store's currency.
    pub amount: Decimal,
}

/// How to divide a bill between payers.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum BillSplit {
    /// Into `parts` equal parts (2 or more).
    Evenly {
        /// How many payers.
        parts: u32,
    },
    /// Each payer pays an amount given; one more part takes what is left, if anything.
    ByAmount {
        /// The amounts, in the store's currency.
        amounts: Vec<Decimal>,
    },
    /// Each payer takes whole lines of the bill (by line number).
    ByItem {
        /// For each payer, the line numbers taken.
        parts: Vec<Vec<u32>>,
    },
}

/// One payer's part of a split bill.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BillShare {
    /// 1, 2, ... in the order of the rule.
    pub number: u32,
    /// The line numbers taken (by item only).
    pub lines: Vec<u32>,
    /// The part's items after discounts.
    pub items: Decimal,
    /// Its share of the discounts (already taken off `items`).
    pub discount: Decimal,
    /// Its share of the charges (service, tip).
    pub charges: Decimal,
    /// Its share of the tax.
    pub tax: Decimal,
    /// What this payer pays, before any cash rounding.
    pub total: Decimal,
    /// What this payer hands over in cash, under the store's cash rounding: the same as
    /// `total` for every part but the last, whose cash settles the sale.
    pub cash: Decimal,
    /// `cash - total`: the rounding recorded when the last part is paid in cash.
    pub cash_rounding: Decimal,
}

impl From<BillPart> for BillShare {
    fn from(p: BillPart) -> Self {
        BillShare {
            number: p.number,
            lines: p.lines.iter().map(|l| l.line).collect(),
            items: p.items,
            discount: p.discount,
            charges: p.charges_total,
            tax: p.tax,
            total: p.total,
            cash: p.cash,
            cash_rounding: p.cash_rounding,
        }
    }
}

/// A dynamic QRIS code for one payment.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct QrisPayment {
    /// The EMV QR payload to show as a QR code, full screen, for the customer's app.
    pub payload: String,
    /// The amount it asks for.
    pub amount: Decimal,
}
