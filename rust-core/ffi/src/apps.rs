//! What the register apps' screens ask of the store beyond the open sale: amounts formatted
//! and parsed in the store's currency, the quick amounts of the cash keypad, the category grid
//! and the favourites, the saved printers, settings changes and the enrolment code.
//!
//! These are here, not in the apps, so that Android and iOS show the same amounts and refuse
//! the same input with the same words: a screen only lays out what these return.

use kasir_domain::Decimal;
use kasir_domain::cart::Discount;
use kasir_domain::catalog::Item;
use kasir_domain::money::{Currency, Locale};
use kasir_domain::rounding::{self, Rounding};
use kasir_escpos::PrinterProfile;
use kasir_store::StoreSettings;
use kasir_store::devices::Printer;
use kasir_sync::protocol::{
    ENROLMENT_CODE_ALPHABET, ENROLMENT_CODE_CHARS, normalise_enrolment_code,
};

use crate::error::KasirError;
use crate::kasir::Kasir;

/// A category of the register's grid.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Category {
    /// The category's name, as in the catalog.
    pub name: String,
    /// How many items it holds.
    pub items: u32,
}

/// A printer saved on this device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SavedPrinter {
    /// The name the clerk gave it (`kasir`, `dapur`).
    pub name: String,
    /// Where it is: a Bluetooth address, a network address, a device path.
    pub target: String,
    /// The built-in printer profile it prints with (see `Kasir::printer_profiles`).
    pub profile: String,
}

/// A device's enrolment, read from a scanned QR code or a typed code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnrolmentRequest {
    /// The cloud server, without a trailing `/`.
    pub server_url: String,
    /// The one-time code in its canonical form (`ABCD-EFGH-JKMN-PQRS`).
    pub code: String,
}

/// The banknotes the cash keypad offers as quick amounts, smallest first. Rupiah from Rp 2.000
/// (smaller amounts are paid in coins and the Rp 1.000 note, which no one hands over to save
/// counting) to Rp 100.000.
fn notes(currency: Currency) -> Vec<Decimal> {
    let whole = |values: &[i64]| values.iter().map(|v| Decimal::new(*v, 0)).collect();
    match currency.code() {
        "IDR" => whole(&[2_000, 5_000, 10_000, 20_000, 50_000, 100_000]),
        "USD" | "AUD" | "SGD" => whole(&[1, 5, 10, 20, 50, 100]),
        "EUR" => whole(&[5, 10, 20, 50, 100, 200]),
        "GBP" => whole(&[5, 10, 20, 50]),
        "MYR" => whole(&[1, 5, 10, 20, 50, 100]),
        _ => Vec::new(),
    }
}

/// What a customer is likely to hand over for `due`: the exact amount, then `due` rounded up
/// to a whole number of each note, each amount once, smallest first.
pub(crate) fn quick_cash_amounts(currency: Currency, due: Decimal) -> Vec<Decimal> {
    if due <= Decimal::ZERO {
        return Vec::new();
    }
    let places = currency.minor_units();
    let mut amounts = vec![rounding::round(due, places, Rounding::Up)];
    for note in notes(currency) {
        let amount = rounding::round_to_increment(due, note, places, Rounding::Up);
        if !amounts.contains(&amount) {
            amounts.push(amount);
        }
    }
    amounts.sort();
    amounts
}

fn check_code(typed: &str) -> Result<String, KasirError> {
    let code = normalise_enrolment_code(typed);
    if code.is_empty() {
        return Err(KasirError::invalid("code", "is empty"));
    }
    if let Some(bad) = code
        .chars()
        .find(|c| !u8::try_from(*c).is_ok_and(|b| ENROLMENT_CODE_ALPHABET.contains(&b)))
    {
        return Err(KasirError::invalid(
            "code",
            format!("`{bad}` is not a letter or digit of an enrolment code"),
        ));
    }
    if code.chars().count() != ENROLMENT_CODE_CHARS {
        return Err(KasirError::invalid(
            "code",
            format!(
                "an enrolment code has {ENROLMENT_CODE_CHARS} letters and digits (XXXX-XXXX-XXXX-XXXX); this one has {}",
                code.chars().count()
            ),
        ));
    }
    let groups: Vec<String> = code
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    Ok(groups.join("-"))
}

fn check_server_url(text: &str) -> Result<String, KasirError> {
    let url = text.trim().trim_end_matches('/');
    if url.is_empty() {
        return Err(KasirError::invalid("server_url", "is empty"));
    }
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            KasirError::invalid(
                "server_url",
                format!("`{url}` does not start with https:// or http://"),
            )
        })?;
    if host.is_empty() || host.starts_with('/') || url.chars().any(char::is_whitespace) {
        return Err(KasirError::invalid(
            "server_url",
            format!("`{url}` has no server name"),
        ));
    }
    Ok(url.to_string())
}

/// Reads an enrolment from what a clerk typed or scanned. A scanned enrolment QR code carries
/// the link `SERVER/enrol?code=CODE` (the form the apps read; the cloud does not draw the QR code
/// itself yet); a typed code needs `server_url`. The code is checked as the cloud normalises it
/// (`cloud/src/tokens.rs`). The error names `code` or `server_url`.
#[uniffi::export]
pub fn parse_enrolment(
    text: String,
    server_url: Option<String>,
) -> Result<EnrolmentRequest, KasirError> {
    let text = text.trim();
    if text.starts_with("https://") || text.starts_with("http://") {
        let (server, query) = text.split_once("/enrol?").ok_or_else(|| {
            KasirError::invalid(
                "code",
                "the scanned link is not an enrolment link (SERVER/enrol?code=...)",
            )
        })?;
        let code = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("code="))
            .ok_or_else(|| KasirError::invalid("code", "the scanned link has no code"))?;
        return Ok(EnrolmentRequest {
            server_url: check_server_url(server)?,
            code: check_code(code)?,
        });
    }
    let server = server_url.unwrap_or_default();
    Ok(EnrolmentRequest {
        server_url: check_server_url(&server)?,
        code: check_code(text)?,
    })
}

#[uniffi::export]
impl Kasir {
    /// `amount` as people read it, with the currency's symbol: `Rp 12.500` in Indonesian,
    /// `Rp 12,500` in English. Without `locale`, in the store's language.
    pub fn format_money(
        &self,
        amount: Decimal,
        locale: Option<Locale>,
    ) -> Result<String, KasirError> {
        let store = self.shared.store()?;
        let settings = store.settings()?;
        Ok(settings
            .currency
            .format_with_symbol(amount, locale.unwrap_or(settings.locale)))
    }

    /// [`Kasir::format_money`] of each of `amounts`, in order, in one call: what a screen
    /// redraws at once crosses the boundary once.
    pub fn format_amounts(
        &self,
        amounts: Vec<Decimal>,
        locale: Option<Locale>,
    ) -> Result<Vec<String>, KasirError> {
        let store = self.shared.store()?;
        let settings = store.settings()?;
        let locale = locale.unwrap_or(settings.locale);
        Ok(amounts
            .into_iter()
            .map(|a| settings.currency.format_with_symbol(a, locale))
            .collect())
    }

    /// An amount typed on a keypad or in a field named `field`, in the store's currency:
    /// digits without grouping dots (`35000`). The error names `field` and says why.
    pub fn parse_amount(&self, field: String, text: String) -> Result<Decimal, KasirError> {
        Ok(self.settings()?.currency.parse_amount(&field, &text)?)
    }

    /// A discount typed by the clerk: `10%` for a percentage, `5000` for an amount.
    pub fn parse_discount(&self, text: String) -> Result<Discount, KasirError> {
        Ok(Discount::parse(&text, self.settings()?.currency)?)
    }

    /// The banknotes of the store's currency the cash keypad offers, smallest first (empty for
    /// a currency Kasir has no notes for).
    pub fn cash_notes(&self) -> Result<Vec<Decimal>, KasirError> {
        Ok(notes(self.settings()?.currency))
    }

    /// The quick amounts of the cash keypad for `due` (the sale's cash due): the exact amount,
    /// then `due` rounded up to each note, smallest first; none when nothing is due.
    pub fn quick_cash_amounts(&self, due: Decimal) -> Result<Vec<Decimal>, KasirError> {
        let currency = self.settings()?.currency;
        currency.check_scale("due", due)?;
        Ok(quick_cash_amounts(currency, due))
    }

    /// The catalog's categories for the register's grid, by name, with their item counts.
    pub fn categories(&self) -> Result<Vec<Category>, KasirError> {
        let store = self.shared.store()?;
        Ok(store
            .categories()?
            .into_iter()
            .map(|(name, items)| Category { name, items })
            .collect())
    }

    /// The items of `category`, by name, at most `limit`.
    pub fn category_items(&self, category: String, limit: u32) -> Result<Vec<Item>, KasirError> {
        let store = self.shared.store()?;
        Ok(store.category_items(&category, limit as usize)?)
    }

    /// The register's favourites: the catalog items in the most sales on this device (most
    /// recently sold first among equals), at most `limit`. Empty before the first sale.
    pub fn favourites(&self, limit: u32) -> Result<Vec<Item>, KasirError> {
        let store = self.shared.store()?;
        Ok(store.favourite_items(limit as usize)?)
    }

    /// The printers saved on this device, by name.
    pub fn printers(&self) -> Result<Vec<SavedPrinter>, KasirError> {
        Ok(self
            .shared
            .store()?
            .printers()?
            .into_iter()
            .map(|p| SavedPrinter {
                name: p.name,
                target: p.target,
                profile: p.profile,
            })
            .collect())
    }

    /// Saves a printer (a paired Bluetooth printer, say), or replaces the one of that name. The
    /// profile must be a built-in one; the error names the field at fault.
    pub fn save_printer(&self, printer: SavedPrinter) -> Result<(), KasirError> {
        PrinterProfile::by_name(&printer.profile)?;
        self.shared.store()?.save_printer(&Printer {
            name: printer.name,
            target: printer.target,
            profile: printer.profile,
        })?;
        Ok(())
    }

    /// Replaces the store's settings (its name, receipt language, QRIS sticker...), checked
    /// first; the error names the setting at fault and nothing changes. Sales started after
    /// the change use the new settings.
    pub fn update_settings(&self, settings: StoreSettings) -> Result<(), KasirError> {
        self.shared.store()?.update_settings(settings)?;
        Ok(())
    }

    /// Imports catalog rows in Kasir's CSV layout (the header `gtin,sku,name,price,...` of
    /// `data/catalog/sample-catalog.csv`), adding new items and updating existing ones by GTIN.
    /// One bad row refuses the whole import with its line and reason, and nothing changes.
    /// Returns how many items were added or updated.
    pub fn import_catalog(&self, csv: String) -> Result<u64, KasirError> {
        let report = self
            .shared
            .store()?
            .import_catalog(csv.as_bytes(), false, &mut |_| {})?;
        Ok(report.added + report.updated)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::test_support::kasir;

    #[test]
    fn quick_amounts_round_up_to_each_rupiah_note() {
        assert_eq!(
            quick_cash_amounts(Currency::IDR, dec!(11500)),
            vec![
                dec!(11500),
                dec!(12000),
                dec!(15000),
                dec!(20000),
                dec!(50000),
                dec!(100000)
            ]
        );
        // An amount that is already a note is offered once; three Rp 20.000 notes make 60.000.
        assert_eq!(
            quick_cash_amounts(Currency::IDR, dec!(50000)),
            vec![dec!(50000), dec!(60000), dec!(100000)]
        );
        // Above the largest note: whole hundred thousands.
        assert_eq!(
            quick_cash_amounts(Currency::IDR, dec!(123456)),
            vec![
                dec!(123456),
                dec!(124000),
                dec!(125000),
                dec!(130000),
                dec!(140000),
                dec!(150000),
                dec!(200000)
            ]
        );
        assert!(quick_cash_amounts(Currency::IDR, dec!(0)).is_empty());
    }

    #[test]
    fn quick_amounts_keep_cents_in_dollars() {
        assert_eq!(
            quick_cash_amounts(Currency::USD, dec!(7.25)),
            vec![
                dec!(7.25),
                dec!(8.00),
                dec!(10.00),
                dec!(20.00),
                dec!(50.00),
                dec!(100.00)
            ]
        );
    }

    #[test]
    fn money_is_formatted_in_the_store_currency_and_either_language() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        assert_eq!(kasir.format_money(dec!(12500), None).unwrap(), "Rp 12.500");
        assert_eq!(
            kasir
                .format_amounts(vec![dec!(0), dec!(2000), dec!(-3700)], Some(Locale::Id))
                .unwrap(),
            vec!["Rp 0", "Rp 2.000", "Rp -3.700"]
        );
        assert_eq!(
            kasir.format_money(dec!(1234567), Some(Locale::En)).unwrap(),
            "Rp 1,234,567"
        );
        assert_eq!(
            kasir.parse_amount("cash".into(), "20000".into()).unwrap(),
            dec!(20000)
        );
        let refused = kasir.parse_amount("cash".into(), "20.000".into());
        assert!(
            matches!(&refused, Err(KasirError::InvalidInput { field, .. }) if field == "cash"),
            "{refused:?}"
        );
        assert_eq!(
            kasir.parse_discount("10%".into()).unwrap(),
            Discount::Percent(dec!(10))
        );
    }

    #[test]
    fn categories_count_their_items_and_list_them_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let categories = kasir.categories().expect("categories");
        assert!(categories.len() > 1, "{categories:?}");
        let counted: u64 = categories.iter().map(|c| u64::from(c.items)).sum();
        assert!(counted <= kasir.item_count().unwrap());
        let first = &categories[0];
        let items = kasir
            .category_items(first.name.clone(), 1000)
            .expect("items");
        assert_eq!(items.len(), first.items as usize);
        assert!(
            items
                .iter()
                .all(|i| i.category.as_deref() == Some(&first.name))
        );
        let names: Vec<String> = items.iter().map(|i| i.name.to_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }

    #[test]
    fn favourites_are_the_items_in_the_most_sales() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        assert!(kasir.favourites(5).unwrap().is_empty());
        for codes in [
            &["8858652601388", "3245413119520"][..],
            &["8858652601388"][..],
        ] {
            let register = kasir.new_sale().unwrap();
            for code in codes {
                register.scan((*code).into()).unwrap();
            }
            register.pay_cash(None).unwrap();
            register.complete().unwrap();
        }
        let favourites: Vec<String> = kasir
            .favourites(5)
            .unwrap()
            .into_iter()
            .map(|i| i.gtin.as_str().to_string())
            .collect();
        assert_eq!(favourites, vec!["08858652601388", "03245413119520"]);
        assert_eq!(kasir.favourites(1).unwrap().len(), 1);
    }

    #[test]
    fn a_printer_needs_a_known_profile() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let printer = SavedPrinter {
            name: "kasir".into(),
            target: "bt:66:22:B3:01:02:03".into(),
            profile: "no-such-profile".into(),
        };
        assert!(kasir.save_printer(printer.clone()).is_err());
        assert!(kasir.printers().unwrap().is_empty());
        let printer = SavedPrinter {
            profile: "generic-58".into(),
            ..printer
        };
        kasir.save_printer(printer.clone()).unwrap();
        assert_eq!(kasir.printers().unwrap(), vec![printer]);
    }

    #[test]
    fn settings_are_checked_before_they_are_saved() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kasir = kasir(&dir);
        let mut settings = kasir.settings().unwrap();
        settings.name = " ".into();
        let refused = kasir.update_settings(settings.clone());
        assert!(
            matches!(&refused, Err(KasirError::InvalidInput { field, .. }) if field == "name"),
            "{refused:?}"
        );
        assert_eq!(kasir.settings().unwrap().name, "Toko Uji");
        settings.name = "Toko Baru".into();
        settings.locale = Locale::En;
        kasir.update_settings(settings).unwrap();
        assert_eq!(kasir.settings().unwrap().name, "Toko Baru");
        assert_eq!(kasir.format_money(dec!(12500), None).unwrap(), "Rp 12,500");
    }

    #[test]
    fn an_enrolment_is_read_from_a_link_or_a_typed_code() {
        let scanned = parse_enrolment(
            "https://cloud.kasir.example/enrol?code=abcd-efgh-jkmn-pqrs".into(),
            None,
        )
        .unwrap();
        assert_eq!(scanned.server_url, "https://cloud.kasir.example");
        assert_eq!(scanned.code, "ABCD-EFGH-JKMN-PQRS");

        let typed = parse_enrolment(
            " 0oIl 2345 6789 ABCD ".into(),
            Some("http://localhost:8080/".into()),
        )
        .unwrap();
        assert_eq!(typed.server_url, "http://localhost:8080");
        assert_eq!(typed.code, "0011-2345-6789-ABCD");

        let field = |r: Result<EnrolmentRequest, KasirError>| match r {
            Err(KasirError::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(parse_enrolment(
                "ABCD-EFGH".into(),
                Some("https://x.example".into())
            )),
            "code"
        );
        assert_eq!(
            field(parse_enrolment(
                "ABCD-EFGH-JKMN-PQRU".into(),
                Some("https://x.example".into())
            )),
            "code"
        );
        assert_eq!(
            field(parse_enrolment("ABCD-EFGH-JKMN-PQRS".into(), None)),
            "server_url"
        );
        assert_eq!(
            field(parse_enrolment(
                "ABCD-EFGH-JKMN-PQRS".into(),
                Some("ftp://x".into())
            )),
            "server_url"
        );
        assert_eq!(
            field(parse_enrolment(
                "https://x.example/login?code=1".into(),
                None
            )),
            "code"
        );
    }
}
