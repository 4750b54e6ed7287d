import DriftCore
import DriftReport
import DriftTables

/// The error analysis of `driftwatch drift --label L --prediction P`: both files' labelled rows (the
/// reference file is the "before" side, the current file the "after" side and the rows the segments are
/// computed on), each compared column segmented by its categories or by its reference deciles.
///
/// Linear in the rows: labels and predictions are turned into integer codes once, errors computed per row
/// from the codes, confusion cells counted per code pair, segments tallied column by column.
package struct DriftErrorAnalysis {
    package let label: String
    package let prediction: String
    package let task: MetricsTask?

    package init(label: String, prediction: String, task: MetricsTask? = nil) {
        self.label = label
        self.prediction = prediction
        self.task = task
    }

    /// A segmented column: its current values and, for numeric ones, the reference's decile cut points.
    package struct Feature {
        package let name: String
        package let current: TableColumn
        package let cutPoints: [Double]?

        package init(name: String, current: TableColumn, cutPoints: [Double]? = nil) {
            self.name = name
            self.current = current
            self.cutPoints = cutPoints
        }
    }

    package func run(reference: Table, current: Table, features: [Feature]) throws -> ErrorAnalysis? {
        func columns(_ table: Table) throws -> (TableColumn, TableColumn) {
            for name in [label, prediction] where table.column(name) == nil {
                throw TableError(
                    .unknownColumn, file: table.source, line: 1, column: name,
                    "no such column (--label and --prediction must name columns of both files)")
            }
            guard let l = table.column(label), let p = table.column(prediction) else {
                throw TableError(.unknownColumn, file: table.source, line: 1, "label or prediction column missing")
            }
            return (l, p)
        }
        let (rl, rp) = try columns(reference)
        let (cl, cp) = try columns(current)
        let resolved =
            task
            ?? PredictionLogMetrics(
                table: current, label: label, prediction: prediction, score: nil, scorePrefix: nil,
                positiveLabel: nil, task: nil
            ).inferTask(cl, cp)
        let measure: ErrorAnalysis.Measure = resolved == .regression ? .meanAbsoluteError : .errorRate
        var builder = ErrorAnalysisBuilder(
            measure: measure,
            features: features.map { f in
                f.cutPoints.map { .numeric(name: f.name, cutPoints: $0) } ?? .categorical(name: f.name)
            })
        _ = try side(.baseline, rl, rp, measure, &builder, file: reference.source)
        let errors = try side(.current, cl, cp, measure, &builder, file: current.source)
        var n = 0
        var c = 0
        for f in features {
            switch f.current {
            case .numeric(let values, _, _) where f.cutPoints != nil:
                builder.addSegments(numericFeature: n, values: values, errors: errors)
            case .categorical(let codes, let categories, _, _) where f.cutPoints == nil:
                builder.addSegments(categoricalFeature: c, codes: codes, categories: categories, errors: errors)
            case .numeric(let values, _, _):
                // A numeric column compared as categorical: its printed values are the categories.
                let coded = Self.codes(.numeric(values: values, missing: 0, firstMissingLine: nil))
                builder.addSegments(
                    categoricalFeature: c, codes: coded.codes, categories: coded.strings, errors: errors)
            case .categorical:
                break
            }
            if f.cutPoints != nil { n += 1 } else { c += 1 }
        }
        return builder.build(
            baseline: "reference file", latest: "current file",
            note: "Labels from column '\(label)', predictions from '\(prediction)' (\(resolved.rawValue)); "
                + "segments over the current file's labelled rows, numeric deciles cut on the reference file.")
    }

    /// Records one file's labelled rows on `side`; returns each row's error (NaN where unlabelled).
    package func side(
        _ side: ErrorAnalysisBuilder.Side, _ labels: TableColumn, _ predictions: TableColumn,
        _ measure: ErrorAnalysis.Measure, _ builder: inout ErrorAnalysisBuilder, file: String
    ) throws -> [Double] {
        if measure == .meanAbsoluteError {
            guard case .numeric(let y, _, _) = labels else {
                throw TableError(.nonNumericValue, file: file, column: label, "regression needs a numeric label column")
            }
            guard case .numeric(let yHat, _, _) = predictions else {
                throw TableError(
                    .nonNumericValue, file: file, column: prediction, "regression needs a numeric prediction column")
            }
            return zip(y, yHat).map { a, p in builder.record(side, actual: a, predicted: p) ?? .nan }
        }
        let l = Self.codes(labels)
        let p = Self.codes(predictions)
        // Codes of both columns mapped onto one label table, so equal labels compare as equal integers.
        var unified: [String: Int32] = [:]
        func ids(_ strings: [String]) -> [Int32] {
            strings.map { s in
                if let id = unified[s] { return id }
                let id = Int32(unified.count)
                unified[s] = id
                return id
            }
        }
        let lid = ids(l.strings)
        let pid = ids(p.strings)
        var errors = [Double](repeating: .nan, count: l.codes.count)
        var pairs: [Int64: Int] = [:]
        for r in 0..<min(l.codes.count, p.codes.count) {
            let a = l.codes[r]
            let b = p.codes[r]
            guard a >= 0, b >= 0 else { continue }
            errors[r] = lid[Int(a)] == pid[Int(b)] ? 0 : 1
            pairs[Int64(a) << 32 | Int64(b), default: 0] += 1
        }
        for (key, count) in pairs {
            builder.record(
                side, truth: l.strings[Int(key >> 32)], predicted: p.strings[Int(key & 0xFFFF_FFFF)], count: count)
        }
        return errors
    }

    /// A column as integer codes (−1 missing) into its distinct printed values (`TableColumn.strings`).
    package static func codes(_ column: TableColumn) -> (codes: [Int32], strings: [String]) {
        switch column {
        case .categorical(let codes, let categories, _, _):
            return (codes, categories)
        case .numeric(let values, _, _):
            var index: [Double: Int32] = [:]
            var strings: [String] = []
            let codes = values.map { v -> Int32 in
                guard !v.isNaN else { return -1 }
                if let i = index[v] { return i }
                let i = Int32(strings.count)
                index[v] = i
                strings.append(NumberFormatting.label(v))
                return i
            }
            return (codes, strings)
        }
    }
}
