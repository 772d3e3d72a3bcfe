//! `kasir refund`, `kasir void` and `kasir refunds`: refunds of stored sales, and their slips.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use kasir_domain::refund::{Refund, RefundKind, RefundRequest, RefundTo};
use kasir_domain::{Decimal, DomainError};
use kasir_store::{Store, StoreSettings};

use crate::app::CliError;
use crate::view::{money, money_with_symbol, two_columns, two_columns_wrapped, wrap};

/// Where a refund's money goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum To {
    /// The sale's own tenders (cards back to the card), the rest in cash.
    Original,
    /// All in cash.
    Cash,
}

/// `kasir refund`.
#[derive(Debug, Args)]
pub struct RefundArgs {
    /// The sale's receipt number, for example D01-000001.
    pub receipt: String,
    /// A line to return (from the receipt); repeat for several. Without any, everything not
    /// yet returned.
    #[arg(long = "line", value_name = "N")]
    pub lines: Vec<u32>,
    /// How many of each --line, in the same order (kg items: 0.250). Without any, all of each.
    #[arg(long = "qty", value_name = "Q")]
    pub quantities: Vec<String>,
    /// Where the money goes.
    #[arg(long, value_enum, default_value_t = To::Original)]
    pub to: To,
    /// Put the returned items back into stock.
    #[arg(long)]
    pub restock: bool,
    /// Why (printed on the slip).
    #[arg(long)]
    pub reason: Option<String>,
    /// Receipt width in columns.
    #[arg(long, default_value_t = 42, value_parser = clap::value_parser!(u16).range(24..=80))]
    pub width: u16,
    #[command(flatten)]
    pub staff: crate::staff_cmd::SignIn,
}

/// `kasir void`.
#[derive(Debug, Args)]
pub struct VoidArgs {
    /// The receipt number of a sale of today.
    pub receipt: String,
    /// Leave the items out of stock (they are put back by default: they never left).
    #[arg(long)]
    pub no_restock: bool,
    /// Why.
    #[arg(long)]
    pub reason: Option<String>,
    /// Receipt width in columns.
    #[arg(long, default_value_t = 42, value_parser = clap::value_parser!(u16).range(24..=80))]
    pub width: u16,
    #[command(flatten)]
    pub staff: crate::staff_cmd::SignIn,
}

/// A line asked for, with its quantity (`None`: all of it that is left).
type Asked = (u32, Option<Decimal>);

/// The lines asked for; `None` for everything.
fn lines(args: &RefundArgs) -> Result<Option<Vec<Asked>>, CliError> {
    if args.lines.is_empty() {
        if !args.quantities.is_empty() {
            return Err(CliError::Usage(
                "--qty: give the --line each quantity is for".into(),
            ));
        }
        return Ok(None);
    }
    if !args.quantities.is_empty() && args.quantities.len() != args.lines.len() {
        return Err(CliError::Usage(format!(
            "--qty: {} quantities for {} lines; give one per --line, or none for all of each",
            args.quantities.len(),
            args.lines.len()
        )));
    }
    let mut out = Vec::new();
    for (i, line) in args.lines.iter().enumerate() {
        let quantity = args
            .quantities
            .get(i)
            .map(|q| parse_quantity(q))
            .transpose()?;
        out.push((*line, quantity));
    }
    Ok(Some(out))
}

fn parse_quantity(text: &str) -> Result<Decimal, CliError> {
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|b| *b == b'.').count() <= 1;
    valid
        .then(|| text.parse::<Decimal>().ok())
        .flatten()
        .ok_or_else(|| DomainError::invalid("qty", format!("`{text}` is not a quantity")).into())
}

/// `kasir refund`.
pub fn refund(store: &mut Store, args: &RefundArgs, json: bool) -> Result<ExitCode, CliError> {
    let staff = crate::staff_cmd::authorise(store, &args.staff, "refund a sale")?;
    // A line given without a quantity returns all of it that is left.
    let wanted = match lines(args)? {
        None => None,
        Some(lines) => {
            let sale = store.sale_by_receipt(&args.receipt)?;
            let returned = store.returned(&sale)?;
            let mut out = Vec::new();
            for (number, quantity) in lines {
                let quantity =
                    match quantity {
                        Some(q) => q,
                        None => {
                            let line = sale.lines.iter().find(|l| l.number == number).ok_or_else(
                                || DomainError::not_found("line", number.to_string()),
                            )?;
                            line.quantity
                                - returned
                                    .quantities
                                    .get(&number)
                                    .copied()
                                    .unwrap_or_default()
                        }
                    };
                out.push((number, quantity));
            }
            Some(out)
        }
    };
    let request = RefundRequest {
        lines: wanted,
        to: match args.to {
            To::Original => RefundTo::Original,
            To::Cash => RefundTo::Cash,
        },
        kind: RefundKind::Refund,
        restock: args.restock,
        staff,
        reason: args.reason.clone(),
    };
    let refund = store.commit_refund(&args.receipt, &request, jiff::Timestamp::now())?;
    done(store, &refund, usize::from(args.width), json)
}

/// `kasir void`.
pub fn void(store: &mut Store, args: &VoidArgs, json: bool) -> Result<ExitCode, CliError> {
    let staff = crate::staff_cmd::authorise(store, &args.staff, "void a sale")?;
    let request = RefundRequest {
        lines: None,
        to: RefundTo::Original,
        kind: RefundKind::Void,
        restock: !args.no_restock,
        staff,
        reason: args.reason.clone(),
    };
    let refund = store.commit_refund(&args.receipt, &request, jiff::Timestamp::now())?;
    done(store, &refund, usize::from(args.width), json)
}

fn done(store: &Store, refund: &Refund, width: usize, json: bool) -> Result<ExitCode, CliError> {
    if json {
        println!(
            "{}",
            serde_json::to_string(refund).map_err(std::io::Error::other)?
        );
    } else {
        print!("{}", slip(refund, store.settings()?, width));
        println!(
            "{} {} recorded.",
            if refund.kind == RefundKind::Void {
                "Void"
            } else {
                "Refund"
            },
            refund.refund_number
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `kasir receipt` of a refund number: its slip.
pub fn show(store: &Store, number: &str, width: usize, json: bool) -> Result<ExitCode, CliError> {
    let refund = store.refund_by_number(number)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&refund).map_err(std::io::Error::other)?
        );
    } else {
        print!("{}", slip(&refund, store.settings()?, width));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `number` is a refund's number (`D01-R000001`) rather than a sale's.
pub fn is_refund_number(number: &str) -> bool {
    number
        .trim()
        .split_once('-')
        .is_some_and(|(_, rest)| rest.starts_with(['R', 'r']))
}

/// The plain-text refund or void slip, in the store's language, its time in the store's
/// local time as on receipts; a long line (a tender method, a reason) wraps, never cut.
pub fn slip(refund: &Refund, settings: &StoreSettings, width: usize) -> String {
    let w = crate::words::words(settings);
    let m = |a| money(settings, a);
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let (title, number) = match refund.kind {
        RefundKind::Refund => (w.refund_title, w.refund),
        RefundKind::Void => (w.void_title, w.void),
    };
    line(settings.name.clone());
    line(title.to_string());
    line(two_columns(number, &refund.refund_number, width));
    line(two_columns(w.of_sale, &refund.receipt_number, width));
    line(two_columns(
        w.date,
        &crate::words::local_at(settings, refund.created_at),
        width,
    ));
    if let Some(staff) = &refund.staff {
        line(two_columns(w.by, staff, width));
    }
    line("-".repeat(width));
    for l in &refund.lines {
        for text in
            two_columns_wrapped(&format!("{:>2} {}", l.number, l.name), &m(-l.amount), width)
        {
            line(text);
        }
        line(format!("     {} {}", l.quantity, w.returned));
    }
    if !refund.charges.is_zero() {
        for text in two_columns_wrapped(w.charges, &m(-refund.charges), width) {
            line(text);
        }
    }
    line("-".repeat(width));
    line(two_columns(
        w.refunded,
        &money_with_symbol(settings, refund.total),
        width,
    ));
    if !refund.tax.is_zero() {
        for text in two_columns_wrapped(w.tax_in_refund, &m(refund.tax), width) {
            line(text);
        }
    }
    for t in &refund.tenders {
        for text in two_columns_wrapped(
            &format!("{} {}", w.to, w.method(&t.method)),
            &m(t.amount),
            width,
        ) {
            line(text);
        }
    }
    if refund.restock {
        for text in wrap(w.restocked, width) {
            line(text);
        }
    }
    if let Some(reason) = &refund.reason {
        for text in wrap(&format!("{}: {reason}", w.reason), width) {
            line(text);
        }
    }
    out
}

/// `kasir refunds`.
pub fn list(store: &Store, date: Option<&str>, json: bool) -> Result<ExitCode, CliError> {
    let date = date
        .map(|d| {
            d.trim()
                .parse::<jiff::civil::Date>()
                .map_err(|_| CliError::Usage(format!("date: `{d}` is not a date like 2026-12-03")))
        })
        .transpose()?;
    let refunds = store.list_refunds(date)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&refunds).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let settings = store.settings()?;
    if refunds.is_empty() {
        println!("No refunds.");
    }
    for r in &refunds {
        println!(
            "{}  {:<6} of {}  {}  {:>12}{}",
            r.refund_number,
            r.kind,
            r.receipt_number,
            r.business_date,
            money(settings, r.total),
            r.staff
                .as_deref()
                .map(|s| format!("  by {s}"))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
