//! `kasir customer erase`: a manager erases a customer's personal data; their points and the
//! erasure's event stay for the cloud.

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
            .env_remove("KASIR_STAFF")
            .env_remove("KASIR_PIN")
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

    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.store).unwrap()
    }
}

const PHONE: &str = "0812-3456-7890";

fn with_customer() -> (Kasir, String) {
    let kasir = Kasir::new();
    let added: Value = serde_json::from_str(&kasir.ok(&[
        "--json",
        "customer",
        "add",
        "Siti Rahayu",
        "--phone",
        PHONE,
        "--email",
        "siti@example.id",
        "--birth-year",
        "1990",
        "--consent",
    ]))
    .unwrap();
    kasir.ok(&["customer", "adjust", PHONE, "25"]);
    (kasir, added["id"].as_str().unwrap().to_string())
}

#[test]
fn a_manager_erases_a_customer_and_the_points_stay() {
    let (kasir, id) = with_customer();
    kasir.ok(&[
        "staff",
        "add",
        "Mira",
        "--role",
        "manager",
        "--new-pin",
        "9876",
    ]);
    kasir.ok(&[
        "staff",
        "add",
        "Ani",
        "--new-pin",
        "1234",
        "--staff",
        "Mira",
        "--pin",
        "9876",
    ]);
    let err = kasir.refused(&["customer", "erase", PHONE]);
    assert!(err.contains("needs a staff sign-in"), "{err}");
    let err = kasir.refused(&[
        "customer", "erase", PHONE, "--staff", "Ani", "--pin", "1234",
    ]);
    assert!(err.contains("needs a manager's PIN"), "{err}");
    assert!(kasir.ok(&["customer", "list"]).contains("Siti Rahayu"));

    let erased: Value = serde_json::from_str(&kasir.ok(&[
        "--json", "customer", "erase", PHONE, "--staff", "Mira", "--pin", "9876",
    ]))
    .unwrap();
    assert_eq!(erased["customer_id"], id);
    assert_eq!(erased["points"], 25);

    assert!(!kasir.ok(&["customer", "list"]).contains("Siti"));
    let err = kasir.refused(&["customer", "show", PHONE]);
    assert!(err.contains("not found"), "{err}");
    assert!(!err.contains("3456"), "the phone number in an error: {err}");
    let err = kasir.refused(&["customer", "erase", &id, "--staff", "Mira", "--pin", "9876"]);
    assert!(err.contains("was erased"), "{err}");
    let err = kasir.refused(&[
        "customer",
        "erase",
        "0899-0000-0000",
        "--staff",
        "Mira",
        "--pin",
        "9876",
    ]);
    assert!(
        err.contains("customer") && err.contains("not found"),
        "{err}"
    );

    let db = kasir.db();
    let (name, phone, email, birth): (Option<String>, Option<String>, Option<String>, Option<i64>) =
        db.query_row(
            "SELECT name, phone, email, birth_year FROM customers WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((name, phone, email, birth), (None, None, None, None));
    let points: i64 = db
        .query_row(
            "SELECT sum(points) FROM loyalty_entries WHERE customer_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(points, 25);
    let payloads: Vec<(String, String)> = db
        .prepare("SELECT kind, payload FROM outbox ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        payloads.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        vec!["CustomerAdded", "LoyaltyPoints", "CustomerErased"]
    );
    for (_, payload) in &payloads {
        assert!(
            !payload.contains("Siti") && !payload.contains("siti@"),
            "{payload}"
        );
    }
}

#[test]
fn before_the_store_has_staff_anyone_erases() {
    let (kasir, id) = with_customer();
    let out = kasir.ok(&["customer", "erase", "siti@example.id"]);
    assert!(out.contains(&id), "{out}");
    assert!(out.contains("25 points"), "{out}");
    assert!(!out.contains("Siti"), "{out}");
}
