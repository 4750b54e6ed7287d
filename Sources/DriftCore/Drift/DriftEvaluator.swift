import DriftStats

/// Runs the drift methods on reference and current samples of each column and decides the verdicts.
public enum DriftEvaluator {
    /// Evaluates one column. Methods that do not apply to the column's type are skipped.
    /// Cost: O(n) per method after sorting (KS's exact p-value, used up to 10,000 rows, is O(n·m)).
    public static func evaluate(
        name: String, type: ColumnType, reference: ColumnSample, current: ColumnSample, options: DriftOptions
    ) -> ColumnDrift {
        let methods = (options.methods ?? DriftMethod.defaults(for: type)).filter { $0.applies(to: type) }
        var tests: [DriftTestResult] = []
        var summary: BinnedComparisonSummary?
        let binned: BinnedComparison? = {
            guard methods.contains(where: { $0 == .psi || $0 == .jensenShannon || $0 == .hellinger }) else {
                return nil
            }
            switch (reference, current) {
            case (.numeric(let r, _, _), .numeric(let c, _, _)):
                return NumericBinning.bin(reference: r, current: c, mode: options.binning, bins: options.bins)
            case (.categorical(let r, _), .categorical(let c, _)):
                return CategoricalBinning.bin(reference: r, current: c, mode: options.binning)
            default:
                return nil
            }
        }()
        if let binned {
            summary = BinnedComparisonSummary(
                rule: binned.rule, edges: binned.edges, keys: binned.keys, referenceCounts: binned.referenceCounts,
                currentCounts: binned.currentCounts)
        }
        let binParameters: [(String, DriftTestResult.ParameterValue)] = [
            ("binning", .text(options.binning.rawValue)), ("bins", .integer(binned?.count ?? 0)),
        ]
        for method in methods {
            let threshold = options.threshold(for: method)
            func result(
                _ statistic: Double, _ p: Double?, _ parameters: [(String, DriftTestResult.ParameterValue)]
            )
                -> DriftTestResult
            {
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
            switch (method, reference, current) {
            case (.ks, .numeric(let r, _, _), .numeric(let c, _, _)):
                let ks = KolmogorovSmirnov.twoSample(r, c, method: options.ksMethod)
                tests.append(
                    result(ks.statistic, ks.pValue, [("p_value_method", .text(ks.method.rawValue))]))
            case (.wasserstein, .numeric(let r, _, _), .numeric(let c, _, _)):
                tests.append(result(Wasserstein.distance(r, c), nil, []))
            case (.wassersteinNormed, .numeric(let r, _, _), .numeric(let c, _, _)):
                let w = Wasserstein.normedDistance(r, c)
                tests.append(result(w.value, nil, [("norm", .number(w.norm))]))
            case (.chiSquare, .categorical(let r, _), .categorical(let c, _)):
                // One bin per category of reference ∪ current, whatever the binning of the other methods.
                let table = CategoricalBinning.bin(reference: r, current: c, mode: .quantile)
                let chi =
                    options.chiSquareForm == .contingency
                    ? ChiSquare.contingency(referenceCounts: table.referenceCounts, currentCounts: table.currentCounts)
                    : ChiSquare.goodnessOfFit(
                        referenceCounts: table.referenceCounts, currentCounts: table.currentCounts)
                tests.append(
                    result(
                        chi.statistic, chi.pValue,
                        [("form", .text(options.chiSquareForm.rawValue)), ("dof", .integer(chi.degreesOfFreedom))]))
            case (.psi, _, _):
                guard let binned else { break }
                let psi = PopulationStabilityIndex.value(binned, mode: options.binning, epsilon: options.psiEpsilon)
                var parameters = binParameters
                if options.binning == .evidently {
                    parameters.append(("epsilon_reference", .number(psi.referenceEpsilon)))
                    parameters.append(("epsilon_current", .number(psi.currentEpsilon)))
                } else {
                    parameters.append(("epsilon", .number(options.psiEpsilon)))
                }
                tests.append(result(psi.value, nil, parameters))
            case (.jensenShannon, _, _):
                guard let binned else { break }
                let js = JensenShannon.distance(
                    binned.referenceShares, binned.currentShares, base: options.jensenShannonBase)
                tests.append(result(js, nil, binParameters + [("base", .text(options.jensenShannonBase.rawValue))]))
            case (.hellinger, _, _):
                guard let binned else { break }
                tests.append(
                    result(Hellinger.distance(binned.referenceShares, binned.currentShares), nil, binParameters))
            default:
                break
            }
        }
        return ColumnDrift(
            name: name, type: type, referenceCount: reference.count, currentCount: current.count,
            referenceMissing: reference.missing, currentMissing: current.missing, tests: tests, binned: summary)
    }

    /// Applies the multiple-testing correction across columns (per p-value method, over the columns that
    /// ran it) and returns the dataset verdict.
    public static func conclude(_ columns: inout [ColumnDrift], options: DriftOptions) -> DatasetDrift {
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
