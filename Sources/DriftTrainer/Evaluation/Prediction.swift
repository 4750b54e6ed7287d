/// One row's prediction.
public struct Prediction: Sendable, Equatable {
    /// Classification: the predicted class (one of the model's `classes`); nil for regression.
    public let label: String?
    /// Regression: the predicted value; nil for classification.
    public let value: Double?
    /// Classification: the probability of each class in the model's `classes` order (they sum to 1);
    /// empty for regression.
    public let scores: [Double]

    /// A prediction.
    public init(label: String?, value: Double?, scores: [Double]) {
        self.label = label
        self.value = value
        self.scores = scores
    }
}
