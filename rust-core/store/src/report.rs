//! Reports, summed from the amounts stored at sale time (never recomputed).

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::units::{from_milli, from_minor};
use crate::{Store, StoreError};

/// One tender method's takings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenderTotal {
    /// `cash`, `card` or `qr`.
    pub method: String,
    /// How many tenders.
    pub count: u64,
    /// What they paid toward sales (amount less change).
    pub amount: Decimal,
}

/// One tax rate over the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// A best-selling item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BestSeller {
    /// The item's GTIN.
    pub gtin: String,
    /// The item's name.
    pub name: String,
    /// Quantity sold.
    pub quantity: Decimal,
    /// Amount sold, after discounts.
    pub amount: Decimal,
}

/// QR tenders split by whether they are verified: `unverified` ones were confirmed only by the
/// clerk (a static QR, or recorded while the provider could not be reached) and wait for the
/// cloud to match them to a payment the provider received. The two sum to the `qr` tenders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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

/// The QR tenders of the sales that `filter` (over `sales s`) picks, verified and not.
pub(crate) fn qr_totals(
    conn: &rusqlite::Connection,
    currency: kasir_domain::money::Currency,
    filter: &str,
    keys: &[&dyn rusqlite::ToSql],
) -> Result<QrTotals, StoreError> {
    let (verified_count, verified, unverified_count, unverified): (u64, i64, u64, i64) = conn
        .query_row(
            &format!(
                "SELECT count(*) FILTER (WHERE coalesce(q.status, '') <> 'unverified'),
                        coalesce(sum(t.amount_minor - t.change_minor)
                            FILTER (WHERE coalesce(q.status, '') <> 'unverified'), 0),
                        count(*) FILTER (WHERE q.status = 'unverified'),
                        coalesce(sum(t.amount_minor - t.change_minor)
                            FILTER (WHERE q.status = 'unverified'), 0)
                 FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
                 LEFT JOIN qr_tenders q ON q.sale_id = t.sale_id AND q.tender_no = t.tender_no
                 WHERE t.method = 'qr' AND {filter}"
            ),
            keys,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    Ok(QrTotals {
        verified_count,
        verified: from_minor(verified, currency),
        unverified_count,
        unverified: from_minor(unverified, currency),
    })
}

/// The totals of one business day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayReport {
    /// The day.
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
    /// Of `total`, gift cards sold or loaded: money held for customers, outside tax and
    /// discounts, not a sale of goods.
    #[serde(default)]
    pub gift_cards_sold: Decimal,
    /// Cash rounding.
    pub cash_rounding: Decimal,
    /// Takings per tender method; they sum to `total + cash_rounding`.
    pub tenders: Vec<TenderTotal>,
    /// The `qr` takings, verified and still unverified.
    pub qr: QrTotals,
    /// Tax per rate; they sum to `tax`.
    pub taxes: Vec<TaxTotal>,
    /// The ten items with the highest sales amount.
    pub best_sellers: Vec<BestSeller>,
    /// The day's refunds, and the sales net of them.
    pub refunds: crate::refunds::RefundTotals,
    /// Tips per staff member who rang the sales, net of refunded tips.
    pub tips_by_staff: Vec<crate::tips::StaffTips>,
}

impl Store {
    /// The report of business day `date`.
    pub fn day_report(&self, date: Date) -> Result<DayReport, StoreError> {
        let currency = self.settings()?.currency;
        let day = date.to_string();
        let money = |minor: i64| from_minor(minor, currency);

        let (sales, subtotal, discounts, charges, tax, total, cash_rounding) = self
            .conn
            .query_row(
            "SELECT count(*), coalesce(sum(subtotal_minor), 0), coalesce(sum(discount_minor), 0),
                    coalesce(sum(charges_minor), 0), coalesce(sum(tax_minor), 0),
                    coalesce(sum(total_minor), 0), coalesce(sum(cash_rounding_minor), 0)
             FROM sales WHERE business_date = ?1",
            [&day],
            |r| {
                Ok((
                    r.get::<_, u64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            },
        )?;

        let mut statement = self.conn.prepare(
            "SELECT t.method, count(*), sum(t.amount_minor - t.change_minor)
             FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
             WHERE s.business_date = ?1 GROUP BY t.method ORDER BY t.method",
        )?;
        let tenders = statement
            .query_map([&day], |r| {
                Ok(TenderTotal {
                    method: r.get(0)?,
                    count: r.get(1)?,
                    amount: money(r.get(2)?),
                })
            })?
            .collect::<Result<_, _>>()?;

        let mut statement = self.conn.prepare(
            "SELECT t.rate, max(t.label), sum(t.net_minor), sum(t.tax_minor)
             FROM sale_taxes t JOIN sales s ON s.id = t.sale_id
             WHERE s.business_date = ?1 GROUP BY t.rate ORDER BY t.rate",
        )?;
        let taxes = statement
            .query_map([&day], |r| {
                Ok(TaxTotal {
                    rate: r.get(0)?,
                    label: r.get(1)?,
                    net: money(r.get(2)?),
                    tax: money(r.get(3)?),
                })
            })?
            .collect::<Result<_, _>>()?;

        let mut statement = self.conn.prepare(
            "SELECT l.gtin, max(l.name), sum(l.quantity_milli), sum(l.amount_minor) AS amount
             FROM sale_lines l JOIN sales s ON s.id = l.sale_id
             WHERE s.business_date = ?1 GROUP BY l.gtin ORDER BY amount DESC, l.gtin LIMIT 10",
        )?;
        let best_sellers = statement
            .query_map([&day], |r| {
                Ok(BestSeller {
                    gtin: r.get(0)?,
                    name: r.get(1)?,
                    quantity: from_milli(r.get(2)?),
                    amount: money(r.get(3)?),
                })
            })?
            .collect::<Result<_, _>>()?;

        // Gift card lines live in the sale record only; the sales that have any are few.
        let mut gift_cards_sold = money(0);
        let mut statement = self.conn.prepare(
            "SELECT body FROM sales WHERE business_date = ?1
               AND json_array_length(body, '$.gift_cards') > 0",
        )?;
        for body in statement.query_map([&day], |r| r.get::<_, String>(0))? {
            let sale: kasir_domain::sale::Sale = serde_json::from_str(&body?)?;
            gift_cards_sold += sale.gift_cards_total();
        }

        let qr = qr_totals(&self.conn, currency, "s.business_date = ?1", &[&day])?;
        Ok(DayReport {
            date: day,
            currency: currency.code().to_string(),
            sales,
            subtotal: money(subtotal),
            discounts: money(discounts),
            charges: money(charges),
            tax: money(tax),
            total: money(total),
            gift_cards_sold,
            cash_rounding: money(cash_rounding),
            tenders,
            qr,
            taxes,
            best_sellers,
            refunds: self.day_refunds(date, money(total), money(tax))?,
            tips_by_staff: self.day_tips(date)?,
        })
    }
}
