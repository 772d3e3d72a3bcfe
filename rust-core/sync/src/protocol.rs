//! Protocol version 1 between a device and its cloud account.
//!
//! Every request carries the header [`VERSION_HEADER`] with [`PROTOCOL_VERSION`] and, except
//! enrolment, `Authorization: Bearer TOKEN`. Bodies are JSON; amounts are decimal strings.
//!
//! - `POST /v1/enrol` ([`EnrolRequest`] -> [`EnrolResponse`]): trade a one-time enrolment code
//!   for a device token.
//! - `POST /v1/events` ([`PushRequest`] -> [`PushResponse`]): upload outbox events. Each event is
//!   stored once by its id; the answer lists every event as stored, already stored, or rejected
//!   with a reason. A rejected event does not stop the others.
//! - `GET /v1/changes?cursor=C&limit=N` (-> [`PullResponse`]): catalog items and store
//!   settings that changed after cursor `C` (absent: from the beginning), in order, with the
//!   next cursor. Cursors are opaque strings issued by the server.
//! - `GET /v1/gift-cards/{number}` (-> [`GiftCardBalance`]) and
//!   `POST /v1/gift-cards/{number}/redemptions` ([`RedeemRequest`] -> [`Redemption`]): read a
//!   gift card and spend from it online; a card without enough left is a 409. Redemptions made
//!   offline travel as [`GIFT_CARD_REDEEMED`] events.
//! - `/v1/owner/...` with the merchant's owner token: stores, enrolment codes, catalog and
//!   settings edits, day reports and stock ([`CreateStoreRequest`] and the types after it).
//!   `kasir-cloud` serves the whole API as an OpenAPI document at `/openapi.json`.
//!
//! Errors are a 4xx or 5xx status with an [`ErrorBody`].

use jiff::Timestamp;
use kasir_domain::catalog::Unit;
use kasir_domain::gtin::Gtin;
use kasir_domain::settings::StoreSettings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The request header that carries the protocol version.
pub const VERSION_HEADER: &str = "kasir-protocol";

/// The most events a device sends in one push, and the server accepts.
pub const MAX_PUSH_EVENTS: usize = 500;

/// The largest request body the server accepts, in bytes.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The most changes one pull returns.
pub const MAX_PULL_CHANGES: u32 = 1000;

/// Letters of an enrolment code: Crockford's base 32, without I, L, O and U, so that a code
/// read aloud or typed from a screen survives.
pub const ENROLMENT_CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Letters and digits in an enrolment code (80 random bits), shown in groups of four.
pub const ENROLMENT_CODE_CHARS: usize = 16;

/// An enrolment code as typed, in its one canonical form: upper case, without dashes or
/// spaces, with the letters people confuse with digits read as those digits. The cloud keeps
/// the hash of this form; a device checks a typed code in it before sending it.
pub fn normalise_enrolment_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// `POST /v1/enrol`: a device asks to join a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time code the owner got when creating the enrolment.
    pub code: String,
    /// The device's own id (made when its store file was created).
    pub device_id: Uuid,
    /// The device's receipt-number prefix, for example `D01`.
    pub device_code: String,
}

/// The answer to an enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    /// The merchant (cloud account).
    pub merchant_id: Uuid,
    /// The store the device now belongs to.
    pub store_id: Uuid,
    /// The device's id, as registered.
    pub device_id: Uuid,
    /// The device's secret token; the server keeps only its hash.
    pub token: String,
}

/// One outbox event as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Made on the device (UUIDv7); the key the server deduplicates on.
    pub id: Uuid,
    /// The device's sequence number of the event, from 1.
    pub seq: i64,
    /// What the event records, for example `SaleCompleted`.
    pub kind: String,
    /// When it happened on the device.
    pub occurred_at: Timestamp,
    /// The fact itself: for `SaleCompleted`, a [`kasir_domain::sale::Sale`].
    pub payload: serde_json::Value,
}

/// `POST /v1/events`: a batch of events from one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The sending device; must be the device the token belongs to.
    pub device_id: Uuid,
    /// At most [`MAX_PUSH_EVENTS`] events, in sequence order.
    pub events: Vec<Event>,
}

/// What the server did with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Stored now.
    Stored,
    /// Stored before (a retry or a duplicate): nothing changed.
    AlreadyStored,
    /// Refused; `reason` says why. The device keeps it, visible, and does not resend it.
    Rejected,
}

/// The server's answer for one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventResult {
    /// The event's id.
    pub id: Uuid,
    /// Stored, already stored or rejected.
    pub status: EventStatus,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to a push: one result per event sent, in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One per event.
    pub results: Vec<EventResult>,
}

/// A catalog item as the cloud holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRecord {
    /// The key.
    pub gtin: Gtin,
    /// The merchant's code.
    #[serde(default)]
    pub sku: Option<String>,
    /// Name.
    pub name: String,
    /// Price per unit, in the store's currency.
    pub price: Decimal,
    /// Tax category code.
    pub tax_category: String,
    /// Each or kg.
    pub unit: Unit,
    /// Category.
    #[serde(default)]
    pub category: Option<String>,
}

/// One change the device must apply, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// An item was created or changed; the cloud's copy wins over the device's.
    Item {
        /// The item as it now is.
        item: ItemRecord,
    },
    /// The store's settings changed.
    Settings {
        /// The settings as they now are.
        settings: StoreSettings,
    },
    /// A loyalty customer was erased (their right to be forgotten): a device that holds them
    /// removes their personal data too, and keeps their ledger.
    CustomerErased {
        /// The customer.
        customer_id: Uuid,
    },
}

/// The answer to a pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Changes after the cursor given, oldest first.
    pub changes: Vec<Change>,
    /// The cursor to send next time (the same one when there was nothing new).
    pub next_cursor: String,
    /// Whether more changes are waiting (pull again at once).
    pub more: bool,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `method_not_allowed`, `unsupported_version`, `payload_too_large`, `conflict`,
    /// `insufficient_balance` (a gift card holds less than asked), `internal`.
    pub code: String,
    /// What is wrong, naming the field or value at fault.
    pub message: String,
}

// Owner endpoints: what a merchant's owner (or a back-office tool) sends with the owner token.

/// `POST /v1/owner/stores`: open a store in the merchant's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateStoreRequest {
    /// The store's name.
    pub name: String,
    /// Its settings; absent: an Indonesian shop named `name`
    /// ([`StoreSettings::indonesian_shop`]).
    #[serde(default)]
    pub settings: Option<StoreSettings>,
}

/// A store of the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreInfo {
    /// The store's id.
    pub store_id: Uuid,
    /// The merchant it belongs to.
    pub merchant_id: Uuid,
    /// The store's name.
    pub name: String,
    /// Its settings as they now are.
    pub settings: StoreSettings,
}

/// `POST /v1/owner/stores/{store_id}/enrolments`: ask for a one-time enrolment code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateEnrolmentRequest {
    /// How long the code stays valid, in hours (1 to 720; absent: 72).
    #[serde(default)]
    pub valid_hours: Option<u32>,
}

/// A one-time enrolment code, for `kasir enroll CODE --server URL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentCode {
    /// The code; the server keeps only its hash, so it is shown once.
    pub code: String,
    /// The store a device joins with it.
    pub store_id: Uuid,
    /// When it stops being accepted.
    pub expires_at: Timestamp,
}

/// One catalog item as the owner sets it: the item, and optionally its stock count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogItem {
    /// The key.
    pub gtin: Gtin,
    /// The merchant's code.
    #[serde(default)]
    pub sku: Option<String>,
    /// Name.
    pub name: String,
    /// Price per unit, in the store's currency.
    pub price: Decimal,
    /// Tax category code; must be one of the store's.
    pub tax_category: String,
    /// Each or kg.
    pub unit: Unit,
    /// Category.
    #[serde(default)]
    pub category: Option<String>,
    /// The counted stock (the base that sales from every device are taken from); absent:
    /// unchanged (zero for a new item).
    #[serde(default)]
    pub stock: Option<Decimal>,
}

impl CatalogItem {
    /// The item as devices receive it.
    pub fn record(&self) -> ItemRecord {
        ItemRecord {
            gtin: self.gtin.clone(),
            sku: self.sku.clone(),
            name: self.name.clone(),
            price: self.price,
            tax_category: self.tax_category.clone(),
            unit: self.unit,
            category: self.category.clone(),
        }
    }
}

/// `PUT /v1/owner/stores/{store_id}/items`: create or change items, all or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogUpdate {
    /// The items (at most [`MAX_CATALOG_ITEMS`]).
    pub items: Vec<CatalogItem>,
}

/// The most items one catalog update accepts.
pub const MAX_CATALOG_ITEMS: usize = 5000;

/// The answer to a catalog or settings update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateResult {
    /// Changes appended to the store's feed (an item sent unchanged appends none).
    pub changes: u32,
}

/// Takings of one tender method over a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenderTotal {
    /// `cash`, `card` or `qr`.
    pub method: String,
    /// How many tenders.
    pub count: u64,
    /// What they paid toward sales (amount less change).
    pub amount: Decimal,
}

/// One tax rate over a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// One device's sales over a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceTotal {
    /// The device.
    pub device_id: Uuid,
    /// Its receipt prefix.
    pub device_code: String,
    /// Number of sales.
    pub sales: u64,
    /// Sale totals.
    pub total: Decimal,
}

/// QR tenders split by whether they are verified: `unverified` ones were confirmed only by the
/// clerk (a static QR, or recorded while the provider could not be reached) until the cloud
/// matches them to a payment the provider received, or the owner does. The two sum to the
/// `qr` tenders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrTotals {
    /// How many QR tenders a provider or the owner confirmed.
    pub verified_count: u64,
    /// What they paid.
    pub verified: Decimal,
    /// How many are still unverified.
    pub unverified_count: u64,
    /// What they paid.
    pub unverified: Decimal,
}

/// One staff member's tips on a day, over every device: the tips of the sales they rang, less
/// the tips given back by that day's refunds of their sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTipTotal {
    /// Who rang the sales, as the device recorded it; `None` for sales rung without a sign-in.
    pub staff: Option<String>,
    /// Sales with a tip.
    pub sales: u64,
    /// Tips taken.
    pub tips: Decimal,
    /// Tips given back by refunds.
    pub refunded: Decimal,
    /// `tips - refunded`.
    pub net: Decimal,
}

/// `GET /v1/owner/stores/{store_id}/reports/day/{date}`: a business day's totals over every
/// device, by the date each sale happened (not the date it arrived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayReport {
    /// The store.
    pub store_id: Uuid,
    /// The business day.
    pub date: jiff::civil::Date,
    /// The store's currency code.
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
    /// Of `total`, gift cards sold or loaded at the tills (absent from servers that predate
    /// them).
    #[serde(default)]
    pub gift_cards_sold: Decimal,
    /// Cash rounding.
    pub cash_rounding: Decimal,
    /// Takings per tender method; they sum to `total + cash_rounding`.
    pub tenders: Vec<TenderTotal>,
    /// The `qr` takings, verified and still unverified (absent from servers that predate
    /// it).
    #[serde(default)]
    pub qr: QrTotals,
    /// Tips per staff member, in name order (absent from servers that predate it).
    #[serde(default)]
    pub tips: Vec<StaffTipTotal>,
    /// Tax per rate; they sum to `tax`.
    pub taxes: Vec<TaxTotal>,
    /// Sales per device; they sum to `sales` and `total`.
    pub devices: Vec<DeviceTotal>,
    /// The day's refunds and voids (absent from servers that predate them).
    #[serde(default)]
    pub refunds: RefundTotal,
    /// `total` less the refunds.
    #[serde(default)]
    pub net_total: Decimal,
}

/// The refunds and voids of a day, by the day each was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundTotal {
    /// How many (voids included).
    pub count: u64,
    /// What they gave back.
    pub total: Decimal,
    /// The tax in it.
    pub tax: Decimal,
    /// The tips in it.
    pub tips: Decimal,
    /// Per tender method, what went back.
    pub tenders: Vec<TenderTotal>,
}

/// A refund or void of a sale; the payload is a [`kasir_domain::refund::Refund`].
pub const SALE_REFUNDED: &str = "SaleRefunded";
/// A till shift opened (payload: `shift_id`, `number`, `float`, `staff`).
pub const SHIFT_OPENED: &str = "ShiftOpened";
/// Cash paid in or out, or the drawer opened (payload: the movement).
pub const CASH_MOVED: &str = "CashMoved";
/// A shift closed (payload: `shift_id` and its Z report).
pub const SHIFT_CLOSED: &str = "ShiftClosed";

/// `GET /v1/owner/stores/{store_id}/items/{gtin}/stock`: an item's stock over every device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemStock {
    /// The item.
    pub gtin: Gtin,
    /// The owner's count (zero when never set).
    pub base: Decimal,
    /// The sum of the stock moves the devices reported (negative for sales).
    pub moved: Decimal,
    /// `base + moved`.
    pub stock: Decimal,
}

/// A device of a store, as the owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// The device's id.
    pub device_id: Uuid,
    /// Its receipt prefix.
    pub device_code: String,
    /// When it enrolled.
    pub enrolled_at: Timestamp,
    /// When it last pushed events, if ever.
    #[serde(default)]
    pub last_push_at: Option<Timestamp>,
    /// When it last pulled changes, if ever.
    #[serde(default)]
    pub last_pull_at: Option<Timestamp>,
}

// Gift cards: balances the cloud keeps per merchant, read and spent by devices online, loaded
// by the owner. Offline redemptions arrive as `GiftCardRedeemed` events through the push.

/// The event kind of a gift card redemption made while the device could not reach the cloud;
/// its payload is a [`GiftCardRedeemed`].
pub const GIFT_CARD_REDEEMED: &str = "GiftCardRedeemed";

/// `POST /v1/gift-cards/{number}/redemptions`: a device spends from a card online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    /// Made on the device (a UUID) for this redemption: a retry with the same id is answered
    /// as the first request was and takes nothing more.
    pub entry_id: Uuid,
    /// How much to take, in the store's currency.
    pub amount: Decimal,
    /// The sale the card pays, if any.
    #[serde(default)]
    pub sale_id: Option<Uuid>,
}

/// The answer to a redemption that was applied (now or by an earlier request with the same
/// entry id). A card without enough left is a 409 `insufficient_balance` whose message says
/// what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redemption {
    /// The entry's id, as sent.
    pub entry_id: Uuid,
    /// The card.
    pub number: kasir_domain::giftcard::CardNumber,
    /// What was taken.
    pub amount: Decimal,
    /// What was left on the card right after this redemption.
    pub balance: Decimal,
    /// The card's currency.
    pub currency: String,
    /// Whether an earlier request with this entry id had already applied it.
    pub already_applied: bool,
}

/// `GET /v1/gift-cards/{number}`: what the card holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftCardBalance {
    /// The card.
    pub number: kasir_domain::giftcard::CardNumber,
    /// The balance (negative only when offline redemptions overdrew it).
    pub balance: Decimal,
    /// The card's currency.
    pub currency: String,
    /// When the cloud read it.
    pub as_of: Timestamp,
}

/// The payload of a [`GIFT_CARD_REDEEMED`] event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GiftCardRedeemed {
    /// The ledger entry's id, made on the device; the cloud applies it once.
    pub entry_id: Uuid,
    /// The card.
    pub number: kasir_domain::giftcard::CardNumber,
    /// What was taken at the till.
    pub amount: Decimal,
    /// The currency of the amount.
    pub currency: String,
    /// The sale the card paid, if any.
    #[serde(default)]
    pub sale_id: Option<Uuid>,
    /// When it was taken.
    pub redeemed_at: Timestamp,
}

/// `POST /v1/owner/gift-cards`: the owner issues (sells) a card with its first value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueGiftCardRequest {
    /// The number printed on the card; absent: the cloud makes a random one.
    #[serde(default)]
    pub number: Option<kasir_domain::giftcard::CardNumber>,
    /// The card's currency (ISO 4217).
    pub currency: String,
    /// The first value.
    pub amount: Decimal,
    /// The issue entry's id; a retry with the same id issues nothing more.
    pub entry_id: Uuid,
}

/// `POST /v1/owner/gift-cards/{number}/loads`: the owner adds value to a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadGiftCardRequest {
    /// The load entry's id; a retry with the same id loads nothing more.
    pub entry_id: Uuid,
    /// How much to add.
    pub amount: Decimal,
}

/// One entry of a card's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftCardEntry {
    /// The entry's id.
    pub entry_id: Uuid,
    /// `issue`, `load`, `redeem`, `refund` or `adjust`.
    pub kind: kasir_domain::giftcard::EntryKind,
    /// The change to the balance (negative for a redemption).
    pub delta: Decimal,
    /// The balance right after it.
    pub balance_after: Decimal,
    /// `online`, `offline` (from an event) or `owner`.
    pub source: String,
    /// The sale it paid, for a redemption.
    #[serde(default)]
    pub sale_id: Option<Uuid>,
    /// When the cloud recorded it.
    pub recorded_at: Timestamp,
}

/// A card as the owner sees it: balance, whether offline redemptions overdrew it, its ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftCardInfo {
    /// The card.
    pub number: kasir_domain::giftcard::CardNumber,
    /// What the card carries as a printed code, `KASIR:GIFT:...`.
    pub code: String,
    /// The card's currency.
    pub currency: String,
    /// The balance: the sum of the ledger.
    pub balance: Decimal,
    /// When offline redemptions first took it below zero, if they did.
    #[serde(default)]
    pub overdrawn_at: Option<Timestamp>,
    /// Every entry, oldest first (empty in lists).
    #[serde(default)]
    pub entries: Vec<GiftCardEntry>,
}

/// `GET /v1/owner/gift-cards/overdrawn`: the cards that offline redemptions overdrew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdrawnCards {
    /// The cards, most overdrawn first.
    pub cards: Vec<GiftCardInfo>,
}

/// The event kind of value paid back onto a gift card (a dropped sale's online redemption, or
/// a refund); its payload is a [`GiftCardRefunded`].
pub const GIFT_CARD_REFUNDED: &str = "GiftCardRefunded";

/// The payload of a [`GIFT_CARD_REFUNDED`] event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GiftCardRefunded {
    /// The ledger entry's id, made on the device; the cloud applies it once.
    pub entry_id: Uuid,
    /// The card.
    pub number: kasir_domain::giftcard::CardNumber,
    /// What goes back onto the card.
    pub amount: Decimal,
    /// The currency of the amount.
    pub currency: String,
    /// The sale it belongs to, if any.
    #[serde(default)]
    pub sale_id: Option<Uuid>,
    /// When it was made.
    pub refunded_at: Timestamp,
}

/// The event kind of a loyalty customer added on a device; its payload is a
/// [`kasir_domain::loyalty::Customer`].
pub const CUSTOMER_ADDED: &str = "CustomerAdded";

/// The event kind of a change of a customer's points; its payload is a [`LoyaltyPoints`].
pub const LOYALTY_POINTS: &str = "LoyaltyPoints";

/// The payload of a [`LOYALTY_POINTS`] event: one entry of a customer's points ledger, keyed
/// by `(reference_id, kind)` on the device and in the cloud alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoyaltyPoints {
    /// The entry's id, made on the device.
    pub entry_id: Uuid,
    /// The customer.
    pub customer_id: Uuid,
    /// What caused it: the sale, or the refund.
    pub reference_id: Uuid,
    /// The sale it belongs to.
    pub sale_id: Uuid,
    /// What it records.
    pub kind: kasir_domain::loyalty::PointsKind,
    /// The change of points.
    pub points: i64,
    /// The spend it adds to the customer's lifetime spend (negative for a reversal).
    #[serde(default)]
    pub spend: Decimal,
    /// The currency of `spend`.
    pub currency: String,
    /// When it happened.
    pub occurred_at: Timestamp,
}

/// The event kind of a customer's erasure (their right to be forgotten); its payload is a
/// [`CustomerErased`].
pub const CUSTOMER_ERASED: &str = "CustomerErased";

/// The payload of a [`CUSTOMER_ERASED`] event: the customer whose personal data is removed.
/// Their id, ledger and sales stay; the cloud applies it once. Also what the owner's
/// `POST /v1/owner/customers/{id}/erasure` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerErased {
    /// The customer.
    pub customer_id: Uuid,
    /// When the erasure was made.
    pub erased_at: Timestamp,
}

/// `GET /v1/customers/{id}/points`: a customer's points as the cloud keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPoints {
    /// The customer.
    pub customer_id: Uuid,
    /// The balance: the sum of the ledger.
    pub points: i64,
    /// What the customer has spent in all.
    pub lifetime_spend: Decimal,
    /// The ledger, oldest first.
    #[serde(default)]
    pub entries: Vec<LoyaltyPoints>,
}

/// `GET /v1/customers?phone=...` (or `?email=...`): a customer of the merchant found by their
/// phone number or email, as another device added them, with their points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFound {
    /// The customer, as added (with their consent).
    pub customer: kasir_domain::loyalty::Customer,
    /// Their points and ledger.
    pub points: CustomerPoints,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_in_a_push_are_refused() {
        let body = r#"{"device_id":"0190f3a0-0000-7000-8000-000000000000","events":[],"extra":1}"#;
        assert!(serde_json::from_str::<PushRequest>(body).is_err());
    }

    #[test]
    fn changes_are_tagged_by_kind() {
        let change = Change::Item {
            item: ItemRecord {
                gtin: Gtin::parse("8990121011028").unwrap(),
                sku: None,
                name: "Kecap Manis".into(),
                price: Decimal::from(4000),
                tax_category: "ppn".into(),
                unit: Unit::Each,
                category: None,
            },
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["kind"], "item");
        assert_eq!(json["item"]["price"], "4000");
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), change);
    }
}
