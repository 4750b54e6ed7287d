import DriftStats
import Foundation
import Testing

@testable import DriftCore

@Suite struct WindowProfileTests {
    static let model: ModelConfiguration = {
        var m = ModelConfiguration(
            name: "m", task: .binary,
            features: [
                FeatureConfiguration(name: "x", type: .numeric),
                FeatureConfiguration(
                    name: "y", type: .numeric, methods: [.ks, .psi, .jensenShannon, .hellinger, .wasserstein]),
                FeatureConfiguration(name: "c", type: .categorical),
            ], defaults: ModelDefaults())
        m.reference = .firstEvents(1)
        return m
    }()

    static func values(_ n: Int, seed: UInt64, shift: Double) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in rng.nextGaussian() + shift }
    }

    static func reference(exactLimit: Int) -> ReferenceProfile {
        var builder = ReferenceBuilder(schema: ProfileSchema(model: model), bins: 10)
        let xs = values(20_000, seed: 1, shift: 0)
        let ys = values(20_000, seed: 2, shift: 5)
        for i in 0..<xs.count {
            builder.add(
                numeric: [xs[i], i % 10 == 0 ? nil : ys[i]], categorical: [["a", "b", "c"][i % 3]],
                predictedClass: i % 2 == 0 ? "1" : "0", predictedValue: Double(i % 100) / 100)
        }
        return builder.build(exactLimit: exactLimit)
    }

    static func window(
        _ reference: ReferenceProfile, count: Int, shift: Double, exactLimit: Int = 10_000
    )
        -> WindowProfile
    {
        var window = WindowProfile(schema: ProfileSchema(model: model), exactLimit: exactLimit)
        let xs = values(count, seed: 3, shift: shift)
        let ys = values(count, seed: 4, shift: 5 + shift)
        for i in 0..<count {
            window.add(
                numeric: [xs[i], ys[i]], categorical: [["a", "b", "b"][i % 3]], predictedClass: "1",
                predictedValue: 0.5, latencyMilliseconds: Double(i % 50), grids: reference.grids)
        }
        return window
    }

    @Test func profilesSurviveTheirJSONBitForBit() throws {
        let reference = Self.reference(exactLimit: 5_000)
        let decoded = try JSONDecoder().decode(ReferenceProfile.self, from: JSONEncoder().encode(reference))
        #expect(decoded == reference)
        #expect(decoded.numeric[0].sortedValues == nil)
        let window = Self.window(reference, count: 3_000, shift: 0.1)
        let again = try JSONDecoder().decode(WindowProfile.self, from: JSONEncoder().encode(window))
        #expect(again == window)
    }

    @Test func windowsMergeExactly() {
        let reference = Self.reference(exactLimit: 100_000)
        let whole = Self.window(reference, count: 4_000, shift: 0.2, exactLimit: 1_000)
        // The same events split in two profiles (one spilled onto the grid, one exact) and merged.
        var a = WindowProfile(schema: ProfileSchema(model: Self.model), exactLimit: 1_000)
        var b = a
        let xs = Self.values(4_000, seed: 3, shift: 0.2)
        let ys = Self.values(4_000, seed: 4, shift: 5.2)
        for i in 0..<4_000 {
            let args = ([xs[i], ys[i]] as [Double?], [["a", "b", "b"][i % 3]] as [String?])
            if i < 3_500 {
                a.add(
                    numeric: args.0, categorical: args.1, predictedClass: "1", predictedValue: 0.5,
                    latencyMilliseconds: Double(i % 50), grids: reference.grids)
            } else {
                b.add(
                    numeric: args.0, categorical: args.1, predictedClass: "1", predictedValue: 0.5,
                    latencyMilliseconds: Double(i % 50), grids: reference.grids)
            }
        }
        a.merge(b, grids: reference.grids)
        #expect(a == whole)
    }

    @Test func smallWindowsAreComparedExactlyAsTheOfflineCommand() throws {
        let reference = Self.reference(exactLimit: 100_000)
        let window = Self.window(reference, count: 2_000, shift: 0.3)
        let drift = WindowEvaluator.drift(window: window, reference: reference, model: Self.model)
        let x = try #require(drift.features.first { $0.name == "x" })
        let r = try #require(reference.numeric[0].sample)
        let c = SortedSample(sorting: Self.values(2_000, seed: 3, shift: 0.3))
        #expect(x.tests.first { $0.method == .ks }?.statistic == KolmogorovSmirnov.twoSample(r, c).statistic)
        #expect(x.tests.first { $0.method == .ks }?.parameters.contains { $0.0 == "approximation" } == false)
        #expect(drift.outputs.map(\.name) == ["prediction", "score"])
    }

    /// Past the exact limits: quantile-binned methods equal the exact ones; KS is within its stated bound.
    @Test func largeWindowsAreComparedOnTheGridWithinTheStatedBounds() throws {
        let reference = Self.reference(exactLimit: 1_000)
        let window = Self.window(reference, count: 30_000, shift: 0.05, exactLimit: 1_000)
        let drift = WindowEvaluator.drift(window: window, reference: reference, model: Self.model)
        let exactReference = Self.reference(exactLimit: 100_000)
        let r = try #require(exactReference.numeric[1].sample)
        let c = SortedSample(sorting: Self.values(30_000, seed: 4, shift: 5.05))
        let y = try #require(drift.features.first { $0.name == "y" })
        let binned = NumericBinning.bin(reference: r, current: c, mode: .quantile, bins: 10)
        let psi = PopulationStabilityIndex.value(binned, mode: .quantile).value
        #expect(y.tests.first { $0.method == .psi }?.statistic == psi)
        #expect(
            y.tests.first { $0.method == .jensenShannon }?.statistic
                == JensenShannon.distance(binned.referenceShares, binned.currentShares))
        #expect(
            y.tests.first { $0.method == .hellinger }?.statistic
                == Hellinger.distance(binned.referenceShares, binned.currentShares))
        let exactD = KolmogorovSmirnov.twoSample(r, c).statistic
        let gridD = try #require(y.tests.first { $0.method == .ks }?.statistic)
        #expect(gridD <= exactD)
        #expect(exactD - gridD <= 0.002 + 1.0 / 1000)
        let w = try #require(y.tests.first { $0.method == .wasserstein }?.statistic)
        #expect(abs(w - Wasserstein.distance(r, c)) <= 0.01)
        #expect(y.tests.allSatisfy { t in t.parameters.contains { $0.0 == "approximation" } })
    }

    @Test func figuresNameEveryMetric() {
        let reference = Self.reference(exactLimit: 100_000)
        let window = Self.window(reference, count: 600, shift: 2)
        let figures = WindowEvaluator.figures(window: window, reference: reference, model: Self.model)
        let metrics = Set(figures.map(\.metric))
        #expect(
            metrics.isSuperset(of: [
                "volume", "latency_p50", "latency_p95", "latency_p99", "latency_max", "missing_rate",
                "drift_statistic", "p_value", "drifted_features", "drifted_feature_ratio",
            ]))
        #expect(figures.first { $0.metric == "drifted_feature_ratio" }?.drift == true)
        // Without a reference: volume, latency and missing rates only.
        let bare = WindowEvaluator.figures(window: window, reference: nil, model: Self.model)
        #expect(!bare.contains { $0.metric == "drift_statistic" })
    }
}
