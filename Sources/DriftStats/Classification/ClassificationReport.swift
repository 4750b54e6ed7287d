/// scikit-learn 1.9's `classification_report` / `precision_recall_fscore_support` /
/// `accuracy_score` / `confusion_matrix`, all with `zero_division=0`, from one confusion matrix.
///
/// Labels are ``LabelOrder/sorted(_:)`` of true ∪ predicted labels (plus any label the matrix was
/// created with). Per class k: `precision = TP/(TP+FP)`, `recall = TP/(TP+FN)`,
/// `F1 = 2TP/(2TP+FP+FN)`, 0/0 → 0. `macro` = plain mean over classes, `weighted` = support-weighted
/// mean, `micro` = from summed TP/FP/FN (equal to accuracy for single-label data).
/// Computing a report is O(k²) for k labels (the rows themselves are counted by
/// ``ConfusionMatrix`` in O(n)). An empty matrix gives no classes and 0 for every average and the
/// accuracy (so the report stays JSON-encodable).
public struct ClassificationReport: Sendable, Equatable, Codable {
    /// Class labels, in scikit-learn order.
    public let labels: [String]
    /// Per-class metrics, aligned with ``labels``.
    public let perClass: [ClassMetrics]
    /// `mean(y_true == y_pred)`; 0 when empty.
    public let accuracy: Double
    /// `average='macro'`.
    public let macroAverage: AveragedMetrics
    /// `average='micro'`.
    public let microAverage: AveragedMetrics
    /// `average='weighted'`.
    public let weightedAverage: AveragedMetrics
    /// The confusion matrix the report was computed from (rows = true label).
    public let confusionMatrix: ConfusionMatrix

    /// The report of `confusionMatrix`. O(k²).
    public init(confusionMatrix: ConfusionMatrix) {
        let labels = confusionMatrix.labels
        let matrix = confusionMatrix.matrix
        var classes = [ClassMetrics]()
        var truePositiveSum = 0
        for (k, label) in labels.enumerated() {
            let truePositives = matrix[k][k]
            let predicted = matrix.reduce(0) { $0.addingSaturated($1[k]) }
            let support = matrix[k].reduce(0) { $0.addingSaturated($1) }
            truePositiveSum = truePositiveSum.addingSaturated(truePositives)
            classes.append(
                ClassMetrics(label: label, truePositives: truePositives, predictedCount: predicted, support: support))
        }
        let total = confusionMatrix.total
        self.labels = labels
        self.perClass = classes
        self.accuracy = ClassMetrics.ratio(Double(truePositiveSum), Double(total))
        self.macroAverage = .macro(classes)
        self.weightedAverage = .supportWeighted(classes)
        // Single-label data: Σ(TP+FP) = Σ(TP+FN) = total.
        let micro = ClassMetrics(label: "", truePositives: truePositiveSum, predictedCount: total, support: total)
        self.microAverage = AveragedMetrics(precision: micro.precision, recall: micro.recall, f1: micro.f1)
        self.confusionMatrix = confusionMatrix
    }

    /// The report for paired true and predicted labels. O(n + k²).
    /// - Throws: ``ClassificationInputError/lengthMismatch(expected:actual:)`` for unequal lengths.
    public init(truth: [String], predicted: [String]) throws(ClassificationInputError) {
        self.init(confusionMatrix: try ConfusionMatrix(truth: truth, predicted: predicted))
    }

    /// The metrics of `label` (exact match), or `nil` if it is not one of ``labels``. O(k).
    /// For a binary problem `metrics(for: "1")` is scikit-learn's `average='binary', pos_label=1`.
    public func metrics(for label: String) -> ClassMetrics? {
        let key = ExactLabel(label)
        return perClass.first { ExactLabel($0.label) == key }
    }
}
