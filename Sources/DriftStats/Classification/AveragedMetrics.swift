/// Precision, recall and F1 averaged over classes (one of scikit-learn's `average=` modes).
public struct AveragedMetrics: Sendable, Equatable, Codable {
    /// Averaged precision.
    public let precision: Double
    /// Averaged recall.
    public let recall: Double
    /// Averaged F1 (for `macro`: the mean of per-class F1, not the harmonic mean of the averages).
    public let f1: Double

    /// The three averages.
    public init(precision: Double, recall: Double, f1: Double) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
    }

    /// `average='macro'`: unweighted mean over classes; 0 for no classes. O(k).
    static func macro(_ classes: [ClassMetrics]) -> AveragedMetrics {
        weighted(classes, weights: classes.map { _ in 1 })
    }

    /// `average='weighted'`: support-weighted mean (`numpy.average(x, weights=support)`);
    /// 0 when the supports sum to 0 (`zero_division=0`). O(k).
    static func supportWeighted(_ classes: [ClassMetrics]) -> AveragedMetrics {
        weighted(classes, weights: classes.map { Double($0.support) })
    }

    /// `Σ wᵢ xᵢ / Σ wᵢ` for each metric.
    private static func weighted(_ classes: [ClassMetrics], weights: [Double]) -> AveragedMetrics {
        let totalWeight = weights.reduce(0, +)
        guard totalWeight > 0 else { return AveragedMetrics(precision: 0, recall: 0, f1: 0) }
        func mean(_ value: (ClassMetrics) -> Double) -> Double {
            var sum = CompensatedSum()
            for (c, w) in zip(classes, weights) { sum.add(value(c) * w) }
            return sum.value / totalWeight
        }
        return AveragedMetrics(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1))
    }
}
