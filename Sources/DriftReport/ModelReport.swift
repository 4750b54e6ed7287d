import DriftCore

/// What a model report shows: the model's settings, the stored window figures of a time range, its
/// reference, its alerts and retraining events, per feature its reference vs current distribution, and the
/// error analysis once labels exist (read from PostgreSQL by the caller, `ModelReportLoader`).
public struct ModelReport: Sendable {
    /// One stored figure of one window.
    public struct Point: Sendable {
        public let windowStart: Int64
        public let windowEnd: Int64
        public let figure: WindowFigure
        public init(windowStart: Int64, windowEnd: Int64, figure: WindowFigure) {
            self.windowStart = windowStart
            self.windowEnd = windowEnd
            self.figure = figure
        }
    }

    /// An alert as the report lists it.
    public struct Alert: Sendable {
        public let rule: String
        public let state: String
        public let severity: String
        public let labels: String
        /// Wall-clock times of its lifecycle (µs).
        public let startsAt: Int64
        public let endsAt: Int64?
        /// Its span on the windows' (event-time) axis: from the first breaching window's start to the last
        /// breaching window's end (nil while open), when known.
        public var windowFrom: Int64?
        public var windowTo: Int64?
        public init(
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
    public struct Retraining: Sendable, Equatable {
        /// Its place on the time axis, µs (the loader gives the event time its training data reaches, or the
        /// finish time; see `RetrainHistory`).
        public let finishedAt: Int64
        /// `succeeded` or `failed`.
        public let status: String
        /// The rule that queued it, or `manual`.
        public let reason: String
        /// `promoted` or `kept` (succeeded jobs).
        public let decision: String?
        /// The metric champion and challenger were compared on, and their values.
        public let metric: String?
        public let champion: Double?
        public let challenger: Double?
        /// The model version the job produced.
        public let version: Int?
        /// Why a failed job failed.
        public let error: String?

        public init(
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

    public var model: ModelConfiguration
    public var from: Int64
    public var to: Int64
    public var generatedAt: Int64
    public var referenceSource: String?
    public var referenceRows: Int?
    public var points: [Point]
    public var alerts: [Alert]
    /// Finished retraining jobs, by finish time.
    public var retraining: [Retraining]
    /// Reference vs current distribution per column (features, `prediction`, `score`) over the report range.
    public var distributions: [String: Distribution]
    /// How the current side of the distributions and the error analysis was read (e.g. sampled).
    public var currentNote: String?
    /// Where the model errs, once labels exist.
    public var errorAnalysis: ErrorAnalysis?

    public init(
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
