//! The devices' detailed error.

use std::time::Duration;

use thiserror::Error;

/// Why talking to a printer or a card reader failed.
#[derive(Debug, Error)]
pub enum DeviceError {
    /// A printer target could not be read (`tcp:HOST:PORT`, `file:PATH`, `ble:ADDRESS`, `sim:`).
    #[error("printer target `{target}`: {reason}")]
    BadTarget {
        /// The target as given.
        target: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The device could not be reached; nothing was sent.
    #[error("cannot connect to {target}: {reason}")]
    Connect {
        /// The device.
        target: String,
        /// Why.
        reason: String,
    },
    /// The device did not answer in time.
    #[error("{target} did not answer within {} ms while {during}", .after.as_millis())]
    Timeout {
        /// The device.
        target: String,
        /// What Kasir was doing.
        during: &'static str,
        /// How long Kasir waited.
        after: Duration,
    },
    /// The connection broke while a job was being sent. When `sent` is more than zero the
    /// printer may have printed part of the job, all of it, or nothing: the job is uncertain.
    #[error("connection to {target} broke after {sent} of {total} bytes: {reason}")]
    Interrupted {
        /// The device.
        target: String,
        /// Bytes handed to the link before it broke.
        sent: usize,
        /// Bytes in the job.
        total: usize,
        /// Why.
        reason: String,
    },
    /// The printer reports that it is out of paper.
    #[error("the printer is out of paper")]
    PaperOut,
    /// The printer reports that its cover is open.
    #[error("the printer's cover is open")]
    CoverOpen,
    /// The printer reports an error it cannot recover from by itself (cutter jam, head heat).
    #[error("the printer reports an error: {0}")]
    PrinterFault(String),
    /// A Bluetooth LE operation failed.
    #[error("Bluetooth: {0}")]
    Bluetooth(String),
    /// This machine has no Bluetooth adapter Kasir can use.
    #[error("no Bluetooth adapter: {0}")]
    NoAdapter(String),
    /// The peripheral has no characteristic Kasir can write a job to.
    #[error("{0} has no writable characteristic in a known printer or reader service")]
    NoWriteCharacteristic(String),
    /// A file sink could not be written.
    #[error("file {path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The card reader broke its protocol or refused a command.
    #[error("card reader: {0}")]
    Reader(String),
    /// A request was refused before anything was sent (which field, why).
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The device store failed.
    #[error(transparent)]
    Store(#[from] kasir_store::StoreError),
}

impl DeviceError {
    /// Whether the failure leaves a job's outcome unknown (some bytes may have been printed).
    pub fn is_uncertain(&self) -> bool {
        matches!(self, DeviceError::Interrupted { sent, .. } if *sent > 0)
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> DeviceError {
        DeviceError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}
