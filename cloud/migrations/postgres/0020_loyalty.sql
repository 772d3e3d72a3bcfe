-- Loyalty, postgres flavour (the other flavour has the same tables).
--
-- Customers of a merchant, added on its devices (`CustomerAdded` events). Name, phone,
-- email, birth year and gender are personal data, kept because the customer consented
-- (`consent_at`); the server never logs them. `points` and `lifetime_spend_minor` are the
-- sums of the customer's ledger, kept on the row and changed in the statement that records
-- an entry.
CREATE TABLE customers (
    merchant_id          TEXT    NOT NULL REFERENCES merchants (id),
    id                   TEXT    NOT NULL,
    name                 TEXT    NOT NULL,
    phone                TEXT,
    email                TEXT,
    birth_year           BIGINT,
    gender               TEXT,
    consent_at           TEXT    NOT NULL,
    store_id             TEXT,
    device_id            TEXT,
    points               BIGINT NOT NULL,
    lifetime_spend_minor BIGINT NOT NULL,
    created_at           TEXT    NOT NULL,
    PRIMARY KEY (merchant_id, id)
);

-- The points ledger: one row per change, keyed by what caused it (the sale or the refund) and
-- its kind, UNIQUE per merchant, so a resent event or a replayed refund is applied once.
CREATE TABLE loyalty_entries (
    id            TEXT    PRIMARY KEY,
    merchant_id   TEXT    NOT NULL,
    customer_id   TEXT    NOT NULL,
    reference_id  TEXT    NOT NULL,
    sale_id       TEXT    NOT NULL,
    kind          TEXT    NOT NULL
                  CHECK (kind IN ('earn', 'redeem', 'reverse_earn', 'restore_redeem', 'adjust')),
    points        BIGINT NOT NULL,
    spend_minor   BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    device_id     TEXT,
    event_id      TEXT,
    occurred_at   TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    UNIQUE (merchant_id, reference_id, kind),
    FOREIGN KEY (merchant_id, customer_id) REFERENCES customers (merchant_id, id)
);
CREATE INDEX loyalty_entries_customer ON loyalty_entries (merchant_id, customer_id);
