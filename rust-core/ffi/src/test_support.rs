//! What the FFI crate's unit tests share: a store opened through [`Kasir::open`] as an app
//! opens it.

use std::sync::Arc;

use crate::kasir::{Kasir, NewStore};

/// "100% coco" in the sample catalog, Rp 11.500.
pub(crate) const COCO: &str = "8858652601388";

/// A new store named `name` in `dir`, with the sample catalog or none.
pub(crate) fn open_store(dir: &tempfile::TempDir, name: &str, sample_catalog: bool) -> Arc<Kasir> {
    let new = NewStore {
        name: name.into(),
        device_code: "D01".into(),
        sample_catalog,
    };
    let path = dir.path().join("store.db").display().to_string();
    Kasir::open(path, Some(new), None).expect("store opens")
}

/// A new store with the sample catalog in `dir`.
pub(crate) fn kasir(dir: &tempfile::TempDir) -> Arc<Kasir> {
    open_store(dir, "Toko Uji", true)
}
