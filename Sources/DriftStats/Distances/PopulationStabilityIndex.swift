import Foundation

/// Population Stability Index.
public enum PopulationStabilityIndex {
    /// `PSI = Σ_i (p_i - q_i) · ln(p_i / q_i)` over shares that are already free of zeros
    /// (symmetric in p and q; natural log). Matches Evidently 0.7's `psi` stattest given its bins and
    /// zero filling. O(k).
    public static func value(reference p: [Double], current q: [Double]) -> Double {
        var acc = 0.0
        for (pi, qi) in zip(p, q) { acc += (pi - qi) * log(pi / qi) }
        return acc
    }

    /// PSI of a binned column after the zero rule of its binning mode (`quantile` and `nannyml`: clip at
    /// `epsilon`, default 1e-4; `evidently`: Evidently's rule). Returns the value and both epsilons used.
    public static func value(
        _ binned: BinnedComparison, mode: BinningMode, epsilon: Double = 1e-4
    )
        -> (value: Double, referenceEpsilon: Double, currentEpsilon: Double)
    {
        let rule: ZeroShareRule = mode == .evidently ? .evidently : .clip(epsilon: epsilon)
        let (p, epsR) = rule.apply(binned.referenceShares)
        let (q, epsC) = rule.apply(binned.currentShares)
        return (value(reference: p, current: q), epsR, epsC)
    }
}
