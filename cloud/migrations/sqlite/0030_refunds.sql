-- Refunds and voids from the devices (`SaleRefunded` events), sqlite flavour. One row per
-- refund, keyed by the id the device made, so a resent event is stored once; the day report
-- nets them against the sales of the day they happened.
CREATE TABLE refunds (
    id             TEXT PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE REFERENCES events (id),
    store_id       TEXT NOT NULL REFERENCES stores (id),
    device_id      TEXT NOT NULL REFERENCES devices (id),
    refund_number  TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('refund', 'void')),
    sale_id        TEXT NOT NULL,
    receipt_number TEXT NOT NULL,
    business_date  TEXT NOT NULL,
    total_minor    INTEGER NOT NULL CHECK (total_minor >= 0),
    tax_minor      INTEGER NOT NULL,
    tips_minor     INTEGER NOT NULL,
    staff          TEXT
) STRICT;
CREATE INDEX refunds_store_day ON refunds (store_id, business_date);
CREATE INDEX refunds_sale ON refunds (sale_id);

CREATE TABLE refund_tenders (
    refund_id    TEXT NOT NULL REFERENCES refunds (id),
    position     INTEGER NOT NULL,
    method       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (refund_id, position)
) STRICT;
