import DriftStats
import Testing

/// `BinnedROCAUC` against the exact `ROCAUC.binary` (itself checked against scikit-learn's fixtures).
@Suite struct BinnedROCAUCTests {
    /// Seeded scores in [0, 1], positives shifted up; the bins of a `binsPerUnit` grid.
    func sample(
        count: Int, binsPerUnit: Double, seed: UInt64
    ) -> (scores: [Double], positive: [Bool], positives: [Int: Int], negatives: [Int: Int]) {
        var rng = SplitMix64(seed: seed)
        var scores: [Double] = []
        var positive: [Bool] = []
        var positives: [Int: Int] = [:]
        var negatives: [Int: Int] = [:]
        for _ in 0..<count {
            let isPositive = rng.nextUniform() < 0.4
            let score = min(1, 0.6 * rng.nextUniform() + (isPositive ? 0.3 : 0))
            let index = min(Int(binsPerUnit) - 1, Int((score * binsPerUnit).rounded(.down)))
            if isPositive { positives[index, default: 0] += 1 } else { negatives[index, default: 0] += 1 }
            scores.append(score)
            positive.append(isPositive)
        }
        return (scores, positive, positives, negatives)
    }

    @Test func theBinnedAUCIsWithinItsBoundOfTheExactOne() throws {
        let (scores, positive, positives, negatives) = sample(count: 5_000, binsPerUnit: 100, seed: 3)
        let exact = try #require(try ROCAUC.binary(scores: scores, isPositive: positive))
        let (auc, bound) = try #require(BinnedROCAUC.auc(positives: positives, negatives: negatives))
        #expect(bound > 0)
        #expect(abs(auc - exact) <= bound)
    }

    @Test func scoresThatShareNoBinAcrossClassesGiveTheExactAUC() throws {
        let scores = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55]
        let positive = [false, true, false, true, true, false]
        var positives: [Int: Int] = [:]
        var negatives: [Int: Int] = [:]
        for (score, p) in zip(scores, positive) {
            if p { positives[Int(score * 10)] = 1 } else { negatives[Int(score * 10)] = 1 }
        }
        let (auc, bound) = try #require(BinnedROCAUC.auc(positives: positives, negatives: negatives))
        #expect(bound == 0)
        #expect(auc == (try ROCAUC.binary(scores: scores, isPositive: positive)))
    }

    @Test func aPairInOneBinCountsAsATie() throws {
        let (auc, bound) = try #require(BinnedROCAUC.auc(positives: [7: 1], negatives: [7: 1]))
        #expect(auc == 0.5)
        #expect(bound == 0.5)
    }

    @Test func oneClassAloneHasNoAUC() {
        #expect(BinnedROCAUC.auc(positives: [1: 3], negatives: [:]) == nil)
    }

    @Test func countsWhosePairsOverflowHaveNoAUC() {
        #expect(BinnedROCAUC.auc(positives: [0: Int.max / 2], negatives: [0: 4]) == nil)
    }
}
