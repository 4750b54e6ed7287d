import DriftCore

/// What a model report shows: the model's settings, the stored window figures of a time range, its
/// reference, its alerts and retraining events, per feature its reference vs current distribution, and the
/// error analysis once labels exist (read from PostgreSQL by the caller, `ModelReportLoader`).
package struct ModelReport: Sendable {
    /// One stored figure of one window.
    package struct Point: Sendable {
        package let windowStart: Int64
        package let windowEnd: Int64
        package let figure: WindowFigure
        package init(windowStart: Int64, windowEnd: Int64, figure: WindowFigure) {
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.figure = figure
        }
    }

    /// An alert as the report lists it.
    package struct Alert: Sendable {
        package let rule: String
        package let state: String
        package let severity: String
        package let labels: String
        /// Wall-clock times of its lifecycle (µs).
        package let startsAt: Int64
        package let endsAt: Int64?
        /// Its span on the windows' (event-time) axis: from the first breaching window's start to the last
        /// breaching window's end (nil while open), when known.
        package var windowFrom: Int64?
        package var windowTo: Int64?
        package init(
            rule: String, state: String, severity: String, labels: String, startsAt: Int64, endsAt: Int64?,
            windowFrom: Int64? = nil, windowTo: Int64? = nil
        ) {
            self.rule = rule
            self.state = state
            self.severity = severity
            self.labels = labels
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.windowFrom = windowFrom
            self.windowTo = windowTo
        }
    }

    /// A finished retraining job (a row of `retrain_jobs`), drawn on the report's time axis.
    package struct Retraining: Sendable, Equatable {
        /// Its place on the time axis, µs (the loader gives the event time its training data reaches, or the
        /// finish time; see `RetrainHistory`).
        package let finishedAt: Int64
        /// `succeeded` or `failed`.
        package let status: String
        /// The rule that queued it, or `manual`.
        package let reason: String
        /// `promoted` or `kept` (succeeded jobs).
        package let decision: String?
        /// The metric champion and challenger were compared on, and their values.
        package let metric: String?
        package let champion: Double?
        package let challenger: Double?
        /// The model version the job produced.
        package let version: Int?
        /// Why a failed job failed.
        package let error: String?

        package init(
            finishedAt: Int64, status: String, reason: String, decision: String? = nil, metric: String? = nil,
            champion: Double? = nil, challenger: Double? = nil, version: Int? = nil, error: String? = nil
        ) {
            self.finishedAt = finishedAt
            self.status = status
            self.reason = reason
            self.decision = decision
            self.metric = metric
            self.champion = champion
            self.challenger = challenger
            self.version = version
            self.error = error
        }
    }

    package var model: ModelConfiguration
    package var from: Int64
    package var to: Int64
    package var generatedAt: Int64
    package var referenceSource: String?
    package var referenceRows: Int?
    package var points: [Point]
    package var alerts: [Alert]
    /// Finished retraining jobs, by finish time.
    package var retraining: [Retraining]
    /// Reference vs current distribution per column (features, `prediction`, `score`) over the report range.
    package var distributions: [String: Distribution]
    /// How the current side of the distributions and the error analysis was read (e.g. sampled).
    package var currentNote: String?
    /// Where the model errs, once labels exist.
    package var errorAnalysis: ErrorAnalysis?

    package init(
        model: ModelConfiguration, from: Int64, to: Int64, generatedAt: Int64, referenceSource: String?,
        referenceRows: Int?, points: [Point], alerts: [Alert], retraining: [Retraining] = [],
        distributions: [String: Distribution] = [:], currentNote: String? = nil, errorAnalysis: ErrorAnalysis? = nil
    ) {
        self.model = model
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
        self.referenceSource = referenceSource
        self.referenceRows = referenceRows
        self.points = points
        self.alerts = alerts
        self.retraining = retraining
        self.distributions = distributions
        self.currentNote = currentNote
        self.errorAnalysis = errorAnalysis
    }
}
