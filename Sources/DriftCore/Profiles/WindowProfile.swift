import DriftStats

/// The mergeable summary of one model's events in one window (ARCHITECTURE.md, an event's step 5): per
/// numeric feature a `NumericProfile` (exact values while small, else counts on the reference's grid),
/// per categorical feature its counts, the same for the output columns, a latency histogram and the
/// event count. Two profiles of the same window merge exactly, in any order.
package struct WindowProfile: Sendable, Equatable, Codable {
    package private(set) var eventCount = 0
    package private(set) var numeric: [NumericProfile]
    package private(set) var categorical: [CategoricalProfile]
    package private(set) var predictedClass = CategoricalProfile()
    package private(set) var predictedValue: NumericProfile
    package private(set) var latency = LatencyHistogram()
    /// Events without a latency.
    package private(set) var latencyMissing = 0
    /// Categories counted per categorical column at most (`drift.max_categories`; see `CategoricalProfile`).
    package private(set) var categoryCap = 10_000

    /// An empty profile for `schema`; numeric columns stay exact up to `exactLimit` values.
    package init(schema: ProfileSchema, exactLimit: Int = 10_000) {
        numeric = schema.numericFeatures.map { _ in NumericProfile(exactLimit: exactLimit) }
        categorical = schema.categoricalFeatures.map { _ in CategoricalProfile() }
        predictedValue = NumericProfile(exactLimit: exactLimit)
        categoryCap = schema.maxCategories
    }

    /// Adds one event (features in schema order). O(features · log grid).
    package mutating func add(
        numeric values: [Double?], categorical labels: [String?], predictedClass: String?, predictedValue: Double?,
        latencyMilliseconds: Double?, grids: ProfileGrids
    ) {
        eventCount += 1
        for i in numeric.indices {
            numeric[i].add(i < values.count ? values[i] : nil, grid: grids.numeric[i])
        }
        for i in categorical.indices { categorical[i].add(i < labels.count ? labels[i] : nil, cap: categoryCap) }
        self.predictedClass.add(predictedClass, cap: categoryCap)
        self.predictedValue.add(predictedValue, grid: grids.predictedValue)
        if let latencyMilliseconds { latency.record(milliseconds: latencyMilliseconds) } else { latencyMissing += 1 }
    }

    /// Adds everything `other` (a profile of the same window and schema) holds; counts saturate at `Int.max`.
    package mutating func merge(_ other: WindowProfile, grids: ProfileGrids) {
        eventCount = eventCount.addingSaturating(other.eventCount)
        for i in numeric.indices where i < other.numeric.count {
            numeric[i].merge(other.numeric[i], grid: grids.numeric[i])
        }
        for i in categorical.indices where i < other.categorical.count {
            categorical[i].merge(other.categorical[i], cap: categoryCap)
        }
        predictedClass.merge(other.predictedClass, cap: categoryCap)
        predictedValue.merge(other.predictedValue, grid: grids.predictedValue)
        latency.merge(other.latency)
        latencyMissing = latencyMissing.addingSaturating(other.latencyMissing)
    }

    private enum CodingKeys: String, CodingKey {
        case version, eventCount = "event_count", numeric, categorical, predictedClass = "predicted_class"
        case predictedValue = "predicted_value", latency, latencyMissing = "latency_missing"
        case categoryCap = "category_cap"
    }

    /// The profile with each categorical column cut to `categoryCap` categories (the `__other__` bucket
    /// holding the rest): what the window's figures are computed from.
    package func capped() -> WindowProfile {
        var copy = self
        for i in copy.categorical.indices { copy.categorical[i].prune(to: categoryCap) }
        copy.predictedClass.prune(to: categoryCap)
        return copy
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .version)
        try c.encode(eventCount, forKey: .eventCount)
        try c.encode(numeric, forKey: .numeric)
        try c.encode(categorical, forKey: .categorical)
        try c.encode(predictedClass, forKey: .predictedClass)
        try c.encode(predictedValue, forKey: .predictedValue)
        try c.encode(latency, forKey: .latency)
        try c.encode(latencyMissing, forKey: .latencyMissing)
        try c.encode(categoryCap, forKey: .categoryCap)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard try c.decode(Int.self, forKey: .version) == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "unknown version"))
        }
        eventCount = try c.decode(Int.self, forKey: .eventCount)
        numeric = try c.decode([NumericProfile].self, forKey: .numeric)
        categorical = try c.decode([CategoricalProfile].self, forKey: .categorical)
        predictedClass = try c.decode(CategoricalProfile.self, forKey: .predictedClass)
        predictedValue = try c.decode(NumericProfile.self, forKey: .predictedValue)
        latency = try c.decode(LatencyHistogram.self, forKey: .latency)
        latencyMissing = try c.decode(Int.self, forKey: .latencyMissing)
        guard StoredCounts.areValid([eventCount]), StoredCounts.areValid([latencyMissing]) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "counts must be in 0…2⁵³"))
        }
        categoryCap = try c.decodeIfPresent(Int.self, forKey: .categoryCap) ?? 10_000
    }
}
