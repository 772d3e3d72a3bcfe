//! `kasir enroll`, `kasir sync` and `kasir status`: the device's link to its cloud account.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use kasir_store::Store;
use kasir_sync::client::SyncError;
use kasir_sync::worker::{self, SyncOptions, SyncReport};
use tokio::sync::Notify;

use crate::app::CliError;

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

impl From<SyncError> for CliError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(e) => CliError::Store(e),
            other => CliError::Usage(other.to_string()),
        }
    }
}

/// A failed sync in the clerk's words: what went wrong with the cloud, and, when trying again
/// later can help, how much waits to be sent.
fn clerk_message(error: &SyncError, store: &Store) -> String {
    let server = store
        .cloud_link()
        .ok()
        .flatten()
        .map(|l| l.server_url)
        .unwrap_or_default();
    let mut message = error.for_clerk(&server);
    if error.is_transient() {
        match store.sync_status().map(|s| s.waiting) {
            Ok(0) => message.push_str("; nothing is waiting to be sent"),
            Ok(1) => message
                .push_str("; 1 record (a sale or the like) waits and will be sent when it is back"),
            Ok(n) => message.push_str(&format!(
                "; {n} records (sales and the like) wait and will be sent when it is back"
            )),
            Err(_) => {}
        }
    }
    message
}

/// Turns a failed sync into the one line the clerk reads.
fn sync_failed(error: SyncError, store: &Store) -> CliError {
    match error {
        SyncError::Store(e) => CliError::Store(e),
        other => CliError::Usage(clerk_message(&other, store)),
    }
}

/// `kasir enroll CODE --server URL`.
pub fn enroll(
    store: &mut Store,
    code: &str,
    server: &str,
    json: bool,
) -> Result<ExitCode, CliError> {
    let enrolment = runtime()?.block_on(worker::enrol(store, server, code))?;
    let link = store
        .cloud_link()?
        .ok_or_else(|| CliError::Usage("enrolment was not recorded".into()))?;
    let fetch_failed = enrolment
        .fetch_failed
        .as_ref()
        .map(|e| clerk_message(e, store));
    if json {
        let body = serde_json::json!({
            "server": link.server_url, "merchant_id": link.merchant_id, "store_id": link.store_id,
            "changes": enrolment.changes,
            "settings_changed": enrolment.settings_changed,
            "fetch_failed": fetch_failed,
        });
        println!("{body}");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Enrolled with {} (store {}).",
        link.server_url, link.store_id
    );
    match fetch_failed {
        Some(why) => println!(
            "The cloud's catalog and settings were not fetched yet: {why}. `kasir sync` \
             fetches them, keeping this register's own settings where the cloud has none."
        ),
        None if enrolment.settings_changed.is_empty() => {
            println!("The cloud's settings change none of this register's.")
        }
        None => {
            println!("The cloud's settings replace this register's:");
            for change in &enrolment.settings_changed {
                println!("  {change}");
            }
        }
    }
    println!("Run `kasir sync` to send the sales.");
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &SyncReport, json: bool) {
    if json {
        println!("{}", serde_json::to_string(report).unwrap_or_default());
    } else {
        println!(
            "Synced: {} sent, {} already in the cloud, {} rejected; {} changes received.",
            report.stored, report.already_stored, report.rejected, report.changes
        );
        for change in &report.settings_changed {
            println!("Setting changed by the cloud: {change}");
        }
        if report.qr_verified > 0 {
            println!(
                "{} QR tender(s) verified by the cloud (`kasir qr unmatched` lists the rest).",
                report.qr_verified
            );
        }
        if report.leased_elsewhere > 0 {
            println!(
                "{} event(s) left waiting: another sync is sending them (or was, until it \
                 stopped; they are free again within {} seconds).",
                report.leased_elsewhere,
                SyncOptions::default().lease.as_secs()
            );
        }
    }
}

/// `kasir sync [--watch]`.
pub fn sync(
    store: &mut Store,
    watch: bool,
    interval: Duration,
    batch_size: usize,
    json: bool,
) -> Result<ExitCode, CliError> {
    let client = worker::client_for(store)?;
    let options = SyncOptions {
        batch_size,
        ..SyncOptions::default()
    };
    let runtime = runtime()?;
    if !watch {
        let report = runtime
            .block_on(worker::sync_once(store, &client, &options))
            .map_err(|e| sync_failed(e, store))?;
        print_report(&report, json);
        return Ok(if report.rejected > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }

    runtime.block_on(async {
        let stop = Arc::new(Notify::new());
        let wake = Arc::new(Notify::new());
        let stopper = stop.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            stopper.notify_one();
        });
        worker::watch(
            store,
            &client,
            &options,
            interval,
            wake,
            stop,
            |result| match result {
                Ok(report) if report.stored + report.rejected + report.changes > 0 || json => {
                    print_report(report, json)
                }
                Ok(_) => {}
                Err(e) => eprintln!(
                    "kasir: sync failed, will retry: {}",
                    e.for_clerk(client.base_url())
                ),
            },
        )
        .await;
    });
    Ok(ExitCode::SUCCESS)
}

/// `kasir status`.
pub fn status(store: &Store, json: bool) -> Result<ExitCode, CliError> {
    let status = store.sync_status()?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&status).map_err(std::io::Error::other)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    match &status.server_url {
        Some(url) => println!("Cloud        {url}"),
        None => println!("Cloud        not enrolled (kasir enroll CODE --server URL)"),
    }
    let age = status
        .oldest_waiting_age_secs
        .map(human_age)
        .unwrap_or_default();
    println!(
        "Waiting      {} event(s){}",
        status.waiting,
        if age.is_empty() {
            age
        } else {
            format!(", oldest {age} old")
        }
    );
    println!("Synced       {}", status.synced);
    println!(
        "Last sync    {}",
        status.last_success_at.as_deref().unwrap_or("never")
    );
    if let Some(error) = &status.last_error {
        println!("Last error   {error}");
    }
    for r in &status.rejected {
        println!("Rejected     #{} {} {}: {}", r.seq, r.kind, r.id, r.reason);
    }
    Ok(ExitCode::SUCCESS)
}

fn human_age(secs: i64) -> String {
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}
