import DriftCore
import DriftTables

extension TrainingSet {
    /// A set from a table read by `DriftCore` (CSV or NDJSON).
    ///
    /// - `label`: the target column (nil for prediction-only sets). For `.binary` and `.multiclass` its cells
    ///   become class labels through `TableColumn.strings`, so a numeric label column holding `1` and `1.0`
    ///   yields the one class `"1"`, as everywhere else in the project; for `.regression` it must be numeric.
    ///   A row with a missing label is an error (`missing_label`) naming the column, the count and the first
    ///   such line.
    /// - `features`: the feature columns, in this order within their kind (nil: every column but the label).
    ///   Numeric table columns become numeric features and categorical ones categorical features.
    package init(table: Table, label: String?, task: ModelTask, features: [String]? = nil) throws(TrainerError) {
        var target: Target?
        if let label {
            guard let column = table.column(label) else {
                throw .missingColumn(label, "the label column is not in \(table.source)")
            }
            if column.missingCount > 0 {
                throw TrainerError(
                    code: .missingLabel,
                    message:
                        "\(column.missingCount) row\(column.missingCount == 1 ? " has" : "s have") no label "
                        + "(drop or fill them before training)",
                    column: label, line: column.firstMissingLine)
            }
            switch task {
            case .regression:
                guard case .numeric(let values, _, _) = column else {
                    throw .invalidData(
                        "a regression label must be numeric, but the column holds text", column: label)
                }
                target = .values(values)
            case .binary, .multiclass:
                target = .classes(column.strings.map { $0 ?? "" })
            }
        }
        let names: [String]
        if let features {
            names = features
        } else {
            let labelKey = label.map(ExactString.init)
            names = table.columnNames.filter { ExactString($0) != labelKey }
        }
        var numeric = [NumericColumn]()
        var categorical = [CategoricalColumn]()
        var seen = Set<ExactString>()
        for name in names {
            guard seen.insert(ExactString(name)).inserted else {
                throw TrainerError(code: .duplicateColumn, message: "is listed twice as a feature", column: name)
            }
            if let label, ExactString(name) == ExactString(label) {
                throw .invalidData("is the label; it cannot also be a feature", column: name)
            }
            guard let column = table.column(name) else {
                throw .missingColumn(name, "the feature is not in \(table.source)")
            }
            switch column {
            case .numeric(let values, _, _): numeric.append(NumericColumn(name: name, values: values))
            case .categorical: categorical.append(CategoricalColumn(name: name, values: column.strings))
            }
        }
        try self.init(numeric: numeric, categorical: categorical, target: target)
    }

    /// Splits `0..<rowCount` into a seeded training part and a test part of about `testFraction` of the rows.
    /// With class labels the split is stratified: each class contributes `round(testFraction × its count)` rows
    /// to the test part (at least one row of each class stays in training). Indices are returned ascending.
    /// Deterministic for a given seed (SplitMix64 Fisher–Yates shuffles). O(n).
    package func holdOut(testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        Splitter.holdOut(
            count: rowCount, groups: Splitter.groups(of: target, count: rowCount), fraction: testFraction, seed: seed)
    }
}
