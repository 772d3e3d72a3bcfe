-- A sale's SaleCompleted event found by the sale's id without reading every event's payload
-- (whether a receipt link already opens: the event is synced).
CREATE INDEX outbox_sale_event ON outbox (json_extract(payload, '$.id'), status)
    WHERE kind = 'SaleCompleted';
