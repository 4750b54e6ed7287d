import DriftStats

/// The reference side of one numeric column: its values (sorted, kept whole up to `exactLimit`), its
/// fine `QuantileGrid` with the reference's counts on it, its quantile cut points for the model's bin
/// count and its population standard deviation (the norm of normed Wasserstein).
///
/// With the values kept, a window is compared exactly as `driftwatch drift` compares two files. Past the
/// limit only the grid is kept (bounded size whatever the reference's), and windows are compared on it
/// (see `WindowEvaluator`).
package struct ReferenceNumericProfile: Sendable, Equatable, Codable {
    package let count: Int
    package let missing: Int
    package let nonFinite: Int
    /// The finite values, ascending, when there are at most `exactLimit` of them.
    package let sortedValues: [Double]?
    package let grid: QuantileGrid
    /// The reference's counts per fine grid bin.
    package let fineCounts: [Int]
    /// Quantile cut points at k/`bins` (numpy `linear`), duplicates collapsed.
    package let bins: Int
    package let binCutPoints: [Double]
    /// Population (ddof = 0) standard deviation of the finite values; nil when empty.
    package let standardDeviation: Double?

    /// Builds the profile of a column from its sorted finite values.
    package init(
        sample: SortedSample, missing: Int, nonFinite: Int, bins: Int, exactLimit: Int,
        resolution: Int = QuantileGrid.defaultResolution
    ) {
        count = sample.count
        self.missing = missing
        self.nonFinite = nonFinite
        sortedValues = sample.count <= exactLimit ? sample.values : nil
        grid = QuantileGrid(reference: sample, resolution: resolution)
        var counts = [Int](repeating: 0, count: grid.binCount)
        for v in sample.values { counts[grid.bin(of: v)] += 1 }
        fineCounts = counts
        self.bins = bins
        binCutPoints = QuantileBinning.cutPoints(reference: sample, bins: bins)
        standardDeviation = sample.populationStandardDeviation
    }

    /// The exact sample, when kept.
    package var sample: SortedSample? { sortedValues.map { SortedSample(alreadySorted: $0) } }

    private enum CodingKeys: String, CodingKey {
        case count, missing, nonFinite = "non_finite", sortedValues = "sorted_values", grid
        case fineCounts = "fine_counts", bins, binCutPoints = "bin_cut_points"
        case standardDeviation = "standard_deviation"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(missing, forKey: .missing)
        try c.encode(nonFinite, forKey: .nonFinite)
        try c.encodeIfPresent(sortedValues.map(PackedDoubles.init), forKey: .sortedValues)
        try c.encode(grid, forKey: .grid)
        try c.encode(fineCounts, forKey: .fineCounts)
        try c.encode(bins, forKey: .bins)
        try c.encode(PackedDoubles(binCutPoints), forKey: .binCutPoints)
        try c.encodeIfPresent(standardDeviation.map { PackedDoubles([$0]) }, forKey: .standardDeviation)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count)
        missing = try c.decode(Int.self, forKey: .missing)
        nonFinite = try c.decode(Int.self, forKey: .nonFinite)
        sortedValues = try c.decodeIfPresent(PackedDoubles.self, forKey: .sortedValues)?.values
        grid = try c.decode(QuantileGrid.self, forKey: .grid)
        fineCounts = try c.decode([Int].self, forKey: .fineCounts)
        bins = try c.decode(Int.self, forKey: .bins)
        binCutPoints = try c.decode(PackedDoubles.self, forKey: .binCutPoints).values
        standardDeviation = try c.decodeIfPresent(PackedDoubles.self, forKey: .standardDeviation)?.values.first
        guard fineCounts.count == grid.binCount else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "fine_counts does not match the grid"))
        }
        guard StoredCounts.areValid([count, missing, nonFinite]), StoredCounts.areValid(fineCounts) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "counts must be in 0…2⁵³ (and so must their total)"))
        }
    }
}
