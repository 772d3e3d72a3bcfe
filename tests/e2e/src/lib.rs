//! End-to-end test support for Kasir: real `kasir-cloud` and `kasir` processes, and a
//! fault-injecting proxy between them.

pub mod harness;
pub mod proxy;
