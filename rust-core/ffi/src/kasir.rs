//! The `Kasir` object: one open store, and everything a register asks of it outside the open
//! sale (catalog, past sales, reports, sync).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use kasir_domain::catalog::Item;
use kasir_domain::sale::Sale;
use kasir_escpos::{PrinterProfile, ReceiptOptions};
use kasir_store::{Device, Store, StoreSettings};

use crate::error::KasirError;
use crate::platform::{NetworkMonitor, SecureStorage};
use crate::register::Register;
use crate::runtime;
use crate::sync::{self, SyncHandle, SyncListener, SyncOptions};
use crate::views::{DayReport, SaleSummary, SyncReport, SyncStatus};

/// The sample catalog shipped in the repository (Open Food Facts, ODbL; synthetic prices).
const SAMPLE_CATALOG: &str = include_str!("../../../data/catalog/sample-catalog.csv");

/// How to set up a store that does not exist yet.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewStore {
    /// The store's name, printed at the top of receipts.
    pub name: String,
    /// This device's code, the prefix of its receipt numbers (`D01`): 2 to 8 letters or digits.
    pub device_code: String,
    /// Whether to load the sample catalog (about 900 grocery products with example prices).
    pub sample_catalog: bool,
}

/// What the register, sync and reports share: the store file and the platform services.
pub(crate) struct Shared {
    /// The store file, which background sync opens a connection of its own to.
    pub path: PathBuf,
    /// The register's connection.
    store: Mutex<Store>,
    /// Where the device token is kept, when the app provides it.
    pub secure_storage: Option<Arc<dyn SecureStorage>>,
}

impl Shared {
    /// The register's connection, for one short operation.
    pub fn store(&self) -> Result<MutexGuard<'_, Store>, KasirError> {
        self.store.lock().map_err(|_| KasirError::Internal {
            reason: "an earlier call panicked while using the store".into(),
        })
    }
}

/// An open store: the entry point of the library.
#[derive(uniffi::Object)]
pub struct Kasir {
    pub(crate) shared: Arc<Shared>,
}

fn open_store(path: &Path) -> Result<Store, KasirError> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| KasirError::Storage {
            reason: format!("{}: {e}", parent.display()),
        })?;
    }
    Ok(Store::open(path)?)
}

fn set_up(store: &mut Store, new: &NewStore) -> Result<(), KasirError> {
    let settings = StoreSettings::indonesian_shop(&new.name);
    store.initialise(
        settings,
        Device::new(uuid::Uuid::now_v7(), &new.device_code)?,
    )?;
    if new.sample_catalog {
        store.import_catalog(SAMPLE_CATALOG.as_bytes(), false, &mut |_| {})?;
    }
    tracing::info!(items = store.item_count()?, "new store set up");
    Ok(())
}

fn parse_date(field: &str, text: &str) -> Result<jiff::civil::Date, KasirError> {
    text.trim()
        .parse()
        .map_err(|_| KasirError::invalid(field, format!("`{text}` is not a date like 2026-12-03")))
}

impl Kasir {
    fn today(&self) -> Result<jiff::civil::Date, KasirError> {
        let zone = self.shared.store()?.settings()?.time_zone()?;
        Ok(jiff::Timestamp::now().to_zoned_datetime(zone).date())
    }
}

#[uniffi::export]
impl Kasir {
    /// Opens the store file at `path`. A file that is not set up yet is set up from `create`
    /// (an Indonesian shop, optionally with the sample catalog); without `create` it is refused.
    /// `secure_storage` keeps the device token once the device enrols (Android Keystore, iOS
    /// Keychain); without it the token stays in the store file.
    #[uniffi::constructor]
    pub fn open(
        path: String,
        create: Option<NewStore>,
        secure_storage: Option<Arc<dyn SecureStorage>>,
    ) -> Result<Arc<Kasir>, KasirError> {
        let path = PathBuf::from(path);
        let mut store = open_store(&path)?;
        if !store.is_initialised() {
            match &create {
                Some(new) => set_up(&mut store, new)?,
                None => {
                    return Err(KasirError::NotAllowed {
                        reason: format!(
                            "{} is not set up yet: open it with the new store's details",
                            path.display()
                        ),
                    });
                }
            }
        }
        Ok(Arc::new(Kasir {
            shared: Arc::new(Shared {
                path,
                store: Mutex::new(store),
                secure_storage,
            }),
        }))
    }

    /// The store's settings (name, currency, tax rules, cash rounding...).
    pub fn settings(&self) -> Result<StoreSettings, KasirError> {
        Ok(self.shared.store()?.settings()?.clone())
    }

    /// This device's identity.
    pub fn device(&self) -> Result<Device, KasirError> {
        Ok(self.shared.store()?.device()?.clone())
    }

    /// The item for a scanned or typed code: a GTIN in any form (EAN-8, UPC-E, UPC-A, EAN-13,
    /// GTIN-14) or the merchant's SKU. A malformed GTIN is `InvalidInput` naming `gtin`; a
    /// well-formed code that is not in the catalog is `NotFound`.
    pub fn find_item(&self, code: String) -> Result<Item, KasirError> {
        Ok(self.shared.store()?.find_item(&code)?)
    }

    /// Items whose name, SKU or category match `text`, best first, at most `limit`.
    pub fn search_items(&self, text: String, limit: u32) -> Result<Vec<Item>, KasirError> {
        Ok(self.shared.store()?.search_items(&text, limit as usize)?)
    }

    /// How many items the catalog holds.
    pub fn item_count(&self) -> Result<u64, KasirError> {
        Ok(self.shared.store()?.item_count()?)
    }

    /// Starts a new sale on the register.
    pub fn new_sale(&self) -> Result<Arc<Register>, KasirError> {
        Ok(Arc::new(Register::new(self.shared.clone())?))
    }

    /// A completed sale by its receipt number (`D01-000042`).
    pub fn sale(&self, receipt_number: String) -> Result<Sale, KasirError> {
        Ok(self.shared.store()?.sale_by_receipt(&receipt_number)?)
    }

    /// The receipt of a completed sale as plain text, `columns` characters wide (the width of
    /// the default 58 mm printer without one): for the screen, a share sheet or an email.
    pub fn receipt_text(
        &self,
        receipt_number: String,
        columns: Option<u16>,
    ) -> Result<String, KasirError> {
        let store = self.shared.store()?;
        let sale = store.sale_by_receipt(&receipt_number)?;
        let options = receipt_options(
            &store,
            &sale,
            ReceiptOptions {
                columns,
                ..ReceiptOptions::default()
            },
        )?;
        Ok(kasir_escpos::receipt_text(
            &sale,
            store.settings()?,
            &options,
            &PrinterProfile::generic(),
        )?)
    }

    /// The receipt of a completed sale as ESC/POS bytes for the built-in printer profile
    /// `printer_profile` (see [`Kasir::printer_profiles`]), cut at the end, for the app to send
    /// to its printer.
    pub fn receipt_bytes(
        &self,
        receipt_number: String,
        printer_profile: String,
    ) -> Result<Vec<u8>, KasirError> {
        let profile = PrinterProfile::by_name(&printer_profile)?;
        let store = self.shared.store()?;
        let sale = store.sale_by_receipt(&receipt_number)?;
        let options = receipt_options(&store, &sale, ReceiptOptions::printed())?;
        Ok(kasir_escpos::receipt_bytes(
            &sale,
            store.settings()?,
            &options,
            &profile,
        )?)
    }

    /// The names of the built-in printer profiles (`generic-58`, `generic-80`...).
    pub fn printer_profiles(&self) -> Vec<String> {
        PrinterProfile::built_in()
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    /// The sales of business day `date` (`2026-12-03`), or of every day without one.
    pub fn sales(&self, date: Option<String>) -> Result<Vec<SaleSummary>, KasirError> {
        let date = date.map(|d| parse_date("date", &d)).transpose()?;
        let sales = self.shared.store()?.list_sales(date)?;
        sales
            .into_iter()
            .map(|s| {
                let completed_at = crate::views::timestamp(Some(s.completed_at.clone()))
                    .ok_or_else(|| KasirError::Storage {
                        reason: format!("sale {} has a damaged time", s.receipt_number),
                    })?;
                Ok(SaleSummary {
                    receipt_number: s.receipt_number,
                    id: s.id,
                    completed_at,
                    business_date: s.business_date,
                    lines: s.lines,
                    total: s.total,
                })
            })
            .collect()
    }

    /// The report of business day `date` (`2026-12-03`), or of today in the store's time zone.
    pub fn day_report(&self, date: Option<String>) -> Result<DayReport, KasirError> {
        let date = match date {
            Some(d) => parse_date("date", &d)?,
            None => self.today()?,
        };
        Ok(self.shared.store()?.day_report(date)?.into())
    }

    /// What the sync screen shows: enrolment, events waiting, last success and error.
    pub fn sync_status(&self) -> Result<SyncStatus, KasirError> {
        Ok(self.shared.store()?.sync_status()?.into())
    }
}

#[uniffi::export]
impl Kasir {
    /// Enrols this device with a cloud account: trades the owner's one-time `code` for a
    /// device token at `server_url`, then fetches the cloud's catalog and settings. The token
    /// goes to the secure storage when the app gave one. Returns each setting the cloud's
    /// changed (old -> new), for the app to show: the cloud's value wins where it has one, the
    /// device keeps its own where the cloud has none. Refused when the device is already
    /// enrolled.
    pub async fn enrol(
        &self,
        server_url: String,
        code: String,
    ) -> Result<Vec<kasir_domain::settings::SettingChange>, KasirError> {
        let shared = self.shared.clone();
        runtime::run(async move { sync::enrol(&shared, &server_url, &code).await }).await
    }

    /// Sends every sale waiting in the outbox and applies the cloud's changes, once. Dropping
    /// the call (cancelling the coroutine or task) stops it; what was delivered stays so.
    pub async fn sync_once(&self) -> Result<SyncReport, KasirError> {
        let shared = self.shared.clone();
        runtime::run(async move { sync::sync_once(&shared, &SyncOptions::default()).await }).await
    }

    /// Starts syncing in the background: now, then every `options.interval_secs`, sooner when
    /// `monitor` reports the network is back, with a growing delay after failures. Every
    /// outcome goes to `listener`. Runs until the returned handle is cancelled.
    pub fn start_sync(
        &self,
        options: SyncOptions,
        listener: Arc<dyn SyncListener>,
        monitor: Option<Arc<dyn NetworkMonitor>>,
    ) -> Result<Arc<SyncHandle>, KasirError> {
        sync::start(self.shared.clone(), options, listener, monitor)
    }
}

/// `base` for stored `sale`: with the QR tenders no provider verified yet, so every receipt
/// of it (text, printed, picture, PDF) marks them alike.
pub(crate) fn receipt_options(
    store: &kasir_store::Store,
    sale: &kasir_domain::sale::Sale,
    base: ReceiptOptions,
) -> Result<ReceiptOptions, KasirError> {
    Ok(ReceiptOptions {
        unverified_tenders: store.unverified_tender_numbers(&sale.id.to_string())?,
        ..base
    })
}
