/// How empty bins are handled before a logarithm is taken (PSI).
public enum ZeroShareRule: Sendable, Equatable {
    /// `max(share, epsilon)` per bin, no renormalisation (Driftwatch's quantile PSI; epsilon 1e-4).
    case clip(epsilon: Double)
    /// Evidently 0.7: zero shares become `eps = m/1e6` if `m <= 1e-4` else `1e-4`, with `m` the smallest
    /// non-zero share of the same array; no renormalisation.
    case evidently

    /// The shares with empty bins replaced, and the epsilon used.
    public func apply(_ shares: [Double]) -> (shares: [Double], epsilon: Double) {
        switch self {
        case .clip(let epsilon):
            return (shares.map { Swift.max($0, epsilon) }, epsilon)
        case .evidently:
            let smallest = shares.filter { $0 != 0 }.min() ?? 0
            let eps = smallest <= 1e-4 ? smallest / 1e6 : 1e-4
            return (shares.map { $0 == 0 ? eps : $0 }, eps)
        }
    }
}
