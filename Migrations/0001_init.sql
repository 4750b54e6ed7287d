-- Driftwatch schema, version 1.
-- Every primary and unique key of a per-model table starts with model_id: it is the distribution
-- column should the schema run on Citus (models is a small catalog, a reference table there).
-- Raw predictions are range-partitioned by event time, one partition per day, created ahead by the
-- agent (driftwatch_ensure_prediction_partition) and dropped by the retention setting.

CREATE TABLE models (
    model_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    task          text        NOT NULL CHECK (task IN ('binary', 'multiclass', 'regression')),
    -- The model's schema: features with their types and order, classes, window settings.
    schema        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE model_versions (
    model_id      bigint      NOT NULL REFERENCES models (model_id) ON DELETE CASCADE,
    version       integer     NOT NULL,
    status        text        NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'champion', 'retired', 'rejected')),
    artifact      jsonb,                    -- weights, encoding, settings, seed (documented format)
    evaluation    jsonb,                    -- held-out metrics
    trained_from  timestamptz,
    trained_to    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    promoted_at   timestamptz,
    PRIMARY KEY (model_id, version)
);
CREATE UNIQUE INDEX model_versions_one_champion ON model_versions (model_id) WHERE status = 'champion';

CREATE TABLE reference_profiles (
    model_id      bigint      NOT NULL REFERENCES models (model_id) ON DELETE CASCADE,
    profile_id    bigint      GENERATED ALWAYS AS IDENTITY,
    source        text        NOT NULL,     -- file name, or the traffic range it was taken from
    row_count     bigint      NOT NULL,
    profile       jsonb       NOT NULL,     -- bins, category counts, sorted samples or sketches per feature
    is_current    boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, profile_id)
);
CREATE UNIQUE INDEX reference_profiles_one_current ON reference_profiles (model_id) WHERE is_current;

-- Raw prediction events. Numeric features in the model schema's order as float8[] (compact, read back
-- column-wise by the trainer and reports), categorical ones as text[]; NULL elements are missing values.
CREATE TABLE predictions (
    model_id          bigint      NOT NULL,
    prediction_id     text        NOT NULL,
    event_time        timestamptz NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    numeric_features  float8[]    NOT NULL DEFAULT '{}',
    category_features text[]      NOT NULL DEFAULT '{}',
    prediction        text,
    score             float8,
    scores            float8[],
    latency_ms        float8,
    model_version     text,
    -- A retried event carries the same id and event time, so it lands once.
    PRIMARY KEY (model_id, prediction_id, event_time)
) PARTITION BY RANGE (event_time);
CREATE INDEX predictions_model_time ON predictions (model_id, event_time);
CREATE INDEX predictions_model_id ON predictions (model_id, prediction_id);

-- Ground truth, joined to predictions by (model_id, prediction_id); may arrive days later.
CREATE TABLE labels (
    model_id      bigint      NOT NULL,
    prediction_id text        NOT NULL,
    label         text,                     -- classification
    value         float8,                   -- regression
    label_time    timestamptz NOT NULL DEFAULT now(),
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, prediction_id),
    CHECK (label IS NOT NULL OR value IS NOT NULL)
);
CREATE INDEX labels_received ON labels USING brin (received_at);

-- Mergeable per-window summaries; several partial ones per window when several agents ingest.
CREATE TABLE window_profiles (
    model_id      bigint      NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    agent_id      text        NOT NULL,
    event_count   bigint      NOT NULL,
    profile       jsonb       NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    closed        boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (model_id, window_start, agent_id)
);

-- The time series every dashboard and report reads: one row per model, window, metric,
-- feature/class and method. feature, class_label and method are '' where they do not apply.
CREATE TABLE window_metrics (
    model_id      bigint      NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    metric        text        NOT NULL,     -- e.g. drift_statistic, p_value, f1, latency_p95, volume
    feature       text        NOT NULL DEFAULT '',
    class_label   text        NOT NULL DEFAULT '',
    method        text        NOT NULL DEFAULT '',
    value         float8,
    threshold     float8,
    drift         boolean,
    label_coverage float8,
    computed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, window_start, metric, feature, class_label, method)
);
CREATE INDEX window_metrics_series ON window_metrics (model_id, metric, feature, method, window_start);
CREATE INDEX window_metrics_time ON window_metrics USING brin (window_start);

CREATE TABLE alerts (
    model_id      bigint      NOT NULL,
    alert_id      bigint      GENERATED ALWAYS AS IDENTITY,
    fingerprint   text        NOT NULL,     -- stable: model + rule + labels
    rule          text        NOT NULL,
    state         text        NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    severity      text        NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    labels        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    annotations   jsonb       NOT NULL DEFAULT '{}'::jsonb,
    figures       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    breaches      integer     NOT NULL DEFAULT 0,
    starts_at     timestamptz NOT NULL DEFAULT now(),
    ends_at       timestamptz,
    last_notified_at timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, alert_id)
);
-- At most one open (pending or firing) alert per fingerprint.
CREATE UNIQUE INDEX alerts_open_fingerprint ON alerts (model_id, fingerprint) WHERE state <> 'resolved';

-- The webhook outbox: written in the transaction that changes the alert; a row is delivered only
-- after a 2xx.
CREATE TABLE alert_deliveries (
    model_id      bigint      NOT NULL,
    delivery_id   bigint      GENERATED ALWAYS AS IDENTITY,
    alert_id      bigint,
    receiver      text        NOT NULL,
    event_type    text        NOT NULL,     -- firing, resolved, reminder, retrain.completed, ...
    webhook_id    text        NOT NULL,     -- stable across retries (Standard Webhooks)
    payload       jsonb       NOT NULL,
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts      integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    deadline      timestamptz,
    last_status_code integer,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz,
    PRIMARY KEY (model_id, delivery_id),
    UNIQUE (model_id, webhook_id, receiver)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE alert_delivery_attempts (
    model_id      bigint      NOT NULL,
    delivery_id   bigint      NOT NULL,
    attempt       integer     NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    duration_ms   float8,
    status_code   integer,
    error         text,
    PRIMARY KEY (model_id, delivery_id, attempt)
);

-- Retraining jobs, consumed with FOR UPDATE SKIP LOCKED; a job whose lease expired is taken again.
CREATE TABLE retrain_jobs (
    model_id      bigint      NOT NULL,
    job_id        bigint      GENERATED ALWAYS AS IDENTITY,
    status        text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    reason        text        NOT NULL,     -- rule name, or 'manual'
    attempts      integer     NOT NULL DEFAULT 0,
    lease_owner   text,
    lease_until   timestamptz,
    parameters    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    result        jsonb,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz,
    PRIMARY KEY (model_id, job_id)
);
CREATE INDEX retrain_jobs_ready ON retrain_jobs (created_at) WHERE status IN ('queued', 'running');
-- At most one queued or running job per model.
CREATE UNIQUE INDEX retrain_jobs_one_active ON retrain_jobs (model_id) WHERE status IN ('queued', 'running');

-- Creates the daily partition of predictions holding `day` if it does not exist yet; returns its name.
CREATE FUNCTION driftwatch_ensure_prediction_partition(day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    partition_name text := 'predictions_' || to_char(day, 'YYYYMMDD');
BEGIN
    IF to_regclass(partition_name) IS NULL THEN
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF predictions FOR VALUES FROM (%L) TO (%L)',
            partition_name, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
    END IF;
    RETURN partition_name;
END;
$$;
