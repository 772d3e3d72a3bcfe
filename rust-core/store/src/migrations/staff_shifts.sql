-- Staff who sign in at this device. A PIN is kept only as a salted PBKDF2 hash
-- (`pbkdf2-sha256$ROUNDS$SALT$HASH`, hex); a disabled member stays for the record.
CREATE TABLE staff (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    role        TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_hash    TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    disabled_at TEXT
) STRICT;

-- Shifts of this device's till. A shift covers the sales and refunds numbered after those
-- before it opened, up to the last ones when it closed (numbers, unlike clock times, never
-- go backwards). At most one is open at a time.
CREATE TABLE shifts (
    id                 TEXT PRIMARY KEY,
    number             INTEGER NOT NULL UNIQUE,
    opened_at          TEXT NOT NULL,
    opened_by          TEXT,
    float_minor        INTEGER NOT NULL CHECK (float_minor >= 0),
    first_receipt_seq  INTEGER NOT NULL,
    first_refund_seq   INTEGER NOT NULL,
    closed_at          TEXT,
    closed_by          TEXT,
    last_receipt_seq   INTEGER,
    last_refund_seq    INTEGER,
    counted_minor      INTEGER CHECK (counted_minor >= 0),
    expected_minor     INTEGER,
    report             TEXT
) STRICT;
CREATE UNIQUE INDEX shifts_one_open ON shifts (closed_at IS NULL) WHERE closed_at IS NULL;

-- Cash in and out of the drawer besides sales and refunds, and the drawer's openings.
CREATE TABLE cash_moves (
    id           TEXT PRIMARY KEY,
    shift_id     TEXT REFERENCES shifts (id),
    kind         TEXT NOT NULL CHECK (kind IN ('pay_in', 'pay_out', 'drawer')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    reason       TEXT NOT NULL,
    staff        TEXT,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX cash_moves_shift ON cash_moves (shift_id, kind);
CREATE TRIGGER cash_moves_no_update BEFORE UPDATE ON cash_moves BEGIN SELECT RAISE(ABORT, 'cash movements are immutable'); END;
CREATE TRIGGER cash_moves_no_delete BEFORE DELETE ON cash_moves BEGIN SELECT RAISE(ABORT, 'cash movements are immutable'); END;
