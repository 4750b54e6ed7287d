import DriftCore
import DriftReport
import DriftStats
import Foundation
import Testing

/// `driftwatch drift` evaluates numeric columns on bucketed samples (`DriftEvaluator.evaluateNumeric`) and
/// draws the report's histograms from the same buckets: both must equal the sorted path exactly.
@Suite struct BucketedDriftTests {
    static func columns(seed: UInt64) -> [([Double], [Double])] {
        var g = SplitMix64(seed: seed)
        func normal() -> Double {
            let u = max(g.nextUniform(), 1e-300)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * g.nextUniform())
        }
        let n = 20_000
        return [
            ((0..<n).map { _ in normal() }, (0..<n).map { _ in normal() }),
            ((0..<n).map { _ in normal() * 3 + 10 }, (0..<15_000).map { _ in normal() * 3.5 + 11 }),
            ((0..<n).map { _ in Double(g.next() % 20) }, (0..<n).map { _ in Double(g.next() % 23) }),
            ((0..<n).map { _ in g.next() % 50 == 0 ? .nan : exp(normal()) }, (0..<n).map { _ in exp(normal() * 1.1) }),
        ]
    }

    @Test func evaluateNumericEqualsTheSortedEvaluation() {
        var quantile = DriftOptions()
        quantile.methods = [.ks, .psi, .jensenShannon, .hellinger]
        var evidently = DriftOptions()
        evidently.methods = [.ks, .psi, .wasserstein]
        evidently.binning = .evidently
        for options in [DriftOptions(), quantile, evidently] {
            for (k, (r, c)) in Self.columns(seed: 11).enumerated() {
                let missing = (r.filter(\.isNaN).count, c.filter(\.isNaN).count)
                let sorted = DriftEvaluator.evaluate(
                    name: "c\(k)", type: .numeric,
                    reference: ColumnSample.from(
                        .numeric(values: r, missing: missing.0, firstMissingLine: nil), as: .numeric),
                    current: ColumnSample.from(
                        .numeric(values: c, missing: missing.1, firstMissingLine: nil), as: .numeric),
                    options: options)
                let bucketed = DriftEvaluator.evaluateNumeric(
                    name: "c\(k)", reference: r, referenceMissing: missing.0, current: c, currentMissing: missing.1,
                    options: options)
                #expect(bucketed == sorted, "column \(k), methods \(options.methods ?? [])")
            }
        }
    }

    @Test func reportHistogramsFromBucketsEqualThoseFromSortedSamples() {
        for (k, (r, c)) in Self.columns(seed: 12).enumerated() {
            let expected = Distribution.numeric(
                referenceSorted: SortedSample(sorting: r.filter(\.isFinite)).values,
                currentSorted: SortedSample(sorting: c.filter(\.isFinite)).values)
            for buckets in [4, nil] {
                var (rb, cb) = BucketedSample.pair(reference: r, current: c, buckets: buckets)
                #expect(Distribution.numeric(reference: &rb, current: &cb) == expected, "column \(k)")
            }
        }
    }
}
