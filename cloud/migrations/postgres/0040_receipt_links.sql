-- The public receipt token of each sale (`GET /r/{token}`), made on the device and carried in
-- its SaleCompleted event. Sales from devices that predate receipt links have none. The
-- unique index is how a receipt is found, so no token can belong to two sales.
ALTER TABLE sales ADD COLUMN receipt_token TEXT;
CREATE UNIQUE INDEX sales_receipt_token ON sales (receipt_token) WHERE receipt_token IS NOT NULL;
