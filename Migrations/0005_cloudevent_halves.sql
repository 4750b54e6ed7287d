-- Driftwatch schema, version 5: halves of model-server CloudEvent pairs (POST /v1/cloudevents).
-- KServe's and Seldon's loggers send a request and its response as two events sharing one id. The first
-- half acknowledged is kept here until its partner arrives (both are then stored as predictions) or the
-- model's pair timeout passes (it is then stored alone). A stored half stays as a small tombstone (body
-- cleared) for a day, so a retried half is recognised as a duplicate.
-- state: pending (waiting for its partner), joining (the pair is being stored), sweeping (being stored
-- alone after the timeout), stored (done). claimed_at: when joining/sweeping/stored began, so a claim
-- left by a crashed agent is taken over.
CREATE TABLE cloudevent_halves (
    model_id     bigint      NOT NULL REFERENCES models (model_id) ON DELETE CASCADE,
    event_id     text        NOT NULL,
    half         text        NOT NULL CHECK (half IN ('request', 'response')),
    state        text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'joining', 'sweeping', 'stored')),
    ce_type      text        NOT NULL,
    ce_source    text        NOT NULL,
    ce_time      timestamptz,
    received_at  timestamptz NOT NULL,
    claimed_at   timestamptz,
    body         text,
    PRIMARY KEY (model_id, event_id, half)
);
-- The sweep looks for halves waiting too long, and for tombstones to drop.
CREATE INDEX cloudevent_halves_waiting ON cloudevent_halves (model_id, received_at) WHERE state <> 'stored';
CREATE INDEX cloudevent_halves_stored ON cloudevent_halves (claimed_at) WHERE state = 'stored';
