/// Area under the ROC curve.
///
/// Computed as the Mann–Whitney statistic with average ranks for ties,
/// `AUC = (R₁ − n₁(n₁+1)/2) / (n₁ n₀)` — equal to scikit-learn's trapezoidal `roc_auc_score`
/// including ties (a tied positive/negative pair counts ½). Evaluated exactly in integers
/// (`2U = Σ_pos (2·#neg below + #neg tied)`) and divided once, so the result is correctly rounded
/// for n₁ n₀ < 2⁵³. Each binary AUC sorts the positive and negative scores separately (radix sort,
/// O(n)) and merges them (O(n)); O(n log n) is the bound with comparison sorting of small inputs.
public enum ROCAUC {
    /// Binary ROC AUC of `scores` (higher = more positive) against `isPositive`.
    /// Matches `sklearn.metrics.roc_auc_score(y_true, y_score)`.
    ///
    /// - Returns: `nil` when only one class is present (scikit-learn raises) or the input is empty.
    /// - Throws: ``ClassificationInputError/lengthMismatch(expected:actual:)``,
    ///   ``ClassificationInputError/nanScore(row:)``. ±∞ scores are ranked normally.
    public static func binary(scores: [Double], isPositive: [Bool]) throws(ClassificationInputError) -> Double? {
        guard scores.count == isPositive.count else {
            throw .lengthMismatch(expected: isPositive.count, actual: scores.count)
        }
        if let row = scores.firstIndex(where: { $0.isNaN }) { throw .nanScore(row: row) }
        var positives = [Double]()
        var negatives = [Double]()
        for (score, positive) in zip(scores, isPositive) {
            if positive { positives.append(score) } else { negatives.append(score) }
        }
        return auc(positives: &positives, negatives: &negatives)
    }

    /// Binary ROC AUC where rows whose true label equals `positiveLabel` (exact scalars) are
    /// positive and `scores` are the positive class's scores (e.g. `predict_proba[:, 1]`).
    /// Matches `roc_auc_score(y_true == positiveLabel, y_score)`; `nil` as in
    /// ``binary(scores:isPositive:)``.
    public static func binary(
        truth: [String], scores: [Double], positiveLabel: String
    )
        throws(ClassificationInputError) -> Double?
    {
        let positive = ExactLabel(positiveLabel)
        return try binary(scores: scores, isPositive: truth.map { ExactLabel($0) == positive })
    }

    /// One-vs-rest ROC AUC for multiclass data: for every class k present in `truth`, the binary AUC
    /// of `scoreColumns[k]` for "truth == k" vs the rest; macro and support-weighted averages.
    /// Matches `roc_auc_score(y_true, y_score, multi_class='ovr', average='macro'|'weighted')`
    /// with `y_score` columns in label order. O(k·n).
    ///
    /// `scoreColumns` maps each label to its score column (one value per row, e.g. `score_<label>`).
    /// Columns for labels that never occur in `truth` are ignored (scikit-learn would require the
    /// caller to drop them). Rows are not required to sum to 1.
    /// - Returns: `nil` when fewer than two classes occur in `truth`.
    /// - Throws: ``ClassificationInputError/missingScoreColumn(label:)`` for a true label without a
    ///   column; length mismatch or NaN as for ``binary(scores:isPositive:)``.
    public static func oneVsRest(
        truth: [String], scoreColumns: [String: [Double]]
    )
        throws(ClassificationInputError) -> OneVsRestROCAUC?
    {
        let table = try ScoreTable(truth: truth, scoreColumns: scoreColumns)
        guard table.classes.count >= 2 else { return nil }
        var perClass = [Double]()
        for (k, column) in table.columns.enumerated() {
            var positives = [Double]()
            var negatives = [Double]()
            positives.reserveCapacity(table.support[k])
            negatives.reserveCapacity(truth.count - table.support[k])
            for (score, trueClass) in zip(column, table.classIndex) {
                if trueClass == k { positives.append(score) } else { negatives.append(score) }
            }
            perClass.append(auc(positives: &positives, negatives: &negatives) ?? .nan)
        }
        return OneVsRestROCAUC(labels: table.classes, perClass: perClass, support: table.support)
    }

    /// `P(score₊ > score₋) + ½ P(score₊ = score₋)` over all positive/negative pairs; `nil` if either
    /// group is empty. Sorts both arrays in place. O(n₁ + n₀) after O(n) radix sorts.
    static func auc(positives: inout [Double], negatives: inout [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        RadixSort.sortAscending(&positives)
        RadixSort.sortAscending(&negatives)
        var twiceU = 0.0  // integer-valued; exact while below 2⁵³ (n ≲ 1.3e8), never overflowing
        var below = 0  // negatives strictly below the current positive value
        var i = 0
        while i < positives.count {
            let value = positives[i]
            var groupEnd = i + 1
            while groupEnd < positives.count, positives[groupEnd] == value { groupEnd += 1 }
            while below < negatives.count, negatives[below] < value { below += 1 }
            var tiedEnd = below
            while tiedEnd < negatives.count, negatives[tiedEnd] == value { tiedEnd += 1 }
            twiceU += Double(groupEnd - i) * Double(2 * below + (tiedEnd - below))
            i = groupEnd
        }
        return twiceU / (2 * Double(positives.count) * Double(negatives.count))
    }
}
