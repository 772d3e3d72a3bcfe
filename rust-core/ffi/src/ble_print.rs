//! Printing a receipt on a Bluetooth LE printer the phone is connected to.
//!
//! The app owns the connection (Android's `BluetoothGatt`, iOS's `CBPeripheral`): it connects
//! to the saved printer (`ble:ADDRESS`), finds the printer service among
//! [`ble_printer_services`], negotiates the MTU and hands the core one [`BlePrinterLink`]. The
//! core decides everything about the bytes, with the same code the CLI's Bluetooth printer
//! uses (`kasir_devices::ble`): chunks of `MTU - 3` bytes, never more than the
//! platform's write-without-response maximum, strictly in order, writes with response
//! when the characteristic has no write without response, and what a failure half way means.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use kasir_devices::DeviceError;
use kasir_devices::ble::{
    ChunkSink, PRINTER_SERVICES, PartialWrite, Properties, WriteKind, WritePlan, write_chunks,
};

use crate::runtime::runtime;

/// Why the platform did not take one write (the link dropped, the stack refused the write, a
/// GATT status other than success).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum BleLinkError {
    /// The write failed; `reason` says how, in the platform's words.
    #[error("{reason}")]
    WriteFailed {
        /// What the platform said.
        reason: String,
    },
}

// An exception the app's link throws without declaring it is a failed write like any other.
impl From<uniffi::UnexpectedUniFFICallbackError> for BleLinkError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        BleLinkError::WriteFailed { reason: e.reason }
    }
}

/// One connected GATT link to a printer's write characteristic, as the platform offers it.
/// The app connects, discovers the service, requests the MTU and only then hands it over.
#[uniffi::export(with_foreign)]
pub trait BlePrinterLink: Send + Sync {
    /// The negotiated ATT MTU (23 when none was negotiated; less than 23 is read as 23).
    fn mtu(&self) -> u16;
    /// The platform's largest write without response, where it says (iOS's
    /// `maximumWriteValueLength(for: .withoutResponse)`); `None` where it does not (Android).
    fn max_write_without_response(&self) -> Option<u32>;
    /// Whether the characteristic takes writes without response.
    fn supports_write_without_response(&self) -> bool;
    /// Writes one chunk and returns once the platform has taken it (with response: once the
    /// printer acknowledged it). Called on a background thread, one chunk at a time, in order;
    /// blocking until the platform's flow control lets the chunk go is expected.
    fn write(&self, chunk: Vec<u8>, with_response: bool) -> Result<(), BleLinkError>;
}

/// A printer service and the characteristic it takes jobs on, as UUID strings (lower case).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BlePrinterService {
    /// The GATT service (`000018f0-0000-1000-8000-00805f9b34fb`).
    pub service: String,
    /// Its write characteristic (`00002af1-0000-1000-8000-00805f9b34fb`).
    pub characteristic: String,
}

/// The services of the receipt printers Kasir drives, most common first: what the apps scan
/// for and look up on a connected printer.
#[uniffi::export]
pub fn ble_printer_services() -> Vec<BlePrinterService> {
    PRINTER_SERVICES
        .iter()
        .map(|(service, characteristic)| BlePrinterService {
            service: service.to_string(),
            characteristic: characteristic.to_string(),
        })
        .collect()
}

/// How a job went out.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BlePrintReport {
    /// Bytes written (all of the job).
    pub bytes: u64,
    /// Writes made.
    pub writes: u32,
    /// Bytes per write (the last one may be shorter).
    pub chunk_size: u32,
    /// Whether the writes were with response.
    pub with_response: bool,
}

/// Why a job did not print in full.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum BlePrintError {
    /// There were no bytes to send.
    #[error("the print job is empty")]
    EmptyJob,
    /// The first write failed: nothing reached the printer, so printing again is safe.
    #[error("nothing was sent to the printer: {reason}")]
    NotSent {
        /// Why the first write failed.
        reason: String,
    },
    /// The link failed part way. The printer took `sent_bytes` of `total_bytes` (in
    /// `writes_done` writes) and may have printed part of the receipt: look at the paper before
    /// printing again. The job is not resumed (a half-received buffer is printed or dropped,
    /// depending on the printer).
    #[error(
        "the printer connection failed after {sent_bytes} of {total_bytes} bytes; the receipt may be partly printed: {reason}"
    )]
    Interrupted {
        /// Bytes the platform took before the failure.
        sent_bytes: u64,
        /// Bytes in the job.
        total_bytes: u64,
        /// Writes the platform took before the failure.
        writes_done: u32,
        /// Why the next write failed.
        reason: String,
    },
    /// The print was cancelled between two writes (the caller stopped waiting).
    #[error("printing was cancelled after {sent_bytes} of {total_bytes} bytes")]
    Cancelled {
        /// Bytes the platform took before the cancellation.
        sent_bytes: u64,
        /// Bytes in the job.
        total_bytes: u64,
    },
    /// A bug in Kasir; worth a report.
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

/// The app's link as the devices crate's chunk sink; stops between writes once cancelled.
struct ForeignSink {
    link: Arc<dyn BlePrinterLink>,
    cancelled: Arc<AtomicBool>,
}

/// The reason text a cancelled sink fails with, told apart from a link failure by the flag.
const CANCELLED: &str = "cancelled";

#[async_trait]
impl ChunkSink for ForeignSink {
    async fn write_chunk(&mut self, data: &[u8], kind: WriteKind) -> Result<(), DeviceError> {
        if self.cancelled.load(Ordering::SeqCst) {
            return Err(DeviceError::Bluetooth(CANCELLED.into()));
        }
        self.link
            .write(data.to_vec(), kind == WriteKind::WithResponse)
            .map_err(|BleLinkError::WriteFailed { reason }| DeviceError::Bluetooth(reason))
    }
}

/// Sets the flag when the caller's future is dropped (a cancelled coroutine or Swift task).
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// The plan for `link` and the writes that `len` bytes take under it.
fn plan(link: &dyn BlePrinterLink) -> WritePlan {
    let properties = Properties {
        // A characteristic without write without response is written with response.
        write: true,
        write_without_response: link.supports_write_without_response(),
        ..Properties::default()
    };
    let platform_max = link
        .max_write_without_response()
        .and_then(|max| usize::try_from(max).ok());
    WritePlan::for_link(properties, link.mtu(), platform_max, false)
}

/// Sends `job` (a receipt's ESC/POS bytes, from `Kasir::receipt_bytes`) over `link`, blocking
/// the calling thread; [`print_over_ble`] runs it off the caller's thread.
fn send_blocking(
    link: Arc<dyn BlePrinterLink>,
    job: &[u8],
    cancelled: Arc<AtomicBool>,
) -> Result<BlePrintReport, BlePrintError> {
    if job.is_empty() {
        return Err(BlePrintError::EmptyJob);
    }
    let plan = plan(link.as_ref());
    let mut sink = ForeignSink {
        link,
        cancelled: cancelled.clone(),
    };
    let total = job.len() as u64;
    // The platform paces writes without response itself (Android's write status and callback,
    // iOS's canSendWriteWithoutResponse): no extra pause between them.
    let sent = futures_block_on(write_chunks(&mut sink, job, plan, Duration::ZERO));
    match sent {
        Ok(()) => {
            let writes = kasir_devices::ble::write_count(job.len(), plan.chunk);
            tracing::info!(
                bytes = job.len(),
                writes,
                chunk = plan.chunk,
                "receipt sent to the Bluetooth printer"
            );
            Ok(BlePrintReport {
                bytes: total,
                writes: u32::try_from(writes).unwrap_or(u32::MAX),
                chunk_size: u32::try_from(plan.chunk).unwrap_or(u32::MAX),
                with_response: plan.kind == WriteKind::WithResponse,
            })
        }
        Err(PartialWrite { sent, .. }) if cancelled.load(Ordering::SeqCst) => {
            tracing::warn!(sent, total, "Bluetooth print cancelled");
            Err(BlePrintError::Cancelled {
                sent_bytes: sent as u64,
                total_bytes: total,
            })
        }
        Err(PartialWrite { sent: 0, error, .. }) => {
            tracing::warn!(error = %error, "Bluetooth printer refused the first write");
            Err(BlePrintError::NotSent {
                reason: reason(error),
            })
        }
        Err(PartialWrite {
            sent,
            writes,
            error,
        }) => {
            tracing::warn!(sent, total, error = %error, "Bluetooth printer link failed during a job");
            Err(BlePrintError::Interrupted {
                sent_bytes: sent as u64,
                total_bytes: total,
                writes_done: u32::try_from(writes).unwrap_or(u32::MAX),
                reason: reason(error),
            })
        }
    }
}

/// The platform's words, without the devices crate's `Bluetooth: ` prefix.
fn reason(error: DeviceError) -> String {
    match error {
        DeviceError::Bluetooth(reason) => reason,
        other => other.to_string(),
    }
}

/// Drives a future whose every await is ready at once (the sink's writes block instead of
/// pending and the pace is zero) on the current thread.
fn futures_block_on<F: std::future::Future>(work: F) -> F::Output {
    // A current-thread runtime without drivers: nothing here needs I/O or timers.
    match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt.block_on(work),
        Err(e) => panic!("a print runtime cannot start: {e}"),
    }
}

/// Prints `job` (a receipt's ESC/POS bytes for the printer's profile, from
/// `Kasir::receipt_bytes`) on the printer behind `link`: chunked, in order, each write taken
/// by the platform before the next. The writes run on one of the library's blocking threads,
/// never the caller's; a caller that stops waiting stops the job before its next write.
#[uniffi::export]
pub async fn print_over_ble(
    link: Arc<dyn BlePrinterLink>,
    job: Vec<u8>,
) -> Result<BlePrintReport, BlePrintError> {
    let cancelled = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(cancelled.clone());
    let task = runtime().spawn_blocking(move || send_blocking(link, &job, cancelled));
    task.await.map_err(|e| BlePrintError::Internal {
        reason: format!("the print task failed: {e}"),
    })?
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use rust_decimal_macros::dec;

    use super::*;
    use crate::kasir::{Kasir, NewStore};

    /// A printer link that records every write, refuses a chunk larger than the platform would
    /// take, and can fail its `fail_at`-th write (counting from 0).
    struct FakeLink {
        mtu: u16,
        max: Option<u32>,
        without_response: bool,
        fail_at: Option<usize>,
        writes: Mutex<Vec<(Vec<u8>, bool)>>,
    }

    impl FakeLink {
        fn new(mtu: u16, max: Option<u32>, without_response: bool) -> FakeLink {
            FakeLink {
                mtu,
                max,
                without_response,
                fail_at: None,
                writes: Mutex::new(Vec::new()),
            }
        }

        fn sizes(&self) -> Vec<usize> {
            self.writes
                .lock()
                .unwrap()
                .iter()
                .map(|(c, _)| c.len())
                .collect()
        }

        fn received(&self) -> Vec<u8> {
            self.writes
                .lock()
                .unwrap()
                .iter()
                .flat_map(|(c, _)| c.clone())
                .collect()
        }
    }

    impl BlePrinterLink for FakeLink {
        fn mtu(&self) -> u16 {
            self.mtu
        }
        fn max_write_without_response(&self) -> Option<u32> {
            self.max
        }
        fn supports_write_without_response(&self) -> bool {
            self.without_response
        }
        fn write(&self, chunk: Vec<u8>, with_response: bool) -> Result<(), BleLinkError> {
            let mut writes = self.writes.lock().unwrap();
            if self.fail_at == Some(writes.len()) {
                return Err(BleLinkError::WriteFailed {
                    reason: "GATT status 133".into(),
                });
            }
            let limit = if with_response {
                usize::from(self.mtu) - 3
            } else {
                self.max.map_or(usize::from(self.mtu) - 3, |m| m as usize)
            };
            if chunk.len() > limit {
                return Err(BleLinkError::WriteFailed {
                    reason: format!(
                        "{} bytes is more than the {limit} the link takes",
                        chunk.len()
                    ),
                });
            }
            writes.push((chunk, with_response));
            Ok(())
        }
    }

    /// 1,000 different-looking bytes, so that a reordering shows.
    fn job() -> Vec<u8> {
        (0..1000u32).map(|i| (i * 7 % 251) as u8).collect()
    }

    fn print(link: &Arc<FakeLink>, job: &[u8]) -> Result<BlePrintReport, BlePrintError> {
        let link: Arc<dyn BlePrinterLink> = link.clone();
        send_blocking(link, job, Arc::new(AtomicBool::new(false)))
    }

    #[test]
    fn r06_writes_are_mtu_minus_three_in_order() {
        let link = Arc::new(FakeLink::new(185, None, false));
        let report = print(&link, &job()).expect("prints");
        assert_eq!(link.sizes(), vec![182, 182, 182, 182, 182, 90]);
        assert_eq!(link.received(), job());
        assert!(link.writes.lock().unwrap().iter().all(|(_, acked)| *acked));
        assert_eq!(report.writes, 6);
        assert_eq!(report.chunk_size, 182);
        assert!(report.with_response);

        let small = Arc::new(FakeLink::new(23, None, true));
        print(&small, &job()).expect("prints");
        assert_eq!(small.sizes(), vec![20; 50]);
        assert_eq!(small.received(), job());
    }

    #[test]
    fn r07_the_platform_limit_wins_when_smaller() {
        let link = Arc::new(FakeLink::new(517, Some(237), true));
        let report = print(&link, &job()).expect("prints");
        assert_eq!(link.sizes(), vec![237, 237, 237, 237, 52]);
        assert_eq!(link.received(), job());
        assert!(!report.with_response);
        // The limit only binds writes without response; a larger one leaves MTU - 3.
        let roomy = Arc::new(FakeLink::new(185, Some(512), true));
        print(&roomy, &job()).expect("prints");
        assert_eq!(roomy.sizes(), vec![182, 182, 182, 182, 182, 90]);
    }

    #[test]
    fn a_failure_part_way_says_what_was_not_printed() {
        let mut fake = FakeLink::new(185, None, false);
        fake.fail_at = Some(2);
        let link = Arc::new(fake);
        let err = print(&link, &job()).expect_err("the third write fails");
        assert_eq!(
            err,
            BlePrintError::Interrupted {
                sent_bytes: 364,
                total_bytes: 1000,
                writes_done: 2,
                reason: "GATT status 133".into(),
            }
        );
        // Nothing after the failed write was attempted.
        assert_eq!(link.received(), job()[..364].to_vec());
    }

    #[test]
    fn a_refused_first_write_sent_nothing() {
        let mut fake = FakeLink::new(185, None, true);
        fake.fail_at = Some(0);
        let link = Arc::new(fake);
        let err = print(&link, &job()).expect_err("the first write fails");
        assert_eq!(
            err,
            BlePrintError::NotSent {
                reason: "GATT status 133".into()
            }
        );
        assert!(link.received().is_empty());
    }

    #[test]
    fn an_empty_job_is_refused_before_any_write() {
        let link = Arc::new(FakeLink::new(185, None, true));
        assert_eq!(print(&link, &[]), Err(BlePrintError::EmptyJob));
        assert!(link.sizes().is_empty());
    }

    #[test]
    fn a_cancelled_print_stops_before_the_next_write() {
        let link = Arc::new(FakeLink::new(185, None, true));
        let dyn_link: Arc<dyn BlePrinterLink> = link.clone();
        let err = send_blocking(dyn_link, &job(), Arc::new(AtomicBool::new(true)))
            .expect_err("cancelled");
        assert_eq!(
            err,
            BlePrintError::Cancelled {
                sent_bytes: 0,
                total_bytes: 1000
            }
        );
        assert!(link.sizes().is_empty());
    }

    #[test]
    fn the_service_list_is_the_devices_crates() {
        let services = ble_printer_services();
        assert_eq!(services.len(), PRINTER_SERVICES.len());
        assert_eq!(
            services[0],
            BlePrinterService {
                service: "000018f0-0000-1000-8000-00805f9b34fb".into(),
                characteristic: "00002af1-0000-1000-8000-00805f9b34fb".into(),
            }
        );
    }

    #[test]
    fn a_real_receipt_reaches_the_printer_whole_through_the_async_call() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store.db").display().to_string();
        let new = NewStore {
            name: "Toko Uji".into(),
            device_code: "D01".into(),
            sample_catalog: true,
        };
        let kasir = Kasir::open(path, Some(new), None).expect("store opens");
        let register = kasir.new_sale().expect("a sale");
        register.scan("8858652601388".into()).expect("scans");
        register.pay_cash(Some(dec!(20000))).expect("paid");
        let sale = register.complete().expect("completes");
        let bytes = kasir
            .receipt_bytes(sale.receipt_number, "generic-58".into())
            .expect("receipt bytes");
        assert!(bytes.len() > 182, "a receipt spans several writes");

        let link = Arc::new(FakeLink::new(185, Some(150), true));
        let dyn_link: Arc<dyn BlePrinterLink> = link.clone();
        let report = runtime()
            .block_on(print_over_ble(dyn_link, bytes.clone()))
            .expect("prints");
        assert_eq!(link.received(), bytes);
        let sizes = link.sizes();
        assert!(
            sizes[..sizes.len() - 1].iter().all(|&s| s == 150),
            "{sizes:?}"
        );
        assert_eq!(report.bytes, bytes.len() as u64);
        assert_eq!(report.writes as usize, sizes.len());
    }
}
