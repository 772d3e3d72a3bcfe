//! The catalog: import from CSV, lookup by scanned code or SKU, and name search.

use std::collections::HashMap;
use std::io::Read;

use kasir_domain::DomainError;
use kasir_domain::catalog::{Item, ItemInput, Unit};
use kasir_domain::gtin::Gtin;
use kasir_domain::money::Currency;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use crate::units::{from_milli, from_minor, to_milli, to_minor};
use crate::{Store, StoreError};

/// The columns a catalog file must have.
pub const REQUIRED_COLUMNS: [&str; 5] = ["gtin", "name", "price", "tax_category", "unit"];
/// The columns a catalog file may have besides the required ones.
pub const OPTIONAL_COLUMNS: [&str; 3] = ["sku", "category", "stock"];

/// A row of a catalog file that was refused, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    /// The GTIN as written in the row, to find it again.
    pub gtin: String,
    /// Each fault, as `field: reason`.
    pub reasons: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Rows read (not counting the header).
    pub rows: u64,
    /// Items that were new.
    pub added: u64,
    /// Items that existed and were updated.
    pub updated: u64,
    /// Rows refused (only with `skip_invalid`; otherwise the import fails).
    pub rejected: Vec<RowError>,
    /// Header columns Kasir does not know, which were ignored.
    pub ignored_columns: Vec<String>,
}

/// Progress of an import: bytes of the file read so far.
pub type Progress<'a> = &'a mut dyn FnMut(u64);

const ITEM_COLUMNS: &str =
    "gtin, sku, name, price_minor, tax_category, unit, category, stock_milli";

fn item_from_row(row: &Row<'_>, currency: Currency) -> rusqlite::Result<Item> {
    let gtin: String = row.get(0)?;
    let unit: String = row.get(5)?;
    Ok(Item {
        gtin: Gtin::parse(&gtin).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?,
        sku: row.get(1)?,
        name: row.get(2)?,
        price: from_minor(row.get(3)?, currency),
        tax_category: row.get(4)?,
        unit: Unit::parse(&unit).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
        })?,
        category: row.get(6)?,
        stock: from_milli(row.get(7)?),
    })
}

impl Store {
    /// Imports a catalog from CSV (a header row naming at least [`REQUIRED_COLUMNS`]).
    ///
    /// Every row is checked; a bad row is reported with its line number and every reason.
    /// Without `skip_invalid` one bad row fails the whole import and nothing is written; with
    /// it, the good rows are imported and the bad ones listed. Items are updated by GTIN; an
    /// empty or missing stock keeps an existing item's stock.
    pub fn import_catalog(
        &mut self,
        source: impl Read,
        skip_invalid: bool,
        progress: Progress<'_>,
    ) -> Result<ImportReport, StoreError> {
        let settings = self.settings()?.clone();
        let currency = settings.currency;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(source);

        let headers = reader
            .headers()
            .map_err(|e| StoreError::ImportFile(e.to_string()))?
            .clone();
        let position = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let missing: Vec<&str> = REQUIRED_COLUMNS
            .iter()
            .copied()
            .filter(|c| position(c).is_none())
            .collect();
        if !missing.is_empty()
            && headers.len() == 1
            && headers.get(0).is_some_and(|h| h.contains(';'))
        {
            return Err(StoreError::ImportFile(
                "the header has one column with `;` in it: the file uses semicolons; save it as \
                 comma-separated CSV"
                    .into(),
            ));
        }
        if !missing.is_empty() {
            return Err(StoreError::ImportFile(format!(
                "the header lacks column(s) {}; it needs {}",
                missing.join(", "),
                REQUIRED_COLUMNS.join(", ")
            )));
        }
        let unknown: Vec<String> = headers
            .iter()
            .filter(|h| {
                let h = h.trim().to_ascii_lowercase();
                !REQUIRED_COLUMNS.contains(&h.as_str()) && !OPTIONAL_COLUMNS.contains(&h.as_str())
            })
            .map(|h| h.trim().to_string())
            .collect();
        // An optional column that is absent leaves existing items' values alone; one that is
        // present sets them (an empty cell clears a SKU or category, or keeps the stock).
        let (has_sku, has_category) = (position("sku").is_some(), position("category").is_some());
        let column = |name: &str| position(name).unwrap_or(usize::MAX);
        let (c_gtin, c_sku, c_name, c_price) = (
            column("gtin"),
            column("sku"),
            column("name"),
            column("price"),
        );
        let (c_tax, c_unit, c_category, c_stock) = (
            column("tax_category"),
            column("unit"),
            column("category"),
            column("stock"),
        );

        let now = jiff::Timestamp::now().to_string();
        let mut report = ImportReport {
            ignored_columns: unknown,
            ..ImportReport::default()
        };
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut seen_skus: HashMap<String, (u64, String)> = HashMap::new();
        let tx = self.write_tx()?;
        {
            let mut exists = tx.prepare("SELECT 1 FROM items WHERE gtin = ?1")?;
            let mut sku_owner = tx.prepare(
                "SELECT gtin FROM items WHERE sku = ?1 COLLATE NOCASE AND gtin <> ?2 LIMIT 1",
            )?;
            let mut insert = tx.prepare(
                "INSERT INTO items (gtin, sku, name, price_minor, tax_category, unit, category, stock_milli, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, 0), ?9)
                 ON CONFLICT (gtin) DO UPDATE SET
                    sku = CASE WHEN ?10 THEN excluded.sku ELSE items.sku END,
                    name = excluded.name, price_minor = excluded.price_minor,
                    tax_category = excluded.tax_category, unit = excluded.unit,
                    category = CASE WHEN ?11 THEN excluded.category ELSE items.category END,
                    stock_milli = coalesce(?8, items.stock_milli), updated_at = excluded.updated_at",
            )?;

            let mut record = csv::StringRecord::new();
            loop {
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line());
                        report.rows += 1;
                        report.rejected.push(RowError {
                            line,
                            gtin: String::new(),
                            reasons: vec![e.to_string()],
                        });
                        continue;
                    }
                }
                report.rows += 1;
                let line = record.position().map_or(0, |p| p.line());
                progress(record.position().map_or(0, |p| p.byte()));
                let cell = |i: usize| record.get(i).unwrap_or("");
                let input = ItemInput {
                    gtin: cell(c_gtin),
                    sku: cell(c_sku),
                    name: cell(c_name),
                    price: cell(c_price),
                    tax_category: cell(c_tax),
                    unit: cell(c_unit),
                    category: cell(c_category),
                    stock: cell(c_stock),
                };
                let mut reasons: Vec<String> = Vec::new();
                let item = match input.validate(currency, |c| settings.tax.category(c).is_ok()) {
                    Ok(item) => Some(item),
                    Err(errors) => {
                        reasons.extend(errors.iter().map(ToString::to_string));
                        None
                    }
                };
                if let Some(item) = &item
                    && let Some(first) = seen.insert(item.gtin.as_str().to_string(), line)
                {
                    reasons.push(format!(
                        "gtin: {} repeats line {first}",
                        item.gtin.short_form()
                    ));
                }
                if let Some(item) = &item
                    && let Some(sku) = &item.sku
                {
                    let key = sku.to_lowercase();
                    match seen_skus.get(&key) {
                        Some((first, gtin)) if gtin != item.gtin.as_str() => {
                            reasons.push(format!("sku: {sku} is also on line {first}"));
                        }
                        _ => {
                            seen_skus.insert(key, (line, item.gtin.as_str().to_string()));
                        }
                    }
                    let owner: Option<String> = sku_owner
                        .query_row(params![sku, item.gtin.as_str()], |r| r.get(0))
                        .optional()?;
                    if let Some(owner) = owner
                        && !seen.contains_key(&owner)
                    {
                        reasons.push(format!(
                            "sku: {sku} already belongs to product {}",
                            &owner[owner.len() - 13..]
                        ));
                    }
                }
                let item = match item {
                    Some(item) if reasons.is_empty() => item,
                    _ => {
                        report.rejected.push(RowError {
                            line,
                            gtin: input.gtin.to_string(),
                            reasons,
                        });
                        continue;
                    }
                };

                let stock = if input.stock.trim().is_empty() {
                    None
                } else {
                    Some(to_milli(item.stock)?)
                };
                let existed = exists.exists([item.gtin.as_str()])?;
                insert.execute(params![
                    item.gtin.as_str(),
                    item.sku,
                    item.name,
                    to_minor(item.price, currency)?,
                    item.tax_category,
                    item.unit.name(),
                    item.category,
                    stock,
                    now,
                    has_sku,
                    has_category,
                ])?;
                if existed {
                    report.updated += 1;
                } else {
                    report.added += 1;
                }
            }
        }
        if !report.rejected.is_empty() && !skip_invalid {
            // Dropping the transaction rolls every row back.
            drop(tx);
            return Err(StoreError::ImportRejected(report.rejected));
        }
        tx.commit()?;
        tracing::info!(
            added = report.added,
            updated = report.updated,
            rejected = report.rejected.len(),
            "catalog imported"
        );
        Ok(report)
    }

    /// The item stored under `gtin`.
    pub fn item(&self, gtin: &Gtin) -> Result<Option<Item>, StoreError> {
        let currency = self.settings()?.currency;
        // Cached: a scan is the register's most frequent lookup, and preparing the statement
        // costs more than running it.
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT {ITEM_COLUMNS} FROM items WHERE gtin = ?1"))?;
        Ok(statement
            .query_row([gtin.as_str()], |r| item_from_row(r, currency))
            .optional()?)
    }

    /// Finds the item for a scanned or typed code: a GTIN in any of its forms (EAN-8, UPC-E,
    /// UPC-A, EAN-13, GTIN-14), or else the merchant's SKU.
    pub fn find_item(&self, code: &str) -> Result<Item, StoreError> {
        let code = code.trim();
        let digits = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        if digits && matches!(code.len(), 8 | 12 | 13 | 14) {
            match Gtin::candidates(code) {
                Ok(candidates) => {
                    for gtin in candidates {
                        if let Some(item) = self.item(&gtin)? {
                            return Ok(item);
                        }
                    }
                }
                Err(e) => {
                    // A bad check digit is worth saying, unless the code is a SKU.
                    if self.item_by_sku(code)?.is_none() {
                        return Err(e.into());
                    }
                }
            }
        }
        match self.item_by_sku(code)? {
            Some(item) => Ok(item),
            None => Err(StoreError::NotFound {
                what: "product",
                key: code.to_string(),
            }),
        }
    }

    fn item_by_sku(&self, sku: &str) -> Result<Option<Item>, StoreError> {
        let currency = self.settings()?.currency;
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {ITEM_COLUMNS} FROM items WHERE sku = ?1 COLLATE NOCASE LIMIT 1"),
                [sku],
                |r| item_from_row(r, currency),
            )
            .optional()?)
    }

    /// Items whose name, SKU or category match every word of `text` (each word as a prefix,
    /// accents ignored), best first, at most `limit`.
    pub fn search_items(&self, text: &str, limit: usize) -> Result<Vec<Item>, StoreError> {
        let currency = self.settings()?.currency;
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\"*"))
            .collect();
        if words.is_empty() {
            return Err(DomainError::invalid("search", "give at least one word or number").into());
        }
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {} FROM items_fts JOIN items i ON i.id = items_fts.rowid
             WHERE items_fts MATCH ?1 ORDER BY rank, i.name LIMIT ?2",
            item_columns_of("i")
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement.query_map(params![words.join(" "), limit], |r| {
            item_from_row(r, currency)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The catalog's categories, by name, with how many items each holds (the register's grid).
    pub fn categories(&self) -> Result<Vec<(String, u32)>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT category, count(*) FROM items
             WHERE category IS NOT NULL AND category <> ''
             GROUP BY category ORDER BY category COLLATE NOCASE",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The items of `category`, by name, at most `limit`.
    pub fn category_items(&self, category: &str, limit: usize) -> Result<Vec<Item>, StoreError> {
        let currency = self.settings()?.currency;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS} FROM items WHERE category = ?1
             ORDER BY name COLLATE NOCASE, gtin LIMIT ?2"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement.query_map(params![category, limit], |r| item_from_row(r, currency))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The items in the most sales on this device (most recently sold first among equals), at
    /// most `limit`: the register's favourites. Empty before the first sale.
    pub fn favourite_items(&self, limit: usize) -> Result<Vec<Item>, StoreError> {
        let currency = self.settings()?.currency;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {} FROM items i JOIN (
                SELECT l.gtin, count(DISTINCT l.sale_id) AS sales, max(s.receipt_seq) AS last
                FROM sale_lines l JOIN sales s ON s.id = l.sale_id GROUP BY l.gtin
             ) f ON f.gtin = i.gtin
             ORDER BY f.sales DESC, f.last DESC, i.gtin LIMIT ?1",
            item_columns_of("i")
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement.query_map([limit], |r| item_from_row(r, currency))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many items the catalog has.
    pub fn item_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))?)
    }

    /// The tax categories the catalog uses.
    pub(crate) fn catalog_tax_categories(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT DISTINCT tax_category FROM items")?;
        let rows = statement.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// [`ITEM_COLUMNS`] of the table called `alias` in a join.
fn item_columns_of(alias: &str) -> String {
    ITEM_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
