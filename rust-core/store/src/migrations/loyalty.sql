-- Loyalty customers. Name, phone, email, birth year and gender are personal data, kept
-- because the customer consented (`consent_at`); they are never written to logs.
CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    phone      TEXT UNIQUE,
    email      TEXT UNIQUE,
    birth_year INTEGER,
    gender     TEXT CHECK (gender IN ('female', 'male', 'other')),
    consent_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (phone IS NOT NULL OR email IS NOT NULL)
) STRICT;

-- Every change of a customer's points, keyed by what caused it (`reference_id`: the sale, or
-- the refund) and its kind: the UNIQUE key is what makes a replayed sale or refund change
-- nothing. `spend_minor` is the spend an entry adds to the customer's lifetime spend (tiers).
CREATE TABLE loyalty_entries (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    reference_id TEXT NOT NULL,
    sale_id      TEXT NOT NULL,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('earn', 'redeem', 'reverse_earn', 'restore_redeem', 'adjust')),
    points       INTEGER NOT NULL CHECK (points <> 0),
    spend_minor  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    event_seq    INTEGER REFERENCES outbox (seq),
    UNIQUE (reference_id, kind)
) STRICT;
CREATE INDEX loyalty_entries_customer ON loyalty_entries (customer_id);
CREATE INDEX loyalty_entries_sale ON loyalty_entries (sale_id);

-- The refunds whose points were settled, with the share of the sale each gave back: a refund
-- is settled once, and the shares add up to the fraction refunded so far (rule P-03).
CREATE TABLE loyalty_refunds (
    refund_id  TEXT PRIMARY KEY,
    sale_id    TEXT NOT NULL,
    fraction   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
