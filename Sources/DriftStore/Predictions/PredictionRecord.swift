/// One prediction event as stored in `predictions`.
package struct PredictionRecord: Sendable, Equatable {
    package var predictionID: String
    /// Event time, microseconds since the Unix epoch (UTC).
    package var eventTime: Int64
    /// Numeric features in the model schema's order; nil is a missing value.
    package var numericFeatures: [Double?]
    /// Categorical features in the model schema's order; nil is a missing value.
    package var categoryFeatures: [String?]
    package var prediction: String?
    package var score: Double?
    package var scores: [Double]?
    package var latencyMilliseconds: Double?
    package var modelVersion: String?

    package init(
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
