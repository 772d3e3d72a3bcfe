//! The admin commands: opening the store, catalog, sales, receipts, reports and the outbox.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use kasir_domain::DomainError;
use kasir_domain::catalog::Item;
use kasir_store::{Device, Store, StoreError, StoreSettings};
use thiserror::Error;

use crate::receipt;
use crate::view::{money, pad_left, pad_right, report_row};

/// The sample catalog shipped in the repository (Open Food Facts, ODbL; synthetic prices).
const SAMPLE_CATALOG: &str = include_str!("../../data/catalog/sample-catalog.csv");

/// Why a command failed; printed on stderr with a non-zero exit.
#[derive(Debug, Error)]
pub enum CliError {
    /// From the store or the domain.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
}

impl From<DomainError> for CliError {
    fn from(e: DomainError) -> Self {
        CliError::Store(e.into())
    }
}

/// The store file: `--store` / `KASIR_STORE`, or kasir.db in the platform data directory.
pub fn store_path(given: Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(path) = given {
        return Ok(path);
    }
    let dirs = directories::ProjectDirs::from("", "", "kasir")
        .ok_or_else(|| CliError::Usage("no home directory; give --store PATH".into()))?;
    Ok(dirs.data_dir().join("kasir.db"))
}

fn open(path: &Path) -> Result<Store, CliError> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(Store::open(path)?)
}

/// Opens the store; on first use sets it up as an Indonesian shop with the sample catalog.
pub fn open_or_create(path: &Path) -> Result<Store, CliError> {
    let mut store = open(path)?;
    if !store.is_initialised() {
        set_up(&mut store, "Toko Contoh Kasir", "D01", true)?;
        eprintln!(
            "kasir: new store at {} with {} sample products (Open Food Facts, ODbL; prices are examples)",
            path.display(),
            store.item_count()?
        );
    }
    Ok(store)
}

fn set_up(store: &mut Store, name: &str, device_code: &str, sample: bool) -> Result<(), CliError> {
    let mut settings = StoreSettings::indonesian_shop(name);
    if sample {
        // The sample shop's made-up address; a real store sets its own (`settings set address`).
        settings.address = vec!["Jl. Contoh No. 1, Jakarta".into()];
    }
    store.initialise(settings, Device::new(uuid::Uuid::now_v7(), device_code)?)?;
    if sample {
        store.import_catalog(SAMPLE_CATALOG.as_bytes(), false, &mut |_| {})?;
    }
    Ok(())
}

/// `kasir init`.
pub fn init(
    path: &Path,
    name: &str,
    device_code: &str,
    sample: bool,
    json: bool,
) -> Result<(), CliError> {
    let mut store = open(path)?;
    if store.is_initialised() {
        return Err(CliError::Usage(format!(
            "{} is already set up",
            path.display()
        )));
    }
    set_up(&mut store, name, device_code, sample)?;
    let items = store.item_count()?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "store": path, "device": store.device()?, "items": items })
        );
    } else {
        println!(
            "Set up {} as device {} with {items} products.",
            path.display(),
            store.device()?.code
        );
    }
    Ok(())
}

fn describe_row(row: &kasir_store::catalog::RowError) -> String {
    let gtin = if row.gtin.is_empty() {
        "no gtin"
    } else {
        row.gtin.as_str()
    };
    format!("line {} ({gtin}): {}", row.line, row.reasons.join("; "))
}

/// `kasir catalog import`.
pub fn import(
    store: &mut Store,
    file: &Path,
    skip_invalid: bool,
    json: bool,
) -> Result<ExitCode, CliError> {
    let size = std::fs::metadata(file)
        .map_err(|e| CliError::Usage(format!("{}: {e}", file.display())))?
        .len();
    let reader = std::io::BufReader::new(std::fs::File::open(file)?);
    let bar = if std::io::stderr().is_terminal() && !json {
        let bar = ProgressBar::new(size);
        bar.set_style(
            ProgressStyle::with_template(
                "importing {bar:40} {percent:>3}% {binary_bytes}/{binary_total_bytes} ({eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let mut tick = |bytes: u64| {
        if let Some(bar) = &bar {
            bar.set_position(bytes);
        }
    };
    let result = store.import_catalog(reader, skip_invalid, &mut tick);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    match result {
        Ok(report) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).map_err(std::io::Error::other)?
                );
            } else {
                println!(
                    "{} rows: {} added, {} updated, {} rejected",
                    report.rows,
                    report.added,
                    report.updated,
                    report.rejected.len()
                );
                if !report.ignored_columns.is_empty() {
                    println!("Ignored column(s): {}", report.ignored_columns.join(", "));
                }
                for row in &report.rejected {
                    eprintln!("{}", describe_row(row));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::ImportRejected(rows)) => {
            if json {
                let body = serde_json::json!({ "imported": 0, "rejected": rows });
                println!(
                    "{}",
                    serde_json::to_string_pretty(&body).map_err(std::io::Error::other)?
                );
            }
            for row in &rows {
                eprintln!("{}", describe_row(row));
            }
            eprintln!(
                "kasir: {} bad row(s) in {}; nothing was imported (use --skip-invalid to import the good rows)",
                rows.len(),
                file.display()
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

fn print_items(store: &Store, items: &[Item], json: bool) -> Result<(), CliError> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(items).map_err(std::io::Error::other)?
        );
        return Ok(());
    }
    let settings = store.settings()?;
    for item in items {
        println!(
            "{}  {}  {} /{}  {}",
            pad_right(item.gtin.short_form(), 13),
            pad_right(&item.name, 40),
            pad_left(&money(settings, item.price), 9),
            item.unit,
            item.tax_category
        );
    }
    Ok(())
}

/// `kasir catalog search`.
pub fn search(store: &Store, text: &str, limit: usize, json: bool) -> Result<ExitCode, CliError> {
    let items = store.search_items(text, limit)?;
    if items.is_empty() && !json {
        eprintln!("no product matches `{text}`");
        return Ok(ExitCode::FAILURE);
    }
    print_items(store, &items, json)?;
    Ok(ExitCode::SUCCESS)
}

/// `kasir catalog show`.
pub fn show_item(store: &Store, code: &str, json: bool) -> Result<ExitCode, CliError> {
    let item = store.find_item(code)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&item).map_err(std::io::Error::other)?
        );
    } else {
        let settings = store.settings()?;
        println!("GTIN      {}", item.gtin);
        println!("SKU       {}", item.sku.as_deref().unwrap_or("-"));
        println!("Name      {}", item.name);
        println!(
            "Price     {} per {}",
            money(settings, item.price),
            item.unit
        );
        println!("Tax       {}", item.tax_category);
        println!("Category  {}", item.category.as_deref().unwrap_or("-"));
        println!("Stock     {}", item.stock);
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_date(text: &str) -> Result<Date, CliError> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| CliError::Usage(format!("date: `{text}` is not a date like 2026-12-03")))
}

/// Today in the store's time zone.
pub fn today(store: &Store) -> Result<Date, CliError> {
    let zone = store.settings()?.time_zone()?;
    Ok(jiff::Timestamp::now().to_zoned_datetime(zone).date())
}

/// `kasir sales list`.
pub fn list_sales(store: &Store, date: Option<&str>, json: bool) -> Result<ExitCode, CliError> {
    let date = date.map(parse_date).transpose()?;
    let sales = store.list_sales(date)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&sales).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let settings = store.settings()?;
    if sales.is_empty() {
        println!("No sales.");
    }
    for sale in &sales {
        println!(
            "{}  {}  {:>3} {}  {}",
            sale.receipt_number,
            sale.business_date,
            sale.lines,
            if sale.lines == 1 { "line " } else { "lines" },
            pad_left(&money(settings, sale.total), 12)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `kasir receipt`.
pub fn receipt(
    store: &Store,
    number: &str,
    width: usize,
    json: bool,
) -> Result<ExitCode, CliError> {
    let sale = store.sale_by_receipt(number)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&sale).map_err(std::io::Error::other)?
        );
    } else {
        print!("{}", receipt::render(store, &sale, width)?);
    }
    Ok(ExitCode::SUCCESS)
}

/// `kasir report day`.
pub fn day_report(store: &Store, date: Option<&str>, json: bool) -> Result<ExitCode, CliError> {
    let date = match date {
        Some(d) => parse_date(d)?,
        None => today(store)?,
    };
    let report = store.day_report(date)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let s = store.settings()?;
    let w = crate::words::words(s);
    let row = |label: &str, amount| println!("{}", report_row(s, label, amount));
    println!(
        "{} {} ({}, {} {})",
        w.day_report, report.date, report.currency, report.sales, w.sales_count
    );
    row(w.gross_sales, report.subtotal);
    row(w.discounts, -report.discounts);
    row(w.charges_total, report.charges);
    row(w.total, report.total);
    if !report.gift_cards_sold.is_zero() {
        row(
            &format!("  {}", w.of_which_gift_cards),
            report.gift_cards_sold,
        );
    }
    row(w.cash_rounding, report.cash_rounding);
    row(w.tax_in_total, report.tax);
    if report.refunds.count > 0 {
        row(
            &format!(
                "{} ({}, {} {})",
                w.refunds, report.refunds.count, report.refunds.voids, w.voids
            ),
            -report.refunds.total,
        );
        row(w.net_of_refunds, report.refunds.net_total);
        row(w.tax_net_of_refunds, report.refunds.net_tax);
    }
    if !report.tips_by_staff.is_empty() {
        println!("\n{}", w.tips_by_staff);
        for t in &report.tips_by_staff {
            row(
                &format!("  {}", t.staff.as_deref().unwrap_or(w.no_sign_in)),
                t.net,
            );
        }
    }
    println!("\n{}", w.by_tender);
    for t in &report.tenders {
        row(
            &format!("  {} ({})", w.method(&t.method), t.count),
            t.amount,
        );
        if t.method == "qr" {
            for line in crate::shift_cmd::qr_rows(s, &report.qr) {
                println!("{line}");
            }
        }
    }
    println!("\n{}", w.by_tax_rate);
    for t in &report.taxes {
        row(&format!("  {} {}", t.label, w.net), t.net);
        row(&format!("  {} {}", t.label, w.tax), t.tax);
    }
    println!("\n{}", w.best_sellers);
    for b in &report.best_sellers {
        println!(
            "  {}  {:>8}  {}",
            pad_right(&b.name, 36),
            b.quantity.to_string(),
            pad_left(&money(s, b.amount), 12)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `kasir outbox`.
pub fn outbox(store: &Store, limit: usize, json: bool) -> Result<ExitCode, CliError> {
    let summary = store.outbox_summary()?;
    let events = store.outbox_events(limit)?;
    if json {
        let body = serde_json::json!({ "summary": summary, "events": events });
        println!(
            "{}",
            serde_json::to_string_pretty(&body).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} waiting (oldest {}), {} rejected, {} synced",
        summary.pending,
        summary.oldest_pending.as_deref().unwrap_or("-"),
        summary.rejected,
        summary.synced
    );
    for e in &events {
        println!(
            "#{:<6} {}  {}  {}  {} bytes{}",
            e.seq,
            e.kind,
            e.occurred_at,
            e.status,
            e.bytes,
            e.last_error
                .as_deref()
                .map(|r| format!("  ({r})"))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
