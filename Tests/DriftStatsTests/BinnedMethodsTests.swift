import Testing

@testable import DriftStats

/// Binned methods (PSI, Jensen–Shannon, Hellinger), Wasserstein and L∞ against the golden corpus
/// (Fixtures/golden/DEFINITIONS.md §B–D, G). Tolerances are the corpus's: relative 1e-12 for statistics,
/// exact for edges, keys, cut points and counts; absolute 1e-7 for NannyML JS/Hellinger near 0.
@Suite struct BinnedMethodsTests {
    struct Column: CustomStringConvertible {
        let golden: GoldenCase
        let name: String
        var description: String { "\(golden.id)/\(name)" }
        var expected: [String: Any] { golden.column(name) }
    }

    static let numericColumns: [Column] = GoldenCase.drift.flatMap { c in
        c.numericalColumns.map { Column(golden: c, name: $0) }
    }
    static let categoricalColumns: [Column] = GoldenCase.drift.flatMap { c in
        c.categoricalColumns.map { Column(golden: c, name: $0) }
    }

    static func samples(_ column: Column) -> (SortedSample, SortedSample) {
        (
            SortedSample(sorting: column.golden.numbers("reference.csv", column.name)),
            SortedSample(sorting: column.golden.numbers("current.csv", column.name))
        )
    }

    static func counts(_ values: [String]) -> [String: Int] {
        values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// Corpus values that disagree with the corpus's own definition, replaced by the value that both
    /// `numpy.quantile` (numpy 2.4.6) and the corpus's `defs.decile_cut_points` return. Exact comparison
    /// is kept for every other value.
    /// - num_tiny_5_vs_7, p = 0.7: h = 2.8, g = 0.7999999999999998 ≥ 0.5, so numpy's lerp gives
    ///   `x[3] - d·(1-g)` = 0.0563307523196073; expected.json holds `x[2] + d·g` = 0.05633075231960738.
    static let cutPointErrata: [String: [Int: Double]] = [
        "num_tiny_5_vs_7/x": [6: 0.0563307523196073]
    ]

    @Test func corpusIsPresent() {
        #expect(Self.numericColumns.count >= 10)
        #expect(Self.categoricalColumns.count >= 4)
    }

    @Test(arguments: numericColumns)
    func decilePSI(_ column: Column) {
        let (r, c) = Self.samples(column)
        let e = column.expected
        let binned = NumericBinning.bin(reference: r, current: c, mode: .quantile)
        var cuts = (golden(e, "psi_decile", "cut_points") as? [Any])?.compactMap(goldenDouble) ?? []
        for (index, value) in Self.cutPointErrata[column.description] ?? [:] { cuts[index] = value }
        #expect(binned.edges == cuts, "\(column) cut points")
        let refProps = (golden(e, "psi_decile", "ref_props_before_eps") as? [Any])?.compactMap(goldenDouble)
        let curProps = (golden(e, "psi_decile", "cur_props_before_eps") as? [Any])?.compactMap(goldenDouble)
        #expect(binned.referenceShares == refProps, "\(column) reference shares")
        #expect(binned.currentShares == curProps, "\(column) current shares")
        let psi = PopulationStabilityIndex.value(binned, mode: .quantile)
        expectClose(psi.value, goldenDouble(golden(e, "psi_decile", "value")), "\(column) psi_decile")
        expectClose(
            JensenShannon.distance(binned.referenceShares, binned.currentShares, base: .e),
            goldenDouble(golden(e, "jensen_shannon", "decile_bins", "base_e")), "\(column) JS decile e")
        expectClose(
            JensenShannon.distance(binned.referenceShares, binned.currentShares, base: .two),
            goldenDouble(golden(e, "jensen_shannon", "decile_bins", "base_2")), "\(column) JS decile 2")
    }

    @Test(arguments: numericColumns)
    func evidentlyPSIAndJS(_ column: Column) {
        let (r, c) = Self.samples(column)
        let e = column.expected
        let binned = NumericBinning.bin(reference: r, current: c, mode: .evidently)
        #expect(binned.rule == golden(e, "psi_evidently", "bin_rule") as? String, "\(column) rule")
        #expect(binned.count == golden(e, "psi_evidently", "n_bins") as? Int, "\(column) n_bins")
        if let edges = golden(e, "psi_evidently", "edges") as? [Any] {
            #expect(binned.edges == edges.compactMap(goldenDouble), "\(column) edges")
        }
        if let keys = golden(e, "psi_evidently", "keys") as? [Any] {
            #expect(binned.keys.compactMap(Double.init) == keys.compactMap(goldenDouble), "\(column) keys")
        }
        let refProps = (golden(e, "psi_evidently", "ref_props_before_eps") as? [Any])?.compactMap(goldenDouble)
        #expect(binned.referenceShares == refProps, "\(column) reference shares")
        let psi = PopulationStabilityIndex.value(binned, mode: .evidently)
        expectClose(psi.value, goldenDouble(golden(e, "psi_evidently", "value")), "\(column) psi_evidently")
        expectClose(psi.referenceEpsilon, goldenDouble(golden(e, "psi_evidently", "eps_ref")), "\(column) eps_ref")
        expectClose(psi.currentEpsilon, goldenDouble(golden(e, "psi_evidently", "eps_cur")), "\(column) eps_cur")
        expectClose(
            JensenShannon.distance(binned.referenceShares, binned.currentShares, base: .e),
            goldenDouble(golden(e, "jensen_shannon", "evidently_bins", "base_e")), "\(column) JS evidently e")
        expectClose(
            JensenShannon.distance(binned.referenceShares, binned.currentShares, base: .two),
            goldenDouble(golden(e, "jensen_shannon", "evidently_bins", "base_2")), "\(column) JS evidently 2")
    }

    @Test(arguments: numericColumns)
    func nannymlJSAndHellinger(_ column: Column) {
        let (r, c) = Self.samples(column)
        let e = column.expected
        let binned = NumericBinning.bin(reference: r, current: c, mode: .nannyml)
        #expect(binned.count == golden(e, "jensen_shannon", "nannyml_bins", "n_bins_incl_leftover") as? Int)
        let p = binned.referenceShares
        let q = binned.currentShares
        expectClose(
            JensenShannon.distance(p, q, base: .two),
            goldenDouble(golden(e, "jensen_shannon", "nannyml_bins", "base_2")), absolute: 1e-7,
            "\(column) JS nannyml 2")
        expectClose(
            JensenShannon.distance(p, q, base: .e),
            goldenDouble(golden(e, "jensen_shannon", "nannyml_bins", "base_e")), absolute: 1e-7,
            "\(column) JS nannyml e")
        if golden(e, "nannyml_single_chunk", "hellinger") != nil {
            expectClose(
                Hellinger.distance(p, q), goldenDouble(golden(e, "nannyml_single_chunk", "hellinger")),
                absolute: 1e-7, "\(column) hellinger")
        }
    }

    @Test(arguments: numericColumns)
    func wasserstein(_ column: Column) {
        let (r, c) = Self.samples(column)
        let e = column.expected
        expectClose(Wasserstein.distance(r, c), goldenDouble(golden(e, "wasserstein", "distance")), "\(column) W1")
        let normed = Wasserstein.normedDistance(r, c)
        expectClose(
            normed.value, goldenDouble(golden(e, "wasserstein", "evidently_normed", "value")), "\(column) W1 normed")
        expectClose(
            normed.norm, goldenDouble(golden(e, "wasserstein", "evidently_normed", "norm")), "\(column) norm")
        let threshold = goldenDouble(golden(e, "wasserstein", "evidently_normed", "threshold")) ?? .nan
        #expect((normed.value >= threshold) == (golden(e, "wasserstein", "evidently_normed", "drift") as? Bool))
        // NannyML's exact-mode W1 is the same number (estimated mode is used only from 10,000 reference rows).
        if r.count < 10_000, let nannyml = goldenDouble(golden(e, "nannyml_single_chunk", "wasserstein")) {
            expectClose(Wasserstein.distance(r, c), nannyml, "\(column) nannyml W1")
        }
    }

    @Test(arguments: categoricalColumns)
    func categorical(_ column: Column) {
        let e = column.expected
        let ref = Self.counts(column.golden.strings("reference.csv", column.name))
        let cur = Self.counts(column.golden.strings("current.csv", column.name))
        let binned = CategoricalBinning.bin(reference: ref, current: cur, mode: .quantile)
        #expect(binned.keys == golden(e, "psi_categorical_eps1e-4", "keys") as? [String])
        expectClose(
            PopulationStabilityIndex.value(binned, mode: .quantile).value,
            goldenDouble(golden(e, "psi_categorical_eps1e-4", "value")), "\(column) psi eps 1e-4")
        let evidently = CategoricalBinning.bin(reference: ref, current: cur, mode: .evidently)
        #expect(evidently.keys == golden(e, "psi_evidently", "keys") as? [String])
        let psi = PopulationStabilityIndex.value(evidently, mode: .evidently)
        expectClose(psi.value, goldenDouble(golden(e, "psi_evidently", "value")), "\(column) psi evidently")
        expectClose(psi.referenceEpsilon, goldenDouble(golden(e, "psi_evidently", "eps_ref")), "\(column) eps_ref")
        expectClose(psi.currentEpsilon, goldenDouble(golden(e, "psi_evidently", "eps_cur")), "\(column) eps_cur")
        expectClose(
            JensenShannon.distance(binned.referenceShares, binned.currentShares, base: .e),
            goldenDouble(golden(e, "jensen_shannon", "category_props", "base_e")), "\(column) JS e")
        expectClose(
            JensenShannon.distance(binned.referenceShares, binned.currentShares, base: .two),
            goldenDouble(golden(e, "jensen_shannon", "category_props", "base_2")), "\(column) JS 2")
        let nannyml = CategoricalBinning.bin(reference: ref, current: cur, mode: .nannyml)
        expectClose(
            JensenShannon.distance(nannyml.referenceShares, nannyml.currentShares, base: .two),
            goldenDouble(golden(e, "nannyml_single_chunk", "jensen_shannon")), absolute: 1e-7, "\(column) nannyml JS")
        expectClose(
            Hellinger.distance(nannyml.referenceShares, nannyml.currentShares),
            goldenDouble(golden(e, "nannyml_single_chunk", "hellinger")), absolute: 1e-7, "\(column) nannyml H")
        expectClose(
            LInfinity.distance(binned.referenceShares, binned.currentShares),
            goldenDouble(golden(e, "l_infinity")), "\(column) L∞")
    }

    @Test func identicalSamplesGiveZero() {
        var rng = SplitMix64(seed: 7)
        let x = SortedSample(sorting: (0..<5000).map { _ in rng.nextGaussian() })
        for mode in BinningMode.allCases {
            let b = NumericBinning.bin(reference: x, current: x, mode: mode)
            #expect(PopulationStabilityIndex.value(b, mode: mode).value == 0, "\(mode)")
            #expect(JensenShannon.distance(b.referenceShares, b.currentShares) == 0, "\(mode)")
            #expect(Hellinger.distance(b.referenceShares, b.currentShares) < 1e-7, "\(mode)")
        }
        #expect(Wasserstein.distance(x, x) == 0)
    }

    @Test func symmetricMethodsAreSymmetric() {
        var rng = SplitMix64(seed: 8)
        let a = SortedSample(sorting: (0..<3000).map { _ in rng.nextGaussian() })
        let b = SortedSample(sorting: (0..<2000).map { _ in rng.nextGaussian() * 1.3 + 0.2 })
        expectClose(Wasserstein.distance(a, b), Wasserstein.distance(b, a), "W1 symmetry")
        let binned = NumericBinning.bin(reference: a, current: b, mode: .evidently)
        let p = binned.referenceShares
        let q = binned.currentShares
        expectClose(JensenShannon.distance(p, q), JensenShannon.distance(q, p), "JS symmetry")
        expectClose(Hellinger.distance(p, q), Hellinger.distance(q, p), "Hellinger symmetry")
        expectClose(
            PopulationStabilityIndex.value(reference: p.map { max($0, 1e-4) }, current: q.map { max($0, 1e-4) }),
            PopulationStabilityIndex.value(reference: q.map { max($0, 1e-4) }, current: p.map { max($0, 1e-4) }),
            "PSI symmetry")
    }

    @Test func rowOrderDoesNotMatter() {
        var rng = SplitMix64(seed: 9)
        let raw = (0..<4000).map { _ in rng.nextGaussian() }
        let other = (0..<4000).map { _ in rng.nextGaussian() + 0.1 }
        let a = NumericBinning.bin(
            reference: SortedSample(sorting: raw), current: SortedSample(sorting: other), mode: .quantile)
        let b = NumericBinning.bin(
            reference: SortedSample(sorting: raw.reversed()),
            current: SortedSample(sorting: other.shuffled(using: &rng)),
            mode: .quantile)
        #expect(a == b)
    }

    @Test func emptySamplesBinWithoutTrapping() {
        let empty = SortedSample(sorting: [])
        let one = SortedSample(sorting: [1])
        for mode in BinningMode.allCases {
            let emptyReference = NumericBinning.bin(reference: empty, current: one, mode: mode)
            let emptyCurrent = NumericBinning.bin(reference: one, current: empty, mode: mode)
            // Nothing to count on the empty side (and no trap on the way).
            #expect(emptyReference.referenceCounts.reduce(0, +) == 0, "\(mode)")
            #expect(emptyCurrent.currentCounts.reduce(0, +) == 0, "\(mode)")
        }
    }

    @Test func aConstantSampleHasAZeroPSI() {
        for mode in BinningMode.allCases {
            let constant = NumericBinning.bin(
                reference: SortedSample(sorting: [3, 3, 3]), current: SortedSample(sorting: [3, 3]), mode: mode)
            #expect(PopulationStabilityIndex.value(constant, mode: mode).value == 0, "\(mode)")
        }
    }

    @Test func distancesWithAnEmptySideAreNaN() {
        #expect(Wasserstein.distance(SortedSample(sorting: []), SortedSample(sorting: [1])).isNaN)
        #expect(JensenShannon.distance([0, 0], [1, 0]).isNaN)
    }
}
