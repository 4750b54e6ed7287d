-- Driftwatch schema, version 2: creating a daily partition is safe when several sessions ask for the same
-- day at once (concurrent ingest requests). The creators are serialized by a transaction-scoped advisory
-- lock; a session that still loses the race (the other's table appears between its check and its CREATE)
-- takes "already exists" as success — by then the other creation has committed.
CREATE OR REPLACE FUNCTION driftwatch_ensure_prediction_partition(day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    partition_name text := 'predictions_' || to_char(day, 'YYYYMMDD');
BEGIN
    IF to_regclass(partition_name) IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext('driftwatch.partition.' || partition_name));
        BEGIN
            EXECUTE format(
                'CREATE TABLE IF NOT EXISTS %I PARTITION OF predictions FOR VALUES FROM (%L) TO (%L)',
                partition_name, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
            NULL;  -- created concurrently by another session
        END;
    END IF;
    RETURN partition_name;
END;
$$;
