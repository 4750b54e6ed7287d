/// Chi-square tests comparing the category counts of a reference and a current sample.
///
/// Both functions take per-category counts in the same category order (for drift checks:
/// the categories of reference ∪ current in ascending order). NaN results (never a crash)
/// signal input on which the test is undefined; each function documents when.
public enum ChiSquare {
    /// `true` when the two count vectors have equal length and no negative entry.
    static func isValid(_ reference: [Int], _ current: [Int]) -> Bool {
        reference.count == current.count && !reference.contains { $0 < 0 } && !current.contains { $0 < 0 }
    }
}
