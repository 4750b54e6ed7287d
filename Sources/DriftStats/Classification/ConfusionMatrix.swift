/// A mergeable confusion matrix over string labels: `count(truth:predicted:)` rows = true label,
/// columns = predicted label, labels in ``LabelOrder`` (scikit-learn's order).
///
/// Recording is O(1) amortized (two hash lookups); ``labels`` and ``matrix`` are computed on
/// demand in O(k log k + k²) for k labels. Matrices from different windows or shards combine with
/// ``merging(_:)``; the result does not depend on the order in which labels were first seen.
/// Labels are compared by exact Unicode scalars (see ``LabelOrder/sorted(_:)``).
public struct ConfusionMatrix: Sendable {
    /// Labels in first-seen order; `cells` is row-major over these with row length `stride`.
    private var insertionLabels: [String] = []
    private var index: [ExactLabel: Int] = [:]
    private var stride = 0
    private var cells: [Int] = []
    /// Total number of recorded (truth, prediction) pairs.
    public private(set) var total = 0

    /// An empty matrix.
    public init() {}

    /// An empty matrix that already lists `labels` (so they are reported even with no counts,
    /// like scikit-learn's `labels=` argument).
    public init(labels: [String]) {
        for label in labels { _ = slot(for: label) }
    }

    /// The matrix of paired true and predicted labels. O(n).
    /// - Throws: ``ClassificationInputError/lengthMismatch(expected:actual:)`` for unequal lengths.
    public init(truth: [String], predicted: [String]) throws(ClassificationInputError) {
        guard truth.count == predicted.count else {
            throw .lengthMismatch(expected: truth.count, actual: predicted.count)
        }
        for (t, p) in zip(truth, predicted) { record(truth: t, predicted: p) }
    }

    /// Adds `count` observations of (`truth`, `predicted`). Non-positive counts are ignored; counts
    /// saturate at `Int.max` instead of overflowing. O(1) amortized.
    public mutating func record(truth: String, predicted: String, count: Int = 1) {
        guard count > 0 else { return }
        let row = slot(for: truth)
        let column = slot(for: predicted)
        cells[row * stride + column] = cells[row * stride + column].addingSaturated(count)
        total = total.addingSaturated(count)
    }

    /// Adds every count of `other` to this matrix. O(k²).
    public mutating func merge(_ other: ConfusionMatrix) {
        for label in other.insertionLabels { _ = slot(for: label) }
        for (i, truth) in other.insertionLabels.enumerated() {
            for (j, predicted) in other.insertionLabels.enumerated() {
                let c = other.cells[i * other.stride + j]
                if c > 0 { record(truth: truth, predicted: predicted, count: c) }
            }
        }
    }

    /// This matrix plus `other` (counts added cell by cell, labels united). O(k²).
    public func merging(_ other: ConfusionMatrix) -> ConfusionMatrix {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The labels in scikit-learn order (numeric if all labels are numbers, else code point).
    public var labels: [String] { LabelOrder.sortedDistinct(insertionLabels) }

    /// `matrix[i][j]` = number of rows with true label `labels[i]` predicted as `labels[j]`.
    public var matrix: [[Int]] {
        let order = labels.map { index[ExactLabel($0)] ?? 0 }
        return order.map { i in order.map { j in cells[i * stride + j] } }
    }

    /// Number of rows with true label `truth` predicted as `predicted` (0 for unknown labels). O(1).
    public func count(truth: String, predicted: String) -> Int {
        guard let i = index[ExactLabel(truth)], let j = index[ExactLabel(predicted)] else { return 0 }
        return cells[i * stride + j]
    }

    /// The storage index of `label`, adding it (and growing the cell array) when new.
    private mutating func slot(for label: String) -> Int {
        let key = ExactLabel(label)
        if let i = index[key] { return i }
        let i = insertionLabels.count
        insertionLabels.append(label)
        index[key] = i
        if i >= stride {
            let newStride = Swift.max(4, stride * 2)
            var grown = [Int](repeating: 0, count: newStride * newStride)
            for r in 0..<stride {
                for c in 0..<stride { grown[r * newStride + c] = cells[r * stride + c] }
            }
            cells = grown
            stride = newStride
        }
        return i
    }
}

extension ConfusionMatrix: Equatable {
    /// Equal when both hold the same labels (exact scalars) and the same counts.
    public static func == (lhs: ConfusionMatrix, rhs: ConfusionMatrix) -> Bool {
        lhs.total == rhs.total && lhs.labels.map(ExactLabel.init) == rhs.labels.map(ExactLabel.init)
            && lhs.matrix == rhs.matrix
    }
}

extension ConfusionMatrix: Codable {
    private enum CodingKeys: String, CodingKey { case labels, matrix }

    /// Encodes `{"labels": [...], "matrix": [[...]]}` (rows = true label).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labels, forKey: .labels)
        try container.encode(matrix, forKey: .matrix)
    }

    /// Decodes the form written by ``encode(to:)``; throws `DecodingError.dataCorrupted` unless the
    /// matrix is k×k for k distinct labels with non-negative counts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let labels = try container.decode([String].self, forKey: .labels)
        let matrix = try container.decode([[Int]].self, forKey: .matrix)
        guard matrix.count == labels.count, matrix.allSatisfy({ $0.count == labels.count }),
            !matrix.joined().contains(where: { $0 < 0 }),
            Set(labels.map(ExactLabel.init)).count == labels.count
        else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "confusion matrix must be k×k, counts ≥ 0"))
        }
        self.init(labels: labels)
        for (i, truth) in labels.enumerated() {
            for (j, predicted) in labels.enumerated() {
                record(truth: truth, predicted: predicted, count: matrix[i][j])
            }
        }
    }
}

extension Int {
    /// `self + other`, or `Int.max` / `Int.min` instead of overflowing.
    func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
