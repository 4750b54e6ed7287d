extension ChiSquare {
    /// Evidently's `chisquare` stattest (Evidently 0.7.23): a **goodness-of-fit** test of the current
    /// counts against the reference counts rescaled to the current size — not a contingency test, so
    /// it ignores the reference's own sampling noise and gives smaller p-values.
    ///
    /// `f_exp_k = ref_k · (n_cur / n_ref)`, `f_obs_k = cur_k`, `X² = Σ (f_obs − f_exp)² / f_exp`,
    /// dof = K − 1, p = `chi2.sf(X², dof)` — matches
    /// `scipy.stats.chisquare(cur_counts, ref_counts * (n_cur / n_ref))`. Complexity O(K).
    ///
    /// Special values: a category absent from the reference but present in the current sample gives
    /// f_exp = 0, statistic `+inf` and p-value 0 (scipy's behaviour). K = 1 gives dof 0 and a
    /// p-value of NaN (`chi2.sf(·, 0)` is NaN in scipy). Empty samples, unequal lengths or negative
    /// counts give NaN statistic and p-value. Categories with both counts 0 are dropped (scipy
    /// would produce a 0/0 NaN term).
    public static func goodnessOfFit(referenceCounts: [Int], currentCounts: [Int]) -> ChiSquareResult {
        guard isValid(referenceCounts, currentCounts) else {
            return .undefined(degreesOfFreedom: Swift.max(referenceCounts.count, currentCounts.count) - 1)
        }
        let pairs = zip(referenceCounts, currentCounts).filter { $0.0 != 0 || $0.1 != 0 }
        let dof = Swift.max(pairs.count - 1, 0)
        // Totals in Double: exact below 2⁵³ and never overflowing.
        let referenceTotal = pairs.reduce(0.0) { $0 + Double($1.0) }
        let currentTotal = pairs.reduce(0.0) { $0 + Double($1.1) }
        guard referenceTotal > 0, currentTotal > 0 else { return .undefined(degreesOfFreedom: dof) }
        let scale = currentTotal / referenceTotal  // Evidently's k_norm
        var statistic = 0.0
        for (r, c) in pairs {
            let expected = Double(r) * scale
            let deviation = Double(c) - expected
            statistic += deviation * deviation / expected  // +inf when expected = 0
        }
        let pValue = dof == 0 ? Double.nan : ChiSquaredDistribution.survival(statistic, dof)
        return ChiSquareResult(
            statistic: statistic, pValue: pValue, degreesOfFreedom: dof, yatesCorrectionApplied: false)
    }
}
