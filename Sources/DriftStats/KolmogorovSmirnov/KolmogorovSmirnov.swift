/// The two-sample Kolmogorov–Smirnov test, matching `scipy.stats.ks_2samp` (scipy 1.17.1,
/// `alternative='two-sided'`): statistic `D = max_t |F_r(t) - F_c(t)|` in O(n_r + n_c) on sorted
/// samples, exact lattice-path p-value (`KSTwoSampleExact`) or the asymptotic
/// `kstwo.sf(D, round(n_r·n_c/(n_r + n_c)))` (`KolmogorovDistribution`).
public enum KolmogorovSmirnov {
    /// `max(n1, n2)` up to which `.auto` uses the exact p-value (scipy's `MAX_AUTO_N`).
    public static let maxAutoExactN = 10_000

    /// Two-sided two-sample KS test; matches `scipy.stats.ks_2samp(reference, current,
    /// alternative='two-sided', method=...)` of scipy 1.17.1 (statistic, p-value,
    /// `statistic_location`, `statistic_sign`).
    ///
    /// * Statistic: `D = max_t |F_r(t) - F_c(t)|` over every distinct pooled value `t`, with
    ///   right-continuous ECDFs `F(t) = #{x <= t}/n`, by one O(n1 + n2) merge walk of the sorted samples.
    /// * `.auto` → `.exact` iff `max(n1, n2) <= 10000`. An explicit `.exact` turns `.asymptotic`
    ///   (as scipy) when `n1/g >= Int32.max/(n2/g)`, `g = gcd(n1, n2)`.
    /// * Exact: `D` is rounded to `h/lcm(n1, n2)`, `h = round(D·lcm)`, and the p-value is the lattice-path
    ///   probability of `KSTwoSampleExact`; if that computation fails (result outside [0, 1]),
    ///   scipy — and this function — fall back to the asymptotic p-value, keeping the rounded `D`.
    /// * Asymptotic: `p = kstwo.sf(D, N)` (`KolmogorovDistribution.oneSampleSurvival`) with
    ///   `N = round(n1·n2/(n1 + n2))`, rounded half to even as `numpy.round`.
    /// * p-values are clipped to [0, 1].
    /// * Empty samples (scipy raises `ValueError`): statistic, p-value and location are NaN,
    ///   `sign` is 0, and `method` is what `method` would resolve to for these sizes.
    ///
    /// Complexity: O(n1 + n2) for the statistic; the exact p-value costs O(n) when n1 == n2 and
    /// O(max(n1,n2) · band) ≤ O(n1·n2) otherwise (band ≈ 2·D·min(n1,n2)); the asymptotic one is
    /// independent of the sample sizes up to the Smirnov sum (≤ O(N) terms, usually far fewer).
    public static func twoSample(
        _ reference: SortedSample, _ current: SortedSample, method: KSMethod = .auto
    )
        -> KSResult
    {
        let n1 = reference.count
        let n2 = current.count
        let mode = resolve(method, n1: n1, n2: n2)
        guard n1 > 0, n2 > 0 else {
            return KSResult(statistic: .nan, rawStatistic: .nan, pValue: .nan, method: mode, location: .nan, sign: 0)
        }
        return finish(KSStatisticWalk(reference: reference.values, current: current.values), n1: n1, n2: n2, mode: mode)
    }

    /// The same test on two bucketed samples of one grid (`BucketedSample.pair`): identical results,
    /// bit for bit, with only the buckets that can hold the extreme difference sorted. NaN and ±inf are
    /// left out, as `SortedSample` callers leave them out.
    public static func twoSample(
        _ reference: inout BucketedSample, _ current: inout BucketedSample, method: KSMethod = .auto
    ) -> KSResult {
        let n1 = reference.count
        let n2 = current.count
        let mode = resolve(method, n1: n1, n2: n2)
        guard n1 > 0, n2 > 0 else {
            return KSResult(statistic: .nan, rawStatistic: .nan, pValue: .nan, method: mode, location: .nan, sign: 0)
        }
        return finish(KSStatisticWalk(reference: &reference, current: &current), n1: n1, n2: n2, mode: mode)
    }

    /// The buckets `twoSample(_:_:method:)` on bucketed samples will read, for requesting them early.
    public static func bucketsNeeded(_ reference: BucketedSample, _ current: BucketedSample) -> [Int] {
        guard reference.count > 0, current.count > 0 else { return [] }
        return KSStatisticWalk.buckets(reference: reference, current: current)
    }

    /// The p-value (and, in exact mode, the rounded statistic) for the walk's `D`.
    static func finish(_ walk: KSStatisticWalk, n1: Int, n2: Int, mode resolved: KSMethod) -> KSResult {
        var mode = resolved
        var statistic = walk.statistic
        var pValue = -Double.infinity
        if mode == .exact {
            let outcome = KSTwoSampleExact.attempt(n1: n1, n2: n2, d: statistic)
            statistic = outcome.statistic
            pValue = outcome.pValue
            if !outcome.succeeded { mode = .asymptotic }
        }
        if mode == .asymptotic {
            pValue = KolmogorovDistribution.oneSampleSurvival(statistic, n: asymptoticSampleSize(n1, n2))
        }
        if !pValue.isNaN { pValue = min(max(pValue, 0), 1) }
        return KSResult(
            statistic: statistic, rawStatistic: walk.statistic, pValue: pValue, method: mode,
            location: walk.location, sign: walk.sign)
    }

    /// scipy's resolution of the requested method before the exact computation is attempted.
    static func resolve(_ method: KSMethod, n1: Int, n2: Int) -> KSMethod {
        switch method {
        case .auto:
            return max(n1, n2) <= maxAutoExactN ? .exact : .asymptotic
        case .exact:
            let g = KSTwoSampleExact.gcd(n1, n2)
            guard g > 0 else { return .exact }
            // scipy: `n1g >= np.iinfo(np.int32).max / n2g` (true division).
            return Double(n1 / g) >= Double(Int32.max) / Double(n2 / g) ? .asymptotic : .exact
        case .asymptotic:
            return .asymptotic
        }
    }

    /// The effective sample size `n1·n2/(n1 + n2)` in floating point (scipy's `en`).
    static func effectiveSampleSize(_ n1: Int, _ n2: Int) -> Double {
        let m = Double(Swift.max(n1, n2))
        let n = Double(Swift.min(n1, n2))
        return m * n / (m + n)
    }

    /// `np.round(en)` (half to even) as the sample size passed to `kstwo.sf`.
    static func asymptoticSampleSize(_ n1: Int, _ n2: Int) -> Int {
        let rounded = effectiveSampleSize(n1, n2).rounded(.toNearestOrEven)
        return Int(exactly: rounded) ?? 0
    }
}
