//! `kasir shift` and `kasir drawer`: the till's shifts, cash paid in and out, the Z report.

use std::process::ExitCode;

use clap::Subcommand;
use kasir_store::Store;
use kasir_store::shifts::{CashMoveKind, ShiftReport};

use crate::app::CliError;
use crate::staff_cmd::{SignIn, authorise, sign_in};
use crate::view::{money, pad_left, pad_right};

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

fn print_report(store: &Store, r: &ShiftReport, json: bool) -> Result<(), CliError> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(r).map_err(std::io::Error::other)?
        );
        return Ok(());
    }
    let s = store.settings()?;
    let row = |label: &str, amount| {
        println!(
            "{}{}",
            pad_right(label, 28),
            pad_left(&money(s, amount), 16)
        )
    };
    println!(
        "{} report, shift {} ({}, {} sales)",
        if r.closed { "Z" } else { "X" },
        r.shift,
        r.currency,
        r.sales
    );
    println!(
        "Opened {}{}",
        r.opened_at,
        r.opened_by
            .as_deref()
            .map(|b| format!(" by {b}"))
            .unwrap_or_default()
    );
    if let Some(closed) = &r.closed_at {
        println!(
            "Closed {closed}{}",
            r.closed_by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default()
        );
    }
    row("Sales", r.sales_total);
    row("Refunds", -r.refunds.total);
    row("Net sales", r.refunds.net_total);
    println!("\nCash");
    row("  Opening float", r.float);
    row("  Cash sales", r.cash_tendered);
    row("  Change given", -r.cash_change);
    row("  Cash refunds", -r.cash_refunds);
    row("  Pay ins", r.pay_ins);
    row("  Pay outs", -r.pay_outs);
    row("  Expected in drawer", r.expected_cash);
    if let (Some(counted), Some(difference)) = (r.counted_cash, r.difference) {
        row("  Counted", counted);
        row("  Difference", difference);
    }
    if r.drawer_openings > 0 {
        println!("  Drawer opened without a sale: {}", r.drawer_openings);
    }
    println!("\nBy tender");
    for t in &r.tenders {
        row(&format!("  {} ({})", t.method, t.count), t.amount);
    }
    for t in &r.refunds.tenders {
        row(&format!("  {} refunds ({})", t.method, t.count), -t.amount);
    }
    if !r.tips_by_staff.is_empty() {
        println!("\nTips by staff");
        for t in &r.tips_by_staff {
            row(
                &format!("  {}", t.staff.as_deref().unwrap_or("(no sign-in)")),
                t.net,
            );
        }
    }
    Ok(())
}
