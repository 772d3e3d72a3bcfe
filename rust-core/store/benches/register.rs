//! Register benchmarks: the hot paths of a till, on the real store code.
//!
//! - `scan_to_totals`: one scan on a busy register. The store holds a synthetic catalog of
//!   100,000 items (valid GTIN-13s, names from a word list, prices in whole rupiah, PPN or
//!   exempt) imported through [`Store::import_catalog`]; the cart already holds 200 distinct
//!   lines. Measured: `find_item` of a scanned EAN-13, `Cart::add` of one, and `Cart::totals`
//!   over the 201 lines. The 200-line cart is cloned in the (untimed) setup, so the cart
//!   never grows across iterations. Aim: under 200 µs.
//! - `sale_commit_vs_bare_insert`: durability cost. `commit_sale` stores a fresh, realistic
//!   3-line sale paid in cash (built in the untimed setup, new UUIDv7 each time);
//!   `bare_insert` is one durable one-row INSERT in its own transaction into a separate
//!   SQLite file in the same directory (WAL, `synchronous=FULL`). After every criterion run,
//!   an interleaved timed loop of 300 of each prints `commit/bare ratio: ...` (of the
//!   medians). Aim: a sale commit at least half as fast as the bare insert (ratio at most 2).
//! - `import_100k`: `import_catalog` of the 100,000-row CSV into a fresh file store (store
//!   creation and set-up untimed). Aim: under 3 s.
//!
//! File stores live in a temporary directory under Cargo's target dir (`CARGO_TARGET_TMPDIR`),
//! so they are on the project's disk, not on a RAM-backed `/tmp`, and fsync really syncs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::LazyCell;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode};
use kasir_domain::Decimal;
use kasir_domain::cart::Cart;
use kasir_domain::catalog::Item;
use kasir_domain::gtin::check_digit;
use kasir_domain::payment::{Payment, TenderMethod};
use kasir_domain::sale::{Sale, SaleContext};
use kasir_store::{Device, Store, StoreSettings};
use rusqlite::{Connection, TransactionBehavior, params};
use tempfile::TempDir;

/// Items in the synthetic catalog.
const CATALOG_ITEMS: u64 = 100_000;
/// Lines already in the cart when the measured scan happens.
const CART_LINES: u64 = 200;
/// Iterations of each side in the ratio loop (under `cargo bench`; a few under `cargo test`).
const RATIO_ITERATIONS: u32 = 300;

#[rustfmt::skip]
const BRANDS: [&str; 16] = [
    "Indofood", "Sedap", "ABC", "Bango", "Sosro", "Kapal Api", "Ultra", "Frisian", "Roma",
    "Khong Guan", "Sania", "Bimoli", "Lifebuoy", "Sunlight", "Aqua", "Sariwangi",
];
#[rustfmt::skip]
const PRODUCTS: [&str; 24] = [
    "Mie Goreng", "Mie Kuah", "Kecap Manis", "Saus Sambal", "Teh Celup", "Kopi Bubuk",
    "Susu UHT", "Gula Pasir", "Beras Pulen", "Minyak Goreng", "Biskuit Kelapa", "Wafer",
    "Roti Tawar", "Sabun Mandi", "Sabun Cuci", "Air Mineral", "Sirup", "Kacang Tanah",
    "Santan Kelapa", "Tepung Terigu", "Garam Dapur", "Sarden", "Kerupuk Udang", "Keju Cheddar",
];
#[rustfmt::skip]
const FLAVOURS: [&str; 12] = [
    "Original", "Pedas", "Ayam Bawang", "Soto", "Coklat", "Vanila", "Stroberi", "Jeruk",
    "Melati", "Rendang", "Keju", "Lemon",
];
#[rustfmt::skip]
const SIZES: [&str; 10] = [
    "75g", "85g", "200g", "250g", "500g", "1kg", "250ml", "600ml", "1L", "2L",
];
const CATEGORIES: [&str; 8] = [
    "Makanan Instan",
    "Bumbu Dapur",
    "Minuman",
    "Susu & Olahan",
    "Sembako",
    "Makanan Ringan",
    "Perawatan Diri",
    "Kebersihan Rumah",
];

/// SplitMix64: a small deterministic mixer, so the catalog is the same on every run.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<'a>(list: &[&'a str], h: u64, shift: u32) -> &'a str {
    let len = u64::try_from(list.len()).expect("small list");
    list[usize::try_from((h >> shift) % len).expect("index fits")]
}

/// The EAN-13 of catalog item `i`: Indonesian prefix 899, nine digits spread over the range
/// (7,919,993 is coprime with 10^9, so every `i` below 10^9 gets its own code), check digit.
fn gtin13(i: u64) -> String {
    let body = format!("899{:09}", (i * 7_919_993 + 12_345) % 1_000_000_000);
    let check = check_digit(&body).expect("digits");
    format!("{body}{check}")
}

/// A catalog CSV of `n` items, in the header order of `data/catalog/sample-catalog.csv`.
fn catalog_csv(n: u64) -> String {
    let mut csv = String::with_capacity(usize::try_from(n).unwrap_or(0) * 96);
    csv.push_str("gtin,sku,name,price,tax_category,unit,category,stock\n");
    for i in 0..n {
        let h = mix(i);
        let name = format!(
            "{} {} {} {}",
            pick(&BRANDS, h, 0),
            pick(&PRODUCTS, h, 8),
            pick(&FLAVOURS, h, 16),
            pick(&SIZES, h, 24),
        );
        // Whole rupiah from 1,000 to 99,950; one item in five is exempt (staples).
        let price = 1_000 + ((h >> 32) % 1_980) * 50;
        let tax = if (h >> 44).is_multiple_of(5) {
            "exempt"
        } else {
            "ppn"
        };
        let category = pick(&CATEGORIES, h, 48);
        let stock = (h >> 52) % 500;
        csv.push_str(&format!(
            "{},SKU-{i:06},{name},{price},{tax},each,{category},{stock}\n",
            gtin13(i)
        ));
    }
    csv
}

/// A fresh directory on the project's disk.
fn temp_dir() -> TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temporary directory")
}

/// A new, set-up Indonesian shop store at `path`.
fn new_store(path: &Path) -> Store {
    let mut store = Store::open(path).expect("open store");
    store
        .initialise(
            StoreSettings::indonesian_shop("Toko Bench"),
            Device::new(uuid::Uuid::now_v7(), "B01").expect("device"),
        )
        .expect("initialise");
    store
}

/// A new store at `path` holding the catalog in `csv`.
fn stocked_store(path: &Path, csv: &str) -> Store {
    let mut store = new_store(path);
    let report = store
        .import_catalog(csv.as_bytes(), false, &mut |_| {})
        .expect("import");
    assert_eq!(report.added, CATALOG_ITEMS);
    store
}

fn scan_to_totals(c: &mut Criterion, csv: &LazyCell<String>) {
    let mut fixture = None;
    let mut next = 0_usize;
    c.bench_function("scan_to_totals", |b| {
        let (_dir, store, cart, codes) = fixture.get_or_insert_with(|| {
            let dir = temp_dir();
            let store = stocked_store(&dir.path().join("kasir.db"), csv);
            let settings = store.settings().expect("settings").clone();
            // The cart holds items 0, 500, 1000, ...; the scans are of items not in it.
            let step = CATALOG_ITEMS / CART_LINES;
            let mut cart = Cart::new(settings.currency);
            for k in 0..CART_LINES {
                let item = store.find_item(&gtin13(k * step)).expect("cart item");
                cart.add(&item, Decimal::ONE).expect("add");
            }
            assert_eq!(cart.lines().len(), 200);
            let codes: Vec<String> = (0..1_000_u64)
                .map(|k| (7 + k * 97) % CATALOG_ITEMS)
                .filter(|i| !i.is_multiple_of(step))
                .map(gtin13)
                .collect();
            (dir, store, cart, codes)
        });
        let rules = store.settings().expect("settings").tax.clone();
        b.iter_batched(
            || {
                next = (next + 1) % codes.len();
                (cart.clone(), codes[next].as_str())
            },
            |(mut cart, code)| {
                let item = store.find_item(black_box(code)).expect("scanned item");
                cart.add(&item, Decimal::ONE).expect("add");
                let totals = cart.totals(&rules).expect("totals");
                // Returned so that the carts are dropped outside the timing.
                (cart, totals)
            },
            BatchSize::SmallInput,
        );
    });
}

/// The two files of the durability comparison, side by side in one directory.
struct CommitFixture {
    _dir: TempDir,
    store: Store,
    /// The three items of the sale and their quantities.
    basket: Vec<(Item, Decimal)>,
    bare: Connection,
}

impl CommitFixture {
    fn new(csv: &str) -> CommitFixture {
        let dir = temp_dir();
        let store = stocked_store(&dir.path().join("kasir.db"), csv);
        let basket = [(11, 2), (4_242, 1), (77_777, 3)]
            .into_iter()
            .map(|(i, quantity)| {
                let item = store.find_item(&gtin13(i)).expect("basket item");
                (item, Decimal::from(quantity))
            })
            .collect();

        let bare = Connection::open(dir.path().join("bare.db")).expect("open bare file");
        bare.pragma_update(None, "journal_mode", "WAL")
            .expect("WAL");
        bare.pragma_update(None, "synchronous", "FULL")
            .expect("synchronous");
        bare.execute_batch(
            "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, at TEXT NOT NULL) STRICT",
        )
        .expect("create table");
        CommitFixture {
            _dir: dir,
            store,
            basket,
            bare,
        }
    }

    /// A completed, cash-paid sale of the basket with a new id; the customer hands over the
    /// next round 10,000 above the total and gets change.
    fn sale(&self) -> Sale {
        let settings = self.store.settings().expect("settings");
        let mut cart = Cart::new(settings.currency);
        for (item, quantity) in &self.basket {
            cart.add(item, *quantity).expect("add");
        }
        let total = cart.totals(&settings.tax).expect("totals").total;
        let note = Decimal::from(10_000);
        let mut payment = Payment::new(settings.currency, total, settings.cash_rounding);
        payment
            .add(
                TenderMethod::Cash,
                ((total / note).floor() + Decimal::ONE) * note,
            )
            .expect("cash");
        let now = jiff::Timestamp::now();
        let context = SaleContext {
            id: uuid::Uuid::now_v7(),
            device_id: self.store.device().expect("device").id.clone(),
            completed_at: now,
            business_date: now
                .to_zoned_datetime(settings.time_zone().expect("time zone"))
                .date(),
        };
        Sale::complete(context, &cart, &settings.tax, &payment).expect("complete")
    }

    fn commit(&mut self, sale: Sale) -> Sale {
        self.store.commit_sale(sale).expect("commit")
    }

    /// A new row for the bare insert: its key and a timestamp.
    fn row() -> (String, String) {
        (
            uuid::Uuid::now_v7().to_string(),
            jiff::Timestamp::now().to_string(),
        )
    }

    /// One durable one-row insert in its own transaction.
    fn bare_insert(&mut self, (id, at): (String, String)) {
        let tx = self
            .bare
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .expect("begin");
        tx.execute(
            "INSERT INTO events (id, at) VALUES (?1, ?2)",
            params![id, at],
        )
        .expect("insert");
        tx.commit().expect("commit");
    }
}

fn sale_commit_vs_bare_insert(c: &mut Criterion, csv: &LazyCell<String>) -> Option<CommitFixture> {
    let mut fixture: Option<CommitFixture> = None;
    let mut group = c.benchmark_group("sale_commit_vs_bare_insert");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("commit_sale", |b| {
        let f = fixture.get_or_insert_with(|| CommitFixture::new(csv));
        // `iter_custom` rather than `iter_batched`: building a sale reads the store and
        // committing it writes it, so the two cannot be separate closures over one fixture.
        // Only the commit is timed.
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            for _ in 0..iters {
                let sale = f.sale();
                let start = Instant::now();
                black_box(f.commit(sale));
                elapsed += start.elapsed();
            }
            elapsed
        });
    });
    group.bench_function("bare_insert", |b| {
        let f = fixture.get_or_insert_with(|| CommitFixture::new(csv));
        b.iter_batched(
            CommitFixture::row,
            |row| f.bare_insert(row),
            BatchSize::SmallInput,
        );
    });
    group.finish();
    fixture
}

/// Prints the commit/bare ratio from an interleaved loop of [`RATIO_ITERATIONS`] of each: the
/// ratio of the medians (fsync latency has a long tail on shared disks), and the means.
fn print_ratio(mut f: CommitFixture) {
    // Criterion's test mode (`cargo test --benches`, or `cargo bench -- --test`) only checks
    // that everything runs.
    let args: Vec<String> = std::env::args().collect();
    let benching = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let iterations = if benching { RATIO_ITERATIONS } else { 5 };
    let mut commit = Vec::new();
    let mut bare = Vec::new();
    for _ in 0..iterations {
        let sale = f.sale();
        let start = Instant::now();
        black_box(f.commit(sale));
        commit.push(start.elapsed());

        let row = CommitFixture::row();
        let start = Instant::now();
        f.bare_insert(row);
        bare.push(start.elapsed());
    }
    let (commit_median, commit_mean) = median_and_mean(&mut commit);
    let (bare_median, bare_mean) = median_and_mean(&mut bare);
    // Integer arithmetic on nanoseconds: the ratio in hundredths.
    let hundredths = commit_median.as_nanos() * 100 / bare_median.as_nanos().max(1);
    println!(
        "commit/bare ratio: {}.{:02} (commit {} µs, bare {} µs; medians of {iterations} each, \
         interleaved; means {} µs and {} µs; aim <= 2: {})",
        hundredths / 100,
        hundredths % 100,
        commit_median.as_micros(),
        bare_median.as_micros(),
        commit_mean.as_micros(),
        bare_mean.as_micros(),
        if hundredths <= 200 { "met" } else { "missed" },
    );
}

/// The median and the mean of `times` (which it sorts).
fn median_and_mean(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort_unstable();
    let total: Duration = times.iter().sum();
    let count = u32::try_from(times.len()).expect("few iterations").max(1);
    (times[times.len() / 2], total / count)
}

fn import_100k(c: &mut Criterion, csv: &LazyCell<String>) {
    let mut group = c.benchmark_group("import_100k");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    group.bench_function("import_100k", |b| {
        b.iter_batched(
            || {
                let dir = temp_dir();
                let store = new_store(&dir.path().join("kasir.db"));
                (dir, store)
            },
            |(dir, mut store)| {
                let report = store
                    .import_catalog(csv.as_bytes(), false, &mut |_| {})
                    .expect("import");
                assert_eq!(report.added, CATALOG_ITEMS);
                // Returned so that closing and deleting the store is not timed.
                (dir, store)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn main() {
    let csv: LazyCell<String> = LazyCell::new(|| catalog_csv(CATALOG_ITEMS));
    let mut c = Criterion::default().configure_from_args();
    scan_to_totals(&mut c, &csv);
    let commit = sale_commit_vs_bare_insert(&mut c, &csv);
    import_100k(&mut c, &csv);
    c.final_summary();
    // Only when the commit benchmarks ran (not filtered out, not `--list`).
    if let Some(f) = commit {
        print_ratio(f);
    }
}
