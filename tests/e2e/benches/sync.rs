//! The sync benchmark: a device's queue of 10,000 sales pushed to a local `kasir-cloud`.
//!
//! For each way of sending (batches of 200 events, the worker's default, and one request per
//! sale), a fresh device rings up the same cash sales offline through `kasir register`, enrols
//! with a fresh `kasir-cloud` on SQLite, and then one `kasir sync --batch N` drains the queue
//! through a byte-counting proxy on loopback (the fault proxy with no faults). Measured: the
//! wall time of that sync, sales per second, bytes on the wire per sale in each direction, and
//! the server's peak resident memory (`VmHWM`) at the end. The cloud's day report is checked to
//! hold every sale, once.
//!
//! `cargo bench -p kasir-e2e --bench sync` (release build, 10,000 sales; set
//! `KASIR_BENCH_SALES` for another count). Under `cargo test` it runs with 40 sales as a check
//! that the benchmark still works. Aims: the whole queue in under 5 s, under 1 KB per sale,
//! the server under 100 MB.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use kasir_e2e::harness::{Cloud, Device, cash_sales};
use kasir_e2e::proxy::{FaultPlan, FaultProxy};

const KECAP: &str = "8990121011028";
const MIE: &str = "8998866200837";
const MILK: &str = "8998009010552";

struct Run {
    label: String,
    elapsed: Duration,
    requests: u64,
    bytes_up: u64,
    bytes_down: u64,
    peak_rss_kib: Option<u64>,
}

fn run(label: &str, batch: usize, sales: usize) -> Run {
    let device = Device::new("D01");
    let started = Instant::now();
    let made = device.sell(&cash_sales(sales, &[KECAP, MIE, MILK]));
    assert_eq!(made.len(), sales, "the register made every sale");
    eprintln!(
        "{label}: {sales} sales rung up offline in {:.1?}",
        started.elapsed()
    );

    let cloud = Cloud::sqlite();
    let owner = cloud.merchant("Toko Bench");
    let store = owner.create_store("Toko Bench");
    let code = owner.enrolment_code(&store);
    let proxy = FaultProxy::start(cloud.address, FaultPlan::clean()).expect("proxy starts");
    device.enroll(&proxy.url(), &code);

    let stats = proxy.stats();
    let requests_before = stats.requests.load(Ordering::Relaxed);
    let up_before = stats.bytes_up.load(Ordering::Relaxed);
    let down_before = stats.bytes_down.load(Ordering::Relaxed);
    let started = Instant::now();
    let out = device.run(&["sync", "--batch", &batch.to_string()]);
    let elapsed = started.elapsed();
    assert!(
        out.status.success(),
        "sync: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(device.waiting(), 0, "the queue drained");

    let date = device.json(&["sales", "list"])[0]["business_date"]
        .as_str()
        .expect("a date")
        .to_string();
    let report = owner.day_report(&store, &date);
    assert_eq!(
        report["sales"].as_u64(),
        Some(sales as u64),
        "the cloud holds every sale once: {report}"
    );
    let local = device.json(&["report", "day", &date]);
    assert_eq!(
        report["total"], local["total"],
        "the cloud's total is the device's"
    );

    Run {
        label: label.to_string(),
        elapsed,
        requests: stats.requests.load(Ordering::Relaxed) - requests_before,
        bytes_up: stats.bytes_up.load(Ordering::Relaxed) - up_before,
        bytes_down: stats.bytes_down.load(Ordering::Relaxed) - down_before,
        peak_rss_kib: cloud.peak_rss_kib(),
    }
}

fn main() {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let sales: usize = match std::env::var("KASIR_BENCH_SALES") {
        Ok(n) => n.parse().expect("KASIR_BENCH_SALES is a count"),
        Err(_) if benchmarking => 10_000,
        Err(_) => 40,
    };
    let runs = [
        run("batched (200 per request)", 200, sales),
        run("one request per sale", 1, sales),
    ];

    println!("sync of {sales} queued sales to kasir-cloud (SQLite) on loopback");
    println!(
        "{:<28} {:>9} {:>10} {:>9} {:>13} {:>15} {:>14}",
        "mode",
        "seconds",
        "sales/s",
        "requests",
        "bytes up/sale",
        "bytes down/sale",
        "server peak MB"
    );
    for r in &runs {
        let seconds = r.elapsed.as_millis();
        let per_second = (sales as u128 * 1000)
            .checked_div(seconds.max(1))
            .unwrap_or(0);
        println!(
            "{:<28} {:>5}.{:03} {:>10} {:>9} {:>13} {:>15} {:>14}",
            r.label,
            seconds / 1000,
            seconds % 1000,
            per_second,
            r.requests,
            r.bytes_up / sales as u64,
            r.bytes_down / sales as u64,
            r.peak_rss_kib
                .map_or_else(|| "n/a".to_string(), |k| format!("{}", k / 1024)),
        );
    }
    let (batched, single) = (&runs[0], &runs[1]);
    println!(
        "one request per sale takes {}x the time of batches",
        single
            .elapsed
            .as_millis()
            .checked_div(batched.elapsed.as_millis().max(1))
            .unwrap_or(0)
    );
}
