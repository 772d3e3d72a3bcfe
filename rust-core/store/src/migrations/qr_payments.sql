-- Every QR tender of a sale made on this device and whether it is verified: `verified` when
-- the payment provider confirmed it (at the register, or later when the cloud matched it to a
-- payment the provider knows), or when the owner matched it by hand; `unverified` when only
-- the clerk confirmed it (a static QR, or the provider could not be reached). Written with the
-- sale, in its transaction; only the verification columns change afterwards.
CREATE TABLE qr_tenders (
    sale_id      TEXT NOT NULL REFERENCES sales (id),
    tender_no    INTEGER NOT NULL CHECK (tender_no >= 1),
    reference    TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    status       TEXT NOT NULL CHECK (status IN ('verified', 'unverified')),
    verified_by  TEXT CHECK (verified_by IN ('register', 'provider', 'owner')),
    provider_id  TEXT,
    recorded_at  TEXT NOT NULL,
    verified_at  TEXT,
    PRIMARY KEY (sale_id, tender_no),
    CHECK ((status = 'verified') = (verified_by IS NOT NULL))
) STRICT;
CREATE INDEX qr_tenders_unverified ON qr_tenders (recorded_at) WHERE status = 'unverified';
