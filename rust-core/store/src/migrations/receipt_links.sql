-- The public receipt token of each sale (`BASE/r/TOKEN`): random, made when the sale is
-- stored and carried in its SaleCompleted event. Sales stored before this migration have
-- none, and no link.
ALTER TABLE sales ADD COLUMN receipt_token TEXT;
CREATE UNIQUE INDEX sales_receipt_token ON sales (receipt_token) WHERE receipt_token IS NOT NULL;
