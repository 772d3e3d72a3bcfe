-- Refunds and voids of completed sales: durable documents with their own numbers. The full
-- record is `body` (JSON); the columns are what lists, limits and reports read.
CREATE TABLE refunds (
    id             TEXT PRIMARY KEY,
    refund_seq     INTEGER NOT NULL UNIQUE,
    refund_number  TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('refund', 'void')),
    sale_id        TEXT NOT NULL REFERENCES sales (id),
    receipt_number TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    business_date  TEXT NOT NULL,
    total_minor    INTEGER NOT NULL CHECK (total_minor >= 0),
    tax_minor      INTEGER NOT NULL,
    charges_minor  INTEGER NOT NULL,
    tips_minor     INTEGER NOT NULL,
    restock        INTEGER NOT NULL CHECK (restock IN (0, 1)),
    staff          TEXT,
    body           TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_sale ON refunds (sale_id);
CREATE INDEX refunds_business_date ON refunds (business_date);

CREATE TABLE refund_lines (
    refund_id      TEXT NOT NULL REFERENCES refunds (id),
    sale_id        TEXT NOT NULL,
    line_no        INTEGER NOT NULL,
    gtin           TEXT NOT NULL,
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    amount_minor   INTEGER NOT NULL CHECK (amount_minor >= 0),
    tax_minor      INTEGER NOT NULL,
    PRIMARY KEY (refund_id, line_no),
    FOREIGN KEY (sale_id, line_no) REFERENCES sale_lines (sale_id, line_no)
) STRICT;
CREATE INDEX refund_lines_sale ON refund_lines (sale_id, line_no);

CREATE TABLE refund_tenders (
    refund_id    TEXT NOT NULL REFERENCES refunds (id),
    position     INTEGER NOT NULL,
    method       TEXT NOT NULL,
    tender_no    INTEGER,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (refund_id, position)
) STRICT;

INSERT INTO counters (name, value) VALUES ('refund', 0);

-- The last line of defence: whatever the code above does, a sale's refunds never return more
-- than was sold of a line, nor give back more than the sale's total.
CREATE TRIGGER refund_lines_within_sold BEFORE INSERT ON refund_lines
WHEN (SELECT coalesce(sum(quantity_milli), 0) FROM refund_lines
      WHERE sale_id = new.sale_id AND line_no = new.line_no) + new.quantity_milli
     > (SELECT quantity_milli FROM sale_lines WHERE sale_id = new.sale_id AND line_no = new.line_no)
BEGIN SELECT RAISE(ABORT, 'a refund returns more of a line than was sold'); END;
CREATE TRIGGER refunds_within_total BEFORE INSERT ON refunds
WHEN (SELECT coalesce(sum(total_minor), 0) FROM refunds WHERE sale_id = new.sale_id) + new.total_minor
     > (SELECT total_minor FROM sales WHERE id = new.sale_id)
BEGIN SELECT RAISE(ABORT, 'refunds give back more than the sale took'); END;

CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds BEGIN SELECT RAISE(ABORT, 'refunds are immutable'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds BEGIN SELECT RAISE(ABORT, 'refunds are immutable'); END;
CREATE TRIGGER refund_lines_no_update BEFORE UPDATE ON refund_lines BEGIN SELECT RAISE(ABORT, 'refunds are immutable'); END;
CREATE TRIGGER refund_lines_no_delete BEFORE DELETE ON refund_lines BEGIN SELECT RAISE(ABORT, 'refunds are immutable'); END;
CREATE TRIGGER refund_tenders_no_update BEFORE UPDATE ON refund_tenders BEGIN SELECT RAISE(ABORT, 'refunds are immutable'); END;
CREATE TRIGGER refund_tenders_no_delete BEFORE DELETE ON refund_tenders BEGIN SELECT RAISE(ABORT, 'refunds are immutable'); END;
