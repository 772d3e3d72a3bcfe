//! Kasir's sync: the wire protocol between devices and the cloud account (shared with
//! `kasir-cloud`), and, with the `client` feature, the device's client and sync worker.

#[cfg(feature = "client")]
pub mod client;
pub mod protocol;
pub mod qr;
#[cfg(feature = "client")]
pub mod worker;
