//! Public receipt links: `GET /r/{token}` is a sale's receipt as an HTML page, and
//! `GET /r/{token}.json` the same receipt as JSON, for a customer who asked for a link
//! instead of paper.
//!
//! The token is made on the device when the sale is stored ([`kasir_domain::receipt_link`])
//! and arrives in the sale's `SaleCompleted` event, beside the sale's own fields, so devices
//! that predate links still push as before (their sales simply have none). It is the only key:
//! 144 random bits, looked up through a unique index, never listed, and a token of the wrong
//! form is answered exactly like an unknown one. The page shows what the paper receipt shows
//! of the sale and nothing that identifies a person: no staff name, no card digits, approval
//! codes, QR references or gift card numbers, no customer. Every text is HTML-escaped by the
//! template.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kasir_domain::cart::ChargeKind;
use kasir_domain::catalog::Unit;
use kasir_domain::giftcard::CardSaleKind;
use kasir_domain::money::{Currency, Locale};
use kasir_domain::payment::TenderMethod;
use kasir_domain::receipt_link::is_token;
use kasir_domain::sale::Sale;
use kasir_domain::settings::StoreSettings;
use kasir_domain::tax::PriceMode;
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::AppState;
use crate::error::ApiError;
use crate::units::from_minor;

/// The field of a `SaleCompleted` payload that carries the sale's receipt token.
pub const TOKEN_FIELD: &str = "receipt_token";

/// The receipt token a `SaleCompleted` payload carries: `None` when it has none (an older
/// device), an error naming the field when it is there but not a token.
pub fn token_of(payload: &serde_json::Value) -> Result<Option<String>, String> {
    match payload.get(TOKEN_FIELD) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(token)) if is_token(token) => Ok(Some(token.clone())),
        Some(_) => Err(format!(
            "{TOKEN_FIELD}: not a receipt token ({} characters of the URL-safe base 64 alphabet)",
            kasir_domain::receipt_link::TOKEN_CHARS
        )),
    }
}

/// Whether another sale holds `token` already.
pub(crate) async fn token_taken(conn: &mut AnyConnection, token: &str) -> Result<bool, ApiError> {
    Ok(sqlx::query("SELECT 1 FROM sales WHERE receipt_token = $1")
        .bind(token)
        .fetch_optional(conn)
        .await?
        .is_some())
}

/// A receipt as `GET /r/{token}.json` answers it. Amounts are decimal strings in `currency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicReceipt {
    /// The store's name, as on the paper receipt.
    pub store_name: String,
    /// The store's address lines.
    pub store_address: Vec<String>,
    /// The receipt's language (`id` or `en`), the store's.
    pub language: String,
    /// The receipt number (`D01-000042`).
    pub receipt_number: String,
    /// When the sale completed (RFC 3339).
    pub completed_at: String,
    /// The store's business day of the sale.
    pub business_date: String,
    /// The currency code.
    pub currency: String,
    /// Whether the prices included tax.
    pub prices_include_tax: bool,
    /// The sold lines.
    pub lines: Vec<PublicLine>,
    /// Gift cards sold or loaded (without their numbers).
    pub gift_cards: Vec<PublicGiftCard>,
    /// Sum of the lines' gross amounts.
    pub subtotal: Decimal,
    /// All discounts.
    pub discount_total: Decimal,
    /// Service charge and tip.
    pub charges: Vec<PublicCharge>,
    /// Tax per rate.
    pub taxes: Vec<PublicTax>,
    /// The tax (contained in the total when prices include it).
    pub tax_total: Decimal,
    /// The total before cash rounding.
    pub total: Decimal,
    /// Cash rounding.
    pub cash_rounding: Decimal,
    /// What the tenders covered.
    pub amount_due: Decimal,
    /// The tenders, by method only.
    pub tenders: Vec<PublicTender>,
    /// Cash given back.
    pub change: Decimal,
    /// Refunds and voids of the sale that have reached the cloud, oldest first.
    pub refunds: Vec<PublicRefund>,
    /// What the refunds gave back together.
    pub refunded_total: Decimal,
}

/// A sold line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicLine {
    /// The item's name.
    pub name: String,
    /// How many.
    pub quantity: Decimal,
    /// `each` or `kg`.
    pub unit: Unit,
    /// Price per unit.
    pub unit_price: Decimal,
    /// Quantity times price.
    pub gross: Decimal,
    /// The line's discounts, its own and its share of the order's.
    pub discount: Decimal,
    /// After discounts.
    pub amount: Decimal,
}

/// A gift card sold or loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicGiftCard {
    /// Issue or load.
    pub kind: CardSaleKind,
    /// The value put on the card.
    pub amount: Decimal,
}

/// A service charge or tip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicCharge {
    /// Which.
    pub kind: ChargeKind,
    /// The charge.
    pub amount: Decimal,
}

/// One tax rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicTax {
    /// The rate's label.
    pub label: String,
    /// Its percentage.
    pub percent: Decimal,
    /// The amounts it applied to, before tax.
    pub net: Decimal,
    /// The tax.
    pub tax: Decimal,
}

/// A tender, without anything that identifies the card, account or gift card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicTender {
    /// `cash`, `card`, `qr` or `giftcard`.
    pub method: String,
    /// What was handed over or charged.
    pub amount: Decimal,
    /// Cash given back.
    pub change: Decimal,
}

/// A refund or void of the sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicRefund {
    /// The refund's number.
    pub refund_number: String,
    /// `refund` or `void`.
    pub kind: String,
    /// The business day it was made.
    pub business_date: String,
    /// What it gave back.
    pub total: Decimal,
}

impl PublicReceipt {
    fn new(sale: &Sale, settings: &StoreSettings, refunds: Vec<PublicRefund>) -> PublicReceipt {
        let refunded_total = refunds.iter().map(|r| r.total).sum();
        PublicReceipt {
            store_name: settings.name.clone(),
            store_address: settings.address.clone(),
            language: language(settings.locale).into(),
            receipt_number: sale.receipt_number.clone(),
            completed_at: sale.completed_at.to_string(),
            business_date: sale.business_date.to_string(),
            currency: sale.currency.code().to_string(),
            prices_include_tax: sale.price_mode == PriceMode::TaxIncluded,
            lines: sale
                .lines
                .iter()
                .map(|l| PublicLine {
                    name: l.name.clone(),
                    quantity: l.quantity,
                    unit: l.unit,
                    unit_price: l.unit_price,
                    gross: l.gross,
                    discount: l.line_discount + l.order_discount,
                    amount: l.amount,
                })
                .collect(),
            gift_cards: sale
                .gift_cards
                .iter()
                .map(|c| PublicGiftCard {
                    kind: c.kind,
                    amount: c.amount,
                })
                .collect(),
            subtotal: sale.subtotal,
            discount_total: sale.discount_total,
            charges: sale
                .charges
                .iter()
                .map(|c| PublicCharge {
                    kind: c.kind,
                    amount: c.amount,
                })
                .collect(),
            taxes: sale
                .taxes
                .iter()
                .map(|t| PublicTax {
                    label: t.label.clone(),
                    percent: t.percent,
                    net: t.net,
                    tax: t.tax,
                })
                .collect(),
            tax_total: sale.tax_total,
            total: sale.total,
            cash_rounding: sale.cash_rounding,
            amount_due: sale.amount_due,
            tenders: sale
                .tenders
                .iter()
                .map(|t| PublicTender {
                    method: t.method.name().to_string(),
                    amount: t.amount,
                    change: t.change,
                })
                .collect(),
            change: sale.change,
            refunds,
            refunded_total,
        }
    }
}

fn language(locale: Locale) -> &'static str {
    match locale {
        Locale::Id => "id",
        Locale::En => "en",
    }
}

/// The page's words in one language.
struct Labels {
    receipt: &'static str,
    subtotal: &'static str,
    discount: &'static str,
    service: &'static str,
    tip: &'static str,
    tax: &'static str,
    tax_included: &'static str,
    total: &'static str,
    rounding: &'static str,
    cash: &'static str,
    card: &'static str,
    qr: &'static str,
    gift_card: &'static str,
    gift_card_load: &'static str,
    change: &'static str,
    refunds: &'static str,
    refund: &'static str,
    void: &'static str,
    refunded_total: &'static str,
}

const ID: Labels = Labels {
    receipt: "No",
    subtotal: "Subtotal",
    discount: "Diskon",
    service: "Biaya layanan",
    tip: "Tip",
    tax: "Pajak",
    tax_included: "termasuk",
    total: "TOTAL",
    rounding: "Pembulatan",
    cash: "Tunai",
    card: "Kartu",
    qr: "QRIS",
    gift_card: "Kartu hadiah",
    gift_card_load: "Isi ulang kartu hadiah",
    change: "Kembali",
    refunds: "Pengembalian",
    refund: "Pengembalian",
    void: "Pembatalan",
    refunded_total: "Total dikembalikan",
};

const EN: Labels = Labels {
    receipt: "No",
    subtotal: "Subtotal",
    discount: "Discount",
    service: "Service charge",
    tip: "Tip",
    tax: "Tax",
    tax_included: "included",
    total: "TOTAL",
    rounding: "Rounding",
    cash: "Cash",
    card: "Card",
    qr: "QR",
    gift_card: "Gift card",
    gift_card_load: "Gift card top-up",
    change: "Change",
    refunds: "Refunds",
    refund: "Refund",
    void: "Void",
    refunded_total: "Total refunded",
};

fn labels(locale: Locale) -> &'static Labels {
    match locale {
        Locale::Id => &ID,
        Locale::En => &EN,
    }
}

struct HtmlLine {
    name: String,
    quantity: String,
    unit_price: String,
    discount: Option<String>,
    amount: String,
}

struct HtmlCard {
    label: &'static str,
    amount: String,
}

struct TextRow {
    class: &'static str,
    label: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptHtml<'a> {
    lang: &'static str,
    labels: &'a Labels,
    store_name: &'a str,
    address: &'a [String],
    receipt_number: &'a str,
    completed_at: String,
    lines: Vec<HtmlLine>,
    gift_cards: Vec<HtmlCard>,
    totals: Vec<TextRow>,
    tenders: Vec<TextRow>,
    refunds: Vec<TextRow>,
    footer: &'a str,
}

fn row(class: &'static str, label: impl Into<String>, amount: String) -> TextRow {
    TextRow {
        class,
        label: label.into(),
        amount,
    }
}

/// The receipt as an HTML page in the store's language.
fn html(
    receipt: &PublicReceipt,
    sale: &Sale,
    settings: &StoreSettings,
) -> Result<String, ApiError> {
    let locale = settings.locale;
    let l = labels(locale);
    let currency: Currency = sale.currency;
    let money = |amount: Decimal| currency.format_with_symbol(amount, locale);
    let minus = |amount: Decimal| format!("-{}", currency.format_with_symbol(amount, locale));
    let quantity = |q: Decimal, unit: Unit| {
        let text = q.normalize().to_string();
        let text = match locale {
            Locale::Id => text.replace('.', ","),
            Locale::En => text,
        };
        match unit {
            Unit::Each => text,
            Unit::Kg => format!("{text} kg"),
        }
    };

    let lines = receipt
        .lines
        .iter()
        .map(|line| HtmlLine {
            name: line.name.clone(),
            quantity: quantity(line.quantity, line.unit),
            unit_price: money(line.unit_price),
            discount: (!line.discount.is_zero()).then(|| minus(line.discount)),
            amount: money(line.amount),
        })
        .collect();
    let gift_cards = receipt
        .gift_cards
        .iter()
        .map(|c| HtmlCard {
            label: match c.kind {
                CardSaleKind::Issue => l.gift_card,
                CardSaleKind::Load => l.gift_card_load,
            },
            amount: money(c.amount),
        })
        .collect();

    let mut totals = vec![row("subtotal", l.subtotal, money(receipt.subtotal))];
    if !receipt.discount_total.is_zero() {
        totals.push(row("discount", l.discount, minus(receipt.discount_total)));
    }
    for c in &receipt.charges {
        let label = match c.kind {
            ChargeKind::ServiceCharge => l.service,
            ChargeKind::Tip => l.tip,
        };
        totals.push(row("charge", label, money(c.amount)));
    }
    for t in &receipt.taxes {
        let mut label = format!("{} {}", l.tax, t.label);
        if receipt.prices_include_tax {
            label = format!("{label} ({})", l.tax_included);
        }
        totals.push(row("tax", label, money(t.tax)));
    }
    totals.push(row("total", l.total, money(receipt.total)));
    if !receipt.cash_rounding.is_zero() {
        totals.push(row("rounding", l.rounding, money(receipt.cash_rounding)));
    }

    let mut tenders: Vec<TextRow> = sale
        .tenders
        .iter()
        .map(|t| {
            let label = match t.method {
                TenderMethod::Cash => l.cash,
                TenderMethod::Card { .. } => l.card,
                TenderMethod::Qr { .. } => l.qr,
                TenderMethod::GiftCard { .. } => l.gift_card,
            };
            row("tender", label, money(t.amount))
        })
        .collect();
    if !receipt.change.is_zero() {
        tenders.push(row("change", l.change, money(receipt.change)));
    }

    let mut refunds: Vec<TextRow> = receipt
        .refunds
        .iter()
        .map(|r| {
            let kind = if r.kind == "void" { l.void } else { l.refund };
            row(
                "refund",
                format!("{kind} {} ({})", r.refund_number, r.business_date),
                minus(r.total),
            )
        })
        .collect();
    if !refunds.is_empty() {
        refunds.push(row(
            "refunded-total",
            l.refunded_total,
            minus(receipt.refunded_total),
        ));
    }

    let completed_at = sale
        .completed_at
        .in_tz(&settings.timezone)
        .map(|z| z.strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| sale.completed_at.strftime("%Y-%m-%d %H:%M UTC").to_string());
    ReceiptHtml {
        lang: language(locale),
        labels: l,
        store_name: &settings.name,
        address: &settings.address,
        receipt_number: &receipt.receipt_number,
        completed_at,
        lines,
        gift_cards,
        totals,
        tenders,
        refunds,
        footer: &settings.receipt_footer,
    }
    .render()
    .map_err(|e| ApiError::Internal(format!("the receipt page: {e}")))
}

/// The headers of every answer under `/r/`: never cached by others, never indexed, and the
/// link never sent on as a referrer.
fn private_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex"),
    );
    headers.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
}

const NOT_FOUND_PAGE: &str = "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\">\
<meta name=\"robots\" content=\"noindex\"><title>Struk tidak ditemukan / Receipt not found</title>\
</head>\n<body>\n<h1>Struk tidak ditemukan</h1>\n<p>Receipt not found.</p>\n</body>\n</html>\n";

/// The sale, its store's settings and its refunds for `token`, if a sale has it.
async fn find(
    state: &AppState,
    token: &str,
) -> Result<Option<(Sale, StoreSettings, Vec<PublicRefund>)>, ApiError> {
    if !is_token(token) {
        return Ok(None);
    }
    let pool = state.db.pool();
    let Some(found) = sqlx::query(
        "SELECT s.id, s.store_id, e.payload, st.settings FROM sales s
         JOIN events e ON e.id = s.event_id JOIN stores st ON st.id = s.store_id
         WHERE s.receipt_token = $1",
    )
    .bind(token)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let sale_id: String = found.try_get(0)?;
    let store_id: String = found.try_get(1)?;
    let payload: String = found.try_get(2)?;
    let settings: String = found.try_get(3)?;
    let sale: Sale = serde_json::from_str(&payload)
        .map_err(|e| ApiError::Internal(format!("stored sale {sale_id} does not parse: {e}")))?;
    let settings: StoreSettings = serde_json::from_str(&settings)
        .map_err(|e| ApiError::Internal(format!("stored settings do not parse: {e}")))?;

    let refunds = sqlx::query(
        "SELECT refund_number, kind, business_date, total_minor FROM refunds
         WHERE sale_id = $1 AND store_id = $2 ORDER BY refund_number",
    )
    .bind(&sale_id)
    .bind(&store_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(PublicRefund {
            refund_number: r.try_get(0)?,
            kind: r.try_get(1)?,
            business_date: r.try_get(2)?,
            total: from_minor(r.try_get(3)?, sale.currency),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some((sale, settings, refunds)))
}

/// `GET /r/{token}` (an HTML page) and `GET /r/{token}.json`: the receipt of the sale whose
/// token it is. Unknown tokens, and anything that is not a token, are a 404.
pub async fn page(State(state): State<AppState>, Path(path): Path<String>) -> Response {
    let (token, json) = match path.strip_suffix(".json") {
        Some(token) => (token, true),
        None => (path.as_str(), false),
    };
    let mut response = match find(&state, token).await {
        Ok(Some((sale, settings, refunds))) => {
            let receipt = PublicReceipt::new(&sale, &settings, refunds);
            if json {
                axum::Json(receipt).into_response()
            } else {
                match html(&receipt, &sale, &settings) {
                    Ok(page) => {
                        ([(CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
                    }
                    Err(e) => e.into_response(),
                }
            }
        }
        Ok(None) if json => ApiError::NotFound("receipt not found".into()).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            [(CONTENT_TYPE, "text/html; charset=utf-8")],
            NOT_FOUND_PAGE,
        )
            .into_response(),
        Err(e) => e.into_response(),
    };
    private_headers(&mut response);
    response
}
