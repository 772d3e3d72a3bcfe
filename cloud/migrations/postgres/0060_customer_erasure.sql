-- Customer erasure, postgres flavour (the other flavour is the same).
-- A customer's erasure (their right to be forgotten). The row stays, with its id, consent
-- time, points and lifetime spend, so the ledger and the reports hold; its name becomes ''
-- (the column is NOT NULL) and its phone, email, birth year and gender NULL. `erased_at` marks
-- it: a `CustomerAdded` sent again afterwards finds the row and changes nothing, and lookups
-- by phone or email no longer find it.
ALTER TABLE customers ADD COLUMN erased_at TEXT;
