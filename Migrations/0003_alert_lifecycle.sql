-- Driftwatch schema, version 3: what the alert lifecycle and the webhook sender need.
-- alerts: consecutive clear windows of a firing alert, and the last window it was judged on (so judging a
-- window again, e.g. after a restart, changes nothing).
ALTER TABLE alerts ADD COLUMN clear_windows integer NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN last_window_start timestamptz;
-- alert_deliveries: the alert's fingerprint (notifications of one fingerprint go out in order, per
-- receiver), and a lease so that a sender that dies mid-send lets another take the row.
ALTER TABLE alert_deliveries ADD COLUMN fingerprint text NOT NULL DEFAULT '';
ALTER TABLE alert_deliveries ADD COLUMN leased_until timestamptz;
CREATE INDEX alert_deliveries_order ON alert_deliveries (model_id, receiver, fingerprint, delivery_id)
    WHERE status = 'pending';
-- The payload is sent byte for byte as rendered (and signed as sent): keep its text, not jsonb's
-- normalized form.
ALTER TABLE alert_deliveries ALTER COLUMN payload TYPE text USING payload::text;
