//! Bluetooth LE printing against the simulated printer: chunk sizes (cases ),
//! order, pacing, reconnection and uncertain jobs, status answers.

use std::time::Duration;

use kasir_devices::DeviceError;
use kasir_devices::ble::sim::{SimConfig, SimPeripheral, SimPrinter};
use kasir_devices::ble::{BleLink, BlePrinter, BleSettings, WriteKind};
use kasir_devices::transport::Transport;

fn job(len: usize) -> Vec<u8> {
    // Every byte differs from its neighbours, so a reordered or repeated chunk shows.
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

fn printer(config: SimConfig) -> (SimPeripheral<SimPrinter>, BlePrinter<impl BleLink>) {
    let sim = SimPrinter::peripheral(config);
    let transport = BlePrinter::new(sim.link(), "SIM-PRINTER", BleSettings::default());
    (sim, transport)
}

fn sizes(sim: &SimPeripheral<SimPrinter>) -> Vec<usize> {
    sim.writes().iter().map(|w| w.len).collect()
}

#[tokio::test(start_paused = true)]
async fn thousand_bytes_at_mtu_185_are_five_writes_of_182_and_one_of_90() {
    let (sim, mut transport) = printer(SimConfig {
        mtu: 185,
        ..SimConfig::default()
    });
    let job = job(1000);

    transport.send(&job).await.expect("sent");

    assert_eq!(sizes(&sim), vec![182, 182, 182, 182, 182, 90]);
    assert_eq!(sim.received(), job);
}

#[tokio::test(start_paused = true)]
async fn thousand_bytes_at_the_default_mtu_23_are_fifty_writes_of_20() {
    let (sim, mut transport) = printer(SimConfig::default());
    let job = job(1000);

    transport.send(&job).await.expect("sent");

    assert_eq!(sizes(&sim), vec![20; 50]);
    assert_eq!(sim.received(), job);
}

#[tokio::test(start_paused = true)]
async fn platform_limit_of_237_wins_over_a_larger_mtu() {
    let (sim, mut transport) = printer(SimConfig {
        mtu: 247,
        platform_max: Some(237),
        ..SimConfig::default()
    });
    let job = job(1000);

    transport.send(&job).await.expect("sent");

    assert_eq!(sizes(&sim), vec![237, 237, 237, 237, 52]);
    assert_eq!(sim.received(), job);
}

#[tokio::test(start_paused = true)]
async fn fixed_512_byte_chunk_is_refused_by_the_link() {
    let sim = SimPrinter::peripheral(SimConfig {
        mtu: 247,
        platform_max: Some(237),
        ..SimConfig::default()
    });
    let mut link = sim.link();
    link.connect("SIM-PRINTER").await.expect("connected");
    let write = link.characteristics()[0].clone();

    let result = link
        .write(&write, &job(512), WriteKind::WithoutResponse)
        .await;

    assert!(result.is_err());
    assert!(sim.received().is_empty());
}

#[tokio::test(start_paused = true)]
async fn writes_without_response_are_paced_by_the_setting() {
    let sim = SimPrinter::peripheral(SimConfig::default());
    let settings = BleSettings {
        pace: Duration::from_millis(15),
        ..BleSettings::default()
    };
    let mut transport = BlePrinter::new(sim.link(), "SIM-PRINTER", settings);

    transport.send(&job(100)).await.expect("sent");

    let writes = sim.writes();
    assert_eq!(writes.len(), 5);
    assert!(writes.iter().all(|w| w.kind == WriteKind::WithoutResponse));
    for pair in writes.windows(2) {
        assert!(pair[1].at - pair[0].at >= Duration::from_millis(15));
    }
}

#[tokio::test(start_paused = true)]
async fn with_response_setting_sends_every_chunk_acknowledged() {
    let sim = SimPrinter::peripheral(SimConfig::default());
    let settings = BleSettings {
        always_with_response: true,
        ..BleSettings::default()
    };
    let mut transport = BlePrinter::new(sim.link(), "SIM-PRINTER", settings);

    transport.send(&job(45)).await.expect("sent");

    assert!(
        sim.writes()
            .iter()
            .all(|w| w.kind == WriteKind::WithResponse)
    );
    assert_eq!(sizes(&sim), vec![20, 20, 5]);
}

#[tokio::test(start_paused = true)]
async fn refused_connections_are_retried_before_anything_is_sent() {
    let (sim, mut transport) = printer(SimConfig {
        failed_connects: 2,
        ..SimConfig::default()
    });
    let job = job(64);

    transport.send(&job).await.expect("third attempt connects");

    assert_eq!(sim.connects(), 1);
    assert_eq!(sim.received(), job);
}

#[tokio::test(start_paused = true)]
async fn printer_that_never_answers_fails_cleanly_with_nothing_sent() {
    let (sim, mut transport) = printer(SimConfig {
        failed_connects: 10,
        ..SimConfig::default()
    });

    let e = transport.send(&job(64)).await.expect_err("never connects");

    assert!(matches!(e, DeviceError::Connect { .. }), "{e}");
    assert!(!e.is_uncertain());
    assert!(sim.received().is_empty());
}

#[tokio::test(start_paused = true)]
async fn drop_mid_job_is_uncertain_and_not_resumed() {
    let (sim, mut transport) = printer(SimConfig {
        mtu: 185,
        drop_after: Some(400),
        ..SimConfig::default()
    });
    let job = job(1000);

    let e = transport.send(&job).await.expect_err("dropped");

    // Two chunks of 182 (364 bytes) arrived; the third would pass 400 and was lost.
    assert!(e.is_uncertain(), "{e}");
    let DeviceError::Interrupted { sent, total, .. } = e else {
        panic!("interrupted expected");
    };
    assert_eq!((sent, total), (364, 1000));
    assert_eq!(sim.received(), job[..364]);
}

#[tokio::test(start_paused = true)]
async fn printer_reconnects_for_the_next_job_after_a_drop() {
    let (sim, mut transport) = printer(SimConfig {
        mtu: 185,
        drop_after: Some(400),
        ..SimConfig::default()
    });
    let _ = transport.send(&job(1000)).await;
    sim.clear();
    let second = job(500);

    transport.send(&second).await.expect("reconnected");

    assert_eq!(sim.connects(), 2);
    assert_eq!(sim.received(), second);
}

#[tokio::test(start_paused = true)]
async fn drop_before_the_first_byte_is_retried_from_the_start() {
    let (sim, mut transport) = printer(SimConfig {
        drop_after: Some(0),
        ..SimConfig::default()
    });
    let job = job(100);

    transport
        .send(&job)
        .await
        .expect("resent after reconnecting");

    assert_eq!(sim.connects(), 2);
    assert_eq!(sim.received(), job);
}

#[tokio::test(start_paused = true)]
async fn peripheral_gone_between_jobs_is_reconnected() {
    let (sim, mut transport) = printer(SimConfig::default());
    transport.send(&job(10)).await.expect("first");
    sim.drop_connection();

    transport.send(&job(10)).await.expect("second");

    assert_eq!(sim.connects(), 2);
}

#[tokio::test(start_paused = true)]
async fn paper_out_is_reported_by_status() {
    let (sim, mut transport) = printer(SimConfig::default());
    sim.with_device(|p| p.status.paper_out = true);

    let status = transport
        .status()
        .await
        .expect("answered")
        .expect("a status");

    assert!(status.paper_out);
    assert!(matches!(status.ready(), Err(DeviceError::PaperOut)));
    assert!(
        sim.received().is_empty(),
        "status requests are not job bytes"
    );
}

#[tokio::test(start_paused = true)]
async fn cover_open_is_reported_by_status() {
    let (sim, mut transport) = printer(SimConfig::default());
    sim.with_device(|p| p.status.cover_open = true);

    let status = transport
        .status()
        .await
        .expect("answered")
        .expect("a status");

    assert!(matches!(status.ready(), Err(DeviceError::CoverOpen)));
    assert_eq!(sim.with_device(|p| p.status_requests), 2);
}

#[tokio::test(start_paused = true)]
async fn scan_finds_the_simulated_printer_by_its_service() {
    let sim = SimPrinter::peripheral(SimConfig::default());
    let mut link = sim.link();

    let found = link
        .scan(
            &kasir_devices::ble::printer_service_uuids(),
            Duration::from_secs(1),
        )
        .await
        .expect("scanned");

    assert_eq!(found.len(), 1);
    assert_eq!(found[0].address, "SIM-PRINTER");
    assert!(kasir_devices::ble::is_printer(&found[0].services));
}
