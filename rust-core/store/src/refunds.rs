//! Refunds and voids: each a document with its own number (`D01-R000001`), built and checked
//! against what earlier refunds of its sale returned inside the transaction that stores it,
//! written with its lines, its tenders, its stock movements (when restocked) and its
//! `SaleRefunded` outbox event, all at once or not at all.
//!
//! What other modules must undo with a refund (loyalty points earned or redeemed on the sale)
//! they undo in [`reverse_with_refund`], which runs inside the same transaction.

use jiff::Timestamp;
use jiff::civil::Date;
use kasir_domain::refund::{Refund, RefundContext, RefundRequest, Returned};
use kasir_domain::sale::Sale;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::outbox::{EventKind, insert_event};
use crate::units::{from_milli, from_minor, to_milli, to_minor};
use crate::{Store, StoreError, next_counter};

/// A line of the refunds list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundSummary {
    /// The refund's number.
    pub refund_number: String,
    /// `refund` or `void`.
    pub kind: String,
    /// The sale it refunds.
    pub receipt_number: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// The day it counts on.
    pub business_date: String,
    /// What it gave back.
    pub total: rust_decimal::Decimal,
    /// Who made it.
    pub staff: Option<String>,
}

impl Store {
    /// Refunds (or voids) the sale with `receipt_number` as `request` asks, at `at`: builds
    /// the refund from what the sale's earlier refunds returned (read in this transaction, so
    /// two refunds can never both take the same units), numbers it, stores it with its lines
    /// and tenders, puts restocked items back, runs [`reverse_with_refund`] and queues its
    /// `SaleRefunded` event, in one transaction. Returns the refund as stored.
    ///
    /// Refused, writing nothing: an unknown sale, a line or quantity beyond what is left, a
    /// void of another day's sale or of one already refunded in part.
    pub fn commit_refund(
        &mut self,
        receipt_number: &str,
        request: &RefundRequest,
        at: Timestamp,
    ) -> Result<Refund, StoreError> {
        let currency = self.settings()?.currency;
        let zone = self.settings()?.time_zone()?;
        let device = self.device()?.clone();
        let sale = self.sale_by_receipt(receipt_number)?;
        let context = RefundContext {
            id: uuid::Uuid::now_v7(),
            device_id: device.id.clone(),
            created_at: at,
            business_date: at.to_zoned_datetime(zone).date(),
        };

        let tx = self.write_tx()?;
        let returned = returned(&tx, &sale)?;
        let mut refund = Refund::build(&sale, context, request, &returned)?;
        let seq = next_counter(&tx, "refund")?;
        refund.refund_number = format!("{}-R{seq:06}", device.code);
        let id = refund.id.to_string();
        let sale_id = sale.id.to_string();
        let created_at = refund.created_at.to_string();
        let body = serde_json::to_string(&refund)?;
        tx.execute(
            "INSERT INTO refunds (id, refund_seq, refund_number, kind, sale_id, receipt_number,
                created_at, business_date, total_minor, tax_minor, charges_minor, tips_minor,
                restock, staff, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                id,
                seq,
                refund.refund_number,
                refund.kind.name(),
                sale_id,
                sale.receipt_number,
                created_at,
                refund.business_date.to_string(),
                to_minor(refund.total, currency)?,
                to_minor(refund.tax, currency)?,
                to_minor(refund.charges, currency)?,
                to_minor(refund.tips, currency)?,
                refund.restock,
                refund.staff,
                body,
            ],
        )?;
        {
            let mut line = tx.prepare_cached(
                "INSERT INTO refund_lines (refund_id, sale_id, line_no, gtin, quantity_milli,
                    amount_minor, tax_minor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut stock = tx.prepare_cached(
                "UPDATE items SET stock_milli = stock_milli + ?1 WHERE gtin = ?2",
            )?;
            let mut moved = tx.prepare_cached(
                "INSERT INTO stock_moves (id, gtin, delta_milli, reason, sale_id, created_at)
                 VALUES (?1, ?2, ?3, 'refund', ?4, ?5)",
            )?;
            for l in &refund.lines {
                let quantity = to_milli(l.quantity)?;
                line.execute(params![
                    id,
                    sale_id,
                    l.number,
                    l.gtin.as_str(),
                    quantity,
                    to_minor(l.amount, currency)?,
                    to_minor(l.tax, currency)?,
                ])?;
                if refund.restock {
                    stock.execute(params![quantity, l.gtin.as_str()])?;
                    moved.execute(params![
                        uuid::Uuid::now_v7().to_string(),
                        l.gtin.as_str(),
                        quantity,
                        sale_id,
                        created_at
                    ])?;
                }
            }
            let mut tender = tx.prepare_cached(
                "INSERT INTO refund_tenders (refund_id, position, method, tender_no, amount_minor)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (i, t) in refund.tenders.iter().enumerate() {
                tender.execute(params![
                    id,
                    i + 1,
                    t.method,
                    t.tender_no,
                    to_minor(t.amount, currency)?,
                ])?;
            }
        }
        reverse_with_refund(&tx, &sale, &refund)?;
        insert_event(&tx, &device.id, EventKind::SaleRefunded, &created_at, &body)?;
        tx.commit()?;
        tracing::info!(
            refund = %refund.refund_number,
            receipt = %sale.receipt_number,
            kind = refund.kind.name(),
            lines = refund.lines.len(),
            "refund committed"
        );
        Ok(refund)
    }

    /// The refund numbered `refund_number`, exactly as stored.
    pub fn refund_by_number(&self, refund_number: &str) -> Result<Refund, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM refunds WHERE refund_number = ?1",
                [refund_number.trim()],
                |r| r.get(0),
            )
            .optional()?;
        let body = body.ok_or_else(|| StoreError::NotFound {
            what: "refund",
            key: refund_number.to_string(),
        })?;
        Ok(serde_json::from_str(&body)?)
    }

    /// The refunds of `date` (every refund when `None`), oldest first.
    pub fn list_refunds(&self, date: Option<Date>) -> Result<Vec<RefundSummary>, StoreError> {
        self.refund_summaries(
            "?1 IS NULL OR business_date = ?1",
            date.map(|d| d.to_string()),
        )
    }

    /// The refunds of the sale with `receipt_number`, oldest first.
    pub fn refunds_of_sale(&self, receipt_number: &str) -> Result<Vec<RefundSummary>, StoreError> {
        self.refund_summaries(
            "receipt_number = ?1",
            Some(receipt_number.trim().to_string()),
        )
    }

    fn refund_summaries(
        &self,
        filter: &str,
        key: Option<String>,
    ) -> Result<Vec<RefundSummary>, StoreError> {
        let currency = self.settings()?.currency;
        let mut statement = self.conn.prepare(&format!(
            "SELECT refund_number, kind, receipt_number, created_at, business_date, total_minor,
                staff
             FROM refunds WHERE {filter} ORDER BY refund_seq"
        ))?;
        let rows = statement.query_map([key], |r| {
            Ok(RefundSummary {
                refund_number: r.get(0)?,
                kind: r.get(1)?,
                receipt_number: r.get(2)?,
                created_at: r.get(3)?,
                business_date: r.get(4)?,
                total: from_minor(r.get(5)?, currency),
                staff: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What the refunds of `sale` returned so far.
    pub fn returned(&self, sale: &Sale) -> Result<Returned, StoreError> {
        read_returned(&self.conn, sale)
    }
}

/// What the refunds of `sale` returned, read inside `tx`.
fn returned(tx: &Transaction<'_>, sale: &Sale) -> Result<Returned, StoreError> {
    read_returned(tx, sale)
}

fn read_returned(conn: &rusqlite::Connection, sale: &Sale) -> Result<Returned, StoreError> {
    let currency = sale.currency;
    let id = sale.id.to_string();
    let mut returned = Returned::default();
    let (count, total, charges): (u32, i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(total_minor), 0), coalesce(sum(charges_minor), 0)
         FROM refunds WHERE sale_id = ?1",
        [&id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    returned.count = count;
    returned.total = from_minor(total, currency);
    // Charges go back with the last units (or with a void), and only once.
    returned.charges = charges > 0;
    returned.lines_tax = from_minor(
        conn.query_row(
            "SELECT coalesce(sum(tax_minor), 0) FROM refund_lines WHERE sale_id = ?1",
            [&id],
            |r| r.get(0),
        )?,
        currency,
    );
    let mut statement = conn.prepare_cached(
        "SELECT line_no, sum(quantity_milli) FROM refund_lines WHERE sale_id = ?1 GROUP BY line_no",
    )?;
    for row in statement.query_map([&id], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)?)))? {
        let (line, milli) = row?;
        returned.quantities.insert(line, from_milli(milli));
    }
    let mut statement = conn.prepare_cached(
        "SELECT t.tender_no, sum(t.amount_minor) FROM refund_tenders t
         JOIN refunds r ON r.id = t.refund_id
         WHERE r.sale_id = ?1 AND t.tender_no IS NOT NULL GROUP BY t.tender_no",
    )?;
    for row in statement.query_map([&id], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)?)))? {
        let (tender, minor) = row?;
        returned
            .by_tender
            .insert(tender, from_minor(minor, currency));
    }
    Ok(returned)
}

/// Everything a refund must undo besides the money and the stock, inside the refund's
/// transaction: an error here rolls the whole refund back.
///
/// This is where the loyalty ledger reverses the points `sale` earned in proportion to
/// `refund` ([`Refund::fraction_of`]), keyed by the refund's id so that a retry can never
/// apply it twice (case P-03); and what goes back to a gift card tender is paid back onto
/// its card (see `checkout::undo_with_refund`).
pub(crate) fn reverse_with_refund(
    tx: &Transaction<'_>,
    sale: &Sale,
    refund: &Refund,
) -> Result<(), StoreError> {
    crate::checkout::undo_with_refund(tx, sale, refund)
}

/// The refunds of a day (or a shift), netted against its sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundTotals {
    /// Number of refunds, voids included.
    pub count: u64,
    /// Of which voids.
    pub voids: u64,
    /// What they gave back.
    pub total: rust_decimal::Decimal,
    /// The tax contained in it.
    pub tax: rust_decimal::Decimal,
    /// The tips given back (part of `total`).
    pub tips: rust_decimal::Decimal,
    /// Per tender method, what went back.
    pub tenders: Vec<crate::report::TenderTotal>,
    /// Sales total less refunds.
    pub net_total: rust_decimal::Decimal,
    /// Tax less refunded tax.
    pub net_tax: rust_decimal::Decimal,
}

impl Store {
    /// The refunds counted on business day `date`, netted against the day's `sales_total`
    /// and `sales_tax`.
    pub fn day_refunds(
        &self,
        date: Date,
        sales_total: rust_decimal::Decimal,
        sales_tax: rust_decimal::Decimal,
    ) -> Result<RefundTotals, StoreError> {
        self.refund_totals(
            "r.business_date = ?1",
            &[&date.to_string()],
            sales_total,
            sales_tax,
        )
    }

    fn refund_totals(
        &self,
        filter: &str,
        keys: &[&dyn rusqlite::ToSql],
        sales_total: rust_decimal::Decimal,
        sales_tax: rust_decimal::Decimal,
    ) -> Result<RefundTotals, StoreError> {
        let currency = self.settings()?.currency;
        refund_totals(&self.conn, currency, filter, keys, sales_total, sales_tax)
    }
}

/// The refunds matching `filter` (an SQL condition on `refunds r`, with `keys`), netted
/// against `sales_total` and `sales_tax`.
pub(crate) fn refund_totals(
    conn: &rusqlite::Connection,
    currency: kasir_domain::money::Currency,
    filter: &str,
    keys: &[&dyn rusqlite::ToSql],
    sales_total: rust_decimal::Decimal,
    sales_tax: rust_decimal::Decimal,
) -> Result<RefundTotals, StoreError> {
    {
        let money = |minor: i64| from_minor(minor, currency);
        let (count, voids, total, tax, tips) = conn.query_row(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE r.kind = 'void'),
                        coalesce(sum(r.total_minor), 0), coalesce(sum(r.tax_minor), 0),
                        coalesce(sum(r.tips_minor), 0)
                 FROM refunds r WHERE {filter}"
            ),
            keys,
            |r| {
                Ok((
                    r.get::<_, u64>(0)?,
                    r.get::<_, u64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            },
        )?;
        let mut statement = conn.prepare(&format!(
            "SELECT t.method, count(*), sum(t.amount_minor)
             FROM refund_tenders t JOIN refunds r ON r.id = t.refund_id
             WHERE {filter} GROUP BY t.method ORDER BY t.method"
        ))?;
        let tenders = statement
            .query_map(keys, |r| {
                Ok(crate::report::TenderTotal {
                    method: r.get(0)?,
                    count: r.get(1)?,
                    amount: money(r.get(2)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(RefundTotals {
            count,
            voids,
            total: money(total),
            tax: money(tax),
            tips: money(tips),
            tenders,
            net_total: sales_total - money(total),
            net_tax: sales_tax - money(tax),
        })
    }
}
