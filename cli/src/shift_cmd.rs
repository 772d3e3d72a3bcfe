//! `kasir shift` and `kasir drawer`: the till's shifts, cash paid in and out, the Z report.

use std::process::ExitCode;

use clap::Subcommand;
use kasir_store::report::QrTotals;
use kasir_store::shifts::{CashMoveKind, ShiftReport};
use kasir_store::{Store, StoreSettings};

use crate::app::CliError;
use crate::staff_cmd::{SignIn, authorise, sign_in};
use crate::view::{money, report_row};
use crate::words::local_time;

/// `kasir shift ...`.
#[derive(Debug, Subcommand)]
pub enum ShiftCommand {
    /// Open a shift with the float counted into the drawer.
    Open {
        /// The opening float, for example 200000.
        float: String,
        #[command(flatten)]
        by: SignIn,
    },
    /// Cash put into the drawer.
    Payin {
        /// The amount.
        amount: String,
        /// Why (required).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        by: SignIn,
    },
    /// Cash taken out of the drawer.
    Payout {
        /// The amount.
        amount: String,
        /// Why (required).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        by: SignIn,
    },
    /// Close the shift with the cash counted in the drawer; prints the Z report.
    Close {
        /// The counted cash.
        counted: String,
        #[command(flatten)]
        by: SignIn,
    },
    /// The report of the open (or last) shift, or of shift N.
    Report {
        /// The shift's number.
        number: Option<u32>,
    },
}

/// Runs `kasir shift ...`.
pub fn run(store: &mut Store, command: ShiftCommand, json: bool) -> Result<ExitCode, CliError> {
    let currency = store.settings()?.currency;
    match command {
        ShiftCommand::Open { float, by } => {
            let staff = sign_in(store, &by, "open a shift")?;
            let float = currency.parse_amount("float", &float)?;
            let number = store.open_shift(float, staff.as_deref())?;
            if json {
                println!("{}", serde_json::json!({ "shift": number, "float": float }));
            } else {
                println!(
                    "Shift {number} opened with a float of {}.",
                    money(store.settings()?, float)
                );
            }
        }
        ShiftCommand::Payin { amount, reason, by } => {
            cash_move(store, CashMoveKind::PayIn, &amount, &reason, &by, json)?;
        }
        ShiftCommand::Payout { amount, reason, by } => {
            cash_move(store, CashMoveKind::PayOut, &amount, &reason, &by, json)?;
        }
        ShiftCommand::Close { counted, by } => {
            let staff = sign_in(store, &by, "close a shift")?;
            let counted = currency.parse_amount("counted", &counted)?;
            let report = store.close_shift(counted, staff.as_deref())?;
            print_report(store, &report, json)?;
        }
        ShiftCommand::Report { number } => {
            let report = store.shift_report(number)?;
            print_report(store, &report, json)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn cash_move(
    store: &mut Store,
    kind: CashMoveKind,
    amount: &str,
    reason: &str,
    by: &SignIn,
    json: bool,
) -> Result<(), CliError> {
    let what = match kind {
        CashMoveKind::PayIn => "pay in",
        _ => "pay out",
    };
    let staff = sign_in(store, by, what)?;
    let amount = store.settings()?.currency.parse_amount("amount", amount)?;
    let moved = store.record_cash_move(kind, amount, reason, staff.as_deref())?;
    if json {
        println!(
            "{}",
            serde_json::to_string(&moved).map_err(std::io::Error::other)?
        );
    } else {
        println!(
            "{} {} ({}) in shift {}.",
            if kind == CashMoveKind::PayIn {
                "Paid in"
            } else {
                "Paid out"
            },
            money(store.settings()?, moved.amount),
            moved.reason,
            moved.shift.map(|n| n.to_string()).unwrap_or_default()
        );
    }
    Ok(())
}

/// `kasir drawer`: opens the cash drawer without a sale (a manager's PIN once the store has
/// staff); the opening is recorded, with the shift if one is open.
pub fn drawer(
    store: &mut Store,
    reason: Option<&str>,
    by: &SignIn,
    json: bool,
) -> Result<ExitCode, CliError> {
    let staff = authorise(store, by, "open the drawer")?;
    let moved = store.record_cash_move(
        CashMoveKind::Drawer,
        kasir_domain::Decimal::ZERO,
        reason.unwrap_or(""),
        staff.as_deref(),
    )?;
    if json {
        println!(
            "{}",
            serde_json::to_string(&moved).map_err(std::io::Error::other)?
        );
    } else {
        println!("Drawer opened (recorded).");
    }
    Ok(ExitCode::SUCCESS)
}

/// The X report (open shift) or Z report (closed) in the store's language, its times in the
/// store's local time as on receipts, unverified QR takings apart from verified ones.
fn print_report(store: &Store, r: &ShiftReport, json: bool) -> Result<(), CliError> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(r).map_err(std::io::Error::other)?
        );
        return Ok(());
    }
    print!("{}", report_text(store.settings()?, r));
    Ok(())
}

/// The text of a shift's report.
fn report_text(s: &StoreSettings, r: &ShiftReport) -> String {
    let w = crate::words::words(s);
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    let row = |label: &str, amount| report_row(s, label, amount);
    let by = |who: &Option<String>| {
        who.as_deref()
            .map(|b| format!(" {} {b}", w.by_lower))
            .unwrap_or_default()
    };
    line(format!(
        "{} {} ({}, {} {})",
        if r.closed { w.z_report } else { w.x_report },
        r.shift,
        r.currency,
        r.sales,
        w.sales_count
    ));
    line(format!(
        "{} {}{}",
        w.opened,
        local_time(s, &r.opened_at),
        by(&r.opened_by)
    ));
    if let Some(closed) = &r.closed_at {
        line(format!(
            "{} {}{}",
            w.closed,
            local_time(s, closed),
            by(&r.closed_by)
        ));
    }
    line(row(w.sales, r.sales_total));
    line(row(w.refunds, -r.refunds.total));
    line(row(w.net_sales, r.refunds.net_total));
    line(format!("\n{}", w.cash_section));
    line(row(&format!("  {}", w.float), r.float));
    line(row(&format!("  {}", w.cash_sales), r.cash_tendered));
    line(row(&format!("  {}", w.change), -r.cash_change));
    line(row(&format!("  {}", w.cash_refunds), -r.cash_refunds));
    line(row(&format!("  {}", w.pay_ins), r.pay_ins));
    line(row(&format!("  {}", w.pay_outs), -r.pay_outs));
    line(row(&format!("  {}", w.expected), r.expected_cash));
    if let (Some(counted), Some(difference)) = (r.counted_cash, r.difference) {
        line(row(&format!("  {}", w.counted), counted));
        line(row(&format!("  {}", w.difference), difference));
    }
    if r.drawer_openings > 0 {
        line(format!("  {}: {}", w.drawer_openings, r.drawer_openings));
    }
    line(format!("\n{}", w.by_tender));
    for t in &r.tenders {
        line(row(
            &format!("  {} ({})", w.method(&t.method), t.count),
            t.amount,
        ));
        if t.method == "qr" {
            for text in qr_rows(s, &r.qr) {
                line(text);
            }
        }
    }
    for t in &r.refunds.tenders {
        line(row(
            &format!("  {} {} ({})", w.refunds_of, w.method(&t.method), t.count),
            -t.amount,
        ));
    }
    if !r.tips_by_staff.is_empty() {
        line(format!("\n{}", w.tips_by_staff));
        for t in &r.tips_by_staff {
            line(row(
                &format!("  {}", t.staff.as_deref().unwrap_or(w.no_sign_in)),
                t.net,
            ));
        }
    }
    out
}

/// The QR takings under their tender line: verified, and unverified (the clerk's word only,
/// until the cloud matches them to the provider's payments).
pub fn qr_rows(s: &StoreSettings, qr: &QrTotals) -> Vec<String> {
    let w = crate::words::words(s);
    let row = |label: String, amount| report_row(s, &label, amount);
    vec![
        row(
            format!("    {} ({})", w.qr_verified, qr.verified_count),
            qr.verified,
        ),
        row(
            format!("    {} ({})", w.qr_unverified, qr.unverified_count),
            qr.unverified,
        ),
    ]
}
