-- Driftwatch schema, version 8: a classifier's realized performance kept as counts.
-- The closed windows whose predictions are counted in window_label_counts: a window is counted once (one
-- GROUP BY, the first performance pass after its close); from then on every label stored or corrected, and
-- every late event, moves its counts, under the model's label lock. dirty: counts changed since its figures
-- were last written. counted false: a window closed before this version, counted (as it was recomputed
-- before) the first time a label for it arrives; until then its stored figures stay as they are.
CREATE TABLE label_counted_windows (
    model_id     bigint      NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    counted      boolean     NOT NULL DEFAULT true,
    dirty        boolean     NOT NULL DEFAULT true,
    PRIMARY KEY (model_id, window_start)
);
CREATE INDEX label_counted_windows_dirty ON label_counted_windows (model_id) WHERE dirty;
INSERT INTO label_counted_windows (model_id, window_start, window_end, counted, dirty)
SELECT DISTINCT ON (model_id, window_start) model_id, window_start, window_end, false, false
FROM window_profiles WHERE closed
ORDER BY model_id, window_start;
-- A counted window's predictions per (label, prediction) pair: label NULL = not labelled yet, prediction
-- NULL = none logged. Exactly what `GROUP BY label, prediction` over the window's join gives.
CREATE TABLE window_label_counts (
    model_id     bigint      NOT NULL,
    window_start timestamptz NOT NULL,
    label        text,
    prediction   text,
    count        bigint      NOT NULL,
    UNIQUE NULLS NOT DISTINCT (model_id, window_start, label, prediction)
);
-- A counted window's labelled predictions per (label, score bin), for ROC AUC and log loss: score_bin =
-- floor(score × 10,000) for a score in [0, 1], NULL for a missing, NaN or out-of-range score.
-- loss_if_positive = Σ −ln(clip(score, ε, 1 − ε)), loss_if_negative = Σ −ln(clip(1 − score, ε, 1 − ε)),
-- ε = 2.220446049250313e-16 (scikit-learn's), kept as numeric so moves and recounts agree to the digit.
CREATE TABLE window_score_counts (
    model_id         bigint      NOT NULL,
    window_start     timestamptz NOT NULL,
    label            text        NOT NULL,
    score_bin        integer,
    count            bigint      NOT NULL,
    loss_if_positive numeric     NOT NULL,
    loss_if_negative numeric     NOT NULL,
    UNIQUE NULLS NOT DISTINCT (model_id, window_start, label, score_bin)
);
