//! Kasir's device store: one SQLite file per device holding the catalog, the store's settings,
//! every completed sale and the offline outbox.
//!
//! The file runs in WAL mode with `synchronous=FULL`: a sale that [`Store::commit_sale`]
//! returned is on disk. A sale, its lines, tenders, stock movements and its outbox event are
//! written in one transaction, so a crash at any moment leaves either all of them or none.

pub mod catalog;
pub mod checkout;
pub mod devices;
pub mod erasure;
pub mod error;
pub mod giftcards;
pub mod loyalty;
pub mod outbox;
pub mod qr_payments;
pub mod receipt_links;
pub mod refunds;
pub mod report;
pub mod sales;
mod schema;
pub mod shifts;
pub mod staff;
pub mod sync;
pub mod tips;
mod units;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

pub use error::StoreError;
pub use kasir_domain::settings::{Device, StoreSettings};

const STORE_KEY: &str = "store";
const DEVICE_KEY: &str = "device";

/// An open device store.
pub struct Store {
    conn: Connection,
    settings: Option<StoreSettings>,
    device: Option<Device>,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        Store::with_connection(conn)
    }

    /// A store in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(mut conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrations().to_latest(&mut conn)?;
        let mut store = Store {
            conn,
            settings: None,
            device: None,
        };
        store.settings = store.read_setting(STORE_KEY)?;
        store.device = store.read_setting(DEVICE_KEY)?;
        Ok(store)
    }

    /// Whether the store has its settings and device identity.
    pub fn is_initialised(&self) -> bool {
        self.settings.is_some() && self.device.is_some()
    }

    /// Sets the store up: its settings and this device's identity. Refused when it already is.
    pub fn initialise(
        &mut self,
        settings: StoreSettings,
        device: Device,
    ) -> Result<(), StoreError> {
        settings.validate()?;
        device.validate()?;
        if self.is_initialised() {
            return Err(
                kasir_domain::DomainError::not_allowed("the store is already set up").into(),
            );
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        write_setting(&tx, STORE_KEY, &settings)?;
        write_setting(&tx, DEVICE_KEY, &device)?;
        tx.commit()?;
        tracing::info!(device = %device.code, "store set up");
        self.settings = Some(settings);
        self.device = Some(device);
        Ok(())
    }

    /// Replaces the store's settings. The currency cannot change once the catalog or a sale
    /// holds amounts in it.
    pub fn update_settings(&mut self, new: StoreSettings) -> Result<(), StoreError> {
        new.validate()?;
        let current = self.settings()?;
        if current.currency != new.currency {
            let used: i64 = self.conn.query_row(
                "SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM sales)",
                [],
                |r| r.get(0),
            )?;
            if used > 0 {
                return Err(kasir_domain::DomainError::invalid(
                    "currency",
                    "cannot change once items or sales exist",
                )
                .into());
            }
        }
        for category in self.catalog_tax_categories()? {
            if new.tax.category(&category).is_err() {
                return Err(kasir_domain::DomainError::invalid(
                    "tax categories",
                    format!("items still use `{category}`"),
                )
                .into());
            }
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        write_setting(&tx, STORE_KEY, &new)?;
        tx.commit()?;
        self.settings = Some(new);
        Ok(())
    }

    /// The store's settings.
    pub fn settings(&self) -> Result<&StoreSettings, StoreError> {
        self.settings.as_ref().ok_or(StoreError::NotInitialised)
    }

    /// This device's identity.
    pub fn device(&self) -> Result<&Device, StoreError> {
        self.device.as_ref().ok_or(StoreError::NotInitialised)
    }

    fn read_setting<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| StoreError::Corrupt(format!("setting `{key}`: {e}")))
        })
        .transpose()
    }

    /// The underlying connection, for the crate's own tests and benchmarks.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn write_tx(&mut self) -> Result<Transaction<'_>, StoreError> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

fn write_setting<T: serde::Serialize>(
    tx: &Transaction<'_>,
    key: &str,
    value: &T,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, serde_json::to_string(value)?],
    )?;
    Ok(())
}

/// Takes the next value of a per-device counter inside `tx`.
fn next_counter(tx: &Transaction<'_>, name: &str) -> Result<i64, StoreError> {
    Ok(tx.query_row(
        "UPDATE counters SET value = value + 1 WHERE name = ?1 RETURNING value",
        [name],
        |r| r.get(0),
    )?)
}
