/// Bins a categorical column: one bin per category.
public enum CategoricalBinning {
    /// The bins of a categorical column given value counts. `quantile` and `evidently`: one bin per
    /// category of reference ∪ current, in ascending Unicode code-point order. `nannyml`: one bin per
    /// reference category, plus one leftover bin (reference share 0) holding every current category the
    /// reference never saw, appended when `1 - Σ q > 0` as NannyML does. O(k log k) for k categories.
    public static func bin(reference: [String: Int], current: [String: Int], mode: BinningMode) -> BinnedComparison {
        let referenceTotal = reference.values.reduce(0, +)
        let currentTotal = current.values.reduce(0, +)
        switch mode {
        case .quantile, .evidently:
            let keys = codePointSorted(Set(reference.keys).union(current.keys))
            return NumericBinning.make(
                rule: "one_bin_per_category_in_ref_union_cur", edges: [], keys: keys,
                reference: keys.map { reference[$0] ?? 0 }, current: keys.map { current[$0] ?? 0 },
                referenceTotal: referenceTotal, currentTotal: currentTotal)
        case .nannyml:
            let keys = codePointSorted(Set(reference.keys))
            let binned = NumericBinning.make(
                rule: "one_bin_per_reference_category_plus_leftover", edges: [], keys: keys,
                reference: keys.map { reference[$0] ?? 0 }, current: keys.map { current[$0] ?? 0 },
                referenceTotal: referenceTotal, currentTotal: currentTotal)
            return NumericBinning.withLeftoverBin(binned, currentTotal: currentTotal)
        }
    }

    /// Strings in ascending Unicode code-point order (Python's `sorted` on `str`).
    public static func codePointSorted<S: Sequence>(_ keys: S) -> [String] where S.Element == String {
        keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }
}
