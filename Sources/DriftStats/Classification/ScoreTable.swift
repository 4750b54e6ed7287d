/// Validated per-class score columns for the rows of `truth` (internal to the multiclass metrics).
struct ScoreTable {
    /// Distinct true labels in ``LabelOrder`` order.
    let classes: [String]
    /// `columns[k]` = scores of `classes[k]` for every row.
    let columns: [[Double]]
    /// `classIndex[i]` = index into `classes` of row i's true label.
    let classIndex: [Int]
    /// Number of rows of each class.
    let support: [Int]

    /// Checks lengths and NaN (every column, as scikit-learn does) and indexes the true labels.
    /// Columns whose label never occurs in `truth` are checked but otherwise ignored.
    init(truth: [String], scoreColumns: [String: [Double]]) throws(ClassificationInputError) {
        for column in scoreColumns.values {
            guard column.count == truth.count else {
                throw .lengthMismatch(expected: truth.count, actual: column.count)
            }
            if let row = column.firstIndex(where: { $0.isNaN }) { throw .nanScore(row: row) }
        }
        var columnByLabel = [ExactLabel: [Double]]()
        for (label, column) in scoreColumns { columnByLabel[ExactLabel(label)] = column }
        let classes = LabelOrder.sorted(truth)
        var position = [ExactLabel: Int]()
        var columns = [[Double]]()
        for (k, label) in classes.enumerated() {
            let key = ExactLabel(label)
            guard let column = columnByLabel[key] else { throw .missingScoreColumn(label: label) }
            position[key] = k
            columns.append(column)
        }
        var support = [Int](repeating: 0, count: classes.count)
        let classIndex = truth.map { label -> Int in
            let k = position[ExactLabel(label)] ?? 0
            support[k] += 1
            return k
        }
        self.classes = classes
        self.columns = columns
        self.classIndex = classIndex
        self.support = support
    }
}
