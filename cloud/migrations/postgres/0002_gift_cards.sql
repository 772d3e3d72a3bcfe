-- Gift cards, PostgreSQL flavour (the SQLite flavour in ../sqlite has the same tables).
--
-- A card belongs to a merchant and is spent in any of its stores. `balance_minor` is the sum
-- of the card's entries, kept on the card's row so that an online redemption is one
-- conditional UPDATE (`... WHERE balance_minor >= amount`): concurrent redemptions queue on the
-- row and none can take it below zero. Offline redemptions (from events) are recorded whatever
-- the balance, since the money was taken at the till; the first one that takes the card below
-- zero sets `overdrawn_at`, for the owner. `entry_count` numbers the card's entries in the
-- order they were applied (taken in the same UPDATE, so under the same row lock).
CREATE TABLE gift_cards (
    merchant_id   TEXT   NOT NULL REFERENCES merchants (id),
    number        TEXT   NOT NULL,
    currency      TEXT   NOT NULL,
    balance_minor BIGINT NOT NULL,
    entry_count   BIGINT NOT NULL,
    overdrawn_at  TEXT,
    created_at    TEXT   NOT NULL,
    updated_at    TEXT   NOT NULL,
    PRIMARY KEY (merchant_id, number)
);
CREATE INDEX gift_cards_overdrawn ON gift_cards (merchant_id, overdrawn_at);

-- The ledger: one row per issue, load, redemption, refund or adjustment. The key is the id
-- made where the entry was made (the device, or the owner's tool), so a retried request or a
-- resent event is recognised and applied once. `delta_minor` is signed (a redemption is
-- negative); the card's balance is the sum of its deltas.
CREATE TABLE gift_card_entries (
    id                  TEXT   PRIMARY KEY,
    merchant_id         TEXT   NOT NULL,
    number              TEXT   NOT NULL,
    entry_no            BIGINT NOT NULL,
    kind                TEXT   NOT NULL
                        CHECK (kind IN ('issue', 'load', 'redeem', 'refund', 'adjust')),
    delta_minor         BIGINT NOT NULL,
    balance_after_minor BIGINT NOT NULL,
    source              TEXT   NOT NULL CHECK (source IN ('online', 'offline', 'owner')),
    store_id            TEXT,
    device_id           TEXT,
    sale_id             TEXT,
    event_id            TEXT,
    recorded_at         TEXT   NOT NULL,
    FOREIGN KEY (merchant_id, number) REFERENCES gift_cards (merchant_id, number)
);
CREATE UNIQUE INDEX gift_card_entries_card ON gift_card_entries (merchant_id, number, entry_no);
