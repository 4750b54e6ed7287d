import DriftStats

/// Turns a closed window's profile into its figures: volume, latency quantiles, missing-value rates, and
/// drift against the reference per feature and method, per output column, and for the whole dataset.
///
/// A numeric column whose window and reference values are both kept whole is compared by
/// `DriftEvaluator` exactly as `driftwatch drift` compares two files (same methods, binning, thresholds,
/// so the figures are equal); otherwise on the reference's grid (`GridDrift`). Categorical columns are
/// always exact (counts). Columns with no value in the window (or the reference) get no drift figures.
package enum WindowEvaluator {
    /// The drift of one window.
    package struct Drift: Sendable {
        /// One entry per input feature that could be compared, after the multiple-testing correction.
        package var features: [ColumnDrift]
        /// The model's output columns (`prediction`, `score`), when the reference has them.
        package var outputs: [ColumnDrift]
        /// The share of drifted features and the verdict (`DriftOptions.datasetDriftShare`).
        package var dataset: DatasetDrift
    }

    /// The options `driftwatch drift` would use for this model's settings (methods set per column).
    package static func options(_ settings: DriftSettings) -> DriftOptions {
        var options = DriftOptions()
        options.binning = settings.binning
        options.bins = settings.bins
        options.thresholds = settings.thresholds
        return options
    }

    package static func drift(
        window: WindowProfile, reference: ReferenceProfile, model: ModelConfiguration
    ) -> Drift {
        let schema = ProfileSchema(model: model)
        let base = options(model.drift)
        var features: [ColumnDrift] = []
        for (i, feature) in schema.numericFeatures.enumerated() where i < reference.numeric.count {
            var o = base
            o.methods = model.methods(for: feature)
            if let column = numeric(feature.name, reference.numeric[i], window.numeric[i], o) {
                features.append(column)
            }
        }
        for (i, feature) in schema.categoricalFeatures.enumerated() where i < reference.categorical.count {
            var o = base
            o.methods = model.methods(for: feature)
            if let column = categorical(feature.name, reference.categorical[i], window.categorical[i], o) {
                features.append(column)
            }
        }
        let dataset = DriftEvaluator.conclude(&features, options: base)
        var outputs: [ColumnDrift] = []
        if let name = schema.predictedClassColumn, let r = reference.predictedClass {
            var o = base
            o.methods = model.drift.categoricalMethods
            if let column = categorical(name, r, window.predictedClass, o) { outputs.append(column) }
        }
        if let name = schema.predictedValueColumn, let r = reference.predictedValue {
            var o = base
            o.methods = model.drift.numericMethods
            if let column = numeric(name, r, window.predictedValue, o) { outputs.append(column) }
        }
        return Drift(features: features, outputs: outputs, dataset: dataset)
    }

    static func numeric(
        _ name: String, _ reference: ReferenceNumericProfile, _ window: NumericProfile, _ options: DriftOptions
    ) -> ColumnDrift? {
        guard reference.count > 0, window.count > 0 else { return nil }
        if let r = reference.sample, let w = window.values {
            return DriftEvaluator.evaluate(
                name: name, type: .numeric,
                reference: .numeric(r, missing: reference.missing, nonFinite: reference.nonFinite),
                current: .numeric(SortedSample(sorting: w), missing: window.missing, nonFinite: window.nonFinite),
                options: options)
        }
        return GridDrift.evaluate(name: name, reference: reference, window: window, options: options)
    }

    static func categorical(
        _ name: String, _ reference: CategoricalProfile, _ window: CategoricalProfile, _ options: DriftOptions
    ) -> ColumnDrift? {
        guard reference.count > 0, window.count > 0 else { return nil }
        return DriftEvaluator.evaluate(
            name: name, type: .categorical, reference: .categorical(reference.counts, missing: reference.missing),
            current: .categorical(window.counts, missing: window.missing), options: options)
    }

    /// Every figure of a closed window but realized performance (see `PerformanceEvaluator`):
    /// `volume`; `latency_p50|p90|p95|p99|max` (ms); `missing_rate` per feature; with a reference,
    /// `drift_statistic` and (for KS and chi-square) `p_value` per feature and method — with the
    /// threshold and the verdict —, the same for the output columns, and `drifted_features` /
    /// `drifted_feature_ratio` (threshold and verdict of the dataset).
    package static func figures(
        window: WindowProfile, reference: ReferenceProfile?, model: ModelConfiguration
    ) -> [WindowFigure] {
        let schema = ProfileSchema(model: model)
        var out: [WindowFigure] = [WindowFigure(.volume, value: Double(window.eventCount))]
        if window.latency.count > 0 {
            for (metric, p) in WindowMetric.latencyQuantiles {
                out.append(WindowFigure(metric, value: window.latency.quantile(p)))
            }
            out.append(WindowFigure(.latencyMax, value: window.latency.max))
        }
        if window.eventCount > 0 {
            let n = Double(window.eventCount)
            for (i, f) in schema.numericFeatures.enumerated() {
                out.append(WindowFigure(.missingRate, feature: f.name, value: Double(window.numeric[i].missing) / n))
            }
            for (i, f) in schema.categoricalFeatures.enumerated() {
                out.append(
                    WindowFigure(.missingRate, feature: f.name, value: Double(window.categorical[i].missing) / n))
            }
        }
        guard let reference, reference.matches(schema) else { return out }
        let drift = drift(window: window, reference: reference, model: model)
        for column in drift.features + drift.outputs {
            for test in column.tests {
                out.append(
                    WindowFigure(
                        .driftStatistic, feature: column.name, method: test.method.rawValue, value: test.statistic,
                        threshold: test.threshold, drift: test.drift))
                if let p = test.pValue {
                    out.append(
                        WindowFigure(
                            .pValue, feature: column.name, method: test.method.rawValue,
                            value: test.adjustedPValue ?? p, threshold: test.threshold, drift: test.drift))
                }
            }
        }
        if drift.dataset.columns > 0 {
            out.append(WindowFigure(.driftedFeatures, value: Double(drift.dataset.drifted)))
            out.append(
                WindowFigure(
                    .driftedFeatureRatio, value: drift.dataset.share, threshold: drift.dataset.threshold,
                    drift: drift.dataset.drift))
        }
        return out
    }
}
