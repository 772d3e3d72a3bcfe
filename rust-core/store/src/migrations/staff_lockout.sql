-- PIN lockout: wrong PINs in a row since the last right one, and until when the member may
-- not sign in after too many (RFC 3339; NULL when not locked).
ALTER TABLE staff ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0);
ALTER TABLE staff ADD COLUMN locked_until TEXT;
