//! The store against the real sample catalog: import, lookup, search, atomic sale commits,
//! gapless receipt numbers, the outbox and the day report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use jiff::civil::Date;
use kasir_domain::cart::{Cart, Discount};
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_domain::{Decimal, DomainError};
use kasir_store::catalog::ImportReport;
use kasir_store::{Device, Store, StoreError, StoreSettings};
use rust_decimal_macros::dec;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/catalog")
        .join(name)
}

fn new_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Uji"),
            Device::new(uuid::Uuid::now_v7(), "D01").unwrap(),
        )
        .unwrap();
    store
}

fn import(store: &mut Store, name: &str, skip_invalid: bool) -> Result<ImportReport, StoreError> {
    let file = std::fs::File::open(data(name)).unwrap();
    store.import_catalog(file, skip_invalid, &mut |_| {})
}

fn sample_store() -> Store {
    let mut store = new_store();
    import(&mut store, "sample-catalog.csv", false).unwrap();
    store
}

fn sell(
    store: &mut Store,
    codes: &[(&str, Decimal)],
    discount: Option<Discount>,
) -> Result<Sale, StoreError> {
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(settings.currency);
    for (code, quantity) in codes {
        let item = store.find_item(code)?;
        cart.add(&item, *quantity)?;
    }
    if let Some(d) = discount {
        cart.add_discount(d)?;
    }
    let totals = cart.totals(&settings.tax)?;
    let mut payment = Payment::new(settings.currency, totals.total, None);
    payment.add(TenderMethod::Cash, totals.total)?;
    let context = SaleContext {
        id: uuid::Uuid::now_v7(),
        device_id: store.device().unwrap().id.clone(),
        completed_at: jiff::Timestamp::now(),
        business_date: Date::constant(2026, 12, 3),
    };
    let sale = Sale::complete(context, &cart, &settings.tax, &payment)?;
    store.commit_sale(sale)
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_sample_catalog_imports_whole() {
    let mut store = new_store();
    let rows = std::fs::read_to_string(data("sample-catalog.csv"))
        .unwrap()
        .lines()
        .count() as u64
        - 1;

    let report = import(&mut store, "sample-catalog.csv", false).unwrap();

    assert_eq!(report.rows, rows);
    assert_eq!(report.added, rows);
    assert!(report.rejected.is_empty());
    assert_eq!(store.item_count().unwrap(), rows);
}

#[test]
fn a_bad_row_fails_the_whole_import_and_names_its_line() {
    let mut store = new_store();

    let err = import(&mut store, "bad-rows.csv", false).unwrap_err();

    let StoreError::ImportRejected(rows) = err else {
        panic!("expected rejected rows, got {err}")
    };
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16]);
    assert!(rows[0].reasons[0].contains("check digit"), "{:?}", rows[0]);
    assert!(rows[3].reasons[0].starts_with("name:"), "{:?}", rows[3]);
    assert!(
        rows[6].reasons[0].contains("has no decimals"),
        "{:?}",
        rows[6]
    );
    assert!(
        rows[11].reasons[0].contains("repeats line 2"),
        "{:?}",
        rows[11]
    );
    assert_eq!(store.item_count().unwrap(), 0);
}

#[test]
fn skip_invalid_imports_the_good_rows_and_lists_the_rest() {
    let mut store = new_store();

    let report = import(&mut store, "bad-rows.csv", true).unwrap();

    assert_eq!(report.added, 3);
    assert_eq!(report.rejected.len(), 12);
    assert_eq!(store.item_count().unwrap(), 3);
}

#[test]
fn reimporting_updates_by_gtin_and_keeps_stock_when_none_is_given() {
    let mut store = sample_store();
    let before = store.find_item("8990121011028").unwrap();
    let csv =
        "gtin,name,price,tax_category,unit,stock\n8990121011028,Kecap Manis Botol,4500,ppn,each,\n";

    let report = store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .unwrap();

    assert_eq!((report.added, report.updated), (0, 1));
    let after = store.find_item("8990121011028").unwrap();
    assert_eq!(after.name, "Kecap Manis Botol");
    assert_eq!(after.price, dec!(4500));
    assert_eq!(after.stock, before.stock);
}

#[test]
fn a_file_without_a_required_column_is_refused() {
    let mut store = new_store();
    let err = store
        .import_catalog("gtin,name,price\n".as_bytes(), false, &mut |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("tax_category, unit"), "{err}");
}

#[test]
fn every_form_of_a_code_finds_the_same_item() {
    let store = sample_store();
    let ean13 = store.find_item("8990121011028").unwrap();
    assert_eq!(store.find_item("08990121011028").unwrap(), ean13);
    assert_eq!(
        store.find_item(ean13.sku.as_deref().unwrap()).unwrap(),
        ean13
    );

    // A UPC-A product stored from its 13-digit form is found from its 12 digits.
    let upca = std::fs::read_to_string(data("sample-catalog.csv"))
        .unwrap()
        .lines()
        .map(|l| l.split(',').next().unwrap().to_string())
        .find(|g| g.len() == 13 && g.starts_with('0'))
        .expect("the sample has UPC-A products");
    assert_eq!(
        store.find_item(&upca[1..]).unwrap().gtin,
        store.find_item(&upca).unwrap().gtin
    );

    assert!(matches!(
        store.find_item("8990121011029"),
        Err(StoreError::Domain(DomainError::Invalid { .. }))
    ));
    assert!(matches!(
        store.find_item("4006381333931"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn name_search_matches_prefixes_of_every_word() {
    let store = sample_store();
    let found = store.search_items("kecap man", 50).unwrap();
    assert!(found.len() >= 4, "{found:?}");
    assert!(
        found
            .iter()
            .all(|i| i.name.to_lowercase().contains("kecap"))
    );
    let one_word = store.search_items("kec", 50).unwrap();
    assert!(one_word.len() >= found.len());
    assert!(store.search_items("  \"*  ", 5).is_err());
    assert!(store.search_items("zzzznotathing", 5).unwrap().is_empty());
}

#[test]
fn a_sale_commits_with_its_event_and_stock_and_reads_back_unchanged() {
    let mut store = sample_store();
    let before = store.find_item("8990121011028").unwrap().stock;

    let first = sell(&mut store, &[("8990121011028", dec!(2))], None).unwrap();
    let second = sell(
        &mut store,
        &[("8990121011028", dec!(1))],
        Some(Discount::Percent(dec!(10))),
    )
    .unwrap();

    assert_eq!(first.receipt_number, "D01-000001");
    assert_eq!(second.receipt_number, "D01-000002");
    assert_eq!(
        store.find_item("8990121011028").unwrap().stock,
        before - dec!(3)
    );
    assert_eq!(store.sale_by_receipt("D01-000002").unwrap(), second);
    let summary = store.outbox_summary().unwrap();
    assert_eq!(summary.pending, 2);
    let events = store.outbox_events(10).unwrap();
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2]);
    let payload: Sale = serde_json::from_str(&store.outbox_payload(2).unwrap()).unwrap();
    assert_eq!(payload, second);
}

#[test]
fn a_failure_inside_the_commit_leaves_nothing_behind_and_no_gap() {
    let mut store = sample_store();
    let stock = store.find_item("8990121011028").unwrap().stock;
    // Make the last write of the transaction, the outbox event, fail.
    store
        .connection()
        .execute_batch("CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk gone'); END;")
        .unwrap();

    let err = sell(&mut store, &[("8990121011028", dec!(2))], None).unwrap_err();

    assert!(err.to_string().contains("disk gone"), "{err}");
    for table in [
        "sales",
        "sale_lines",
        "sale_tenders",
        "sale_taxes",
        "stock_moves",
        "outbox",
    ] {
        assert_eq!(count(&store, table), 0, "{table} kept a row");
    }
    assert_eq!(store.find_item("8990121011028").unwrap().stock, stock);

    store
        .connection()
        .execute_batch("DROP TRIGGER fail_outbox;")
        .unwrap();
    let sale = sell(&mut store, &[("8990121011028", dec!(1))], None).unwrap();
    assert_eq!(sale.receipt_number, "D01-000001");
}

#[test]
fn stored_sales_cannot_be_changed_or_deleted() {
    let mut store = sample_store();
    sell(&mut store, &[("8990121011028", dec!(1))], None).unwrap();
    assert!(
        store
            .connection()
            .execute("UPDATE sales SET total_minor = 1", [])
            .is_err()
    );
    assert!(store.connection().execute("DELETE FROM sales", []).is_err());
    assert!(
        store
            .connection()
            .execute("UPDATE outbox SET payload = '{}'", [])
            .is_err()
    );
}

#[test]
fn a_sale_from_another_device_is_refused() {
    let mut store = sample_store();
    let settings = store.settings().unwrap().clone();
    let mut cart = Cart::new(settings.currency);
    cart.add(&store.find_item("8990121011028").unwrap(), dec!(1))
        .unwrap();
    let mut payment = Payment::new(settings.currency, dec!(4000), None);
    payment.add(TenderMethod::Cash, dec!(4000)).unwrap();
    let context = SaleContext {
        id: uuid::Uuid::now_v7(),
        device_id: "someone-else".into(),
        completed_at: jiff::Timestamp::now(),
        business_date: Date::constant(2026, 12, 3),
    };
    let sale = Sale::complete(context, &cart, &settings.tax, &payment).unwrap();
    assert!(store.commit_sale(sale).is_err());
    assert_eq!(count(&store, "sales"), 0);
}

#[test]
fn the_day_report_sums_the_stored_sales() {
    let mut store = sample_store();
    let sales = [
        sell(
            &mut store,
            &[("8990121011028", dec!(2)), ("8999999002503", dec!(1))],
            None,
        )
        .unwrap(),
        sell(
            &mut store,
            &[("8990121011028", dec!(1))],
            Some(Discount::Amount(dec!(500))),
        )
        .unwrap(),
        sell(&mut store, &[("8999999100506", dec!(3))], None).unwrap(),
    ];

    let report = store.day_report(Date::constant(2026, 12, 3)).unwrap();

    assert_eq!(report.sales, 3);
    assert_eq!(report.total, sales.iter().map(|s| s.total).sum::<Decimal>());
    assert_eq!(
        report.tax,
        sales.iter().map(|s| s.tax_total).sum::<Decimal>()
    );
    assert_eq!(report.discounts, dec!(500));
    let tendered: Decimal = report.tenders.iter().map(|t| t.amount).sum();
    assert_eq!(tendered, report.total + report.cash_rounding);
    assert_eq!(
        report.taxes.iter().map(|t| t.tax).sum::<Decimal>(),
        report.tax
    );
    assert_eq!(report.best_sellers[0].gtin, "08999999100506");
    assert_eq!(
        store.day_report(Date::constant(2026, 12, 4)).unwrap().sales,
        0
    );
}

#[test]
fn the_currency_cannot_change_under_a_catalog() {
    let mut store = sample_store();
    let mut settings = store.settings().unwrap().clone();
    settings.currency = kasir_domain::money::Currency::USD;
    assert!(store.update_settings(settings).is_err());
    assert_eq!(
        store.settings().unwrap().currency,
        kasir_domain::money::Currency::IDR
    );
}

#[test]
fn a_store_file_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kasir.db");
    let receipt = {
        let mut store = Store::open(&path).unwrap();
        store
            .initialise(
                StoreSettings::indonesian_shop("Toko"),
                Device::new(uuid::Uuid::now_v7(), "K7").unwrap(),
            )
            .unwrap();
        import(&mut store, "sample-catalog.csv", false).unwrap();
        sell(&mut store, &[("8990121011028", dec!(1))], None)
            .unwrap()
            .receipt_number
    };
    let store = Store::open(&path).unwrap();
    assert!(store.is_initialised());
    assert_eq!(
        store.sale_by_receipt(&receipt).unwrap().receipt_number,
        "K7-000001"
    );
}

#[test]
fn an_import_without_optional_columns_keeps_sku_and_category() {
    let mut store = sample_store();
    let before = store.find_item("8990121011028").unwrap();
    let csv = "gtin,name,price,tax_category,unit\n8990121011028,Kecap Manis,4200,ppn,each\n";

    store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .unwrap();

    let after = store.find_item("8990121011028").unwrap();
    assert_eq!(after.price, dec!(4200));
    assert_eq!((after.sku, after.category), (before.sku, before.category));
}

#[test]
fn a_sku_belongs_to_one_product() {
    let mut store = sample_store();
    // SKU-00126 is Kecap Manis (8990121011028) in the sample catalog.
    let csv = "gtin,sku,name,price,tax_category,unit\n8999999002503,sku-00126,Kecap Manis,3000,ppn,each\n";

    let err = store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .unwrap_err();

    let StoreError::ImportRejected(rows) = err else {
        panic!("expected a rejected row, got {err}")
    };
    assert!(
        rows[0].reasons[0].contains("already belongs to product 8990121011028"),
        "{rows:?}"
    );
    let csv = "gtin,sku,name,price,tax_category,unit\n\
               4006381333931,X-1,A,1000,ppn,each\n1234567890128,x-1,B,1000,ppn,each\n";
    let StoreError::ImportRejected(rows) = store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .unwrap_err()
    else {
        panic!("expected a rejected row")
    };
    assert_eq!(rows[0].line, 3);
    assert!(rows[0].reasons[0].contains("also on line 2"), "{rows:?}");
    // SKUs are found whatever their case.
    assert_eq!(
        store.find_item("sku-00126").unwrap().gtin.as_str(),
        "08990121011028"
    );
}

#[test]
fn a_semicolon_separated_file_is_explained() {
    let mut store = new_store();
    let csv = "gtin;name;price;tax_category;unit\n8990121011028;Kecap;4000;ppn;each\n";
    let err = store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("semicolons"), "{err}");
}

#[test]
fn grouped_rupiah_prices_are_refused_not_read_as_small_numbers() {
    let mut store = new_store();
    let csv = "gtin,name,price,tax_category,unit\n8990121011028,Kecap,12.000,ppn,each\n";
    let StoreError::ImportRejected(rows) = store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .unwrap_err()
    else {
        panic!("expected a rejected row")
    };
    assert!(
        rows[0].reasons[0].contains("without dots or commas"),
        "{rows:?}"
    );
    assert_eq!(store.item_count().unwrap(), 0);
}
