//! `kasir`: the one library the Android and iOS apps load, and the only place FFI lives.
//!
//! The surface maps one to one to what a register screen does: [`Kasir`] opens a store and
//! answers catalog, sale, report and sync questions; a [`Register`] is the open sale (cart,
//! discounts, tenders) until it is completed; sync runs on a tokio runtime the library owns,
//! either once ([`Kasir::sync_once`]) or in the background behind a [`SyncHandle`]. Platform
//! services are foreign traits the app implements ([`SecureStorage`], [`LogSink`],
//! [`NetworkMonitor`]). Errors cross as one small [`KasirError`].
//!
//! Money crosses as `Decimal` (a decimal string on the wire, `java.math.BigDecimal` in Kotlin,
//! `Foundation.Decimal` in Swift), never as a float; times cross as timestamps. The domain's
//! records derive their FFI types in `kasir-domain` behind its `uniffi` feature; the few
//! records defined here are views of the store's results, which have no FFI feature.

mod apps;
mod bench;
mod ble_print;
mod camera;
mod error;
mod kasir;
mod platform;
mod receipt_link;
mod register;
mod runtime;
mod share;
mod shifts;
mod sync;
#[cfg(test)]
mod test_support;
mod views;

pub use apps::{Category, EnrolmentRequest, SavedPrinter, parse_enrolment};
pub use bench::rust_scan_benchmark;
pub use ble_print::{
    BleLinkError, BlePrintError, BlePrintReport, BlePrinterLink, BlePrinterService,
    ble_printer_services, print_over_ble,
};
pub use camera::{
    CameraFormat, CameraOptions, CameraRead, CameraScanner, FrameRegion, default_camera_options,
};
pub use error::KasirError;
pub use kasir::{Kasir, NewStore};
pub use platform::{
    LogLevel, LogRecord, LogSink, NetworkMonitor, ReachabilityListener, SecureStorage,
    install_log_sink,
};
pub use receipt_link::ReceiptLink;
pub use register::Register;
pub use register::reader::{
    CardReaderLink, CardReaderListener, CardReaderService, PaymentReader, ReaderPrompt,
    SimulatedCard, card_reader_service,
};
pub use share::ReceiptFile;
pub use shifts::{
    CashMove, CashMoveKind, ShiftReport, StaffMember, StaffRole, StaffSignIn, StaffTipTotal,
};
pub use sync::{SyncEvent, SyncHandle, SyncListener, SyncOptions};
pub use views::{
    BestSeller, BillShare, BillSplit, CartView, DayReport, PaymentState, QrisPayment,
    RejectedEvent, SaleSummary, SyncReport, SyncStatus, TaxTotal, TenderTotal, TipOption,
};

uniffi::setup_scaffolding!("kasir");

// `Decimal` is a remote type whose FFI converter lives in `kasir-domain` (with the records that
// hold it); this crate borrows that one definition instead of declaring a second.
use kasir_domain::Decimal;
uniffi::use_remote_type!(kasir_domain::Decimal);

/// The version of the `kasir` library, for an app's about screen and for bug reports.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
