extension KolmogorovSmirnov {
    /// The asymptotic two-sided p-value of a two-sample statistic `d` for sample sizes `n1`, `n2`:
    /// `kstwo.sf(d, round(n1·n2/(n1 + n2)))`, clipped to [0, 1] — what `scipy.stats.ks_2samp` returns with
    /// `method='asymptotic'`. Used when `d` comes from binned counts rather than from the two samples.
    /// NaN when either size is 0 or `d` is NaN.
    public static func asymptoticPValue(statistic d: Double, n1: Int, n2: Int) -> Double {
        guard n1 > 0, n2 > 0, !d.isNaN else { return .nan }
        let p = KolmogorovDistribution.oneSampleSurvival(d, n: asymptoticSampleSize(n1, n2))
        return p.isNaN ? p : min(max(p, 0), 1)
    }
}
