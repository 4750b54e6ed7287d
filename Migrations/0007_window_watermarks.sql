-- Driftwatch schema, version 7: several agents on one database.
-- Where each model's closed windows end. Every ingest transaction reads it FOR SHARE before it stores
-- events (an event before it is late); the agent closing a window moves it while holding the row, and
-- takes the window's snapshot before letting go. So every event, whichever agent stored it, is either in
-- its window's figures or counted late there: never both, never neither.
CREATE TABLE window_watermarks (
    model_id       bigint      PRIMARY KEY,
    closed_through timestamptz
);
-- Late events (their event times) waiting for the closing agent to count them into their windows.
CREATE TABLE late_event_marks (
    model_id   bigint      NOT NULL,
    event_time timestamptz NOT NULL
);
CREATE INDEX late_event_marks_model ON late_event_marks (model_id);
