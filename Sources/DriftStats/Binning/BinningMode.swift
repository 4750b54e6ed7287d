/// How a binned method (PSI, Jensen–Shannon, Hellinger) cuts a column into bins.
///
/// - `quantile` (default): `bins` quantile bins cut at the reference's k/bins quantiles
///   (numpy `linear`, Hyndman–Fan type 7), duplicates collapsed, right-closed bins
///   `(-inf, c1], (c1, c2], …, (cm, +inf)`; empty shares clipped to 1e-4 for PSI.
/// - `evidently`: Evidently 0.7's `get_binned_data`: Sturges equal-width bins over reference + current
///   when the reference has more than 20 distinct values, else one bin per distinct value of both;
///   empty shares replaced by Evidently's epsilon (min non-zero share / 1e6, or 1e-4) for PSI.
/// - `nannyml`: NannyML 0.13's Doane equal-width bins on the reference only, plus a leftover bin holding
///   the current mass outside them; empty shares clipped to 1e-4 for PSI (NannyML has no PSI; ours).
/// Categorical columns get one bin per category of reference ∪ current (`nannyml`: reference
/// categories plus one leftover bin for unseen ones).
public enum BinningMode: String, Sendable, Codable, CaseIterable {
    case quantile
    case evidently
    case nannyml
}

/// The bins of one column and the reference and current shares in them.
public struct BinnedComparison: Sendable, Equatable {
    /// Which rule made the bins (e.g. `quantile_right_closed`, `sturges_equal_width_on_combined_ref_plus_cur`).
    public let rule: String
    /// Interior cut points (quantile mode) or equal-width edges e0…ek (evidently / nannyml numeric); empty otherwise.
    public let edges: [Double]
    /// Bin keys when each bin is one value: category names, or numbers printed shortest round-trip.
    public let keys: [String]
    /// Count of reference values per bin (a leftover bin has 0).
    public let referenceCounts: [Int]
    /// Count of current values per bin (a leftover bin holds the current values outside the other bins).
    public let currentCounts: [Int]
    /// Reference shares per bin, before any zero handling.
    public let referenceShares: [Double]
    /// Current shares per bin, before any zero handling.
    public let currentShares: [Double]
    /// `true` when the last bin is NannyML's leftover bin.
    public let hasLeftoverBin: Bool

    /// Number of bins, leftover bin included.
    public var count: Int { referenceShares.count }
}
