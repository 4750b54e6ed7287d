-- Driftwatch schema, version 4: what retraining jobs and model versions need.
-- retrain_jobs: who asked (a rule or a person), and the job's notifications are keyed by it.
ALTER TABLE retrain_jobs ADD COLUMN trigger text NOT NULL DEFAULT 'rule' CHECK (trigger IN ('rule', 'manual'));
-- The queue is polled by status and creation time; a cooldown looks at a model's latest job.
CREATE INDEX retrain_jobs_model_created ON retrain_jobs (model_id, created_at DESC);
-- model_versions: the job that trained a version (NULL when uploaded), whether Driftwatch's trainer built
-- it ('builtin', with its artifact) or it was reported by an external trainer ('external', no artifact), and
-- why it was promoted or rejected.
ALTER TABLE model_versions ADD COLUMN job_id bigint;
ALTER TABLE model_versions ADD COLUMN source text NOT NULL DEFAULT 'builtin' CHECK (source IN ('builtin', 'external'));
ALTER TABLE model_versions ADD COLUMN decision text;
