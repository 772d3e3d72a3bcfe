-- kasir-cloud schema, SQLite flavour. The PostgreSQL flavour (../postgres) has the same tables,
-- columns and constraints; only the integer type (INTEGER here, BIGINT there) and SQLite's
-- STRICT differ, so the server's portable SQL runs unchanged on both.
--
-- Money is stored in minor units of the store's currency and quantities in thousandths, as
-- integers, so that report sums are exact. Ids are UUID strings. Timestamps are RFC 3339 UTC
-- text, kept for people; nothing orders or compares by them except enrolment expiry, which is
-- an integer (Unix seconds).

-- A merchant is a cloud account. Its owner token is kept only as a SHA-256 hash.
CREATE TABLE merchants (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    owner_token_hash TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL
) STRICT;

-- A store of a merchant. `settings` is the StoreSettings document (JSON). `change_seq` is the
-- last sequence number given to the store's change feed: writers take the next one by updating
-- this row inside their transaction, which serialises them per store (see src/changes.rs).
CREATE TABLE stores (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    name        TEXT NOT NULL,
    currency    TEXT NOT NULL,
    settings    TEXT NOT NULL,
    change_seq  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX stores_merchant ON stores (merchant_id);

-- One-time enrolment codes, kept as SHA-256 hashes.
CREATE TABLE enrolments (
    code_hash    TEXT PRIMARY KEY,
    store_id     TEXT NOT NULL REFERENCES stores (id),
    created_at   TEXT NOT NULL,
    expires_unix INTEGER NOT NULL,
    used_at      TEXT,
    device_id    TEXT
) STRICT;

-- Devices (registers) of a store. The id is made on the device; the token is kept hashed.
CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    store_id     TEXT NOT NULL REFERENCES stores (id),
    code         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    enrolled_at  TEXT NOT NULL,
    last_push_at TEXT,
    last_pull_at TEXT
) STRICT;
CREATE INDEX devices_store ON devices (store_id);

-- The store's catalog as the owner set it. `stock_base_milli` is the owner's count; the stock
-- is that plus the sum of the store's stock moves.
CREATE TABLE items (
    store_id         TEXT NOT NULL REFERENCES stores (id),
    gtin             TEXT NOT NULL,
    sku              TEXT,
    name             TEXT NOT NULL,
    price_minor      INTEGER NOT NULL CHECK (price_minor >= 0),
    tax_category     TEXT NOT NULL,
    unit             TEXT NOT NULL CHECK (unit IN ('each', 'kg')),
    category         TEXT,
    stock_base_milli INTEGER NOT NULL DEFAULT 0,
    changed_seq      INTEGER NOT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (store_id, gtin)
) STRICT;

-- The store's change feed: every catalog and settings change, numbered per store from 1 with
-- no gaps. `body` is the protocol's Change (JSON). Devices pull it by sequence number.
CREATE TABLE changes (
    store_id   TEXT NOT NULL REFERENCES stores (id),
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (store_id, seq)
) STRICT;

-- Every event a device delivered, once: the primary key is the id the device made.
-- `payload_sha256` tells a retry (same content) from a reused id (different content).
CREATE TABLE events (
    id             TEXT PRIMARY KEY,
    store_id       TEXT NOT NULL REFERENCES stores (id),
    device_id      TEXT NOT NULL REFERENCES devices (id),
    device_seq     INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    occurred_at    TEXT NOT NULL,
    payload        TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    received_at    TEXT NOT NULL
) STRICT;
CREATE INDEX events_device ON events (device_id, device_seq);

-- Sales derived from SaleCompleted events, with the columns reports sum. The full record is
-- the event's payload.
CREATE TABLE sales (
    id                  TEXT PRIMARY KEY,
    event_id            TEXT NOT NULL UNIQUE REFERENCES events (id),
    store_id            TEXT NOT NULL REFERENCES stores (id),
    device_id           TEXT NOT NULL REFERENCES devices (id),
    receipt_number      TEXT NOT NULL,
    completed_at        TEXT NOT NULL,
    business_date       TEXT NOT NULL,
    currency            TEXT NOT NULL,
    subtotal_minor      INTEGER NOT NULL,
    discount_minor      INTEGER NOT NULL,
    charges_minor       INTEGER NOT NULL,
    tax_minor           INTEGER NOT NULL,
    total_minor         INTEGER NOT NULL,
    cash_rounding_minor INTEGER NOT NULL,
    line_count          INTEGER NOT NULL
) STRICT;
CREATE INDEX sales_store_day ON sales (store_id, business_date);

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
    method       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    change_minor INTEGER NOT NULL,
    PRIMARY KEY (sale_id, tender_no)
) STRICT;

-- Stock movements as deltas (negative for a sale), so that every device's sales count.
CREATE TABLE stock_moves (
    sale_id     TEXT NOT NULL REFERENCES sales (id),
    line_no     INTEGER NOT NULL,
    store_id    TEXT NOT NULL REFERENCES stores (id),
    device_id   TEXT NOT NULL REFERENCES devices (id),
    gtin        TEXT NOT NULL,
    delta_milli INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
) STRICT;
CREATE INDEX stock_moves_item ON stock_moves (store_id, gtin);
