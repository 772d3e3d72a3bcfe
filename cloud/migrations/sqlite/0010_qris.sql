-- QRIS payments through the simulated provider, and the verification of QR tenders; SQLite
-- flavour (the PostgreSQL flavour in ../postgres has the same tables).
--
-- `qris_config`: whether a store takes dynamic QRIS payments (no row: it does not), how long a
-- payment stays payable, and the simulation's auto-pay.
CREATE TABLE qris_config (
    store_id           TEXT    PRIMARY KEY REFERENCES stores (id),
    enabled            INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    expires_in_seconds INTEGER NOT NULL,
    auto_pay           INTEGER NOT NULL CHECK (auto_pay IN (0, 1)),
    updated_at         TEXT    NOT NULL
) STRICT;

-- Payments the provider knows: `dynamic` ones a device created (keyed for idempotency by the
-- device's reference within the store), and `static` ones, paid to the store's sticker, as the
-- acquirer reported them (keyed by the acquirer's reference). Only a pending payment changes.
CREATE TABLE qris_payments (
    provider_id  TEXT    PRIMARY KEY,
    store_id     TEXT    NOT NULL REFERENCES stores (id),
    device_id    TEXT,
    kind         TEXT    NOT NULL CHECK (kind IN ('dynamic', 'static')),
    reference    TEXT    NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'cancelled')),
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    paid_at      TEXT,
    UNIQUE (store_id, kind, reference)
) STRICT;

-- Every QR tender of the sales devices pushed, and whether something verified it: a paid
-- provider payment (`provider`, each payment verifying one tender at most) or the owner
-- (`owner`, with a note).
CREATE TABLE qr_tenders (
    sale_id      TEXT    NOT NULL REFERENCES sales (id),
    tender_no    INTEGER NOT NULL,
    store_id     TEXT    NOT NULL REFERENCES stores (id),
    reference    TEXT    NOT NULL,
    amount_minor INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('verified', 'unverified')),
    verified_by  TEXT    CHECK (verified_by IN ('provider', 'owner')),
    provider_id  TEXT    UNIQUE REFERENCES qris_payments (provider_id),
    verified_at  TEXT,
    note         TEXT,
    PRIMARY KEY (sale_id, tender_no)
) STRICT;
CREATE INDEX qr_tenders_store ON qr_tenders (store_id, status);
