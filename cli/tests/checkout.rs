//! Gift cards and loyalty at the `kasir` register, on a device that is not enrolled (so every
//! gift card tender is taken offline, within the merchant's limits): selling and loading a
//! card, paying with one alongside cash, customers earning and redeeming points, and a
//! refund of a sale paid partly with a gift card and with points.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const CARD: &str = "GC-7F3K-92QD";
/// Kecap Manis, 4,000 with PPN.
const KECAP: &str = "8990121011028";
/// Ultra Milk, 7,500, exempt from PPN.
const MILK: &str = "8998009010552";
const PHONE: &str = "0812-3456-7890";

struct Kasir {
    _dir: tempfile::TempDir,
    store: PathBuf,
}

impl Kasir {
    fn new() -> Kasir {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("kasir.db");
        let kasir = Kasir { _dir: dir, store };
        kasir.ok(&["init"]);
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

    fn run(&self, args: &[&str], input: &str) -> Output {
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

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Runs a register script in JSON mode; the recorded sales.
    fn sell(&self, script: &str) -> Vec<Value> {
        let out = self.run(&["--json", "register"], script);
        assert!(out.status.success(), "{script}: {}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|v: &Value| v.get("receipt_number").is_some())
            .collect()
    }

    fn points(&self) -> i64 {
        self.json(&["customer", "show", PHONE])["customer"]["points"]
            .as_i64()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn limits(kasir: &Kasir) {
    kasir.ok(&[
        "giftcard",
        "limits",
        "--per-redemption",
        "50000",
        "--per-card",
        "60000",
    ]);
}

#[test]
fn a_gift_card_sold_at_the_register_pays_part_of_the_next_sale_offline() {
    let kasir = Kasir::new();
    limits(&kasir);

    let sold = kasir.sell(&format!("giftcard sell 100000 {CARD}\npay cash\n"));
    assert_eq!(sold.len(), 1);
    assert_eq!(sold[0]["total"], "100000");
    assert_eq!(sold[0]["tax_total"], "0");
    assert_eq!(sold[0]["gift_cards"][0]["kind"], "issue");
    assert_eq!(sold[0]["gift_cards"][0]["number"], CARD);

    // Two Kecap Manis (8,000) and a milk (7,500): 20,000 of it... more than is due is refused,
    // then 10,000 from the card and the rest in cash.
    let script = format!("{KECAP}\n{KECAP}\n{MILK}\npay gift {CARD} 20000\n");
    let refused = kasir.run(&["register"], &script);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("more than the 15.500 still due"),
        "{}",
        text(&refused.stderr)
    );
    let paid = kasir.sell(&format!(
        "{KECAP}\n{KECAP}\n{MILK}\npay gift {CARD} 10000\npay cash 10000\n"
    ));
    assert_eq!(paid.len(), 1);
    let tenders = paid[0]["tenders"].as_array().unwrap();
    assert_eq!(tenders[0]["method"], "giftcard");
    assert_eq!(tenders[0]["amount"], "10000");
    assert_eq!(tenders[1]["method"], "cash");
    assert_eq!(paid[0]["change"], "4500");

    let card = kasir.json(&["giftcard", "balance", CARD]);
    assert_eq!(card["spent_offline"], "10000");
    assert_eq!(card["available_offline"], "50000");
    // The receipt prints the card masked.
    let receipt = kasir.ok(&["receipt", "D01-000002"]);
    assert!(receipt.contains("GC-****-92QD"), "{receipt}");
    assert!(!receipt.contains(CARD), "{receipt}");
}

#[test]
fn a_dropped_sale_takes_nothing_from_the_card() {
    let kasir = Kasir::new();
    limits(&kasir);
    kasir.sell(&format!("giftcard sell 40000 {CARD}\npay cash\n"));
    // A script that stops before the sale is paid: the offline tender is never written.
    let out = kasir.run(&["register"], &format!("{KECAP}\npay gift {CARD} 2000\n"));
    assert!(!out.status.success());
    let out = kasir.run(
        &["register"],
        &format!("{KECAP}\npay gift {CARD} 2000\nvoid sale\nquit\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let card = kasir.json(&["giftcard", "balance", CARD]);
    assert_eq!(card["spent_offline"], "0");
    // Without an amount, the card pays all it may (up to what is due).
    let paid = kasir.sell(&format!("{KECAP}\npay gift {CARD}\n"));
    assert_eq!(paid[0]["tenders"][0]["amount"], "4000");
    assert_eq!(
        kasir.json(&["giftcard", "balance", CARD])["spent_offline"],
        "4000"
    );
}

#[test]
fn a_load_is_its_own_line_and_a_card_cannot_be_sold_twice() {
    let kasir = Kasir::new();
    kasir.sell(&format!("giftcard sell 50000 {CARD}\npay cash\n"));
    let again = kasir.run(&["register"], &format!("giftcard sell 50000 {CARD}\n"));
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("giftcard load"),
        "{}",
        text(&again.stderr)
    );
    // A load beside a discounted item: the discount and the tax leave the card alone.
    let sale = kasir.sell(&format!(
        "{KECAP}\ndiscount 10%\ngiftcard load {CARD} 25000\npay cash 30000\n"
    ));
    assert_eq!(sale[0]["discount_total"], "400");
    assert_eq!(sale[0]["total"], "28600");
    assert_eq!(sale[0]["gift_cards"][0]["amount"], "25000");
    assert_eq!(sale[0]["gift_cards"][0]["kind"], "load");
    let card = kasir.json(&["giftcard", "balance", CARD]);
    assert_eq!(card["balance"], "75000");
    let bad = kasir.run(&["register"], "giftcard sell 0\n");
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("amount"),
        "{}",
        text(&bad.stderr)
    );
}

fn loyal() -> Kasir {
    let kasir = Kasir::new();
    kasir.ok(&[
        "customer",
        "rule",
        "--spend-per-point",
        "1000",
        "--point-value",
        "100",
    ]);
    let added = kasir.json(&[
        "customer",
        "add",
        "Siti Rahayu",
        "--phone",
        PHONE,
        "--birth-year",
        "1990",
        "--gender",
        "f",
        "--consent",
    ]);
    assert_eq!(added["phone"], "081234567890");
    kasir
}

#[test]
fn customers_are_added_only_with_consent() {
    let kasir = Kasir::new();
    let out = kasir.run(&["customer", "add", "Budi", "--phone", "0811111111"], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("consent"),
        "{}",
        text(&out.stderr)
    );
    let list = kasir.json(&["customer", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[test]
fn a_customer_earns_points_redeems_them_and_the_receipt_shows_both() {
    let kasir = loyal();
    // 3 x 4,000 + 7,500 = 19,500: 19 points at one a 1,000.
    let out = kasir.run(
        &["register"],
        &format!("customer {PHONE}\n3*{KECAP}\n{MILK}\npay cash 20000\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let receipt = text(&out.stdout);
    assert!(receipt.contains("Poin didapat"), "{receipt}");
    assert!(receipt.contains("+19"), "{receipt}");
    assert_eq!(kasir.points(), 19);

    // 10 points are 1,000 off a 4,000 Kecap: 3,000 to pay, which earns 3.
    let sale = kasir.sell(&format!(
        "customer {PHONE}\n{KECAP}\nredeem points 10\npay cash\n"
    ));
    assert_eq!(sale[0]["discount_total"], "1000");
    assert_eq!(sale[0]["total"], "3000");
    assert_eq!(kasir.points(), 19 - 10 + 3);
    let too_many = kasir.run(
        &["register"],
        &format!("customer {PHONE}\n{KECAP}\nredeem points 500\n"),
    );
    assert!(!too_many.status.success());
    assert!(
        text(&too_many.stderr).contains("12 points, fewer than 500"),
        "{}",
        text(&too_many.stderr)
    );
    let shown = kasir.json(&["customer", "show", PHONE]);
    let kinds: Vec<&str> = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["earn", "redeem", "earn"]);
}

#[test]
fn a_refund_of_a_sale_paid_with_points_and_a_gift_card_gives_each_back_once() {
    let kasir = loyal();
    limits(&kasir);
    kasir.sell(&format!("giftcard sell 50000 {CARD}\npay cash\n"));
    // 100 points from a sale of 100,000 worth of milk... 14 milks: 105,000 = 105 points.
    kasir.sell(&format!("customer {PHONE}\n14*{MILK}\npay cash\n"));
    assert_eq!(kasir.points(), 105);
    // 2 milks (15,000) less 50 points (5,000) = 10,000: 4,000 from the gift card, the rest in
    // cash; it earns 10 points.
    let sale = kasir.sell(&format!(
        "customer {PHONE}\n2*{MILK}\nredeem points 50\npay gift {CARD} 4000\npay cash\n"
    ));
    assert_eq!(sale[0]["total"], "10000");
    assert_eq!(kasir.points(), 105 - 50 + 10);
    let receipt = sale[0]["receipt_number"].as_str().unwrap().to_string();
    assert_eq!(
        kasir.json(&["giftcard", "balance", CARD])["spent_offline"],
        "4000"
    );

    // The whole sale back: the 10 points it earned are reversed, the 50 it redeemed are not
    // given back (the default policy), and 4,000 goes back onto the card.
    let refund = kasir.json(&["refund", &receipt]);
    assert_eq!(refund["total"], "10000");
    assert_eq!(kasir.points(), 105 - 50);
    let methods: Vec<&str> = refund["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, vec!["giftcard", "cash"]);
    // A second refund of the same sale is refused, and changes no points.
    let again = kasir.run(&["refund", &receipt], "");
    assert!(!again.status.success());
    assert_eq!(kasir.points(), 55);
    let shown = kasir.json(&["customer", "show", PHONE]);
    let kinds: Vec<&str> = shown["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["earn", "redeem", "earn", "reverse_earn"]);
    // The card's credit waits in the outbox for the cloud, beside the points' entries.
    let db = rusqlite::Connection::open(&kasir.store).unwrap();
    let (count, payload): (i64, String) = db
        .query_row(
            "SELECT count(*), max(payload) FROM outbox WHERE kind = 'GiftCardRefunded'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(count, 1);
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["amount"], "4000");
    assert_eq!(payload["number"], CARD);
    assert!(kasir.json(&["status"])["waiting"].as_u64().unwrap() > 0);
}

#[test]
fn a_scanned_member_card_attaches_its_customer() {
    let kasir = loyal();
    let id = kasir.json(&["customer", "show", PHONE])["customer"]["customer"]["id"]
        .as_str()
        .unwrap()
        .to_ascii_uppercase();
    let out = kasir.run(
        &["register"],
        &format!("KASIR:MEMBER:{id}\n2*{KECAP}\npay cash\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Poin didapat"));
    assert_eq!(kasir.points(), 8);
    // A member number that is no customer id attaches nobody.
    let out = kasir.run(&["register"], "KASIR:MEMBER:M-000381\nquit\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("not a customer of this store"));
}

#[test]
fn a_card_reader_charges_the_gift_card_sold_with_the_items() {
    let kasir = Kasir::new();
    let out = kasir.run(
        &["register"],
        &format!("{KECAP}\ngiftcard sell 20000 {CARD}\npay reader\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sales = kasir.json(&["sales", "list"]);
    assert_eq!(sales[0]["total"], "24000", "{sales}");
}

#[test]
fn tiers_multiply_points_and_the_store_may_restore_redeemed_points_on_a_refund() {
    let kasir = Kasir::new();
    kasir.ok(&[
        "customer",
        "rule",
        "--spend-per-point",
        "1000",
        "--point-value",
        "100",
        "--tier",
        "Silver:10000:2",
        "--restore-redeemed",
    ]);
    let rule = kasir.json(&["customer", "rule"]);
    assert_eq!(rule["tiers"][0]["name"], "Silver");
    assert_eq!(rule["restore_redeemed_on_refund"], true);
    kasir.ok(&["customer", "add", "Siti", "--phone", PHONE, "--consent"]);
    // 12,000 before any tier: 12 points; then Silver (12,000 spent): twice as many.
    kasir.sell(&format!("customer {PHONE}\n3*{KECAP}\npay cash\n"));
    assert_eq!(kasir.points(), 12);
    kasir.sell(&format!("customer {PHONE}\n3*{KECAP}\npay cash\n"));
    assert_eq!(kasir.points(), 36);
    let list = kasir.json(&["customer", "list"]);
    assert_eq!(list[0]["tier"], "Silver");
    // 10 points off a Kecap (3,000 to pay, 6 points at Silver), then the sale refunded: its
    // 6 points reversed and, by the store's policy, its 10 points given back.
    let sale = kasir.sell(&format!(
        "customer {PHONE}\n{KECAP}\nredeem points 10\npay cash\n"
    ));
    assert_eq!(kasir.points(), 36 - 10 + 6);
    kasir.json(&["refund", sale[0]["receipt_number"].as_str().unwrap()]);
    assert_eq!(kasir.points(), 36);
    let bad = kasir.run(
        &[
            "customer",
            "rule",
            "--spend-per-point",
            "1000",
            "--point-value",
            "100",
            "--tier",
            "Gold",
        ],
        "",
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("NAME:MIN_LIFETIME_SPEND:MULTIPLIER"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn the_day_report_says_how_much_of_the_total_is_gift_cards() {
    let kasir = Kasir::new();
    kasir.sell(&format!("giftcard sell 100000 {CARD}\n{KECAP}\npay cash\n"));
    kasir.sell(&format!("{KECAP}\npay cash\n"));
    let report = kasir.json(&["report", "day"]);
    assert_eq!(report["total"], "108000");
    assert_eq!(report["gift_cards_sold"], "100000");
    let text = kasir.ok(&["report", "day"]);
    assert!(text.contains("termasuk kartu hadiah"), "{text}");
}

#[test]
fn the_owner_corrects_points_up_and_down_but_not_by_nothing() {
    let kasir = loyal();
    let up = kasir.json(&["customer", "adjust", PHONE, "25"]);
    assert_eq!(up["points"], 25);
    let down = kasir.json(&["customer", "adjust", PHONE, "-5"]);
    assert_eq!(down["points"], 20);
    assert_eq!(kasir.points(), 20);
    let zero = kasir.run(&["customer", "adjust", PHONE, "0"], "");
    assert!(!zero.status.success());
    assert!(
        text(&zero.stderr).contains("points"),
        "{}",
        text(&zero.stderr)
    );
    assert_eq!(kasir.points(), 20);
}

#[test]
fn a_payment_after_a_gift_card_settled_the_sale_says_it_is_paid() {
    let kasir = Kasir::new();
    limits(&kasir);
    kasir.sell(&format!("giftcard sell 40000 {CARD}\npay cash\n"));
    // The card pays the whole sale, which is recorded at once; the cash the clerk then types
    // finds no open sale.
    let out = kasir.run(
        &["register"],
        &format!("{KECAP}\npay gift {CARD}\npay cash\n"),
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "sale D01-000002 is already paid and recorded; the next item starts a new sale"
        ),
        "{err}"
    );
    assert!(!err.contains("the sale has no items"), "{err}");
    // The next item does start a new sale, and after it is voided the register says plainly
    // that the sale is empty.
    let out = kasir.run(
        &["register"],
        &format!("{KECAP}\npay gift {CARD}\n{MILK}\nvoid sale\npay cash\n"),
    );
    let err = text(&out.stderr);
    assert!(err.contains("the sale has no items"), "{err}");
    assert_eq!(
        kasir.json(&["giftcard", "balance", CARD])["spent_offline"],
        "8000"
    );
}
