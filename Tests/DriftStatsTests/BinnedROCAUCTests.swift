import DriftStats
import Testing

/// `BinnedROCAUC` against the exact `ROCAUC.binary` (itself checked against scikit-learn's fixtures).
@Suite struct BinnedROCAUCTests {
    /// Seeded scores in [0, 1], positives shifted up; the bins of a `binsPerUnit` grid.
    func sample(
        count: Int, binsPerUnit: Double, seed: UInt64
    ) -> (scores: [Double], positive: [Bool], bins: [BinnedROCAUC.Bin]) {
        var rng = SplitMix64(seed: seed)
        var scores: [Double] = []
        var positive: [Bool] = []
        var bins: [Int: BinnedROCAUC.Bin] = [:]
        for _ in 0..<count {
            let isPositive = rng.nextUniform() < 0.4
            let score = min(1, 0.6 * rng.nextUniform() + (isPositive ? 0.3 : 0))
            let index = min(Int(binsPerUnit) - 1, Int((score * binsPerUnit).rounded(.down)))
            var bin = bins[index] ?? BinnedROCAUC.Bin(index: index, positives: 0, negatives: 0)
            if isPositive { bin.positives += 1 } else { bin.negatives += 1 }
            bins[index] = bin
            scores.append(score)
            positive.append(isPositive)
        }
        return (scores, positive, Array(bins.values))
    }

    @Test func theBinnedAUCIsWithinItsBoundOfTheExactOne() throws {
        let (scores, positive, bins) = sample(count: 5_000, binsPerUnit: 100, seed: 3)
        let exact = try #require(try ROCAUC.binary(scores: scores, isPositive: positive))
        let (auc, bound) = try #require(BinnedROCAUC.auc(bins))
        #expect(bound > 0)
        #expect(abs(auc - exact) <= bound)
    }

    @Test func scoresThatShareNoBinAcrossClassesGiveTheExactAUC() throws {
        let scores = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55]
        let positive = [false, true, false, true, true, false]
        let bins = zip(scores, positive).map { score, p in
            BinnedROCAUC.Bin(index: Int(score * 10), positives: p ? 1 : 0, negatives: p ? 0 : 1)
        }
        let (auc, bound) = try #require(BinnedROCAUC.auc(bins))
        #expect(bound == 0)
        #expect(auc == (try ROCAUC.binary(scores: scores, isPositive: positive)))
    }

    @Test func aPairInOneBinCountsAsATie() throws {
        let (auc, bound) = try #require(BinnedROCAUC.auc([BinnedROCAUC.Bin(index: 7, positives: 1, negatives: 1)]))
        #expect(auc == 0.5)
        #expect(bound == 0.5)
    }

    @Test func oneClassAloneHasNoAUC() {
        #expect(BinnedROCAUC.auc([BinnedROCAUC.Bin(index: 1, positives: 3, negatives: 0)]) == nil)
    }

    @Test func countsWhosePairsOverflowHaveNoAUC() {
        let huge = BinnedROCAUC.Bin(index: 0, positives: Int.max / 2, negatives: 4)
        #expect(BinnedROCAUC.auc([huge]) == nil)
    }
}
