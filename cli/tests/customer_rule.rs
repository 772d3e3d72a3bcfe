//! `kasir customer rule`: a first rule needs its spend per point and point value; after that
//! each option given changes only itself and the rest of the rule is kept.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

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
        kasir.ok(&["init"]);
        kasir
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kasir"))
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("KASIR_STORE")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn refused(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} was accepted");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn rule(&self) -> Value {
        serde_json::from_str(&self.ok(&["--json", "customer", "rule"])).unwrap()
    }
}

fn with_rule() -> Kasir {
    let kasir = Kasir::new();
    kasir.ok(&[
        "customer",
        "rule",
        "--spend-per-point",
        "10000",
        "--point-value",
        "100",
        "--tier",
        "Silver:1000000:1.5",
        "--tier",
        "Gold:5000000:2",
    ]);
    kasir
}

#[test]
fn restore_redeemed_alone_changes_only_the_policy() {
    let kasir = with_rule();
    let before = kasir.rule();

    kasir.ok(&["customer", "rule", "--restore-redeemed"]);
    let after = kasir.rule();

    assert_eq!(before["restore_redeemed_on_refund"], false);
    assert_eq!(after["restore_redeemed_on_refund"], true);
    for kept in ["spend_per_point", "point_value", "rounding", "tiers"] {
        assert_eq!(after[kept], before[kept], "{kept}");
    }
    assert_eq!(after["tiers"].as_array().unwrap().len(), 2);

    kasir.ok(&["customer", "rule", "--restore-redeemed=false"]);
    assert_eq!(kasir.rule()["restore_redeemed_on_refund"], false);
}

#[test]
fn each_option_alone_keeps_the_rest_of_the_rule() {
    let kasir = with_rule();
    kasir.ok(&["customer", "rule", "--restore-redeemed"]);

    kasir.ok(&["customer", "rule", "--point-value", "250"]);
    let value = kasir.rule();
    kasir.ok(&["customer", "rule", "--spend-per-point", "5000"]);
    let spend = kasir.rule();
    kasir.ok(&["customer", "rule", "--tier", "Platinum:9000000:3"]);
    let tiers = kasir.rule();
    kasir.ok(&["customer", "rule", "--no-tiers"]);
    let none = kasir.rule();

    assert_eq!(value["point_value"], "250");
    assert_eq!(value["spend_per_point"], "10000");
    assert_eq!(value["tiers"].as_array().unwrap().len(), 2);
    assert_eq!(value["restore_redeemed_on_refund"], true);
    assert_eq!(spend["spend_per_point"], "5000");
    assert_eq!(spend["point_value"], "250");
    // The tiers given replace the rule's tiers; the rest stays.
    let names: Vec<&str> = tiers["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Platinum"]);
    assert_eq!(tiers["spend_per_point"], "5000");
    assert_eq!(tiers["restore_redeemed_on_refund"], true);
    assert!(none["tiers"].as_array().unwrap().is_empty());
    assert_eq!(none["point_value"], "250");
}

#[test]
fn without_a_rule_the_required_options_are_named_and_nothing_is_set() {
    let kasir = Kasir::new();

    let alone = kasir.refused(&["customer", "rule", "--restore-redeemed"]);
    let half = kasir.refused(&["customer", "rule", "--point-value", "100"]);

    assert!(alone.contains("no points rule yet"), "{alone}");
    assert!(
        alone.contains("--spend-per-point and --point-value"),
        "{alone}"
    );
    assert!(
        half.contains("give --spend-per-point to make one"),
        "{half}"
    );
    assert!(!half.contains("--point-value to"), "{half}");
    assert_eq!(kasir.rule(), Value::Null);
}

#[test]
fn a_bad_option_changes_nothing() {
    let kasir = with_rule();
    let before = kasir.rule();

    let bad_tier = kasir.refused(&["customer", "rule", "--point-value", "300", "--tier", "Gold"]);
    let bad_amount = kasir.refused(&["customer", "rule", "--spend-per-point", "10.000"]);
    let both = kasir.refused(&["customer", "rule", "--tier", "Gold:1:2", "--no-tiers"]);

    assert!(
        bad_tier.contains("NAME:MIN_LIFETIME_SPEND:MULTIPLIER"),
        "{bad_tier}"
    );
    assert!(bad_amount.contains("spend-per-point"), "{bad_amount}");
    assert!(both.contains("--no-tiers"), "{both}");
    assert_eq!(kasir.rule(), before);
}
