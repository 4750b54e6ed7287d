import DriftTables

/// A whole comparison of a reference and a current table: every column's tests and the dataset verdict.
package struct DriftComparison: Sendable {
    package struct Side: Sendable {
        package let path: String
        package let rows: Int
        package init(path: String, rows: Int) {
            self.path = path
            self.rows = rows
        }
    }

    package let reference: Side
    package let current: Side
    package let columns: [ColumnDrift]
    package let dataset: DatasetDrift
    package let correction: PValueCorrectionMethod

    package init(
        reference: Side, current: Side, columns: [ColumnDrift], dataset: DatasetDrift,
        correction: PValueCorrectionMethod
    ) {
        self.reference = reference
        self.current = current
        self.columns = columns
        self.dataset = dataset
        self.correction = correction
    }

    /// The JSON form (documented in the README): `reference`, `current`, `columns[]` with `tests[]`,
    /// and `dataset`. Non-finite numbers are the strings "inf", "-inf", "nan".
    package func json(pretty: Bool = true) -> String {
        var w = JSONWriter(pretty: pretty)
        w.beginObject()
        for (key, side) in [("reference", reference), ("current", current)] {
            w.beginObject(key)
            w.string("path", side.path)
            w.integer("rows", side.rows)
            w.endObject()
        }
        w.beginArray("columns")
        for column in columns {
            w.beginObject()
            w.string("name", column.name)
            w.string("type", column.type.rawValue)
            w.beginObject("count")
            w.integer("reference", column.referenceCount)
            w.integer("current", column.currentCount)
            w.endObject()
            w.beginObject("missing")
            w.integer("reference", column.referenceMissing)
            w.integer("current", column.currentMissing)
            w.endObject()
            w.beginArray("tests")
            for test in column.tests {
                w.beginObject()
                w.string("method", test.method.rawValue)
                w.number("statistic", test.statistic)
                w.number("p_value", test.pValue)
                if correction != .none && test.method.usesPValue {
                    w.number("p_value_adjusted", test.adjustedPValue)
                    w.string("correction", correction.rawValue)
                }
                w.number("threshold", test.threshold)
                w.bool("drift", test.drift)
                for (name, value) in test.parameters {
                    switch value {
                    case .text(let s): w.string(name, s)
                    case .number(let d): w.number(name, d)
                    case .integer(let i): w.integer(name, i)
                    }
                }
                w.endObject()
            }
            w.endArray()
            w.bool("drift", column.drift)
            w.endObject()
        }
        w.endArray()
        w.beginObject("dataset")
        w.integer("columns", dataset.columns)
        w.integer("drifted", dataset.drifted)
        w.number("share", dataset.share)
        w.number("threshold", dataset.threshold)
        w.bool("drift", dataset.drift)
        w.endObject()
        w.endObject()
        return w.text + "\n"
    }
}
