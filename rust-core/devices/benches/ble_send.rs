//! How long an 80 mm receipt takes to reach a Bluetooth LE printer: a model from the chunk
//! count and the connection interval, and the time measured through the simulated link with
//! the same per-write cost. Run with `cargo bench -p kasir-devices --bench ble_send`.
//!
//! The model: writes without response go `packets` to a connection event (stacks allow 1 to
//! 6; 4 is common on phones), so a job takes `ceil(writes / packets)` intervals; writes with
//! response take one interval each at best (the acknowledgement comes back in the next event).

use std::time::{Duration, Instant};

use kasir_devices::Transport;
use kasir_devices::ble::sim::{SimConfig, SimPrinter};
use kasir_devices::ble::{BlePrinter, BleSettings, chunk_size, write_count};

/// 30 lines of 48 columns with line feeds and styles, a QR code and a cut: about 3 KB.
const TEXT_RECEIPT: usize = 3_000;
/// The same with a 576 x 120 dot logo (72 bytes a row): 8,640 bytes more.
const LOGO_RECEIPT: usize = TEXT_RECEIPT + 8_640;

fn model(len: usize, mtu: u16, interval: Duration, packets: u32) -> (Duration, Duration) {
    let writes = write_count(len, chunk_size(mtu, None)) as u32;
    let without = interval * writes.div_ceil(packets);
    let with = interval * writes;
    (without, with)
}

fn measured(len: usize, mtu: u16, per_write: Duration) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let sim = SimPrinter::peripheral(SimConfig {
            mtu,
            write_latency: per_write,
            ..SimConfig::default()
        });
        let settings = BleSettings {
            pace: Duration::ZERO,
            ..BleSettings::default()
        };
        let mut printer = BlePrinter::new(sim.link(), "SIM-PRINTER", settings);
        let job = vec![0x20u8; len];
        printer.send(b"\x1b@").await.expect("warm-up");
        let start = Instant::now();
        printer.send(&job).await.expect("sent");
        start.elapsed()
    })
}

fn ms(d: Duration) -> String {
    format!("{}.{:01}", d.as_millis(), d.subsec_micros() % 1000 / 100)
}

fn main() {
    println!(
        "Model: time to send a receipt over BLE (writes without response: 4 packets an event)"
    );
    println!(
        "{:>8} {:>5} {:>7} {:>8} {:>14} {:>14}",
        "bytes", "MTU", "writes", "interval", "no response ms", "with resp. ms"
    );
    for len in [TEXT_RECEIPT, LOGO_RECEIPT] {
        for mtu in [23u16, 185] {
            for interval_us in [7_500u64, 15_000, 30_000, 45_000] {
                let interval = Duration::from_micros(interval_us);
                let (without, with) = model(len, mtu, interval, 4);
                println!(
                    "{len:>8} {mtu:>5} {:>7} {:>6}ms {:>14} {:>14}",
                    write_count(len, chunk_size(mtu, None)),
                    ms(interval),
                    ms(without),
                    ms(with)
                );
            }
        }
    }

    println!();
    println!("Simulated link, 30 ms interval at 4 packets an event (7.5 ms a write), measured:");
    for len in [TEXT_RECEIPT, LOGO_RECEIPT] {
        for mtu in [23u16, 185] {
            let per_write = Duration::from_micros(7_500);
            let (model_time, _) = model(len, mtu, Duration::from_millis(30), 4);
            let took = measured(len, mtu, per_write);
            println!(
                "{len:>8} bytes MTU {mtu:>3}: model {:>8} ms, measured {:>8} ms",
                ms(model_time),
                ms(took)
            );
        }
    }

    println!();
    println!("Transport overhead with a zero-cost link (chunking, bookkeeping), 100 jobs:");
    for mtu in [23u16, 185] {
        let start = Instant::now();
        for _ in 0..100 {
            measured(LOGO_RECEIPT, mtu, Duration::ZERO);
        }
        println!(
            "{LOGO_RECEIPT} bytes MTU {mtu:>3}: {} us a job",
            start.elapsed().as_micros() / 100
        );
    }
}
