/// L-infinity distance between two share vectors.
public enum LInfinity {
    /// `max_k |p_k - q_k|` (NannyML 0.13's `l_infinity` for categorical columns over reference ∪ current
    /// categories). O(k); 0 for empty input.
    public static func distance(_ p: [Double], _ q: [Double]) -> Double {
        zip(p, q).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
    }
}
