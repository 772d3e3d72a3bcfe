//! The store's detailed error.

use kasir_domain::DomainError;
use thiserror::Error;

use crate::catalog::RowError;

/// Why a store operation failed. A failed operation has changed nothing.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The input was refused by the domain rules.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// SQLite failed (disk full, file locked, corrupt file...).
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A catalog file had bad rows and `skip_invalid` was not given; nothing was imported.
    #[error("{} bad row(s); nothing was imported", .0.len())]
    ImportRejected(Vec<RowError>),
    /// A catalog file could not be read as CSV at all, or lacks a required column.
    #[error("catalog file: {0}")]
    ImportFile(String),
    /// Something looked up does not exist.
    #[error("{what} `{key}` not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// The key used.
        key: String,
    },
    /// The store has not been set up (no store settings or device identity yet).
    #[error("the store is not set up yet")]
    NotInitialised,
    /// Stored data is not what Kasir wrote (edited by hand or damaged).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
