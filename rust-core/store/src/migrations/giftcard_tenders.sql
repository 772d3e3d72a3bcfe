-- Gift card tenders: the method check of `sale_tenders` gains 'giftcard'. SQLite cannot change
-- a CHECK in place, so the table is rebuilt with its rows as they are, and its triggers.
DROP TRIGGER sale_tenders_no_update;
DROP TRIGGER sale_tenders_no_delete;
CREATE TABLE sale_tenders_new (
    sale_id      TEXT NOT NULL REFERENCES sales (id),
    tender_no    INTEGER NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'qr', 'giftcard')),
    amount_minor INTEGER NOT NULL,
    change_minor INTEGER NOT NULL,
    PRIMARY KEY (sale_id, tender_no)
) STRICT;
INSERT INTO sale_tenders_new (sale_id, tender_no, method, amount_minor, change_minor)
    SELECT sale_id, tender_no, method, amount_minor, change_minor FROM sale_tenders;
DROP TABLE sale_tenders;
ALTER TABLE sale_tenders_new RENAME TO sale_tenders;
CREATE TRIGGER sale_tenders_no_update BEFORE UPDATE ON sale_tenders BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
CREATE TRIGGER sale_tenders_no_delete BEFORE DELETE ON sale_tenders BEGIN SELECT RAISE(ABORT, 'sales are immutable'); END;
