//! `kasir printer ...` and `kasir receipt NUMBER --print`: printers by name, test pages,
//! receipts on paper through the persisted print queue, failed and uncertain jobs, reprints.

use std::process::ExitCode;
use std::time::Duration;

use clap::Subcommand;
use kasir_devices::ble::sim::{SimConfig, SimPeripheral, SimPrinter};
use kasir_devices::ble::{BleLink, BlePrinter, BleSettings, printer_service_uuids};
use kasir_devices::queue::{PrintQueue, Printed};
use kasir_devices::tcp::TcpPrinter;
use kasir_devices::transport::FileSink;
use kasir_devices::{DeviceError, Target, Transport};
use kasir_escpos::{PrinterProfile, ReceiptOptions};
use kasir_store::Store;
use kasir_store::devices::{JobStatus, NewPrintJob, PrintJob, Printer};

use crate::app::CliError;

/// The MTU the simulated printer agrees to (a common phone's).
const SIM_MTU: u16 = 185;

/// Printer commands.
#[derive(Debug, Subcommand)]
pub enum PrinterCommand {
    /// Look for Bluetooth LE printers (by the services receipt printers use).
    Scan {
        /// Show the simulated printer instead of using the radio.
        #[arg(long)]
        simulated: bool,
        /// How long to scan.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60))]
        seconds: u64,
    },
    /// Add (or change) a printer: TARGET is tcp:HOST:PORT, file:PATH, ble:ADDRESS or sim:.
    Add {
        /// The name to print to it by (`counter`, `kitchen`).
        name: String,
        /// Where it is.
        target: String,
        /// Its profile: generic-58, generic-80, epson-tm-t88, xprinter-58-cn.
        #[arg(long, default_value = "generic-58")]
        profile: String,
    },
    /// The printers.
    List,
    /// Print a test page to a printer (a name or a target).
    Test {
        /// A printer's name, or a target.
        printer: String,
        /// The profile, when a target is given instead of a name.
        #[arg(long)]
        profile: Option<String>,
    },
    /// Recent print jobs, and those that failed or may not have printed.
    Jobs {
        /// How many recent jobs.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Print a job again (the same bytes), to its printer or another one.
    Reprint {
        /// The job's id (from `kasir printer jobs`).
        job: String,
        /// Another printer (a name or a target).
        #[arg(long)]
        to: Option<String>,
    },
}

fn device_error(e: DeviceError) -> CliError {
    match e {
        DeviceError::Store(e) => CliError::Store(e),
        other => CliError::Usage(other.to_string()),
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// A printer given by name (looked up in the store) or by target.
fn resolve(store: &Store, given: &str, profile: Option<&str>) -> Result<Printer, CliError> {
    if given.contains(':') {
        let target = Target::parse(given).map_err(device_error)?;
        return Ok(Printer {
            name: target.to_string(),
            target: target.to_string(),
            profile: profile.unwrap_or("generic-58").to_string(),
        });
    }
    let mut printer = store.printer(given)?;
    if let Some(p) = profile {
        printer.profile = p.to_string();
    }
    Ok(printer)
}

fn profile(name: &str) -> Result<PrinterProfile, CliError> {
    PrinterProfile::by_name(name).map_err(|e| CliError::Usage(e.to_string()))
}

/// A transport to `target`; the simulated printer's handle comes back too, to report on.
async fn transport(
    target: &Target,
) -> Result<(Box<dyn Transport>, Option<SimPeripheral<SimPrinter>>), CliError> {
    Ok(match target {
        Target::Tcp { host, port } => (Box::new(TcpPrinter::new(host.clone(), *port)), None),
        Target::File(path) => (Box::new(FileSink::file(path.clone())), None),
        Target::Stdout => (Box::new(FileSink::stdout()), None),
        Target::Simulated => {
            let sim = SimPrinter::peripheral(SimConfig {
                mtu: SIM_MTU,
                ..SimConfig::default()
            });
            let printer = BlePrinter::new(sim.link(), "SIM-PRINTER", BleSettings::default());
            (Box::new(printer), Some(sim))
        }
        Target::Ble { address } => (ble_printer(address).await?, None),
    })
}

async fn ble_printer(address: &str) -> Result<Box<dyn Transport>, CliError> {
    let link = kasir_devices::ble::btle::BtleplugLink::open()
        .await
        .map_err(|e| no_radio(e, "print to the simulated printer with target sim:"))?;
    Ok(Box::new(BlePrinter::new(
        link,
        address,
        BleSettings::default(),
    )))
}

fn no_radio(e: DeviceError, hint: &str) -> CliError {
    match e {
        DeviceError::NoAdapter(reason) => {
            CliError::Usage(format!("no Bluetooth adapter here ({reason}); {hint}"))
        }
        other => device_error(other),
    }
}

/// Runs a printer command.
pub fn run(store: &mut Store, command: PrinterCommand, json: bool) -> Result<ExitCode, CliError> {
    match command {
        PrinterCommand::Scan { simulated, seconds } => scan(simulated, seconds, json),
        PrinterCommand::Add {
            name,
            target,
            profile: profile_name,
        } => {
            let target = Target::parse(&target).map_err(device_error)?;
            profile(&profile_name)?;
            let printer = Printer {
                name,
                target: target.to_string(),
                profile: profile_name,
            };
            store.save_printer(&printer)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&printer).map_err(std::io::Error::other)?
                );
            } else {
                println!(
                    "Printer `{}` is {} ({}).",
                    printer.name, printer.target, printer.profile
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        PrinterCommand::List => {
            let printers = store.printers()?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&printers).map_err(std::io::Error::other)?
                );
            } else if printers.is_empty() {
                println!("No printers yet: `kasir printer add NAME TARGET`.");
            } else {
                for p in printers {
                    println!("{:<16} {:<32} {}", p.name, p.target, p.profile);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PrinterCommand::Test {
            printer,
            profile: profile_name,
        } => {
            let printer = resolve(store, &printer, profile_name.as_deref())?;
            let bytes = kasir_escpos::test_page(&profile(&printer.profile)?);
            let job = NewPrintJob {
                printer: &printer.name,
                target: &printer.target,
                kind: "test",
                receipt_number: None,
                bytes: &bytes,
            };
            send(store, &job, json)
        }
        PrinterCommand::Jobs { limit } => jobs(store, limit, json),
        PrinterCommand::Reprint { job, to } => {
            let to = to.map(|t| resolve(store, &t, None)).transpose()?;
            let original = store.print_job(&job)?;
            let target_text = to
                .as_ref()
                .map_or(original.target.clone(), |p| p.target.clone());
            let target = Target::parse(&target_text).map_err(device_error)?;
            let rt = runtime()?;
            rt.block_on(async {
                let (mut transport, sim) = transport(&target).await?;
                let (mut queue, _) = PrintQueue::open(store).map_err(device_error)?;
                let printer = to.as_ref().map(|p| (p.name.as_str(), p.target.as_str()));
                let done = queue
                    .reprint(&job, printer, transport.as_mut())
                    .await
                    .map_err(device_error)?;
                report(done, sim.as_ref(), json)
            })
        }
    }
}

/// `kasir receipt NUMBER --print PRINTER`.
pub fn print_receipt(
    store: &mut Store,
    number: &str,
    printer: &str,
    json: bool,
) -> Result<ExitCode, CliError> {
    let sale = store.sale_by_receipt(number)?;
    let printer = resolve(store, printer, None)?;
    let options = crate::receipt::options_for(store, &sale, ReceiptOptions::printed())?;
    let bytes = kasir_escpos::receipt_bytes(
        &sale,
        store.settings()?,
        &options,
        &profile(&printer.profile)?,
    )
    .map_err(|e| CliError::Usage(e.to_string()))?;
    let job = NewPrintJob {
        printer: &printer.name,
        target: &printer.target,
        kind: "receipt",
        receipt_number: Some(&sale.receipt_number),
        bytes: &bytes,
    };
    send(store, &job, json)
}

fn send(store: &mut Store, job: &NewPrintJob<'_>, json: bool) -> Result<ExitCode, CliError> {
    let target = Target::parse(job.target).map_err(device_error)?;
    let rt = runtime()?;
    rt.block_on(async {
        let (mut transport, sim) = transport(&target).await?;
        let (mut queue, recovered) = PrintQueue::open(store).map_err(device_error)?;
        if recovered > 0 {
            eprintln!(
                "kasir: {recovered} print job(s) were cut off by a restart and may not have \
                 printed: `kasir printer jobs`"
            );
        }
        let done = queue
            .print(job, transport.as_mut())
            .await
            .map_err(device_error)?;
        report(done, sim.as_ref(), json)
    })
}

fn report(
    done: Printed,
    sim: Option<&SimPeripheral<SimPrinter>>,
    json: bool,
) -> Result<ExitCode, CliError> {
    let job = &done.job;
    let what = job
        .receipt_number
        .as_ref()
        .map_or_else(|| job.kind.clone(), |n| format!("receipt {n}"));
    if json {
        let mut value = serde_json::to_value(job).map_err(std::io::Error::other)?;
        value["bytes"] = job.bytes.len().into();
        if let Some(sim) = sim {
            value["simulated"] = serde_json::json!({
                "received": sim.received().len(),
                "writes": sim.writes().len(),
                "largest_write": sim.writes().iter().map(|w| w.len).max().unwrap_or(0),
            });
        }
        println!("{value}");
    } else if done.error.is_none() && job.target == Target::Stdout.to_string() {
        // The job itself went to standard output; the word about it goes to standard error.
        eprintln!("Printed {what} ({} bytes).", job.bytes.len());
    } else if done.error.is_none() {
        println!(
            "Printed {what} on {} ({} bytes).",
            job.printer,
            job.bytes.len()
        );
        if let Some(sim) = sim {
            let writes = sim.writes();
            println!(
                "The simulated printer received {} bytes in {} writes of at most {} bytes \
                 (MTU {SIM_MTU}).",
                sim.received().len(),
                writes.len(),
                writes.iter().map(|w| w.len).max().unwrap_or(0)
            );
        }
    }
    match (&done.error, job.status) {
        (None, _) => Ok(ExitCode::SUCCESS),
        (Some(e), JobStatus::Uncertain) => Err(CliError::Usage(format!(
            "{what} may not have printed ({e}): look at the printer, and if it is not all \
             there, `kasir printer reprint {}`",
            job.id
        ))),
        (Some(e), _) => Err(CliError::Usage(format!(
            "{what} did not print: {e}; when the printer is ready, `kasir printer reprint {}`",
            job.id
        ))),
    }
}

fn jobs(store: &Store, limit: usize, json: bool) -> Result<ExitCode, CliError> {
    let recent = store.print_jobs(limit)?;
    let attention = store.print_jobs_needing_attention()?;
    if json {
        let value = serde_json::json!({ "recent": recent, "needing_attention": attention });
        println!("{value}");
        return Ok(ExitCode::SUCCESS);
    }
    let line = |j: &PrintJob| {
        format!(
            "{}  {:<9} {:<8} {:<12} {}{}",
            j.id,
            j.status.as_str(),
            j.kind,
            j.receipt_number.as_deref().unwrap_or("-"),
            j.printer,
            j.last_error
                .as_ref()
                .map(|e| format!("  ({e})"))
                .unwrap_or_default()
        )
    };
    if !attention.is_empty() {
        println!("Needing attention (reprint with `kasir printer reprint ID`):");
        attention.iter().for_each(|j| println!("  {}", line(j)));
        println!();
    }
    if recent.is_empty() {
        println!("No print jobs yet.");
    }
    recent.iter().for_each(|j| println!("{}", line(j)));
    Ok(ExitCode::SUCCESS)
}

fn scan(simulated: bool, seconds: u64, json: bool) -> Result<ExitCode, CliError> {
    let rt = runtime()?;
    let found = rt.block_on(async {
        let services = printer_service_uuids();
        let timeout = Duration::from_secs(seconds);
        if simulated {
            let sim = SimPrinter::peripheral(SimConfig::default());
            return sim
                .link()
                .scan(&services, timeout)
                .await
                .map_err(device_error);
        }
        let mut link = kasir_devices::ble::btle::BtleplugLink::open()
            .await
            .map_err(|e| {
                no_radio(
                    e,
                    "`kasir printer scan --simulated` shows the simulated printer",
                )
            })?;
        link.scan(&services, timeout).await.map_err(device_error)
    })?;
    if json {
        let list: Vec<_> = found
            .iter()
            .map(|d| {
                serde_json::json!({
                    "target": if simulated { "sim:".to_string() } else { format!("ble:{}", d.address) },
                    "name": d.name,
                    "rssi": d.rssi,
                    "services": d.services.iter().map(ToString::to_string).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::from(list));
    } else if found.is_empty() {
        println!(
            "No Bluetooth printer found in {seconds} s (is it on, and not paired to a phone?)."
        );
    } else {
        for d in &found {
            let target = if simulated {
                "sim:".to_string()
            } else {
                format!("ble:{}", d.address)
            };
            println!(
                "{:<26} {:<30} {}",
                target,
                d.name.as_deref().unwrap_or("(no name)"),
                d.rssi.map(|r| format!("{r} dBm")).unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
