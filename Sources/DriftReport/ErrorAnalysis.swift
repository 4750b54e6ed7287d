import DriftCore
import DriftTables

/// Where a model errs, from labelled predictions: the error per segment of every feature (each categorical
/// value, each decile of a numeric feature cut on the reference, and the rows where the feature is missing)
/// against the overall error, and how the errors changed between a baseline and the latest labelled rows
/// (the confusion matrices for classification, the MAE for regression).
///
/// The error of a row is 1 when the predicted class differs from the label (exact Unicode scalars, as the
/// realized metrics compare them), else 0 — so the error of a set of rows is its error rate, 1 − accuracy —
/// or |label − prediction| for regression, so the error of a set of rows is its MAE. A segment's added error
/// is `count × (segment error − overall error)`: the errors (or absolute error) it holds beyond what the
/// overall figure predicts for that many rows; segments are ranked by it.
package struct ErrorAnalysis: Sendable, Equatable {
    /// How a row's error is measured.
    package enum Measure: String, Sendable, Equatable {
        /// Classification: wrong class = 1, right = 0.
        case errorRate = "error_rate"
        /// Regression: absolute error.
        case meanAbsoluteError = "mae"

        /// The name shown in reports.
        package var title: String { self == .errorRate ? "error rate" : "MAE" }
    }

    /// The rows of one feature in one segment.
    package struct Segment: Sendable, Equatable {
        package let feature: String
        /// The category, the decile's interval (`≤ a`, `(a, b]`, `> b`), or `missing`.
        package let segment: String
        package let count: Int
        /// The segment's error rate or MAE.
        package let error: Double
        /// `count × (error − overall)`.
        package let added: Double
    }

    /// Labels and counts of a confusion matrix: `counts[i][j]` rows of true label `labels[i]` predicted as
    /// `labels[j]`.
    package struct Confusion: Sendable, Equatable {
        package let labels: [String]
        package let counts: [[Int]]
    }

    /// One side of the before/after comparison.
    package struct Side: Sendable, Equatable {
        /// What the rows are (e.g. "reference file", "earliest labelled windows").
        package let name: String
        package let labelled: Int
        /// Error rate or MAE; nil without rows.
        package let error: Double?
        /// Classification only.
        package let confusion: Confusion?
    }

    package let measure: Measure
    /// Labelled rows the segments are computed on.
    package let labelled: Int
    /// Their error rate or MAE.
    package let overall: Double
    /// Every segment, by feature (in `features` order) then by segment order.
    package let segments: [Segment]
    package let features: [String]
    package let baseline: Side?
    package let latest: Side?
    /// Where the rows come from (shown under the section title).
    package var note: String

    /// The segments that add the most error, largest first (only those above the overall figure).
    package func top(_ n: Int = 10) -> [Segment] {
        Array(segments.filter { $0.added > 0 }.sorted { $0.added > $1.added }.prefix(n))
    }

    /// Writes the analysis as a JSON object member `key` (the figures the HTML prints).
    package func writeJSON(into w: inout JSONWriter, key: String) {
        w.beginObject(key)
        w.string("measure", measure.rawValue)
        w.integer("labelled", labelled)
        w.number("overall", overall)
        for (name, side) in [("baseline", baseline), ("latest", latest)] {
            guard let side else { continue }
            w.beginObject(name)
            w.string("name", side.name)
            w.integer("labelled", side.labelled)
            w.number("error", side.error)
            if let c = side.confusion {
                w.beginObject("confusion")
                w.beginArray("labels")
                for l in c.labels { w.string(nil, l) }
                w.endArray()
                w.beginArray("matrix")
                for row in c.counts {
                    w.beginArray()
                    for n in row { w.integer(nil, n) }
                    w.endArray()
                }
                w.endArray()
                w.endObject()
            }
            w.endObject()
        }
        func write(_ s: Segment) {
            w.beginObject()
            w.string("feature", s.feature)
            w.string("segment", s.segment)
            w.integer("count", s.count)
            w.number("error", s.error)
            w.number("added", s.added)
            w.endObject()
        }
        w.beginArray("top_segments")
        top().forEach(write)
        w.endArray()
        w.beginArray("segments")
        segments.forEach(write)
        w.endArray()
        w.endObject()
    }
}

/// Accumulates an `ErrorAnalysis` in memory bounded by the features (not the rows): per numeric feature a
/// count and an error sum per decile, per categorical feature per value (at most `maxCategories` values,
/// the rest pooled as "other values"), and per comparison side its confusion counts.
package struct ErrorAnalysisBuilder: Sendable {
    /// A feature segmented by the analysis.
    package enum Feature: Sendable, Equatable {
        /// Segments: the bins of `cutPoints` (ascending, right-closed) and `missing`.
        case numeric(name: String, cutPoints: [Double])
        /// Segments: each value and `missing`.
        case categorical(name: String)
    }

    /// Which rows a labelled prediction counts in.
    package enum Side: Sendable {
        /// The rows the segments are computed on (and the latest side unless one is recorded apart).
        case current
        /// The before side of the comparison.
        case baseline
        /// The after side of the comparison, when it is not the whole current set.
        case latest
    }

    struct Tally: Sendable {
        var count = 0
        var sum = 0.0
    }

    struct SideTally: Sendable {
        var tally = Tally()
        var confusion: [String: [String: Int]] = [:]
    }

    /// Distinct values counted per categorical feature.
    package static let maxCategories = 1000

    package let measure: ErrorAnalysis.Measure
    package let features: [Feature]
    let numericCuts: [[Double]]
    var numeric: [[Tally]]
    var categorical: [[String: Tally]]
    var categoricalMissing: [Tally]
    var categoricalOther: [Tally]
    var sides: [SideTally] = [SideTally(), SideTally(), SideTally()]

    package init(measure: ErrorAnalysis.Measure, features: [Feature]) {
        self.measure = measure
        self.features = features
        var cuts: [[Double]] = []
        var categoricalCount = 0
        for f in features {
            switch f {
            case .numeric(_, let c): cuts.append(c)
            case .categorical: categoricalCount += 1
            }
        }
        numericCuts = cuts
        numeric = cuts.map { [Tally](repeating: Tally(), count: $0.count + 2) }
        categorical = [[String: Tally]](repeating: [:], count: categoricalCount)
        categoricalMissing = [Tally](repeating: Tally(), count: categoricalCount)
        categoricalOther = categoricalMissing
    }

    /// The error of one classified row: 0 when the classes are equal (exact Unicode scalars), else 1.
    package static func error(truth: String, predicted: String) -> Double {
        truth.utf8.elementsEqual(predicted.utf8) ? 0 : 1
    }

    /// The error of one regression row: the absolute error.
    package static func error(actual: Double, predicted: Double) -> Double { abs(actual - predicted) }

    /// Records a labelled classification row on `side` (its confusion cell and error); returns its error.
    @discardableResult
    package mutating func record(_ side: Side, truth: String, predicted: String) -> Double {
        let e = Self.error(truth: truth, predicted: predicted)
        let i = index(side)
        sides[i].tally.count += 1
        sides[i].tally.sum += e
        sides[i].confusion[truth, default: [:]][predicted, default: 0] += 1
        return e
    }

    /// Records `count` labelled classification rows of one (truth, predicted) pair on `side` at once.
    package mutating func record(_ side: Side, truth: String, predicted: String, count: Int) {
        guard count > 0 else { return }
        let e = Self.error(truth: truth, predicted: predicted)
        let i = index(side)
        sides[i].tally.count += count
        sides[i].tally.sum += e * Double(count)
        sides[i].confusion[truth, default: [:]][predicted, default: 0] += count
    }

    /// Records a labelled regression row on `side`; returns its absolute error (NaN rows are skipped: nil).
    @discardableResult
    package mutating func record(_ side: Side, actual: Double, predicted: Double) -> Double? {
        let e = Self.error(actual: actual, predicted: predicted)
        guard !e.isNaN else { return nil }
        let i = index(side)
        sides[i].tally.count += 1
        sides[i].tally.sum += e
        return e
    }

    func index(_ side: Side) -> Int {
        switch side {
        case .current: return 0
        case .baseline: return 1
        case .latest: return 2
        }
    }

    /// Adds one current row's feature values (numeric and categorical features each in `features` order)
    /// with its error to the segments.
    package mutating func addSegments(numeric values: [Double?], categorical labels: [String?], error: Double) {
        for i in numeric.indices {
            let v = i < values.count ? values[i] : nil
            numeric[i][bin(v, i)].count += 1
            numeric[i][bin(v, i)].sum += error
        }
        for i in categorical.indices {
            addCategory(i < labels.count ? labels[i] : nil, feature: i, error: error)
        }
    }

    /// Adds a whole numeric column (the `feature`-th numeric feature; NaN = missing) with the rows' errors
    /// (NaN = unlabelled row, skipped). O(n log deciles).
    package mutating func addSegments(numericFeature feature: Int, values: [Double], errors: [Double]) {
        guard feature < numeric.count else { return }
        var tallies = numeric[feature]
        for (v, e) in zip(values, errors) where !e.isNaN {
            let k = bin(v.isNaN ? nil : v, feature)
            tallies[k].count += 1
            tallies[k].sum += e
        }
        numeric[feature] = tallies
    }

    /// Adds a whole categorical column (dictionary codes, negative = missing) with the rows' errors.
    package mutating func addSegments(
        categoricalFeature feature: Int, codes: [Int32], categories: [String], errors: [Double]
    ) {
        guard feature < categorical.count else { return }
        var perCode = [Tally](repeating: Tally(), count: categories.count)
        for (code, e) in zip(codes, errors) where !e.isNaN {
            if code < 0 {
                categoricalMissing[feature].count += 1
                categoricalMissing[feature].sum += e
            } else {
                perCode[Int(code)].count += 1
                perCode[Int(code)].sum += e
            }
        }
        for (k, t) in perCode.enumerated() where t.count > 0 {
            merge(t, into: categories[k], feature: feature)
        }
    }

    mutating func addCategory(_ label: String?, feature i: Int, error: Double) {
        guard let label else {
            categoricalMissing[i].count += 1
            categoricalMissing[i].sum += error
            return
        }
        merge(Tally(count: 1, sum: error), into: label, feature: i)
    }

    mutating func merge(_ t: Tally, into label: String, feature i: Int) {
        if categorical[i][label] != nil || categorical[i].count < Self.maxCategories {
            categorical[i][label, default: Tally()].count += t.count
            categorical[i][label, default: Tally()].sum += t.sum
        } else {
            categoricalOther[i].count += t.count
            categoricalOther[i].sum += t.sum
        }
    }

    /// The decile of `v` (the number of cut points below it) or the missing slot.
    func bin(_ v: Double?, _ feature: Int) -> Int {
        let cuts = numericCuts[feature]
        guard let v, v.isFinite else { return cuts.count + 1 }
        var lo = 0
        var hi = cuts.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cuts[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The analysis, or nil when no current row was labelled. `baseline`/`latest` name the comparison sides
    /// (the latest side is the current rows when none was recorded apart).
    package func build(baseline: String?, latest: String, note: String) -> ErrorAnalysis? {
        let current = sides[0].tally
        guard current.count > 0 else { return nil }
        let overall = current.sum / Double(current.count)
        var segments: [ErrorAnalysis.Segment] = []
        var names: [String] = []
        var n = 0
        var c = 0
        func segment(_ feature: String, _ label: String, _ t: Tally) {
            guard t.count > 0 else { return }
            let e = t.sum / Double(t.count)
            segments.append(
                ErrorAnalysis.Segment(
                    feature: feature, segment: label, count: t.count, error: e,
                    added: Double(t.count) * (e - overall)))
        }
        for f in features {
            switch f {
            case .numeric(let name, let cuts):
                names.append(name)
                for (k, t) in numeric[n].enumerated() { segment(name, Self.intervalLabel(k, cuts), t) }
                n += 1
            case .categorical(let name):
                names.append(name)
                let values = categorical[c].sorted {
                    $0.value.count != $1.value.count
                        ? $0.value.count > $1.value.count
                        : $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars)
                }
                for (label, t) in values { segment(name, label, t) }
                segment(name, "other values", categoricalOther[c])
                segment(name, "missing", categoricalMissing[c])
                c += 1
            }
        }
        let latestIndex = sides[2].tally.count > 0 ? 2 : 0
        let baselineSide = baseline.flatMap { sides[1].tally.count > 0 ? side($0, sides[1]) : nil }
        return ErrorAnalysis(
            measure: measure, labelled: current.count, overall: overall, segments: segments, features: names,
            baseline: baselineSide, latest: side(latest, sides[latestIndex]), note: note)
    }

    func side(_ name: String, _ s: SideTally) -> ErrorAnalysis.Side {
        var confusion: ErrorAnalysis.Confusion?
        if measure == .errorRate {
            var labels = Set(s.confusion.keys)
            for row in s.confusion.values { labels.formUnion(row.keys) }
            let ordered = Self.ordered(Array(labels))
            confusion = ErrorAnalysis.Confusion(
                labels: ordered, counts: ordered.map { t in ordered.map { p in s.confusion[t]?[p] ?? 0 } })
        }
        return ErrorAnalysis.Side(
            name: name, labelled: s.tally.count,
            error: s.tally.count > 0 ? s.tally.sum / Double(s.tally.count) : nil, confusion: confusion)
    }

    /// Labels in scikit-learn's order: numerically when every label is a number, else by code point.
    package static func ordered(_ labels: [String]) -> [String] {
        let numbers = labels.map { Double($0) }
        if !labels.isEmpty, numbers.allSatisfy({ $0 != nil }) {
            return zip(labels, numbers).sorted { ($0.1 ?? 0) < ($1.1 ?? 0) }.map(\.0)
        }
        return labels.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    /// The label of segment `k` of right-closed bins on `cuts` (the last slot is `missing`).
    package static func intervalLabel(_ k: Int, _ cuts: [Double]) -> String {
        if k == cuts.count + 1 { return "missing" }
        if cuts.isEmpty { return "all values" }
        if k == 0 { return "≤ \(HTML.number(cuts[0]))" }
        if k == cuts.count { return "> \(HTML.number(cuts[k - 1]))" }
        return "(\(HTML.number(cuts[k - 1])), \(HTML.number(cuts[k]))]"
    }

    /// Decile cut points of ascending values (numpy `linear` quantiles at k/10, duplicates collapsed).
    package static func deciles(sorted s: [Double]) -> [Double] {
        guard !s.isEmpty else { return [] }
        var cuts: [Double] = []
        for k in 1...9 {
            let q = Distribution.quantile(s, Double(k) / 10)
            if cuts.last != q { cuts.append(q) }
        }
        return cuts
    }

    /// Decile cut points of a reference kept on its quantile grid: for each k/10 the first cut point at
    /// which the cumulative share reaches it (duplicates collapsed).
    package static func deciles(gridCutPoints cuts: [Double], fineCounts: [Int]) -> [Double] {
        let total = Double(fineCounts.reduce(0, +))
        guard total > 0, !cuts.isEmpty else { return [] }
        var out: [Double] = []
        var cumulative = 0.0
        var k = 1
        for (i, n) in fineCounts.enumerated() where i < cuts.count {
            cumulative += Double(n)
            while k <= 9 && cumulative >= Double(k) / 10 * total - 1e-9 {
                if out.last != cuts[i] { out.append(cuts[i]) }
                k += 1
            }
        }
        return out
    }
}
