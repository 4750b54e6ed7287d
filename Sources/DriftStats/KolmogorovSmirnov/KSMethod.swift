/// Which p-value computation `KolmogorovSmirnov.twoSample` uses.
///
/// `auto` resolves as `scipy.stats.ks_2samp(method='auto')`: `exact` iff `max(n1, n2) <= 10000`,
/// otherwise `asymptotic`. `exact` may still end up `asymptotic`, as in scipy, when
/// `lcm(n1, n2)` would not fit in an Int32 or the exact computation fails.
public enum KSMethod: String, Sendable, Codable, CaseIterable {
    case auto, exact, asymptotic
}
