//! The persisted print queue: states, reprints, and a crash in the middle of a job.

use kasir_devices::ble::sim::{SimConfig, SimPrinter};
use kasir_devices::ble::{BlePrinter, BleSettings};
use kasir_devices::queue::PrintQueue;
use kasir_devices::transport::FileSink;
use kasir_devices::{DeviceError, Transport};
use kasir_store::Store;
use kasir_store::devices::{JobStatus, NewPrintJob};

fn new_job(bytes: &[u8]) -> NewPrintJob<'_> {
    NewPrintJob {
        printer: "counter",
        target: "sim:",
        kind: "receipt",
        receipt_number: Some("D01-000001"),
        bytes,
    }
}

#[tokio::test(start_paused = true)]
async fn printed_job_is_stored_as_printed() {
    let mut store = Store::open_in_memory().expect("store");
    let sim = SimPrinter::peripheral(SimConfig::default());
    let mut printer = BlePrinter::new(sim.link(), "SIM-PRINTER", BleSettings::default());
    let (mut queue, _) = PrintQueue::open(&mut store).expect("queue");

    let done = queue
        .print(&new_job(b"\x1b@hello\n"), &mut printer)
        .await
        .expect("ran");

    assert!(done.error.is_none());
    assert_eq!(done.job.status, JobStatus::Printed);
    assert_eq!(done.job.attempts, 1);
    assert_eq!(sim.received(), b"\x1b@hello\n");
}

#[tokio::test(start_paused = true)]
async fn paper_out_fails_the_job_before_any_byte_is_sent() {
    let mut store = Store::open_in_memory().expect("store");
    let sim = SimPrinter::peripheral(SimConfig::default());
    sim.with_device(|p| p.status.paper_out = true);
    let mut printer = BlePrinter::new(sim.link(), "SIM-PRINTER", BleSettings::default());
    let (mut queue, _) = PrintQueue::open(&mut store).expect("queue");

    let done = queue
        .print(&new_job(b"receipt"), &mut printer)
        .await
        .expect("ran");

    assert!(matches!(done.error, Some(DeviceError::PaperOut)));
    assert_eq!(done.job.status, JobStatus::Failed);
    assert_eq!(
        done.job.last_error.as_deref(),
        Some("the printer is out of paper")
    );
    assert!(sim.received().is_empty());
}

#[tokio::test(start_paused = true)]
async fn dropped_connection_mid_job_leaves_it_uncertain_and_a_reprint_sends_it_whole() {
    let mut store = Store::open_in_memory().expect("store");
    let sim = SimPrinter::peripheral(SimConfig {
        drop_after: Some(50),
        ..SimConfig::default()
    });
    let mut printer = BlePrinter::new(sim.link(), "SIM-PRINTER", BleSettings::default());
    let bytes: Vec<u8> = (0..200u8).collect();
    let (mut queue, _) = PrintQueue::open(&mut store).expect("queue");

    let first = queue
        .print(&new_job(&bytes), &mut printer)
        .await
        .expect("ran");
    assert_eq!(first.job.status, JobStatus::Uncertain);
    sim.clear();
    let again = queue
        .reprint(&first.job.id, None, &mut printer)
        .await
        .expect("ran");

    assert_eq!(again.job.status, JobStatus::Printed);
    assert_eq!(again.job.reprint_of.as_deref(), Some(first.job.id.as_str()));
    assert_eq!(sim.received(), bytes);
    assert!(
        store
            .print_jobs_needing_attention()
            .expect("listed")
            .is_empty()
    );
}

#[tokio::test]
async fn job_cut_off_by_a_crash_comes_back_uncertain_on_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kasir.db");
    let id = {
        let mut store = Store::open(&path).expect("store");
        let job = store.queue_print_job(&new_job(b"receipt")).expect("queued");
        store.start_print_job(&job.id).expect("sending");
        // The process dies here: the store is dropped without the job's outcome.
        job.id
    };

    let mut store = Store::open(&path).expect("reopened");
    assert_eq!(
        store.print_job(&id).expect("job").status,
        JobStatus::Sending
    );
    let (_, recovered) = PrintQueue::open(&mut store).expect("queue");

    assert_eq!(recovered, 1);
    let job = store.print_job(&id).expect("job");
    assert_eq!(job.status, JobStatus::Uncertain);
    let attention = store.print_jobs_needing_attention().expect("listed");
    assert_eq!(attention.len(), 1);
    assert_eq!(attention[0].id, id);
}

#[tokio::test]
async fn job_can_only_be_started_once() {
    let mut store = Store::open_in_memory().expect("store");
    let job = store.queue_print_job(&new_job(b"x")).expect("queued");
    store.start_print_job(&job.id).expect("first start");

    let e = store.start_print_job(&job.id).expect_err("second start");

    assert!(e.to_string().contains("sending, not queued"), "{e}");
}

#[tokio::test]
async fn empty_job_is_refused() {
    let mut store = Store::open_in_memory().expect("store");

    let e = store.queue_print_job(&new_job(b"")).expect_err("empty");

    assert!(e.to_string().contains("bytes"), "{e}");
    assert!(store.print_jobs(10).expect("listed").is_empty());
}

#[tokio::test]
async fn file_sink_through_the_queue_writes_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.bin");
    let mut store = Store::open_in_memory().expect("store");
    let mut sink = FileSink::file(path.clone());
    assert_eq!(sink.describe(), format!("file:{}", path.display()));
    let (mut queue, _) = PrintQueue::open(&mut store).expect("queue");

    let done = queue
        .print(&new_job(b"\x1b@ok\n"), &mut sink)
        .await
        .expect("ran");

    assert_eq!(done.job.status, JobStatus::Printed);
    assert_eq!(std::fs::read(&path).expect("file"), b"\x1b@ok\n");
}
