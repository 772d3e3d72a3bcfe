-- Lifetime spend for every sale and refund of a customer: an `earn` entry carries a sale's
-- spend even when it earns no points, and a `reverse_earn` entry a refund's spend even when
-- it reverses none. The old `points <> 0` check refused both, and SQLite cannot change a
-- CHECK in place, so the table is rebuilt with its rows as they are, and its indexes.
CREATE TABLE loyalty_entries_new (
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    reference_id TEXT NOT NULL,
    sale_id      TEXT NOT NULL,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('earn', 'redeem', 'reverse_earn', 'restore_redeem', 'adjust')),
    points       INTEGER NOT NULL,
    spend_minor  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    event_seq    INTEGER REFERENCES outbox (seq),
    UNIQUE (reference_id, kind),
    CHECK (CASE kind
        WHEN 'earn' THEN points >= 0 AND spend_minor >= 0 AND (points > 0 OR spend_minor > 0)
        WHEN 'reverse_earn' THEN points <= 0 AND spend_minor <= 0
                                 AND (points < 0 OR spend_minor < 0)
        ELSE points <> 0 AND spend_minor = 0
    END)
) STRICT;
INSERT INTO loyalty_entries_new (id, customer_id, reference_id, sale_id, kind, points,
        spend_minor, created_at, event_seq)
    SELECT id, customer_id, reference_id, sale_id, kind, points, spend_minor, created_at,
        event_seq
    FROM loyalty_entries;
DROP TABLE loyalty_entries;
ALTER TABLE loyalty_entries_new RENAME TO loyalty_entries;
CREATE INDEX loyalty_entries_customer ON loyalty_entries (customer_id);
CREATE INDEX loyalty_entries_sale ON loyalty_entries (sale_id);
