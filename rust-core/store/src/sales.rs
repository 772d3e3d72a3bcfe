//! Completed sales: committed with their outbox event in one transaction, read back as the
//! exact record that was stored.

use jiff::civil::Date;
use kasir_domain::DomainError;
use kasir_domain::sale::Sale;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::outbox::{EventKind, insert_event};
use crate::units::{from_minor, to_milli, to_minor};
use crate::{Store, StoreError, next_counter};

/// A line of the sales list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SaleSummary {
    /// The receipt number.
    pub receipt_number: String,
    /// The sale's id.
    pub id: String,
    /// When it completed (RFC 3339, UTC).
    pub completed_at: String,
    /// The day it belongs to.
    pub business_date: String,
    /// Number of lines.
    pub lines: u32,
    /// The total before cash rounding.
    pub total: rust_decimal::Decimal,
}

impl Store {
    /// Stores a completed sale: gives it the next receipt number, writes it with its lines,
    /// taxes and tenders, takes its items out of stock, and queues its `SaleCompleted` event,
    /// all in one transaction. Returns the sale as stored (with its receipt number).
    ///
    /// Refused, writing nothing: a sale that does not verify, that is in another currency than
    /// the store's, or that was made on another device.
    pub fn commit_sale(&mut self, sale: Sale) -> Result<Sale, StoreError> {
        self.commit_sale_with(sale, |tx, sale| crate::qr_payments::record(tx, sale, &[]))
    }

    /// [`Store::commit_sale`], with `also` writing more rows about the sale (as stored, with
    /// its receipt number) in the same transaction, after its outbox event: an error from
    /// `also` rolls the whole sale back.
    pub(crate) fn commit_sale_with(
        &mut self,
        mut sale: Sale,
        also: impl FnOnce(&rusqlite::Transaction<'_>, &Sale) -> Result<(), StoreError>,
    ) -> Result<Sale, StoreError> {
        let settings = self.settings()?;
        let currency = settings.currency;
        let device = self.device()?.clone();
        sale.verify()?;
        if sale.currency != currency {
            return Err(DomainError::invalid(
                "currency",
                format!("the sale is in {}, the store in {currency}", sale.currency),
            )
            .into());
        }
        if sale.device_id != device.id {
            return Err(
                DomainError::invalid("device_id", "the sale was made on another device").into(),
            );
        }

        let receipt_token = crate::receipt_links::new_token()?;
        let tx = self.write_tx()?;
        let receipt_seq = next_counter(&tx, "receipt")?;
        sale.receipt_number = format!("{}-{receipt_seq:06}", device.code);
        let id = sale.id.to_string();
        let completed_at = sale.completed_at.to_string();
        let body = serde_json::to_string(&sale)?;
        tx.execute(
            "INSERT INTO sales (id, receipt_seq, receipt_number, completed_at, business_date, currency,
                subtotal_minor, discount_minor, charges_minor, tax_minor, total_minor, cash_rounding_minor,
                line_count, body, receipt_token)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                id,
                receipt_seq,
                sale.receipt_number,
                completed_at,
                sale.business_date.to_string(),
                currency.code(),
                to_minor(sale.subtotal, currency)?,
                to_minor(sale.discount_total, currency)?,
                to_minor(sale.charges_total, currency)?,
                to_minor(sale.tax_total, currency)?,
                to_minor(sale.total, currency)?,
                to_minor(sale.cash_rounding, currency)?,
                sale.lines.len(),
                body,
                receipt_token,
            ],
        )?;
        {
            let mut line = tx.prepare_cached(
                "INSERT INTO sale_lines (sale_id, line_no, gtin, name, quantity_milli, amount_minor, tax_minor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut stock = tx.prepare_cached(
                "UPDATE items SET stock_milli = stock_milli - ?1 WHERE gtin = ?2",
            )?;
            let mut moved = tx.prepare_cached(
                "INSERT INTO stock_moves (id, gtin, delta_milli, reason, sale_id, created_at)
                 VALUES (?1, ?2, ?3, 'sale', ?4, ?5)",
            )?;
            for l in &sale.lines {
                let quantity = to_milli(l.quantity)?;
                line.execute(params![
                    id,
                    l.number,
                    l.gtin.as_str(),
                    l.name,
                    quantity,
                    to_minor(l.amount, currency)?,
                    to_minor(l.tax, currency)?,
                ])?;
                stock.execute(params![quantity, l.gtin.as_str()])?;
                moved.execute(params![
                    uuid::Uuid::now_v7().to_string(),
                    l.gtin.as_str(),
                    -quantity,
                    id,
                    completed_at
                ])?;
            }
            let mut tax = tx.prepare_cached(
                "INSERT INTO sale_taxes (sale_id, rate, label, percent, net_minor, tax_minor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for t in &sale.taxes {
                tax.execute(params![
                    id,
                    t.rate,
                    t.label,
                    t.percent.to_string(),
                    to_minor(t.net, currency)?,
                    to_minor(t.tax, currency)?,
                ])?;
            }
            let mut tender = tx.prepare_cached(
                "INSERT INTO sale_tenders (sale_id, tender_no, method, amount_minor, change_minor)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (i, t) in sale.tenders.iter().enumerate() {
                tender.execute(params![
                    id,
                    i + 1,
                    t.method.name(),
                    to_minor(t.amount, currency)?,
                    to_minor(t.change, currency)?,
                ])?;
            }
        }
        insert_event(
            &tx,
            &device.id,
            EventKind::SaleCompleted,
            &completed_at,
            &crate::receipt_links::event_payload(&body, &receipt_token)?,
        )?;
        also(&tx, &sale)?;
        tx.commit()?;
        tracing::info!(receipt = %sale.receipt_number, lines = sale.lines.len(), "sale committed");
        Ok(sale)
    }

    /// The sale with `receipt_number`, exactly as stored.
    pub fn sale_by_receipt(&self, receipt_number: &str) -> Result<Sale, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM sales WHERE receipt_number = ?1",
                [receipt_number.trim()],
                |r| r.get(0),
            )
            .optional()?;
        let body = body.ok_or_else(|| StoreError::NotFound {
            what: "receipt",
            key: receipt_number.to_string(),
        })?;
        Ok(serde_json::from_str(&body)?)
    }

    /// The sales of `date` (every sale when `None`), oldest first.
    pub fn list_sales(&self, date: Option<Date>) -> Result<Vec<SaleSummary>, StoreError> {
        let currency = self.settings()?.currency;
        let mut statement = self.conn.prepare(
            "SELECT receipt_number, id, completed_at, business_date, line_count, total_minor
             FROM sales WHERE ?1 IS NULL OR business_date = ?1 ORDER BY receipt_seq",
        )?;
        let rows = statement.query_map([date.map(|d| d.to_string())], |r| {
            Ok(SaleSummary {
                receipt_number: r.get(0)?,
                id: r.get(1)?,
                completed_at: r.get(2)?,
                business_date: r.get(3)?,
                lines: r.get(4)?,
                total: from_minor(r.get(5)?, currency),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The number of sales stored.
    pub fn sale_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sales", [], |r| r.get(0))?)
    }
}
