//! The Rust side of the FFI benchmark: the same register call the apps make, timed without
//! crossing the boundary, so a Kotlin or Swift run can print both in one go.

use std::sync::Arc;
use std::time::Instant;

use crate::error::KasirError;
use crate::kasir::Kasir;

/// Scans `code` `iterations` times on a new sale of `kasir` (starting the sale afresh every
/// 100 scans, as the foreign benchmark does) and returns the nanoseconds taken.
#[uniffi::export]
pub fn rust_scan_benchmark(
    kasir: Arc<Kasir>,
    code: String,
    iterations: u32,
) -> Result<u64, KasirError> {
    let register = kasir.new_sale()?;
    let started = Instant::now();
    for i in 0..iterations {
        if i % 100 == 0 {
            register.clear()?;
        }
        std::hint::black_box(register.scan(code.clone())?);
    }
    Ok(u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX))
}
