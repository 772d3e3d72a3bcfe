//! Kasir's domain: money, catalog items, carts, tax, discounts, charges, tenders and the
//! totals of a sale.
//!
//! Everything here is a pure function of its inputs: no I/O, no clock, no threads. Ids and
//! timestamps are passed in by the caller, so the same sale always computes the same totals.

pub mod cart;
pub mod catalog;
pub mod emvqr;
pub mod error;
#[cfg(feature = "uniffi")]
mod ffi_types;
pub mod giftcard;
pub mod gtin;
pub mod loyalty;
pub mod money;
pub mod payment;
pub mod receipt_link;
pub mod refund;
pub mod rounding;
pub mod sale;
pub mod settings;
pub mod split;
pub mod tax;

pub use error::DomainError;
pub use rust_decimal::Decimal;

// The domain is a uniffi component of its own when the `kasir` library is built, so that its
// records cross the boundary as they are instead of being mirrored in the FFI crate.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("kasir_domain");
