import DriftStats

/// Drift of a numeric column when either side is only known on the reference's fine quantile grid
/// (a window past its exact limit, or a reference past its own). Quantile-binned methods stay exact; the
/// others are approximations with stated bounds:
///
/// * `psi`, `jensen_shannon`, `hellinger`: quantile binning (whatever the configured mode) on the
///   reference's `bins` cut points, which lie on the grid when `bins` divides the grid resolution (1,000):
///   the bin counts, hence the values, equal those of exact quantile binning.
/// * `ks`: `D = max_c |F_r(c) - F_w(c)|` over the grid's cut points (`QuantileGrid.ksStatistic`) — never
///   above the exact D and below it by at most the largest share one side has in one fine bin (about
///   0.1 % of the reference plus the window's share of that bin); p-value `kstwo.sf(D, round(n·m/(n+m)))`
///   (`KolmogorovSmirnov.asymptoticPValue`).
/// * `wasserstein`: `Σ_i |F_r(c_i) - F_w(c_i)| (c_{i+1} - c_i)` over consecutive cut points — the exact
///   integral with each CDF evaluated at the left end of its fine bin, so the error is at most the sum
///   over bins of (bin width × the CDF change inside the bin), and the tails beyond the outermost cut
///   points are left out. `wasserstein_normed` divides by max(reference std (ddof 0), 0.001).
enum GridDrift {
    static func evaluate(
        name: String, reference: ReferenceNumericProfile, window: NumericProfile, options: DriftOptions
    ) -> ColumnDrift {
        let grid = reference.grid
        let r = reference.fineCounts
        let w = window.fineCounts(grid: grid)
        let nr = reference.count
        let nw = window.count
        let methods = (options.methods ?? DriftMethod.defaults(for: .numeric)).filter { $0.applies(to: .numeric) }
        let coarseReference = grid.coarseCounts(r, coarseCutPoints: reference.binCutPoints)
        let coarseWindow = grid.coarseCounts(w, coarseCutPoints: reference.binCutPoints)
        let p = coarseReference.map { Double($0) / Double(nr) }
        let q = coarseWindow.map { Double($0) / Double(nw) }
        let binParameters: [(String, DriftTestResult.ParameterValue)] = [
            ("binning", .text(BinningMode.quantile.rawValue)), ("bins", .integer(p.count)),
        ]
        var tests: [DriftTestResult] = []
        for method in methods {
            let threshold = options.threshold(for: method)
            let result = {
                (statistic: Double, pValue: Double?, parameters: [(String, DriftTestResult.ParameterValue)]) in
                Self.result(method, threshold: threshold, statistic, pValue, parameters)
            }
            switch method {
            case .ks:
                let d = QuantileGrid.ksStatistic(referenceCounts: r, currentCounts: w)
                let pValue = KolmogorovSmirnov.asymptoticPValue(statistic: d, n1: nr, n2: nw)
                tests.append(result(d, pValue, [("p_value_method", .text(KSMethod.asymptotic.rawValue))]))
            case .psi:
                let rule = ZeroShareRule.clip(epsilon: options.psiEpsilon)
                let value = PopulationStabilityIndex.value(
                    reference: rule.apply(p).shares, current: rule.apply(q).shares)
                tests.append(result(value, nil, binParameters + [("epsilon", .number(options.psiEpsilon))]))
            case .jensenShannon:
                let value = JensenShannon.distance(p, q, base: options.jensenShannonBase)
                tests.append(result(value, nil, binParameters + [("base", .text(options.jensenShannonBase.rawValue))]))
            case .hellinger:
                tests.append(result(Hellinger.distance(p, q), nil, binParameters))
            case .wasserstein:
                tests.append(result(wasserstein(grid: grid, r, w), nil, []))
            case .wassersteinNormed:
                let norm = Swift.max(reference.standardDeviation ?? .nan, 0.001)
                tests.append(result(wasserstein(grid: grid, r, w) / norm, nil, [("norm", .number(norm))]))
            case .chiSquare:
                break
            }
        }
        return ColumnDrift(
            name: name, type: .numeric, referenceCount: nr, currentCount: nw, referenceMissing: reference.missing,
            currentMissing: window.missing, tests: tests,
            binned: BinnedComparisonSummary(
                rule: "quantile_right_closed", edges: reference.binCutPoints, keys: [],
                referenceCounts: coarseReference, currentCounts: coarseWindow))
    }

    /// A test result on the grid, marked `approximation: reference_grid`: drift when the p-value is below the
    /// threshold (or, without a p-value, the statistic reaches it); never without a threshold.
    static func result(
        _ method: DriftMethod, threshold: Double?, _ statistic: Double, _ pValue: Double?,
        _ parameters: [(String, DriftTestResult.ParameterValue)]
    ) -> DriftTestResult {
        let approximation: (String, DriftTestResult.ParameterValue) = ("approximation", .text("reference_grid"))
        var drift = false
        if let threshold { drift = pValue.map { $0 < threshold } ?? (statistic >= threshold) }
        return DriftTestResult(
            method: method, statistic: statistic, pValue: pValue, adjustedPValue: nil, threshold: threshold,
            drift: drift, parameters: parameters + [approximation])
    }

    /// `Σ_i |F_r(c_i) - F_w(c_i)| (c_{i+1} - c_i)` from counts per fine bin.
    static func wasserstein(grid: QuantileGrid, _ r: [Int], _ w: [Int]) -> Double {
        let nr = Double(r.reduce(0) { $0.addingSaturating($1) })
        let nw = Double(w.reduce(0) { $0.addingSaturating($1) })
        guard nr > 0, nw > 0 else { return .nan }
        let cuts = grid.cutPoints
        var cr = 0
        var cw = 0
        var sum = CompensatedSum()
        for i in 0..<Swift.max(cuts.count - 1, 0) {
            cr = cr.addingSaturating(r[i])
            cw = cw.addingSaturating(w[i])
            sum.add(abs(Double(cr) / nr - Double(cw) / nw) * (cuts[i + 1] - cuts[i]))
        }
        return sum.value
    }
}
