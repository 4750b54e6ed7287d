/// One prediction event as stored in `predictions`.
public struct PredictionRecord: Sendable, Equatable {
    public var predictionID: String
    /// Event time, microseconds since the Unix epoch (UTC).
    public var eventTime: Int64
    /// Numeric features in the model schema's order; nil is a missing value.
    public var numericFeatures: [Double?]
    /// Categorical features in the model schema's order; nil is a missing value.
    public var categoryFeatures: [String?]
    public var prediction: String?
    public var score: Double?
    public var scores: [Double]?
    public var latencyMilliseconds: Double?
    public var modelVersion: String?

    public init(
        predictionID: String, eventTime: Int64, numericFeatures: [Double?] = [], categoryFeatures: [String?] = [],
        prediction: String? = nil, score: Double? = nil, scores: [Double]? = nil, latencyMilliseconds: Double? = nil,
        modelVersion: String? = nil
    ) {
        self.predictionID = predictionID
        self.eventTime = eventTime
        self.numericFeatures = numericFeatures
        self.categoryFeatures = categoryFeatures
        self.prediction = prediction
        self.score = score
        self.scores = scores
        self.latencyMilliseconds = latencyMilliseconds
        self.modelVersion = modelVersion
    }
}
