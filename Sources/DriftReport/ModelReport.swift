import DriftCore

/// What a model report shows: the model's settings, the stored window figures of a time range, its
/// reference and its alerts (read from PostgreSQL by the caller).
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
        public let startsAt: Int64
        public let endsAt: Int64?
        public init(rule: String, state: String, severity: String, labels: String, startsAt: Int64, endsAt: Int64?) {
            self.rule = rule
            self.state = state
            self.severity = severity
            self.labels = labels
            self.startsAt = startsAt
            self.endsAt = endsAt
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

    public init(
        model: ModelConfiguration, from: Int64, to: Int64, generatedAt: Int64, referenceSource: String?,
        referenceRows: Int?, points: [Point], alerts: [Alert]
    ) {
        self.model = model
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
        self.referenceSource = referenceSource
        self.referenceRows = referenceRows
        self.points = points
        self.alerts = alerts
    }
}
