//! The schema, as an ordered list of migrations. A migration, once released, never changes;
//! a change to the schema is a new migration at the end.

use rusqlite_migration::{M, Migrations};

/// Every migration, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(include_str!("migrations/qr_payments.sql")),
        M::up(include_str!("migrations/loyalty.sql")),
        M::up(include_str!("migrations/giftcard_tenders.sql")),
        M::up(include_str!("migrations/refunds.sql")),
        M::up(include_str!("migrations/staff_shifts.sql")),
        M::up(include_str!("migrations/loyalty_spend.sql")),
        M::up(include_str!("migrations/receipt_links.sql")),
        M::up(include_str!("migrations/staff_lockout.sql")),
        M::up(include_str!("migrations/outbox_sale_index.sql")),
        M::up(include_str!("migrations/customer_erasure.sql")),
    ])
}

const V1: &str = r#"
-- Key-value settings: the store's settings and the device's identity, as JSON.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Monotonic per-device counters (receipt numbers, outbox sequence). Incremented inside the
-- transaction that uses the number, so a rolled-back sale leaves no gap.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO counters (name, value) VALUES ('receipt', 0), ('outbox', 0);

-- The catalog. Money is stored in minor units of the store's currency, quantities in
-- thousandths, so that sums in SQL are exact integer sums.
CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    gtin         TEXT NOT NULL UNIQUE CHECK (length(gtin) = 14),
    sku          TEXT,
    name         TEXT NOT NULL CHECK (name <> ''),
    price_minor  INTEGER NOT NULL CHECK (price_minor >= 0),
    tax_category TEXT NOT NULL,
    unit         TEXT NOT NULL CHECK (unit IN ('each', 'kg')),
    category     TEXT,
    stock_milli  INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX items_sku ON items (sku) WHERE sku IS NOT NULL;

CREATE VIRTUAL TABLE items_fts USING fts5 (
    name, sku, category,
    content = 'items', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, name, sku, category) VALUES (new.id, new.name, new.sku, new.category);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, name, sku, category)
    VALUES ('delete', old.id, old.name, old.sku, old.category);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF name, sku, category ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, name, sku, category)
    VALUES ('delete', old.id, old.name, old.sku, old.category);
    INSERT INTO items_fts (rowid, name, sku, category) VALUES (new.id, new.name, new.sku, new.category);
END;

-- Completed sales. The full record is `body` (JSON); the columns are what lists and reports
-- read. Sales are immutable: the triggers below refuse any change.
CREATE TABLE sales (
    id                  TEXT PRIMARY KEY,
    receipt_seq         INTEGER NOT NULL UNIQUE,
    receipt_number      TEXT NOT NULL UNIQUE,
    completed_at        TEXT NOT NULL,
    business_date       TEXT NOT NULL,
    currency            TEXT NOT NULL,
    subtotal_minor      INTEGER NOT NULL,
    discount_minor      INTEGER NOT NULL,
    charges_minor       INTEGER NOT NULL,
    tax_minor           INTEGER NOT NULL,
    total_minor         INTEGER NOT NULL,
    cash_rounding_minor INTEGER NOT NULL,
    line_count          INTEGER NOT NULL,
    body                TEXT NOT NULL
) STRICT;
CREATE INDEX sales_business_date ON sales (business_date);

CREATE TABLE sale_lines (
    sale_id        TEXT NOT NULL REFERENCES sales (id),
    line_no        INTEGER NOT NULL,
    gtin           TEXT NOT NULL,
    name           TEXT NOT NULL,
    quantity_milli INTEGER NOT NULL,
    amount_minor   INTEGER NOT NULL,
    tax_minor      INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
) STRICT;

CREATE TABLE sale_taxes (
    sale_id   TEXT NOT NULL REFERENCES sales (id),
    rate      TEXT NOT NULL,
    label     TEXT NOT NULL,
    percent   TEXT NOT NULL,
    net_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    PRIMARY KEY (sale_id, rate)
) STRICT;

CREATE TABLE sale_tenders (
    sale_id      TEXT NOT NULL REFERENCES sales (id),
    tender_no    INTEGER NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'qr')),
    amount_minor INTEGER NOT NULL,
    change_minor INTEGER NOT NULL,
    PRIMARY KEY (sale_id, tender_no)
) STRICT;

-- Stock movements as deltas, so that sales on several devices all count.
CREATE TABLE stock_moves (
    id          TEXT PRIMARY KEY,
    gtin        TEXT NOT NULL,
    delta_milli INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    sale_id     TEXT REFERENCES sales (id),
    created_at  TEXT NOT NULL
) STRICT;

-- The offline outbox: one immutable event per fact, numbered per device.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    device_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    payload     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'synced', 'rejected')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    synced_at   TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (status, seq);

CREATE TRIGGER sales_no_update BEFORE UPDATE ON sales BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
CREATE TRIGGER sales_no_delete BEFORE DELETE ON sales BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
CREATE TRIGGER sale_lines_no_update BEFORE UPDATE ON sale_lines BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
CREATE TRIGGER sale_lines_no_delete BEFORE DELETE ON sale_lines BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
CREATE TRIGGER sale_tenders_no_update BEFORE UPDATE ON sale_tenders BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
CREATE TRIGGER sale_tenders_no_delete BEFORE DELETE ON sale_tenders BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
CREATE TRIGGER outbox_event_immutable BEFORE UPDATE OF seq, id, device_id, kind, occurred_at, payload ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END;
"#;

const V2: &str = r#"
-- Leases: a sync worker claims a batch of events until `lease_until`; another worker skips
-- claimed events until the lease runs out, so two workers never send the same event at once.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER; -- Unix milliseconds

-- The link to the cloud account and the state of sync: one row.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    server_url      TEXT,
    merchant_id     TEXT,
    store_id        TEXT,
    token           TEXT,
    cursor          TEXT,
    last_attempt_at TEXT,
    last_success_at TEXT,
    last_error      TEXT,
    last_error_at   TEXT
) STRICT;
INSERT INTO sync_state (id) VALUES (1);
"#;

const V3: &str = r#"
-- Printers by name, and the print queue. A job's bytes are kept so that it can be reprinted
-- exactly; `reprint_of` links a reprint to the job it replaces.
CREATE TABLE printers (
    name     TEXT PRIMARY KEY,
    target   TEXT NOT NULL,
    profile  TEXT NOT NULL,
    added_at TEXT NOT NULL
) STRICT;
CREATE TABLE print_jobs (
    id             TEXT PRIMARY KEY,
    printer        TEXT NOT NULL,
    target         TEXT NOT NULL,
    kind           TEXT NOT NULL,
    receipt_number TEXT,
    bytes          BLOB NOT NULL,
    status         TEXT NOT NULL
                   CHECK (status IN ('queued', 'sending', 'printed', 'failed', 'uncertain')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    reprint_of     TEXT REFERENCES print_jobs (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX print_jobs_by_status ON print_jobs (status, created_at);

-- Card payments the reader approved offline, until they are forwarded. Never a card number:
-- the brand and last four digits only.
CREATE TABLE offline_card_payments (
    id             TEXT PRIMARY KEY,
    receipt_number TEXT,
    amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL,
    brand          TEXT NOT NULL,
    last4          TEXT NOT NULL CHECK (length(last4) = 4),
    taken_at       TEXT NOT NULL,
    forwarded_at   TEXT
) STRICT;
"#;

const V4: &str = r#"
-- Gift cards this device has seen: the balance the cloud last told it, and when.
CREATE TABLE gift_cards (
    number              TEXT PRIMARY KEY,
    currency            TEXT NOT NULL,
    known_balance_minor INTEGER NOT NULL,
    known_at            TEXT NOT NULL
) STRICT;

-- Every gift card redemption this device made. `in_known_balance` is 1 once the card's known
-- balance includes it (online ones at once; offline ones when the cloud tells a balance after
-- their event was delivered); the offline ones still at 0 are what was spent offline.
CREATE TABLE gift_card_entries (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL REFERENCES gift_cards (number),
    kind             TEXT NOT NULL
                     CHECK (kind IN ('issue', 'load', 'redeem', 'refund', 'adjust')),
    delta_minor      INTEGER NOT NULL,
    mode             TEXT NOT NULL CHECK (mode IN ('online', 'offline')),
    sale_id          TEXT,
    event_seq        INTEGER REFERENCES outbox (seq),
    in_known_balance INTEGER NOT NULL CHECK (in_known_balance IN (0, 1)),
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX gift_card_entries_card ON gift_card_entries (number, in_known_balance);
"#;

// SKUs are matched without regard to case (a clerk types `ng` for `NG`); an index in the
// default binary collation cannot serve `sku = ? COLLATE NOCASE`, which made every SKU lookup,
// and so every imported row with a SKU, a scan of the whole catalog.
const V5: &str = r#"
DROP INDEX items_sku;
CREATE INDEX items_sku_nocase ON items (sku COLLATE NOCASE) WHERE sku IS NOT NULL;
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }

    /// The migration that rebuilds `loyalty_entries` keeps a store's existing entries as they
    /// were, and its indexes, and from then on takes spend without points.
    #[test]
    fn the_loyalty_spend_rebuild_keeps_the_entries_a_store_already_has() {
        let rebuild = include_str!("migrations/loyalty_spend.sql");
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        let migrations = super::migrations();
        // The version just before the rebuild: count the migrations up to it.
        let source = include_str!("schema.rs");
        let listed: Vec<&str> = source
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("M::up("))
            .collect();
        let index = listed
            .iter()
            .position(|l| l.contains("loyalty_spend.sql"))
            .expect("the rebuild is listed");
        assert!(rebuild.contains("DROP TABLE loyalty_entries"));
        migrations
            .to_version(&mut conn, index)
            .expect("the migrations before the rebuild run");
        conn.execute_batch(
            "INSERT INTO customers (id, name, phone, consent_at, created_at)
                 VALUES ('c1', 'Sari', '0812', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
                     spend_minor, created_at)
                 VALUES ('e1', 'c1', 's1', 's1', 'earn', 10, 100000, '2026-01-02T00:00:00Z'),
                        ('e2', 'c1', 's2', 's2', 'redeem', -5, 0, '2026-01-03T00:00:00Z'),
                        ('e3', 'c1', 'r1', 's1', 'reverse_earn', -10, -100000,
                         '2026-01-04T00:00:00Z'),
                        ('e4', 'c1', 'a1', 'a1', 'adjust', 3, 0, '2026-01-05T00:00:00Z');",
        )
        .expect("entries as the old table took them");
        let rows = |conn: &rusqlite::Connection| -> Vec<(String, String, i64, i64)> {
            let mut statement = conn
                .prepare("SELECT id, kind, points, spend_minor FROM loyalty_entries ORDER BY id")
                .unwrap();
            statement
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let old = rows(&conn);
        assert_eq!(old.len(), 4);

        migrations.to_latest(&mut conn).expect("the rebuild runs");
        assert_eq!(rows(&conn), old);
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index'
                 AND tbl_name = 'loyalty_entries' AND name LIKE 'loyalty_entries_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 2);
        conn.execute(
            "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
                 spend_minor, created_at)
             VALUES ('e5', 'c1', 's3', 's3', 'earn', 0, 2000, '2026-01-06T00:00:00Z')",
            [],
        )
        .expect("spend without points, once refused");
        let refused = conn.execute(
            "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
                 spend_minor, created_at)
             VALUES ('e6', 'c1', 's4', 's4', 'earn', 0, 0, '2026-01-07T00:00:00Z')",
            [],
        );
        assert!(refused.is_err(), "an entry of nothing is still refused");
    }

    /// The migration that rebuilds `customers` for erasure keeps the customers a store has,
    /// and their ledger, and from then on takes an erased customer without phone or email.
    #[test]
    fn the_customer_erasure_rebuild_keeps_customers_and_their_ledger() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let migrations = super::migrations();
        let source = include_str!("schema.rs");
        let index = source
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("M::up("))
            .position(|l| l.contains("customer_erasure.sql"))
            .expect("the rebuild is listed");
        migrations
            .to_version(&mut conn, index)
            .expect("the migrations before the rebuild run");
        conn.execute_batch(
            "INSERT INTO customers (id, name, phone, email, birth_year, gender, consent_at,
                     created_at)
                 VALUES ('c1', 'Sari', '0812', NULL, 1990, 'female', '2026-01-01T00:00:00Z',
                         '2026-01-01T00:00:00Z'),
                        ('c2', 'Budi', NULL, 'budi@example.id', NULL, NULL,
                         '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z');
             INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
                     spend_minor, created_at)
                 VALUES ('e1', 'c1', 's1', 's1', 'earn', 10, 100000, '2026-01-02T00:00:00Z'),
                        ('e2', 'c2', 's2', 's2', 'earn', 4, 40000, '2026-01-03T00:00:00Z');",
        )
        .expect("customers as the old table took them");
        let customers = |conn: &rusqlite::Connection| -> Vec<String> {
            let mut statement = conn
                .prepare(
                    "SELECT id || name || coalesce(phone, '-') || coalesce(email, '-')
                         || coalesce(birth_year, '-') || coalesce(gender, '-') || consent_at
                     FROM customers ORDER BY id",
                )
                .unwrap();
            statement
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let entries = |conn: &rusqlite::Connection| -> Vec<(String, String, i64)> {
            let mut statement = conn
                .prepare("SELECT id, customer_id, points FROM loyalty_entries ORDER BY id")
                .unwrap();
            statement
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let (old_customers, old_entries) = (customers(&conn), entries(&conn));
        assert_eq!(old_customers.len(), 2);

        migrations.to_latest(&mut conn).expect("the rebuild runs");
        assert_eq!(customers(&conn), old_customers);
        assert_eq!(entries(&conn), old_entries);
        let broken: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(broken, 0);
        // An erased row has no personal data at all; a live one still needs a phone or email.
        conn.execute(
            "UPDATE customers SET name = NULL, phone = NULL, birth_year = NULL, gender = NULL,
                 erased_at = '2026-02-01T00:00:00Z' WHERE id = 'c1'",
            [],
        )
        .expect("an erasure");
        assert!(
            conn.execute("UPDATE customers SET name = 'Sari' WHERE id = 'c1'", [])
                .is_err(),
            "a name on an erased customer"
        );
        assert!(
            conn.execute("UPDATE customers SET email = NULL WHERE id = 'c2'", [])
                .is_err(),
            "a live customer without phone or email"
        );
        conn.execute(
            "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind, points,
                 spend_minor, created_at)
             VALUES ('e3', 'c1', 'r1', 's1', 'reverse_earn', -10, -100000,
                     '2026-02-02T00:00:00Z')",
            [],
        )
        .expect("the ledger of an erased customer still takes a refund's reversal");
        assert!(
            conn.execute(
                "INSERT INTO loyalty_entries (id, customer_id, reference_id, sale_id, kind,
                     points, spend_minor, created_at)
                 VALUES ('e4', 'nobody', 's9', 's9', 'earn', 1, 100, '2026-02-02T00:00:00Z')",
                [],
            )
            .is_err(),
            "the ledger still references customers"
        );
    }

    /// The plan SQLite picks for `sql`, one line per step.
    fn plan(conn: &rusqlite::Connection, sql: &str) -> String {
        let mut statement = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("the query prepares");
        let rows = statement
            .query_map([], |r| r.get::<_, String>(3))
            .expect("the plan is read");
        rows.map(|r| r.expect("a plan row"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn whether_a_sale_is_synced_is_read_through_an_index_not_every_payload() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        super::migrations()
            .to_latest(&mut conn)
            .expect("the migrations run");
        let sql = crate::receipt_links::SALE_SYNCED.replace("?1", "'0190a1b2-c3d4'");
        let plan = plan(&conn, &sql);
        assert!(plan.contains("USING INDEX outbox_sale_event"), "{plan}");
        assert!(!plan.contains("SCAN outbox"), "{plan}");
    }

    #[test]
    fn sku_lookups_without_case_use_an_index_not_a_scan() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        super::migrations()
            .to_latest(&mut conn)
            .expect("the migrations run");

        // The two lookups the store makes by SKU: the register's, and the import's check
        // that a SKU is not already another product's.
        for sql in [
            "SELECT gtin FROM items WHERE sku = 'ng' COLLATE NOCASE LIMIT 1",
            "SELECT gtin FROM items WHERE sku = 'ng' COLLATE NOCASE AND gtin <> 'x' LIMIT 1",
        ] {
            let plan = plan(&conn, sql);
            assert!(
                plan.contains("USING INDEX items_sku_nocase"),
                "{sql}: {plan}"
            );
        }
    }
}
