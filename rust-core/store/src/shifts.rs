//! Shifts of the till: opened with a float, cash paid in and out with a reason, the drawer's
//! openings, and a close with the counted cash, whose Z report shows what the drawer should
//! hold, what was counted and the difference.
//!
//! Each of these is written with an outbox event (`ShiftOpened`, `CashMoved`, `ShiftClosed`)
//! in one transaction, so the cloud gets them as it gets sales.

use rust_decimal::Decimal;
use serde::Serialize;

use kasir_domain::DomainError;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::outbox::{EventKind, insert_event};
use crate::refunds::{RefundTotals, refund_totals};
use crate::report::TenderTotal;
use crate::tips::{StaffTips, tips_where};
use crate::units::{from_minor, to_minor};
use crate::{Store, StoreError};

/// A cash movement besides sales and refunds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CashMoveKind {
    /// Cash put into the drawer (change brought from the safe).
    PayIn,
    /// Cash taken out (a supplier paid from the till).
    PayOut,
    /// The drawer opened without a sale (no amount).
    Drawer,
}

impl CashMoveKind {
    fn name(self) -> &'static str {
        match self {
            CashMoveKind::PayIn => "pay_in",
            CashMoveKind::PayOut => "pay_out",
            CashMoveKind::Drawer => "drawer",
        }
    }
}

/// A recorded cash movement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CashMove {
    /// Id.
    pub id: String,
    /// The open shift it belongs to, if any.
    pub shift: Option<u32>,
    /// What it is.
    pub kind: CashMoveKind,
    /// The amount (zero for a drawer opening).
    pub amount: Decimal,
    /// Why.
    pub reason: String,
    /// Who.
    pub staff: Option<String>,
    /// When.
    pub created_at: String,
}

/// A shift's Z report (its X report while it is open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShiftReport {
    /// The shift's number on this device.
    pub shift: u32,
    /// Whether it is closed.
    pub closed: bool,
    /// When it opened.
    pub opened_at: String,
    /// Who opened it.
    pub opened_by: Option<String>,
    /// When it closed.
    pub closed_at: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// The store's currency.
    pub currency: String,
    /// Number of sales in the shift.
    pub sales: u64,
    /// Their totals.
    pub sales_total: Decimal,
    /// The opening float.
    pub float: Decimal,
    /// Cash tendered for sales.
    pub cash_tendered: Decimal,
    /// Change given.
    pub cash_change: Decimal,
    /// Cash given back by refunds.
    pub cash_refunds: Decimal,
    /// Cash paid in.
    pub pay_ins: Decimal,
    /// Cash paid out.
    pub pay_outs: Decimal,
    /// How often the drawer was opened without a sale.
    pub drawer_openings: u64,
    /// `float + cash_tendered - cash_change - cash_refunds + pay_ins - pay_outs`.
    pub expected_cash: Decimal,
    /// What was counted at the close.
    pub counted_cash: Option<Decimal>,
    /// `counted - expected` (negative: cash is missing).
    pub difference: Option<Decimal>,
    /// Takings per tender method (amount less change).
    pub tenders: Vec<TenderTotal>,
    /// The `qr` takings, verified and still unverified.
    pub qr: crate::report::QrTotals,
    /// The shift's refunds.
    pub refunds: RefundTotals,
    /// Tips per staff member who rang the sales.
    pub tips_by_staff: Vec<StaffTips>,
}

struct ShiftRow {
    id: String,
    number: u32,
    opened_at: String,
    opened_by: Option<String>,
    float: i64,
    first_receipt: i64,
    first_refund: i64,
    closed_at: Option<String>,
    closed_by: Option<String>,
    last_receipt: Option<i64>,
    last_refund: Option<i64>,
    counted: Option<i64>,
}

const SHIFT_COLUMNS: &str = "id, number, opened_at, opened_by, float_minor, first_receipt_seq,
    first_refund_seq, closed_at, closed_by, last_receipt_seq, last_refund_seq, counted_minor";

fn shift_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ShiftRow> {
    Ok(ShiftRow {
        id: r.get(0)?,
        number: r.get(1)?,
        opened_at: r.get(2)?,
        opened_by: r.get(3)?,
        float: r.get(4)?,
        first_receipt: r.get(5)?,
        first_refund: r.get(6)?,
        closed_at: r.get(7)?,
        closed_by: r.get(8)?,
        last_receipt: r.get(9)?,
        last_refund: r.get(10)?,
        counted: r.get(11)?,
    })
}

fn counter(tx: &rusqlite::Connection, name: &str) -> Result<i64, StoreError> {
    Ok(tx
        .query_row("SELECT value FROM counters WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0))
}

fn open_shift(conn: &rusqlite::Connection) -> Result<Option<ShiftRow>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {SHIFT_COLUMNS} FROM shifts WHERE closed_at IS NULL"),
            [],
            shift_row,
        )
        .optional()?)
}

fn check_amount(
    field: &str,
    amount: Decimal,
    currency: kasir_domain::money::Currency,
) -> Result<(), DomainError> {
    currency.check_scale(field, amount)?;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(DomainError::invalid(field, "must not be negative"));
    }
    Ok(())
}

fn event(
    tx: &Transaction<'_>,
    device_id: &str,
    kind: EventKind,
    at: &str,
    payload: serde_json::Value,
) -> Result<(), StoreError> {
    insert_event(tx, device_id, kind, at, &payload.to_string())?;
    Ok(())
}

impl Store {
    /// Opens a shift with `float` in the drawer. Refused while another is open.
    pub fn open_shift(&mut self, float: Decimal, staff: Option<&str>) -> Result<u32, StoreError> {
        let currency = self.settings()?.currency;
        check_amount("float", float, currency)?;
        let device = self.device()?.clone();
        let tx = self.write_tx()?;
        if let Some(open) = open_shift(&tx)? {
            return Err(DomainError::not_allowed(format!(
                "shift {} is still open: close it first",
                open.number
            ))
            .into());
        }
        let number: u32 =
            tx.query_row("SELECT coalesce(max(number), 0) + 1 FROM shifts", [], |r| {
                r.get(0)
            })?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = jiff::Timestamp::now().to_string();
        tx.execute(
            "INSERT INTO shifts (id, number, opened_at, opened_by, float_minor, first_receipt_seq,
                first_refund_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                number,
                now,
                staff,
                to_minor(float, currency)?,
                counter(&tx, "receipt")?,
                counter(&tx, "refund")?,
            ],
        )?;
        event(
            &tx,
            &device.id,
            EventKind::ShiftOpened,
            &now,
            serde_json::json!({ "shift_id": id, "number": number, "float": float, "staff": staff }),
        )?;
        tx.commit()?;
        tracing::info!(shift = number, "shift opened");
        Ok(number)
    }

    /// Records cash paid in or out of the open shift's drawer (or the drawer opened), with
    /// `reason`. A pay in or out needs an open shift and an amount above zero.
    pub fn record_cash_move(
        &mut self,
        kind: CashMoveKind,
        amount: Decimal,
        reason: &str,
        staff: Option<&str>,
    ) -> Result<CashMove, StoreError> {
        let currency = self.settings()?.currency;
        let device = self.device()?.clone();
        let reason = reason.trim();
        if reason.is_empty() && kind != CashMoveKind::Drawer {
            return Err(DomainError::invalid("reason", "say why the cash moves").into());
        }
        check_amount("amount", amount, currency)?;
        if kind != CashMoveKind::Drawer && amount.is_zero() {
            return Err(DomainError::invalid("amount", "must be more than zero").into());
        }
        let tx = self.write_tx()?;
        let shift = open_shift(&tx)?;
        if shift.is_none() && kind != CashMoveKind::Drawer {
            return Err(DomainError::not_allowed(
                "no shift is open: `kasir shift open FLOAT` first",
            )
            .into());
        }
        let moved = CashMove {
            id: uuid::Uuid::now_v7().to_string(),
            shift: shift.as_ref().map(|s| s.number),
            kind,
            amount,
            reason: reason.to_string(),
            staff: staff.map(str::to_string),
            created_at: jiff::Timestamp::now().to_string(),
        };
        tx.execute(
            "INSERT INTO cash_moves (id, shift_id, kind, amount_minor, reason, staff, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                moved.id,
                shift.as_ref().map(|s| s.id.clone()),
                kind.name(),
                to_minor(amount, currency)?,
                moved.reason,
                moved.staff,
                moved.created_at,
            ],
        )?;
        event(
            &tx,
            &device.id,
            EventKind::CashMoved,
            &moved.created_at,
            serde_json::to_value(&moved)?,
        )?;
        tx.commit()?;
        tracing::info!(kind = kind.name(), "cash movement recorded");
        Ok(moved)
    }

    /// Closes the open shift with the `counted` cash; returns its Z report.
    pub fn close_shift(
        &mut self,
        counted: Decimal,
        staff: Option<&str>,
    ) -> Result<ShiftReport, StoreError> {
        let currency = self.settings()?.currency;
        check_amount("counted", counted, currency)?;
        let device = self.device()?.clone();
        let tx = self.write_tx()?;
        let Some(mut shift) = open_shift(&tx)? else {
            return Err(DomainError::not_allowed("no shift is open").into());
        };
        shift.closed_at = Some(jiff::Timestamp::now().to_string());
        shift.closed_by = staff.map(str::to_string);
        shift.last_receipt = Some(counter(&tx, "receipt")?);
        shift.last_refund = Some(counter(&tx, "refund")?);
        shift.counted = Some(to_minor(counted, currency)?);
        let report = shift_report(&tx, &shift, currency)?;
        tx.execute(
            "UPDATE shifts SET closed_at = ?1, closed_by = ?2, last_receipt_seq = ?3,
                last_refund_seq = ?4, counted_minor = ?5, expected_minor = ?6, report = ?7
             WHERE id = ?8",
            params![
                shift.closed_at,
                shift.closed_by,
                shift.last_receipt,
                shift.last_refund,
                shift.counted,
                to_minor(report.expected_cash, currency)?,
                serde_json::to_string(&report)?,
                shift.id,
            ],
        )?;
        event(
            &tx,
            &device.id,
            EventKind::ShiftClosed,
            shift.closed_at.as_deref().unwrap_or_default(),
            serde_json::json!({ "shift_id": shift.id, "report": report }),
        )?;
        tx.commit()?;
        tracing::info!(shift = shift.number, "shift closed");
        Ok(report)
    }

    /// The report of shift `number` (the open one, or the last, when `None`).
    pub fn shift_report(&self, number: Option<u32>) -> Result<ShiftReport, StoreError> {
        let currency = self.settings()?.currency;
        let shift = match number {
            Some(n) => self
                .conn
                .query_row(
                    &format!("SELECT {SHIFT_COLUMNS} FROM shifts WHERE number = ?1"),
                    [n],
                    shift_row,
                )
                .optional()?,
            None => self
                .conn
                .query_row(
                    &format!("SELECT {SHIFT_COLUMNS} FROM shifts ORDER BY number DESC LIMIT 1"),
                    [],
                    shift_row,
                )
                .optional()?,
        };
        let shift = shift.ok_or_else(|| StoreError::NotFound {
            what: "shift",
            key: number
                .map(|n| n.to_string())
                .unwrap_or_else(|| "any".into()),
        })?;
        shift_report(&self.conn, &shift, currency)
    }
}

/// The shift's cash and takings, from its numbered sales and refunds and its movements.
fn shift_report(
    conn: &rusqlite::Connection,
    shift: &ShiftRow,
    currency: kasir_domain::money::Currency,
) -> Result<ShiftReport, StoreError> {
    let money = |minor: i64| from_minor(minor, currency);
    let last_receipt = shift.last_receipt.unwrap_or(i64::MAX);
    let last_refund = shift.last_refund.unwrap_or(i64::MAX);
    let (sales, sales_total, sales_tax): (u64, i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(total_minor), 0), coalesce(sum(tax_minor), 0) FROM sales
         WHERE receipt_seq > ?1 AND receipt_seq <= ?2",
        params![shift.first_receipt, last_receipt],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (tendered, change): (i64, i64) = conn.query_row(
        "SELECT coalesce(sum(t.amount_minor), 0), coalesce(sum(t.change_minor), 0)
         FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
         WHERE t.method = 'cash' AND s.receipt_seq > ?1 AND s.receipt_seq <= ?2",
        params![shift.first_receipt, last_receipt],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let cash_refunds: i64 = conn.query_row(
        "SELECT coalesce(sum(t.amount_minor), 0)
         FROM refund_tenders t JOIN refunds r ON r.id = t.refund_id
         WHERE t.method = 'cash' AND r.refund_seq > ?1 AND r.refund_seq <= ?2",
        params![shift.first_refund, last_refund],
        |r| r.get(0),
    )?;
    let moves = |kind: &str| -> Result<(u64, i64), StoreError> {
        Ok(conn.query_row(
            "SELECT count(*), coalesce(sum(amount_minor), 0) FROM cash_moves
             WHERE shift_id = ?1 AND kind = ?2",
            params![shift.id, kind],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    };
    let (_, pay_ins) = moves("pay_in")?;
    let (_, pay_outs) = moves("pay_out")?;
    let (drawer_openings, _) = moves("drawer")?;
    let mut statement = conn.prepare(
        "SELECT t.method, count(*), sum(t.amount_minor - t.change_minor)
         FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
         WHERE s.receipt_seq > ?1 AND s.receipt_seq <= ?2 GROUP BY t.method ORDER BY t.method",
    )?;
    let tenders = statement
        .query_map(params![shift.first_receipt, last_receipt], |r| {
            Ok(TenderTotal {
                method: r.get(0)?,
                count: r.get(1)?,
                amount: money(r.get(2)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    let expected = shift.float + tendered - change - cash_refunds + pay_ins - pay_outs;
    Ok(ShiftReport {
        shift: shift.number,
        closed: shift.closed_at.is_some(),
        opened_at: shift.opened_at.clone(),
        opened_by: shift.opened_by.clone(),
        closed_at: shift.closed_at.clone(),
        closed_by: shift.closed_by.clone(),
        currency: currency.code().to_string(),
        sales,
        sales_total: money(sales_total),
        float: money(shift.float),
        cash_tendered: money(tendered),
        cash_change: money(change),
        cash_refunds: money(cash_refunds),
        pay_ins: money(pay_ins),
        pay_outs: money(pay_outs),
        drawer_openings,
        expected_cash: money(expected),
        counted_cash: shift.counted.map(money),
        difference: shift.counted.map(|c| money(c - expected)),
        tenders,
        qr: crate::report::qr_totals(
            conn,
            currency,
            "s.receipt_seq > ?1 AND s.receipt_seq <= ?2",
            &[&shift.first_receipt, &last_receipt],
        )?,
        refunds: refund_totals(
            conn,
            currency,
            "r.refund_seq > ?1 AND r.refund_seq <= ?2",
            &[&shift.first_refund, &last_refund],
            money(sales_total),
            money(sales_tax),
        )?,
        tips_by_staff: tips_where(
            conn,
            currency,
            (
                "s.receipt_seq > ?1 AND s.receipt_seq <= ?2",
                &[&shift.first_receipt, &last_receipt],
            ),
            (
                "r.refund_seq > ?1 AND r.refund_seq <= ?2",
                &[&shift.first_refund, &last_refund],
            ),
        )?,
    })
}
