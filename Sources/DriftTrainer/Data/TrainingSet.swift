/// Column-wise rows for training or prediction: numeric and categorical feature columns and, for training and
/// evaluation, a target (class labels or numeric values). Every column has `rowCount` values.
package struct TrainingSet: Sendable {
    /// A numeric feature column; NaN (and ±∞) mark missing values.
    package struct NumericColumn: Sendable {
        /// The feature's name (unique within the set).
        package var name: String
        /// One value per row; NaN = missing.
        package var values: [Double]

        /// A numeric column.
        package init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// A categorical feature column; nil marks a missing value.
    package struct CategoricalColumn: Sendable {
        /// The feature's name (unique within the set).
        package var name: String
        /// One category per row; nil = missing.
        package var values: [String?]

        /// A categorical column.
        package init(name: String, values: [String?]) {
            self.name = name
            self.values = values
        }
    }

    /// What the model learns to predict.
    package enum Target: Sendable {
        /// Class labels (binary or multiclass), one per row.
        case classes([String])
        /// Numbers (regression), one per row.
        case values([Double])

        /// Number of rows the target covers.
        package var count: Int {
            switch self {
            case .classes(let labels): return labels.count
            case .values(let values): return values.count
            }
        }
    }

    /// Numeric feature columns.
    package var numeric: [NumericColumn]
    /// Categorical feature columns.
    package var categorical: [CategoricalColumn]
    /// The target; nil for prediction-only sets.
    package var target: Target?

    /// Number of rows (of the first column, else of the target; 0 for an empty set).
    package var rowCount: Int {
        numeric.first?.values.count ?? categorical.first?.values.count ?? target?.count ?? 0
    }

    /// Feature names in model input order: numeric columns, then categorical ones.
    package var featureNames: [String] { numeric.map(\.name) + categorical.map(\.name) }

    /// A set from columns; throws `length_mismatch` when the columns and the target do not all have the same
    /// number of rows and `duplicate_column` when two features share a name.
    package init(numeric: [NumericColumn], categorical: [CategoricalColumn], target: Target?) throws(TrainerError) {
        self.numeric = numeric
        self.categorical = categorical
        self.target = target
        try validate()
    }

    /// Checks that every column and the target have `rowCount` values and that names are unique.
    func validate() throws(TrainerError) {
        let n = rowCount
        var seen = Set<ExactString>()
        for column in numeric {
            guard column.values.count == n else {
                throw .lengthMismatch(column: column.name, expected: n, actual: column.values.count)
            }
            guard seen.insert(ExactString(column.name)).inserted else {
                throw TrainerError(code: .duplicateColumn, message: "appears twice", column: column.name)
            }
        }
        for column in categorical {
            guard column.values.count == n else {
                throw .lengthMismatch(column: column.name, expected: n, actual: column.values.count)
            }
            guard seen.insert(ExactString(column.name)).inserted else {
                throw TrainerError(code: .duplicateColumn, message: "appears twice", column: column.name)
            }
        }
        if let target, target.count != n {
            throw TrainerError(
                code: .lengthMismatch, message: "the target has \(target.count) values but the set has \(n) rows")
        }
    }

    /// The rows at `indices` (in that order; repeats allowed), every column and the target alike.
    /// Indices must lie in `0..<rowCount`. O(indices.count × columns).
    package func rows(_ indices: [Int]) -> TrainingSet {
        var copy = self
        copy.numeric = numeric.map { column in
            NumericColumn(name: column.name, values: indices.map { column.values[$0] })
        }
        copy.categorical = categorical.map { column in
            CategoricalColumn(name: column.name, values: indices.map { column.values[$0] })
        }
        switch target {
        case .classes(let labels): copy.target = .classes(indices.map { labels[$0] })
        case .values(let values): copy.target = .values(indices.map { values[$0] })
        case nil: copy.target = nil
        }
        return copy
    }
}

/// A string compared and hashed by its exact UTF-8 bytes (not Swift's canonical equivalence), as labels and
/// column names are compared elsewhere in the project (`"é"` and `"e\u{301}"` differ, as in Python).
struct ExactString: Hashable, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool { lhs.string.utf8.elementsEqual(rhs.string.utf8) }

    func hash(into hasher: inout Hasher) {
        var bytes = string
        bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
