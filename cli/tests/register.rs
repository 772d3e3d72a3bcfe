//! The `kasir` command end to end: a fresh store, scripted sales of real products from the
//! sample catalog, receipts, reports, bad input, and crashes in the middle of selling.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

struct Kasir {
    _dir: tempfile::TempDir,
    store: PathBuf,
}

impl Kasir {
    fn new() -> Kasir {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kasir.db");
        let kasir = Kasir { _dir: dir, store };
        let out = kasir.run(&["init"]);
        assert!(out.status.success(), "init: {}", text(&out.stderr));
        kasir
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kasir"));
        command
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("KASIR_STORE");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sales_in(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../data/catalog")
        .join(name)
}

/// Kecap Manis 2 x 4,000; Mie Sedaap Instant Cup 3 x 3,500; Ultra Milk (PPN-exempt) 7,500;
/// 10% off the order; paid by card 10,000 and cash 20,000.
const SPLIT_SALE: &str = "\
# a scripted sale of real products
8990121011028
3*8998866200837
8998009010552
8990121011028
discount 10%
pay card 10000 approval=A1B2C3 last4=1234 brand=visa
pay cash 20000
";

#[test]
fn a_scripted_split_sale_with_a_discount_has_the_right_totals() {
    let kasir = Kasir::new();

    let out = kasir.run_with_input(&["--json", "register"], SPLIT_SALE);

    assert!(out.status.success(), "{}", text(&out.stderr));
    let sales = sales_in(&out);
    assert_eq!(sales.len(), 1);
    let sale = &sales[0];
    // Worked by hand: items 8,000 + 10,500 + 7,500 = 26,000; 10% off = 2,600, split
    // 800 / 1,050 / 750; the PPN lines after discount are 7,200 + 9,450 = 16,650, which
    // contains 16,650 x 11/111 = 1,650 PPN; the milk is exempt.
    assert_eq!(sale["receipt_number"], "D01-000001");
    assert_eq!(sale["subtotal"], "26000");
    assert_eq!(sale["discount_total"], "2600");
    assert_eq!(sale["total"], "23400");
    assert_eq!(sale["tax_total"], "1650");
    assert_eq!(sale["change"], "6600");
    let amounts: Vec<&str> = sale["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, vec!["7200", "9450", "6750"]);
    let tenders = sale["tenders"].as_array().unwrap();
    assert_eq!(tenders[0]["method"], "card");
    assert_eq!(tenders[0]["last4"], "1234");
    assert_eq!(tenders[1]["method"], "cash");
    assert_eq!(tenders[1]["amount"], "20000");
}

#[test]
fn the_receipt_shows_what_was_sold_and_paid() {
    let kasir = Kasir::new();
    let out = kasir.run_with_input(&["register"], SPLIT_SALE);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let receipt = text(&kasir.run(&["receipt", "D01-000001"]).stdout);

    for expected in [
        "No D01-000001",
        "Kecap Manis",
        "  2 x 4.000",
        "  3 x 3.500",
        "Diskon 10%",
        "TOTAL                            Rp 23.400",
        "Kartu VISA **1234 A1B2C3            10.000",
        "Tunai                               20.000",
        "Kembali                              6.600",
        "PPN 12%                              1.650",
    ] {
        assert!(
            receipt.contains(expected),
            "missing {expected:?} in\n{receipt}"
        );
    }
    // The register printed the same receipt when the sale completed.
    assert!(
        text(&out.stdout).contains(&receipt),
        "register output differs:\n{}",
        text(&out.stdout)
    );
    assert!(
        receipt
            .lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 42),
        "{receipt}"
    );
}

#[test]
fn the_sale_is_queued_and_reported() {
    let kasir = Kasir::new();
    kasir.run_with_input(&["register"], SPLIT_SALE);
    kasir.run_with_input(&["register"], "8998009010552\npay cash\n");

    let outbox = kasir.json(&["outbox"]);
    assert_eq!(outbox["summary"]["pending"], 2);
    assert_eq!(outbox["events"][0]["kind"], "SaleCompleted");

    let sales = kasir.json(&["sales", "list"]);
    let date = sales[0]["business_date"].as_str().unwrap().to_string();
    let report = kasir.json(&["report", "day", &date]);
    assert_eq!(report["sales"], 2);
    assert_eq!(report["total"], "30900");
    assert_eq!(report["tax"], "1650");
    let tenders: Vec<(&str, &str)> = report["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["method"].as_str().unwrap(), t["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(tenders, vec![("card", "10000"), ("cash", "20900")]);
}

#[test]
fn a_bad_line_stops_the_script_and_records_nothing() {
    let kasir = Kasir::new();

    let out = kasir.run_with_input(&["register"], "8990121011028\n8990121011029\npay cash\n");

    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 2: gtin: EAN-13 `8990121011029` has check digit 9, but it must be 8"),
        "{stderr}"
    );
    assert!(stderr.contains("not recorded"), "{stderr}");
    assert_eq!(kasir.json(&["sales", "list"]), serde_json::json!([]));
    assert_eq!(kasir.json(&["outbox"])["summary"]["pending"], 0);
}

#[test]
fn a_full_card_number_is_refused_and_never_stored() {
    let kasir = Kasir::new();

    let out = kasir.run_with_input(
        &["register"],
        "8990121011028\npay card approval=X1 last4=4111111111111111\n",
    );

    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("last4: must be exactly the last four digits"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stderr).contains("4111111111111111"));
    let bytes = std::fs::read(&kasir.store).unwrap();
    assert!(!bytes.windows(16).any(|w| w == b"4111111111111111"));
}

#[test]
fn a_card_cannot_pay_more_than_is_due() {
    let kasir = Kasir::new();
    let out = kasir.run_with_input(
        &["register"],
        "8990121011028\npay card 5000 approval=X1 last4=4242\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("only cash makes change"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_unfinished_sale_at_the_end_of_input_is_not_recorded() {
    let kasir = Kasir::new();
    let out = kasir.run_with_input(&["register"], "8990121011028\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("it was not recorded"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(kasir.json(&["sales", "list"]), serde_json::json!([]));
}

#[test]
fn voids_and_quantity_changes_follow_the_lines() {
    let kasir = Kasir::new();
    let script = "8990121011028\n8998866200837\nqty 2 4\nvoid 1\nvoid 9\n";
    let out = kasir.run_with_input(&["--json", "register"], script);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("line 5: line `9` not found"),
        "{}",
        text(&out.stderr)
    );

    let out = kasir.run_with_input(
        &["--json", "register"],
        "8990121011028\n8998866200837\nqty 2 4\nvoid 1\npay cash\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sale = &sales_in(&out)[0];
    assert_eq!(sale["total"], "14000");
    assert_eq!(sale["voided_lines"][0]["gtin"], "08990121011028");
}

#[test]
fn a_restaurant_adds_service_charge_and_pb1_and_rounds_cash() {
    let kasir = Kasir::new();
    for args in [
        vec!["settings", "set", "price-mode", "tax-excluded"],
        vec![
            "settings",
            "rate",
            "pb1",
            "--label",
            "PB1 10%",
            "--percent",
            "10",
        ],
        vec![
            "settings", "category", "pb1", "--label", "Restoran", "--rates", "pb1",
        ],
        vec!["settings", "set", "service-tax", "pb1"],
        vec!["settings", "set", "cash-rounding", "100"],
    ] {
        let out = kasir.run(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    let menu = kasir._dir.path().join("menu.csv");
    std::fs::write(
        &menu,
        "gtin,sku,name,price,tax_category,unit\n2000000000015,NG,Nasi Goreng,25000,pb1,each\n",
    )
    .unwrap();
    assert!(
        kasir
            .run(&["catalog", "import", menu.to_str().unwrap()])
            .status
            .success()
    );

    let out = kasir.run_with_input(
        &["--json", "register"],
        "2*NG\ndiscount 10%\nservice 5%\npay cash\n",
    );

    assert!(out.status.success(), "{}", text(&out.stderr));
    let sale = &sales_in(&out)[0];
    // 50,000 - 10% = 45,000; service 5% = 2,250; PB1 10% of 47,250 = 4,725; total 51,975,
    // paid in cash rounded to Rp 100: 52,000.
    assert_eq!(sale["items_total"], "45000");
    assert_eq!(sale["charges_total"], "2250");
    assert_eq!(sale["tax_total"], "4725");
    assert_eq!(sale["total"], "51975");
    assert_eq!(sale["cash_rounding"], "25");
    assert_eq!(sale["tenders"][0]["amount"], "52000");
}

#[test]
fn a_tip_is_untaxed_unless_the_store_sets_a_tip_tax() {
    let sale_with_tip = |tip_tax: Option<&str>| {
        let kasir = Kasir::new();
        let mut setup = vec![
            vec!["settings", "set", "price-mode", "tax-excluded"],
            vec![
                "settings",
                "rate",
                "pb1",
                "--label",
                "PB1 10%",
                "--percent",
                "10",
            ],
            vec![
                "settings", "category", "pb1", "--label", "Restoran", "--rates", "pb1",
            ],
        ];
        if let Some(category) = tip_tax {
            setup.push(vec!["settings", "set", "tip-tax", category]);
        }
        for args in setup {
            let out = kasir.run(&args);
            assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        }
        let shown = text(&kasir.run(&["settings", "show"]).stdout);
        assert!(
            shown.contains(&format!("tip-tax         {}", tip_tax.unwrap_or("none"))),
            "{shown}"
        );
        let menu = kasir._dir.path().join("menu.csv");
        std::fs::write(
            &menu,
            "gtin,sku,name,price,tax_category,unit\n2000000000015,NG,Nasi Goreng,25000,pb1,each\n",
        )
        .unwrap();
        assert!(
            kasir
                .run(&["catalog", "import", menu.to_str().unwrap()])
                .status
                .success()
        );
        let out = kasir.run_with_input(&["--json", "register"], "2*NG\ntip 5000\npay cash\n");
        assert!(out.status.success(), "{}", text(&out.stderr));
        sales_in(&out)[0].clone()
    };

    // 2 x 25,000 = 50,000 and a Rp 5,000 tip. Untaxed: PB1 10% of 50,000 = 5,000, total
    // 60,000. Taxed as PB1: 10% of 55,000 = 5,500, total 60,500.
    let untaxed = sale_with_tip(None);
    assert_eq!(untaxed["items_total"], "50000");
    assert_eq!(untaxed["charges_total"], "5000");
    assert_eq!(untaxed["tax_total"], "5000");
    assert_eq!(untaxed["total"], "60000");

    let taxed = sale_with_tip(Some("pb1"));
    assert_eq!(taxed["charges_total"], "5000");
    assert_eq!(taxed["tax_total"], "5500");
    assert_eq!(taxed["total"], "60500");

    let kasir = Kasir::new();
    let out = kasir.run(&["settings", "set", "tip-tax", "nope"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("tip_tax_category") && stderr.contains("nope"),
        "{stderr}"
    );
    let shown = text(&kasir.run(&["settings", "show"]).stdout);
    assert!(shown.contains("tip-tax         none"), "{shown}");
}

#[test]
fn catalog_import_is_all_or_nothing_unless_told_otherwise() {
    let kasir = Kasir::new();
    let before = kasir.json(&["catalog", "search", "Best Wok"]);

    let out = kasir.run(&["catalog", "import", data("bad-rows.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 3 (8853508103007): gtin: EAN-13"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 13 (no gtin): gtin: is empty"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(kasir.json(&["catalog", "search", "Best Wok"]), before);

    let report = kasir.json(&[
        "catalog",
        "import",
        "--skip-invalid",
        data("bad-rows.csv").to_str().unwrap(),
    ]);
    let imported = report["added"].as_u64().unwrap() + report["updated"].as_u64().unwrap();
    assert_eq!(imported, 3);
    assert_eq!(report["rejected"].as_array().unwrap().len(), 12);
}

#[test]
fn every_code_form_and_the_sku_find_the_product() {
    let kasir = Kasir::new();
    let by_ean = kasir.json(&["catalog", "show", "8990121011028"]);
    assert_eq!(kasir.json(&["catalog", "show", "08990121011028"]), by_ean);
    assert_eq!(kasir.json(&["catalog", "show", "SKU-00126"]), by_ean);
    let out = kasir.run(&["catalog", "show", "4006381333931"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("product `4006381333931` not found"));
}

#[test]
fn errors_go_to_stderr_with_a_nonzero_exit() {
    let kasir = Kasir::new();
    for args in [
        vec!["receipt", "D01-999999"],
        vec!["report", "day", "03-12-2026"],
        vec!["catalog", "import", "/nonexistent.csv"],
        vec!["settings", "set", "timezone", "Mars/Olympus"],
    ] {
        let out = kasir.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?} printed {}",
            text(&out.stdout)
        );
        assert!(
            text(&out.stderr).starts_with("kasir: "),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// A deterministic pseudo-random sequence, so that a failing crash test can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

fn check_store_consistency(path: &Path) -> (i64, i64) {
    let db = rusqlite::Connection::open(path).unwrap();
    let query = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    let sales = query("SELECT count(*) FROM sales");
    assert_eq!(
        query("SELECT count(*) FROM outbox"),
        sales,
        "every sale has exactly one event"
    );
    assert_eq!(
        query("SELECT coalesce(max(receipt_seq), 0) FROM sales"),
        sales,
        "receipt numbers have no gap"
    );
    assert_eq!(
        query(
            "SELECT count(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)"
        ),
        0
    );
    assert_eq!(
        query(
            "SELECT count(*) FROM sales s WHERE NOT EXISTS (SELECT 1 FROM sale_tenders t WHERE t.sale_id = s.id)"
        ),
        0
    );
    assert_eq!(
        query("SELECT coalesce(sum(quantity_milli), 0) FROM sale_lines"),
        -query("SELECT coalesce(sum(delta_milli), 0) FROM stock_moves"),
        "every sold unit left stock exactly once"
    );
    (
        sales,
        query("SELECT stock_milli FROM items WHERE gtin = '08990121011028'"),
    )
}

#[test]
fn a_killed_register_leaves_whole_sales_or_none() {
    let kasir = Kasir::new();
    assert!(kasir.run(&["outbox"]).status.success());
    let (_, initial_stock) = check_store_consistency(&kasir.store);
    let script: String = (0..400)
        .map(|_| "8990121011028\n8998866200837\npay cash\n")
        .collect();
    let mut random = Lcg(20261203);

    let mut kills = 0;
    for _ in 0..40 {
        let mut child = kasir
            .command(&["--json", "register"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = {
            let script = script.clone();
            std::thread::spawn(move || {
                let _ = stdin.write_all(script.as_bytes());
            })
        };
        std::thread::sleep(Duration::from_millis(5 + random.next(60)));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let _ = feeder.join();

        let (sales, stock) = check_store_consistency(&kasir.store);
        assert_eq!(
            stock,
            initial_stock - sales * 1000,
            "stock follows the committed sales"
        );
    }
    assert!(kills >= 30, "only {kills} runs were killed mid-way");
    let (sales, _) = check_store_consistency(&kasir.store);
    assert!(sales > 0, "no sale was ever committed");
}

#[test]
fn rupiah_typed_with_a_thousands_dot_is_refused_not_read_as_three() {
    let kasir = Kasir::new();
    let out = kasir.run_with_input(&["register"], "8990121011028\npay cash 3.000\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("type them without dots or commas, like 3000"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(kasir.json(&["sales", "list"]), serde_json::json!([]));
}

#[test]
fn payments_can_be_removed_to_change_the_sale_again() {
    let kasir = Kasir::new();
    let script = "8990121011028\npay card 1000 approval=A1 last4=4242\ndiscount 10%\n";
    let out = kasir.run_with_input(&["register"], script);
    assert!(
        text(&out.stderr).contains("payment has started"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("a card payment of 1.000 was taken; reverse it on the terminal"),
        "{}",
        text(&out.stderr)
    );

    let script = "8990121011028\npay card 1000 approval=A1 last4=4242\nvoid payments\ndiscount 10%\npay cash\n";
    let out = kasir.run_with_input(&["--json", "register"], script);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sale = &sales_in(&out)[0];
    assert_eq!(sale["total"], "3600");
    assert_eq!(sale["tenders"].as_array().unwrap().len(), 1);
}

#[test]
fn a_sale_discounted_to_nothing_is_recorded_without_a_tender() {
    let kasir = Kasir::new();
    let out = kasir.run_with_input(
        &["--json", "register"],
        "8990121011028\ndiscount 100%\npay cash\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sale = &sales_in(&out)[0];
    assert_eq!(sale["total"], "0");
    assert_eq!(sale["tenders"], serde_json::json!([]));
}

#[test]
fn a_new_order_discount_replaces_the_old_and_none_removes_it() {
    let kasir = Kasir::new();
    let out = kasir.run_with_input(
        &["--json", "register"],
        "8990121011028\ndiscount 10%\ndiscount 20%\npay cash\n",
    );
    assert_eq!(sales_in(&out)[0]["total"], "3200");
    let out = kasir.run_with_input(
        &["--json", "register"],
        "8990121011028\ndiscount 10%\ndiscount none\npay cash\n",
    );
    assert_eq!(sales_in(&out)[0]["total"], "4000");
}

#[test]
fn the_receipt_column_adds_up_with_line_discounts() {
    let kasir = Kasir::new();
    let out = kasir.run_with_input(
        &["register"],
        "8990121011028\ndiscount 1 500\n8998866200837\ndiscount 10%\npay cash\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let receipt = text(&kasir.run(&["receipt", "D01-000001"]).stdout);
    // 4,000 - 500 + 3,500 = 7,000; 10% off = 700; total 6,300.
    assert!(
        receipt.contains("Subtotal (2 item)                    7.000"),
        "{receipt}"
    );
    assert!(
        receipt.contains("Diskon 10%                            -700"),
        "{receipt}"
    );
    assert!(
        receipt.contains("TOTAL                             Rp 6.300"),
        "{receipt}"
    );
}

#[test]
fn a_mistyped_store_path_is_not_a_new_empty_shop() {
    let kasir = Kasir::new();
    let missing = kasir._dir.path().join("typo.db");
    let out = Command::new(env!("CARGO_BIN_EXE_kasir"))
        .args(["--store", missing.to_str().unwrap(), "sales", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no store at"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists());
}

#[test]
fn json_mode_reports_errors_as_json() {
    let kasir = Kasir::new();
    let out = kasir.run(&["--json", "receipt", "D01-999999"]);
    assert_eq!(out.status.code(), Some(1));
    let error: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"], "receipt `D01-999999` not found");
}
