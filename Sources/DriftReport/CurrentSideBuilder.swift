import DriftCore

/// Accumulates what an agent report needs from the stored predictions of its range, one event at a time and
/// in memory bounded by the features (not the events): per numeric column a `NumericHistogramBuilder`, per
/// categorical column its counts (at most `maxCategories` distinct values, the rest pooled), and the
/// `ErrorAnalysisBuilder` of the labelled events. Then builds the reference vs current `Distribution`s (the
/// reference from its stored profile) and the `ErrorAnalysis`.
package struct CurrentSideBuilder: Sendable {
    /// What the error analysis compares its latest labelled rows with.
    package enum Comparison: Sendable, Equatable {
        /// The labelled events of the reference's traffic, added with `addBaseline`; the latest side is every
        /// labelled event of the report.
        case referenceTraffic(name: String)
        /// The labelled events with event time in `early` against those in `late` (µs, half-open).
        case windows(early: Range<Int64>, late: Range<Int64>, earlyName: String, lateName: String)
        /// No before/after comparison.
        case none
    }

    /// Distinct categories counted per column (the rest are one "other values" count).
    package static let maxCategories = 10_000

    let model: ModelConfiguration
    let schema: ProfileSchema
    let reference: ReferenceProfile?
    let comparison: Comparison
    var numeric: [NumericHistogramBuilder]
    var categorical: [[String: Int]]
    var predictedClass: [String: Int] = [:]
    var predictedValue: NumericHistogramBuilder
    var errors: ErrorAnalysisBuilder
    /// Events added.
    package private(set) var events = 0

    package init(model: ModelConfiguration, reference: ReferenceProfile?, comparison: Comparison) {
        self.model = model
        schema = ProfileSchema(model: model)
        let usable = reference.flatMap { $0.matches(ProfileSchema(model: model)) ? $0 : nil }
        self.reference = usable
        self.comparison = comparison
        numeric = schema.numericFeatures.indices.map { i in
            Self.histogram(usable.map { $0.numeric[i] })
        }
        categorical = schema.categoricalFeatures.map { _ in [:] }
        predictedValue = Self.histogram(usable?.predictedValue)
        var features: [ErrorAnalysisBuilder.Feature] = []
        var n = 0
        for f in model.features {
            if f.type == .numeric {
                let cuts = usable.map { r in
                    let p = r.numeric[n]
                    return p.sortedValues.map(ErrorAnalysisBuilder.deciles(sorted:))
                        ?? ErrorAnalysisBuilder.deciles(gridCutPoints: p.grid.cutPoints, fineCounts: p.fineCounts)
                }
                features.append(.numeric(name: f.name, cutPoints: cuts ?? []))
                n += 1
            } else {
                features.append(.categorical(name: f.name))
            }
        }
        errors = ErrorAnalysisBuilder(
            measure: model.task == .regression ? .meanAbsoluteError : .errorRate, features: features)
    }

    static func histogram(_ p: ReferenceNumericProfile?) -> NumericHistogramBuilder {
        guard let p, p.count > 0 else { return NumericHistogramBuilder(referenceLow: 0, referenceHigh: 0) }
        let (lo, hi): (Double, Double)
        if let s = p.sortedValues, !s.isEmpty {
            (lo, hi) = (Distribution.quantile(s, 0.005), Distribution.quantile(s, 0.995))
        } else {
            (lo, hi) = Distribution.gridQuantiles(p.grid.cutPoints, p.fineCounts)
        }
        return NumericHistogramBuilder(referenceLow: lo, referenceHigh: hi)
    }

    /// Adds one stored event of the report's range (features in schema order: numeric, then categorical).
    package mutating func add(
        eventTime: Int64, numeric values: [Double?], categorical labels: [String?], prediction: String?,
        score: Double?, label: String?, labelValue: Double?
    ) {
        events += 1
        for i in numeric.indices {
            if i < values.count, let v = values[i] { numeric[i].add(v) }
        }
        for i in categorical.indices {
            guard i < labels.count, let l = labels[i] else { continue }
            if categorical[i][l] != nil || categorical[i].count < Self.maxCategories {
                categorical[i][l, default: 0] += 1
            } else {
                categorical[i]["other values", default: 0] += 1
            }
        }
        if schema.predictedClassColumn != nil, let prediction {
            if predictedClass[prediction] != nil || predictedClass.count < Self.maxCategories {
                predictedClass[prediction, default: 0] += 1
            }
        }
        switch model.task {
        case .binary: if let score { predictedValue.add(score) }
        case .regression: if let v = prediction.flatMap(Double.init) { predictedValue.add(v) }
        case .multiclass: break
        }
        guard let e = record(.current, prediction: prediction, label: label, labelValue: labelValue) else { return }
        errors.addSegments(numeric: values, categorical: labels, error: e)
        if case .windows(let early, let late, _, _) = comparison {
            if early.contains(eventTime) {
                record(.baseline, prediction: prediction, label: label, labelValue: labelValue)
            }
            if late.contains(eventTime) {
                record(.latest, prediction: prediction, label: label, labelValue: labelValue)
            }
        }
    }

    /// Adds one labelled event of the reference's traffic (`Comparison.referenceTraffic`).
    package mutating func addBaseline(prediction: String?, label: String?, labelValue: Double?) {
        record(.baseline, prediction: prediction, label: label, labelValue: labelValue)
    }

    @discardableResult
    mutating func record(
        _ side: ErrorAnalysisBuilder.Side, prediction: String?, label: String?, labelValue: Double?
    ) -> Double? {
        if model.task == .regression {
            guard let a = labelValue, let p = prediction.flatMap(Double.init) else { return nil }
            return errors.record(side, actual: a, predicted: p)
        }
        guard let t = label, let p = prediction else { return nil }
        return errors.record(side, truth: t, predicted: p)
    }

    /// Reference vs current per column (features by name, then `prediction` / `score`); empty without a
    /// reference.
    package func distributions(note: String?) -> [String: Distribution] {
        guard let reference else { return [:] }
        var out: [String: Distribution] = [:]
        func numericDistribution(_ p: ReferenceNumericProfile, _ h: NumericHistogramBuilder) -> Distribution? {
            Distribution.numeric(
                referenceSorted: p.sortedValues, gridCutPoints: p.grid.cutPoints, fineCounts: p.fineCounts, current: h)
        }
        for (i, f) in schema.numericFeatures.enumerated() {
            out[f.name] = numericDistribution(reference.numeric[i], numeric[i])
        }
        for (i, f) in schema.categoricalFeatures.enumerated() {
            out[f.name] = Distribution.categorical(reference: reference.categorical[i].counts, current: categorical[i])
        }
        if let name = schema.predictedClassColumn, let r = reference.predictedClass {
            out[name] = Distribution.categorical(reference: r.counts, current: predictedClass)
        }
        if let name = schema.predictedValueColumn, let r = reference.predictedValue {
            out[name] = numericDistribution(r, predictedValue)
        }
        for k in out.keys { out[k]?.note = note }
        return out
    }

    /// The error analysis, nil until a labelled event was added.
    package func errorAnalysis(note: String) -> ErrorAnalysis? {
        switch comparison {
        case .referenceTraffic(let name):
            return errors.build(baseline: name, latest: "this report's windows", note: note)
        case .windows(_, _, let earlyName, let lateName):
            return errors.build(baseline: earlyName, latest: lateName, note: note)
        case .none:
            return errors.build(baseline: nil, latest: "this report's windows", note: note)
        }
    }
}
