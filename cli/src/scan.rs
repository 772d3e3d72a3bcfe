//! `kasir scan IMAGE...` and the scan path the register shares with it.
//!
//! Image files are decoded through the same camera-frame path the apps use
//! (`kasir_scan::FrameDecoder`), then every read, like every code typed or sent by a scanner at
//! the register, goes through `kasir_scan::Scanner` against the store's catalog. Scale-label
//! layouts and the expired-goods policy come from a JSON file given with `--scan-rules` (or
//! `KASIR_SCAN_RULES`):
//!
//! ```json
//! {"scale_rules": [{"layout": "21IIIIIWWWWWC", "decimals": 3}], "block_expired": true}
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kasir_domain::catalog::Item;
use kasir_domain::gtin::Gtin;
use kasir_scan::frame::{DecodeOptions, Format, FrameDecoder};
use kasir_scan::{Catalog, Read, ScanResult, ScanSettings, Scanner, image_file};
use kasir_store::{Store, StoreError};
use serde::Serialize;

use crate::app::CliError;
use crate::view::money;

/// Arguments of `kasir scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Image files (PNG or JPEG) to decode.
    #[arg(required = true, num_args = 1..)]
    pub images: Vec<PathBuf>,
    /// Scale-label rules and scanning policy (JSON); see the README's Scanning section.
    #[arg(long, env = "KASIR_SCAN_RULES", value_name = "FILE")]
    pub scan_rules: Option<PathBuf>,
}

/// The store's catalog as the scanner sees it.
pub struct StoreCatalog<'a>(pub &'a Store);

impl Catalog for StoreCatalog<'_> {
    type Error = StoreError;

    fn item(&self, gtin: &Gtin) -> Result<Option<Item>, StoreError> {
        self.0.item(gtin)
    }

    fn item_by_sku(&self, code: &str) -> Result<Option<Item>, StoreError> {
        match self.0.find_item(code) {
            Ok(item) => Ok(Some(item)),
            // Not found, or digits that are neither a valid GTIN nor a SKU.
            Err(StoreError::NotFound { .. } | StoreError::Domain(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The scanner for `store`, with the rules file if one is given.
pub fn scanner(store: &Store, rules: Option<&Path>) -> Result<Scanner, CliError> {
    let settings = match rules {
        None => ScanSettings::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Usage(format!("scan rules {}: {e}", path.display())))?;
            serde_json::from_str(&text)
                .map_err(|e| CliError::Usage(format!("scan rules {}: {e}", path.display())))?
        }
    };
    let currency = store.settings()?.currency;
    Scanner::new(settings, currency).map_err(|e| CliError::Usage(e.to_string()))
}

/// Today in the store's time zone: the date expiry dates are judged by.
pub fn today(store: &Store) -> Result<jiff::civil::Date, CliError> {
    let zone = store.settings()?.time_zone()?;
    Ok(jiff::Timestamp::now().to_zoned_datetime(zone).date())
}

/// What the register would do, in words.
pub fn describe(store: &Store, result: &ScanResult) -> Result<String, CliError> {
    let settings = store.settings()?;
    Ok(match result {
        ScanResult::AddProduct(add) => {
            let mut text = format!(
                "add {} x {} @ {}",
                add.quantity,
                add.item.name,
                money(settings, add.unit_price)
            );
            if let Some(weight) = add.weight {
                text.push_str(&format!(", {weight} kg"));
            }
            if let Some(price) = add.label_price {
                text.push_str(&format!(", label price {}", money(settings, price)));
            }
            if let Some(batch) = &add.batch {
                text.push_str(&format!(", batch {batch}"));
            }
            if let Some(expiry) = add.expiry {
                text.push_str(&format!(", expires {expiry}"));
            }
            text
        }
        ScanResult::OpenGiftCard { number } => format!("open gift card {number}"),
        ScanResult::LookUpCustomer { member } => format!("look up member {member}"),
        ScanResult::ShowReceipt { number } => format!("show receipt {number}"),
        ScanResult::Rejected(reason) => format!("refused: {reason}"),
    })
}

#[derive(Serialize)]
struct ImageOutcome<'a> {
    file: String,
    read: Option<&'a Read>,
    result: Option<&'a ScanResult>,
}

/// `kasir scan IMAGE...`: decodes each image and prints what the register would do. Fails when
/// an image cannot be read; an image without a readable barcode is reported, not an error.
pub fn run(store: &Store, args: &ScanArgs, json: bool) -> Result<ExitCode, CliError> {
    let scanner = scanner(store, args.scan_rules.as_deref())?;
    let decoder = FrameDecoder::new(DecodeOptions {
        formats: Format::ALL.to_vec(),
        try_harder: true,
        downscale: 1,
    })
    .map_err(|e| CliError::Usage(e.to_string()))?;
    let today = today(store)?;
    let catalog = StoreCatalog(store);
    let mut failed = false;
    for path in &args.images {
        let file = path.display().to_string();
        let image = match image_file::read(path) {
            Ok(image) => image,
            Err(e) => {
                eprintln!("kasir: {e}");
                failed = true;
                continue;
            }
        };
        let read = decoder
            .decode(&image.frame())
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let result = match &read {
            Some(read) => Some(scanner.decide(read, &catalog, today)?),
            None => None,
        };
        if json {
            let outcome = ImageOutcome {
                file,
                read: read.as_ref(),
                result: result.as_ref(),
            };
            println!(
                "{}",
                serde_json::to_string(&outcome).map_err(std::io::Error::other)?
            );
            continue;
        }
        match (&read, &result) {
            (Some(read), Some(result)) => println!(
                "{file}: {} {} -> {}",
                read.symbology.name(),
                read.text.escape_debug(),
                describe(store, result)?
            ),
            _ => println!("{file}: no barcode found"),
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
