import DriftCore
import DriftStats
import Testing

/// A window's classification figures from its (label, prediction) counts equal those from its rows.
@Suite struct PerformanceFromCountsTests {
    /// Seeded rows: a label (or none yet) and a prediction (or none logged) per event.
    static func rows(seed: UInt64, count: Int, classes: [String]) -> [(label: String?, prediction: String?)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let label = Int.random(in: 0..<4, using: &random) == 0 ? nil : classes.randomElement(using: &random)
            let prediction = Int.random(in: 0..<20, using: &random) == 0 ? nil : classes.randomElement(using: &random)
            return (label, prediction)
        }
    }

    /// The figures as computed from the rows.
    static func fromRows(_ rows: [(label: String?, prediction: String?)]) -> [WindowFigure] {
        var truth: [String] = []
        var predicted: [String] = []
        for row in rows {
            if let t = row.label, let p = row.prediction {
                truth.append(t)
                predicted.append(p)
            }
        }
        return PerformanceEvaluator.classification(truth: truth, predicted: predicted, volume: rows.count)
    }

    /// The same rows counted per pair, in an order unlike the rows'.
    static func cells(
        _ rows: [(label: String?, prediction: String?)]
    ) -> [(label: String?, prediction: String?, count: Int)] {
        var counts: [String: (label: String?, prediction: String?, count: Int)] = [:]
        for row in rows {
            let key = "\(row.label ?? "\u{0}")|\(row.prediction ?? "\u{0}")"
            counts[key, default: (row.label, row.prediction, 0)].count += 1
        }
        return counts.keys.sorted(by: >).compactMap { counts[$0] }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func multiclassFiguresFromCountsAreBitForBitThoseFromRows(seed: UInt64) {
        let rows = Self.rows(seed: seed, count: 5_000, classes: ["cat", "dog", "bird", "10", "9"])
        #expect(PerformanceEvaluator.classification(cells: Self.cells(rows)) == Self.fromRows(rows))
    }

    @Test func binaryFiguresFromCountsAreBitForBitThoseFromRows() {
        let rows = Self.rows(seed: 7, count: 3_001, classes: ["0", "1"])
        #expect(PerformanceEvaluator.classification(cells: Self.cells(rows)) == Self.fromRows(rows))
    }

    @Test func aWindowWithNoLabelHasOnlyItsCoverage() {
        let figures = PerformanceEvaluator.classification(cells: [(nil, "1", 40), (nil, nil, 2)])
        #expect(figures.map(\.metric) == [.labelled, .labelCoverage])
        #expect(figures.last?.value == 0)
    }
}
