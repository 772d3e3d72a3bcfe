//! `kasir`: the terminal register and admin tool over Kasir's core.

mod app;
mod customer_cmd;
mod giftcard_cmd;
mod printer_cmd;
mod qr_cmd;
mod reader_cmd;
mod receipt;
mod refund_cmd;
mod register;
mod scan;
mod settings_cmd;
mod share_cmd;
mod shift_cmd;
mod staff_cmd;
mod sync_cmd;
mod view;
mod words;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Kasir: a point of sale that keeps selling offline.
#[derive(Debug, Parser)]
#[command(name = "kasir", version, about, long_about = None)]
struct Cli {
    /// The device store (SQLite file). Default: kasir.db in the platform data directory.
    #[arg(long, global = true, env = "KASIR_STORE", value_name = "PATH")]
    store: Option<PathBuf>,

    /// Print results as JSON.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ring up sales: scan or type barcodes, search, discount, pay. Reads commands line by
    /// line from standard input when it is not a terminal.
    Register(RegisterArgs),
    /// The product catalog.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Completed sales.
    #[command(subcommand)]
    Sales(SalesCommand),
    /// Print the receipt of a sale.
    Receipt {
        /// The receipt number, for example D01-000001.
        number: String,
        /// Receipt width in columns (32 for 58 mm paper, 48 for 80 mm).
        #[arg(long, default_value_t = 42, value_parser = clap::value_parser!(u16).range(24..=80))]
        width: u16,
        /// Write it as a PNG picture, 80 mm wide, to FILE instead of showing it.
        #[arg(long, value_name = "FILE", conflicts_with = "print")]
        png: Option<PathBuf>,
        /// Write it as a one-page PDF, 80 mm wide, to FILE instead of showing it.
        #[arg(long, value_name = "FILE", conflicts_with = "print")]
        pdf: Option<PathBuf>,
        /// Print it on a printer (a name from `kasir printer add`, or tcp:HOST:PORT, file:PATH,
        /// ble:ADDRESS, sim:) instead of showing it.
        #[arg(long, value_name = "PRINTER")]
        print: Option<String>,
        /// Show the receipt's public link (and its QR code) instead of the receipt.
        #[arg(long, conflicts_with = "print")]
        link: bool,
    },
    /// Printers: scan, add, list, test pages, print jobs and reprints.
    #[command(subcommand)]
    Printer(printer_cmd::PrinterCommand),
    /// Reports.
    #[command(subcommand)]
    Report(ReportCommand),
    /// What waits to be synced to the cloud.
    Outbox {
        /// How many waiting events to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Set up a new store (otherwise the first command sets one up with the sample catalog).
    Init(InitArgs),
    /// Show or change the store's settings.
    #[command(subcommand)]
    Settings(settings_cmd::SettingsCommand),
    /// Join a cloud account: trade the store's enrolment code for this device's token.
    Enroll {
        /// The one-time enrolment code from the owner.
        code: String,
        /// The cloud server, for example http://127.0.0.1:8080.
        #[arg(long)]
        server: String,
    },
    /// Send waiting sales to the cloud and receive catalog and settings changes.
    Sync {
        /// Keep syncing: every --interval seconds, sooner after a failure is over; Ctrl-C stops.
        #[arg(long)]
        watch: bool,
        /// Seconds between syncs with --watch.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        interval: u64,
        /// Events per upload (the server takes at most 500).
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=500))]
        batch: u64,
    },
    /// Sync status: events waiting, the oldest one's age, last sync, last error, rejections.
    Status,
    /// Gift cards: balance, redemption, offline limits.
    #[command(subcommand)]
    Giftcard(giftcard_cmd::GiftcardCommand),
    /// Loyalty customers (added with their consent), their points, and the points rule.
    #[command(subcommand)]
    Customer(customer_cmd::CustomerCommand),
    /// Refund a sale, whole or chosen lines, to its tenders or in cash (a manager signs in
    /// once the store has staff). `kasir receipt` of the refund's number shows its slip.
    Refund(refund_cmd::RefundArgs),
    /// Void a sale of today: a full refund marked as a void (a manager signs in).
    Void(refund_cmd::VoidArgs),
    /// List refunds and voids, of one business day or all.
    Refunds {
        /// Only this business day (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
    },
    /// Staff members, their PINs and roles, and the discount limit.
    #[command(subcommand)]
    Staff(staff_cmd::StaffCommand),
    /// The till's shifts: open with a float, pay in, pay out, close with the count, report.
    #[command(subcommand)]
    Shift(shift_cmd::ShiftCommand),
    /// Open the cash drawer without a sale; recorded (a manager signs in).
    Drawer {
        /// Why.
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        by: staff_cmd::SignIn,
    },
    /// Decode barcodes in image files and print what the register would do with each.
    Scan(scan::ScanArgs),
    /// EMV QR payment codes (QRIS, PIX, PromptPay, ...): check one, or make one.
    #[command(subcommand)]
    Qr(qr_cmd::QrCommand),
}

#[derive(Debug, Args)]
struct RegisterArgs {
    /// Receipt width in columns (32 for 58 mm paper, 48 for 80 mm).
    #[arg(long, default_value_t = 42, value_parser = clap::value_parser!(u16).range(24..=80))]
    width: u16,
    /// Scale-label rules and scanning policy (JSON); see the README's Scanning section.
    #[arg(long, env = "KASIR_SCAN_RULES", value_name = "FILE")]
    scan_rules: Option<PathBuf>,
    #[command(flatten)]
    staff: staff_cmd::SignIn,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The store's name, printed on receipts.
    #[arg(long, default_value = "Toko Contoh Kasir")]
    name: String,
    /// This device's code, the prefix of its receipt numbers.
    #[arg(long, default_value = "D01")]
    device_code: String,
    /// Start with an empty catalog instead of the sample one.
    #[arg(long)]
    no_sample: bool,
}

#[derive(Debug, Subcommand)]
enum CatalogCommand {
    /// Import products from a CSV file (columns gtin, name, price, tax_category, unit; optional
    /// sku, category, stock). All or nothing unless --skip-invalid.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Import the good rows and list the bad ones instead of refusing the whole file.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Search products by name, SKU or category.
    Search {
        /// Words to look for (each matches as a prefix).
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Show the product for a barcode or SKU.
    Show {
        /// A GTIN in any form (EAN-13, UPC-A, EAN-8, UPC-E) or a SKU.
        code: String,
    },
}

#[derive(Debug, Subcommand)]
enum SalesCommand {
    /// List sales, of one business day or all.
    List {
        /// Only this business day (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// A business day's totals: per tender, per tax rate, best sellers.
    Day {
        /// The day (YYYY-MM-DD); today in the store's time zone when left out.
        date: Option<String>,
    },
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so a write to a closed pipe (`kasir report day | head -2`) would
    // fail and `println!` panic; the default action ends the process quietly instead, as
    // other command-line programs do.
    sigpipe::reset();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KASIR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();

    let json = cli.json;
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if json {
                eprintln!("{}", serde_json::json!({ "error": e.to_string() }));
            } else {
                eprintln!("kasir: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, app::CliError> {
    let json = cli.json;
    let command = match cli.command {
        Command::Qr(command) if !command.needs_store() => return qr_cmd::run(command, json),
        command => command,
    };
    let cli = Cli { command, ..cli };
    let path = app::store_path(cli.store)?;
    if let Command::Init(args) = &cli.command {
        app::init(&path, &args.name, &args.device_code, !args.no_sample, json)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Only the register creates a store on first use: a mistyped --store path given to a
    // report must not look like a shop with no sales.
    if !path.exists() && !matches!(cli.command, Command::Register(_)) {
        return Err(app::CliError::Usage(format!(
            "no store at {}: create one with `kasir init` (or start `kasir register`)",
            path.display()
        )));
    }
    let mut store = app::open_or_create(&path)?;
    match cli.command {
        Command::Register(args) => {
            let scanner = scan::scanner(&store, args.scan_rules.as_deref())?;
            register::run(
                &mut store,
                json,
                usize::from(args.width),
                scanner,
                &args.staff,
            )
        }
        Command::Scan(args) => scan::run(&store, &args, json),
        Command::Catalog(CatalogCommand::Import { file, skip_invalid }) => {
            app::import(&mut store, &file, skip_invalid, json)
        }
        Command::Catalog(CatalogCommand::Search { text, limit }) => {
            app::search(&store, &text.join(" "), limit, json)
        }
        Command::Catalog(CatalogCommand::Show { code }) => app::show_item(&store, &code, json),
        Command::Sales(SalesCommand::List { date }) => {
            app::list_sales(&store, date.as_deref(), json)
        }
        Command::Receipt {
            number, link: true, ..
        } => receipt::link(&store, &number, json),
        Command::Receipt {
            number,
            width,
            png,
            pdf,
            ..
        } if png.is_some() || pdf.is_some() => share_cmd::write(
            &store,
            &number,
            usize::from(width),
            png.as_deref(),
            pdf.as_deref(),
            json,
        ),
        Command::Receipt {
            number,
            width,
            print: None,
            ..
        } if refund_cmd::is_refund_number(&number) => {
            refund_cmd::show(&store, &number, usize::from(width), json)
        }
        Command::Receipt {
            number,
            print: Some(printer),
            ..
        } => printer_cmd::print_receipt(&mut store, &number, &printer, json),
        Command::Receipt { number, width, .. } => {
            app::receipt(&store, &number, usize::from(width), json)
        }
        Command::Printer(command) => printer_cmd::run(&mut store, command, json),
        Command::Report(ReportCommand::Day { date }) => {
            app::day_report(&store, date.as_deref(), json)
        }
        Command::Outbox { limit } => app::outbox(&store, limit, json),
        Command::Settings(command) => settings_cmd::run(&mut store, command, json),
        Command::Enroll { code, server } => sync_cmd::enroll(&mut store, &code, &server, json),
        Command::Sync {
            watch,
            interval,
            batch,
        } => sync_cmd::sync(
            &mut store,
            watch,
            std::time::Duration::from_secs(interval),
            usize::try_from(batch).unwrap_or(kasir_sync::protocol::MAX_PUSH_EVENTS),
            json,
        ),
        Command::Status => sync_cmd::status(&store, json),
        Command::Giftcard(command) => giftcard_cmd::run(&mut store, command, json),
        Command::Customer(command) => customer_cmd::run(&mut store, command, json),
        Command::Refund(args) => refund_cmd::refund(&mut store, &args, json),
        Command::Void(args) => refund_cmd::void(&mut store, &args, json),
        Command::Refunds { date } => refund_cmd::list(&store, date.as_deref(), json),
        Command::Staff(command) => staff_cmd::run(&mut store, command, json),
        Command::Shift(command) => shift_cmd::run(&mut store, command, json),
        Command::Drawer { reason, by } => {
            shift_cmd::drawer(&mut store, reason.as_deref(), &by, json)
        }
        Command::Qr(command) => qr_cmd::run_with_store(&store, command, json),
        Command::Init(_) => unreachable!("handled above"),
    }
}
