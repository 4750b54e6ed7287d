import DriftStats
import DriftTables

/// Runs the drift methods on reference and current samples of each column and decides the verdicts.
package enum DriftEvaluator {
    /// Evaluates one column. Methods that do not apply to the column's type are skipped.
    /// Cost: O(n) per method after sorting (KS's exact p-value, used up to 10,000 rows, is O(n·m)).
    package static func evaluate(
        name: String, type: ColumnType, reference: ColumnSample, current: ColumnSample, options: DriftOptions
    ) -> ColumnDrift {
        let methods = (options.methods ?? DriftMethod.defaults(for: type)).filter { $0.applies(to: type) }
        var figures = Figures()
        let wantsBins = methods.contains { $0.isBinned }
        switch (reference, current) {
        case (.numeric(let r, _, _), .numeric(let c, _, _)):
            if wantsBins {
                figures.binned = NumericBinning.bin(reference: r, current: c, mode: options.binning, bins: options.bins)
            }
            if methods.contains(.ks) { figures.ks = KolmogorovSmirnov.twoSample(r, c, method: options.ksMethod) }
            if methods.contains(.wasserstein) { figures.wasserstein = Wasserstein.distance(r, c) }
            if methods.contains(.wassersteinNormed) { figures.wassersteinNormed = Wasserstein.normedDistance(r, c) }
        case (.categorical(let r, _), .categorical(let c, _)):
            if wantsBins { figures.binned = CategoricalBinning.bin(reference: r, current: c, mode: options.binning) }
            if methods.contains(.chiSquare) {
                // One bin per category of reference ∪ current, whatever the binning of the other methods.
                let table = CategoricalBinning.bin(reference: r, current: c, mode: .quantile)
                figures.chiSquare =
                    options.chiSquareForm == .contingency
                    ? ChiSquare.contingency(referenceCounts: table.referenceCounts, currentCounts: table.currentCounts)
                    : ChiSquare.goodnessOfFit(
                        referenceCounts: table.referenceCounts, currentCounts: table.currentCounts)
            }
        default:
            break
        }
        return column(
            name: name, type: type, methods: methods, figures: figures, options: options,
            counts: (reference.count, current.count, reference.missing, current.missing))
    }

    /// Evaluates a numeric column from its unsorted values (NaN and ±inf are left out, as
    /// `ColumnSample.from` leaves them out; `missing` are the table's missing cells). With KS and the
    /// `quantile` binning (PSI, Jensen–Shannon, Hellinger) the samples are bucketed rather than sorted
    /// (`BucketedSample`): the results are the same, bit for bit, for a fraction of the time. Other
    /// methods sort, as `evaluate`.
    package static func evaluateNumeric(
        name: String, reference: [Double], referenceMissing: Int, current: [Double], currentMissing: Int,
        options: DriftOptions
    ) -> ColumnDrift {
        var (r, c) = BucketedSample.pair(reference: reference, current: current)
        return evaluateNumeric(
            name: name, reference: &r, referenceMissing: referenceMissing, current: &c, currentMissing: currentMissing,
            options: options)
    }

    /// `evaluateNumeric` on samples already bucketed by `BucketedSample.pair` (which other users, such as a
    /// report's distributions, then read without another sort).
    package static func evaluateNumeric(
        name: String, reference r: inout BucketedSample, referenceMissing: Int, current c: inout BucketedSample,
        currentMissing: Int, options: DriftOptions
    ) -> ColumnDrift {
        let methods = (options.methods ?? DriftMethod.defaults(for: .numeric)).filter { $0.applies(to: .numeric) }
        let bucketable = methods.allSatisfy { $0 == .ks || ($0.isBinned && options.binning == .quantile) }
        guard bucketable else {
            return evaluate(
                name: name, type: .numeric,
                reference: ColumnSample.from(
                    .numeric(values: r.values.array, missing: referenceMissing, firstMissingLine: nil), as: .numeric),
                current: ColumnSample.from(
                    .numeric(values: c.values.array, missing: currentMissing, firstMissingLine: nil), as: .numeric),
                options: options)
        }
        var figures = Figures()
        // One gathering pass per side for everything below.
        if methods.contains(.ks) {
            let walked = KolmogorovSmirnov.bucketsNeeded(r, c)
            r.request(walked)
            c.request(walked)
        }
        if methods.contains(where: { $0.isBinned }) {
            let needed = QuantileBinning.bucketsNeeded(reference: r, bins: options.bins)
            r.request(needed.reference)
            c.request(needed.cuts)
        }
        if methods.contains(where: { $0.isBinned }) {
            figures.binned = NumericBinning.quantileBins(reference: &r, current: &c, bins: options.bins)
        }
        if methods.contains(.ks) { figures.ks = KolmogorovSmirnov.twoSample(&r, &c, method: options.ksMethod) }
        return column(
            name: name, type: .numeric, methods: methods, figures: figures, options: options,
            counts: (r.count, c.count, referenceMissing, currentMissing))
    }

    /// What the methods of one column computed, before thresholds are applied.
    struct Figures {
        var binned: BinnedComparison?
        var ks: KSResult?
        var wasserstein: Double?
        var wassersteinNormed: (value: Double, norm: Double)?
        var chiSquare: ChiSquareResult?
    }

    /// The column's test results, in the order of `methods`, with their verdicts.
    static func column(
        name: String, type: ColumnType, methods: [DriftMethod], figures: Figures, options: DriftOptions,
        counts: (reference: Int, current: Int, referenceMissing: Int, currentMissing: Int)
    ) -> ColumnDrift {
        let binned = figures.binned
        let summary = binned.map {
            BinnedComparisonSummary(
                rule: $0.rule, edges: $0.edges, keys: $0.keys, referenceCounts: $0.referenceCounts,
                currentCounts: $0.currentCounts)
        }
        let binParameters: [(String, DriftTestResult.ParameterValue)] = [
            ("binning", .text(options.binning.rawValue)), ("bins", .integer(binned?.count ?? 0)),
        ]
        let tests = methods.compactMap { method in
            test(method, figures: figures, binParameters: binParameters, options: options)
        }
        return ColumnDrift(
            name: name, type: type, referenceCount: counts.reference, currentCount: counts.current,
            referenceMissing: counts.referenceMissing, currentMissing: counts.currentMissing, tests: tests,
            binned: summary)
    }

    /// The result of `method` from `figures`, nil when the method computed nothing for the column.
    static func test(
        _ method: DriftMethod, figures: Figures, binParameters: [(String, DriftTestResult.ParameterValue)],
        options: DriftOptions
    ) -> DriftTestResult? {
        let threshold = options.threshold(for: method)
        let result = { (statistic: Double, p: Double?, parameters: [(String, DriftTestResult.ParameterValue)]) in
            Self.result(method, threshold: threshold, statistic, p, parameters)
        }
        switch method {
        case .ks:
            guard let ks = figures.ks else { return nil }
            return result(ks.statistic, ks.pValue, [("p_value_method", .text(ks.method.rawValue))])
        case .wasserstein:
            guard let w = figures.wasserstein else { return nil }
            return result(w, nil, [])
        case .wassersteinNormed:
            guard let w = figures.wassersteinNormed else { return nil }
            return result(w.value, nil, [("norm", .number(w.norm))])
        case .chiSquare:
            guard let chi = figures.chiSquare else { return nil }
            return result(
                chi.statistic, chi.pValue,
                [("form", .text(options.chiSquareForm.rawValue)), ("dof", .integer(chi.degreesOfFreedom))])
        case .psi:
            guard let binned = figures.binned else { return nil }
            let psi = PopulationStabilityIndex.value(binned, mode: options.binning, epsilon: options.psiEpsilon)
            var parameters = binParameters
            if options.binning == .evidently {
                parameters.append(("epsilon_reference", .number(psi.referenceEpsilon)))
                parameters.append(("epsilon_current", .number(psi.currentEpsilon)))
            } else {
                parameters.append(("epsilon", .number(options.psiEpsilon)))
            }
            return result(psi.value, nil, parameters)
        case .jensenShannon:
            guard let binned = figures.binned else { return nil }
            let js = JensenShannon.distance(
                binned.referenceShares, binned.currentShares, base: options.jensenShannonBase)
            return result(js, nil, binParameters + [("base", .text(options.jensenShannonBase.rawValue))])
        case .hellinger:
            guard let binned = figures.binned else { return nil }
            return result(Hellinger.distance(binned.referenceShares, binned.currentShares), nil, binParameters)
        }
    }

    /// A test result with its verdict: drift when the p-value is below the threshold (or, without a p-value,
    /// the statistic reaches it); never without a threshold.
    static func result(
        _ method: DriftMethod, threshold: Double?, _ statistic: Double, _ p: Double?,
        _ parameters: [(String, DriftTestResult.ParameterValue)]
    ) -> DriftTestResult {
        let drift: Bool
        if let threshold {
            if let p { drift = p < threshold } else { drift = statistic >= threshold }
        } else {
            drift = false
        }
        return DriftTestResult(
            method: method, statistic: statistic, pValue: p, adjustedPValue: nil, threshold: threshold,
            drift: drift, parameters: parameters)
    }

    /// Applies the multiple-testing correction across columns (per p-value method, over the columns that
    /// ran it) and returns the dataset verdict.
    package static func conclude(_ columns: inout [ColumnDrift], options: DriftOptions) -> DatasetDrift {
        if options.correction != .none {
            for method in DriftMethod.allCases where method.usesPValue {
                var places: [(Int, Int)] = []
                var pValues: [Double] = []
                for (ci, column) in columns.enumerated() {
                    for (ti, test) in column.tests.enumerated() where test.method == method {
                        if let p = test.pValue {
                            places.append((ci, ti))
                            pValues.append(p)
                        }
                    }
                }
                guard !pValues.isEmpty else { continue }
                let correction: PValueCorrection = options.correction == .bonferroni ? .bonferroni : .benjaminiHochberg
                let adjusted = correction.adjusted(pValues)
                for (k, (ci, ti)) in places.enumerated() {
                    columns[ci].tests[ti].adjustedPValue = adjusted[k]
                    if let threshold = columns[ci].tests[ti].threshold {
                        columns[ci].tests[ti].drift = adjusted[k] < threshold
                    }
                }
            }
        }
        return DatasetDrift(
            columns: columns.count, drifted: columns.filter(\.drift).count, threshold: options.datasetDriftShare)
    }
}
