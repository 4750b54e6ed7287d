/// Result of the two-sample Kolmogorov–Smirnov test (`scipy.stats.ks_2samp`, two-sided).
public struct KSResult: Sendable, Equatable {
    /// What scipy returns as `statistic`: in exact mode `D` rounded to `h/lcm(n1, n2)`,
    /// `h = round(D·lcm)`; otherwise `D` itself. NaN when a sample is empty.
    public let statistic: Double
    /// `D = max over pooled points t of |F_r(t) - F_c(t)|` (right-continuous ECDFs), before rounding.
    public let rawStatistic: Double
    /// The two-sided p-value, clipped to [0, 1]; NaN when a sample is empty (and, as in scipy,
    /// for the asymptotic method with n1 = n2 = 1, whose effective sample size rounds to 0).
    public let pValue: Double
    /// The method actually used: `.exact` or `.asymptotic` (never `.auto`).
    public let method: KSMethod
    /// The pooled value `t` where the maximum is attained (scipy's `statistic_location`):
    /// the first such value in the order [sorted reference, sorted current]. NaN when empty.
    public let location: Double
    /// `+1` if `F_r - F_c >= 0` at `location` (including `D = 0`), `-1` if negative
    /// (scipy's `statistic_sign`); `0` when a sample is empty.
    public let sign: Int

    /// Memberwise initialiser.
    public init(
        statistic: Double, rawStatistic: Double, pValue: Double, method: KSMethod, location: Double, sign: Int
    ) {
        self.statistic = statistic
        self.rawStatistic = rawStatistic
        self.pValue = pValue
        self.method = method
        self.location = location
        self.sign = sign
    }
}
