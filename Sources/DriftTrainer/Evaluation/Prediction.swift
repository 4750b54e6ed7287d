/// One row's prediction.
package struct Prediction: Sendable, Equatable {
    /// Classification: the predicted class (one of the model's `classes`); nil for regression.
    package let label: String?
    /// Regression: the predicted value; nil for classification.
    package let value: Double?
    /// Classification: the probability of each class in the model's `classes` order (they sum to 1);
    /// empty for regression.
    package let scores: [Double]

    /// A prediction.
    package init(label: String?, value: Double?, scores: [Double]) {
        self.label = label
        self.value = value
        self.scores = scores
    }
}
