-- Who rang each sale and the tip its customer paid, for the owner's tips per staff member.
-- Sales stored before this migration count with no staff name and no tip.
ALTER TABLE sales ADD COLUMN staff TEXT;
ALTER TABLE sales ADD COLUMN tips_minor INTEGER NOT NULL DEFAULT 0;
