//! Kasir's devices: how bytes reach printers, how print jobs are kept until they are on
//! paper, and how card readers take payments.
//!
//! - [`transport`]: the byte transport trait, printer targets, the file sink; [`tcp`] for
//!   network printers; [`ble`] for Bluetooth LE printers over a [`ble::BleLink`] (real over
//!   `btleplug`, or the simulated peripherals in [`ble::sim`]).
//! - [`status`]: `DLE EOT` status answers; paper out and cover open as typed errors.
//! - [`queue`]: the persisted print queue (jobs live in the device store).
//! - [`reader`]: the card-reader protocol layer, its BER-TLV parser, the reference vendor
//!   adapter with its simulated reader, and the offline (store and forward) limits.
//!
//! This crate moves bytes; it does not lay out receipts or know ESC/POS beyond `DLE EOT`.

pub mod ble;
mod error;
pub mod queue;
pub mod reader;
pub mod status;
pub mod tcp;
pub mod transport;

pub use error::DeviceError;
pub use transport::{Target, Transport};
