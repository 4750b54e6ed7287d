import DriftCore
import Testing

@testable import DriftReport

/// Values that reach an integer conversion in a report: counted or drawn, never a trap.
@Suite struct ReportArithmeticTests {
    @Test func aValueOf1e300CountsInTheLastDisplayBin() throws {
        var current = NumericHistogramBuilder(referenceLow: 0, referenceHigh: 1)
        current.add(0.5)
        current.add(1e300)
        let d = try #require(
            Distribution.numeric(
                referenceSorted: [0, 0.25, 0.5, 0.75, 1], gridCutPoints: [], fineCounts: [5], current: current))
        #expect(d.current.reduce(0, +) == 2)
        #expect(d.current.last == 1)
    }

    @Test func aValuePast2To63WithoutAReferenceCountsAbove() {
        // The builder a report uses for a column without a reference: fine bins over [-1, 2].
        var current = NumericHistogramBuilder(referenceLow: 0, referenceHigh: 0)
        current.add(1e17)
        current.add(-1e19)
        #expect(current.count == 2)
        #expect(current.counts(on: [-10, 0, 10]) == [1, 1])
    }

    @Test func aReferenceRangePastTheLargestDoubleStillBinsEveryValue() {
        var current = NumericHistogramBuilder(referenceLow: -1e308, referenceHigh: 1e308)
        for v in [-1.7e308, -1, 0, 1, 1.7e308] { current.add(v) }
        #expect(current.count == 5)
        #expect(current.counts(on: [-1e308, 0, 1e308]).reduce(0, +) == 5)
    }

    @Test func oneHugeIntegerValueGetsTwoEdges() {
        let edges = DisplayBins.edges(lo: 1e300, hi: 1e300, integral: true)
        #expect(edges.count == 2)
        #expect(edges[0] < 1e300 && edges[1] > 1e300)
    }

    @Test func displayBinsOverARangePastTheLargestDoubleAreFinite() {
        let edges = DisplayBins.edges(lo: -1.7e308, hi: 1.7e308, integral: false)
        #expect(edges.count == Distribution.numericBins + 1)
        #expect(edges.allSatisfy { $0.isFinite })
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func aLineChartOfBothExtremeDoublesDraws() {
        let svg = SVGChart.lines([SVGChart.Series(name: "x", points: [(0, -1.7e308), (1_000_000, 1.7e308)])])
        #expect(svg.contains("<path d=\"M"))
    }

    @Test func aLineChartOverTheWholeInt64TimeRangeDraws() {
        let svg = SVGChart.lines(
            [SVGChart.Series(name: "x", points: [(Int64.min, 1), (0, 2), (Int64.max, 3)])])
        #expect(svg.contains("<path d=\"M"))
    }

    @Test func aHistogramWithNaNAndInfiniteSharesDraws() {
        let svg = SVGChart.histogram(edges: [0, 1, 2], reference: [.nan, 1], current: [.infinity, 0.5])
        #expect(svg.hasPrefix("<svg"))
        let bars = SVGChart.bars(labels: ["a", "b"], reference: [.nan, 1], current: [.infinity, 0.5])
        #expect(bars.hasPrefix("<svg"))
    }

    @Test func theMiddleOfAWindowSpanningTheWholeInt64RangeIsDefined() {
        #expect(ModelReportRenderer.middle(Int64.min, Int64.max) == -1)
        #expect(ModelReportRenderer.middle(10, 20) == 15)
        #expect(ModelReportRenderer.middle(-7, 0) == -4)
    }
}
