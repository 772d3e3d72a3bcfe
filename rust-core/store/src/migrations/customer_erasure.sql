-- A customer's erasure (their right to be forgotten): the row keeps its opaque id, consent
-- time and creation time, so the points ledger (which references it) and the sales stay whole,
-- and loses the name, phone, email, birth year and gender. The old table required a phone or
-- an email and a name, and SQLite cannot change a CHECK or a NOT NULL in place, so the table
-- is rebuilt with its rows as they are. `loyalty_entries` references `customers`: the foreign
-- key checks wait for the commit. The rows are put back into a table named `customers` (not
-- renamed into it) so that SQLite counts each child's reference as resolved again; a rename
-- would leave the dropped table's references counted as broken, and the commit refused.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE customers_old AS SELECT * FROM customers;
DROP TABLE customers;
CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    name       TEXT,
    phone      TEXT UNIQUE,
    email      TEXT UNIQUE,
    birth_year INTEGER,
    gender     TEXT CHECK (gender IN ('female', 'male', 'other')),
    consent_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    erased_at  TEXT,
    CHECK (CASE WHEN erased_at IS NULL
        THEN name IS NOT NULL AND (phone IS NOT NULL OR email IS NOT NULL)
        ELSE name IS NULL AND phone IS NULL AND email IS NULL AND birth_year IS NULL
             AND gender IS NULL
    END)
) STRICT;
INSERT INTO customers (id, name, phone, email, birth_year, gender, consent_at, created_at)
    SELECT id, name, phone, email, birth_year, gender, consent_at, created_at FROM customers_old;
DROP TABLE customers_old;

-- An erased customer's `CustomerAdded` events keep no personal data either: their payload
-- may be replaced, once, by the redacted form `{"id", "consent_at", "erased": true}`. Every
-- other change of an event is still refused.
DROP TRIGGER outbox_event_immutable;
CREATE TRIGGER outbox_event_immutable
BEFORE UPDATE OF seq, id, device_id, kind, occurred_at, payload ON outbox
WHEN NOT (old.kind = 'CustomerAdded' AND new.kind = old.kind AND new.seq = old.seq
          AND new.id = old.id AND new.device_id = old.device_id
          AND new.occurred_at = old.occurred_at
          AND json_valid(new.payload) AND json_extract(new.payload, '$.erased') IS 1)
BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END;
