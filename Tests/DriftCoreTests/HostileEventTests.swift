import DriftCore
import DriftTables
import Testing

/// Event input that used to be stored wrongly or fail whole requests: each is refused per line, naming
/// the field (issue 15, classes 2–4 and 7).
@Suite struct HostileEventTests {
    static let model = ModelConfiguration(
        name: "m", task: .binary,
        features: [
            FeatureConfiguration(name: "x", type: .numeric), FeatureConfiguration(name: "c", type: .categorical),
        ], defaults: ModelDefaults())
    let decoder = PredictionEventDecoder(model: Self.model)

    func decode(_ line: String) -> Result<PredictionEvent, EventProblem> {
        Array(line.utf8).withUnsafeBufferPointer { decoder.decode($0) }
    }

    func field(_ result: Result<PredictionEvent, EventProblem>) -> String? {
        if case .failure(let problem) = result { return problem.field ?? "(none)" }
        return nil
    }

    @Test func aTimeBeforeYearOneAfterItsOffsetIsNoTimestamp() {
        #expect(RFC3339.microseconds("0000-01-01T00:30:00+01:00") == nil)
        #expect(RFC3339.microseconds("0000-06-01T00:00:00Z") == nil)
    }

    @Test func timestampsSpanYearsOneToNineThousandNineHundredNinetyNine() {
        #expect(RFC3339.microseconds("0001-01-01T00:00:00Z") == RFC3339.range.lowerBound)
        #expect(RFC3339.microseconds("9999-12-31T23:59:59.999999Z") == RFC3339.range.upperBound)
        #expect(RFC3339.microseconds("9999-12-31T23:30:00-01:00") == nil)
    }

    @Test func anEventTimeOutsideTheYearsIsRefusedOnTheTimestampField() {
        let result = decode(#"{"id": "a", "timestamp": "0000-01-01T00:30:00+01:00"}"#)
        #expect(field(result) == "timestamp")
    }

    @Test(arguments: [
        (#"{"id": "a\u0000b", "timestamp": "2026-01-01T00:00:00Z"}"#, "id"),
        (#"{"id": "a", "timestamp": "2026-01-01T00:00:00Z", "features": {"c": "x\u0000"}}"#, "features.c"),
        (#"{"id": "a", "timestamp": "2026-01-01T00:00:00Z", "prediction": "\u0000"}"#, "prediction"),
        (#"{"id": "a", "timestamp": "2026-01-01T00:00:00Z", "model_version": "v\u0000"}"#, "model_version"),
        (#"{"id": "a", "timestamp": "2026-01-01T00:00:00Z", "scores": {"\u0000": 0.5}}"#, "scores"),
    ])
    func aNulCharacterIsRefusedOnItsField(line: String, expected: String) {
        #expect(field(decode(line)) == expected)
    }

    @Test func aNulInALabelIdIsRefusedOnTheIdField() {
        let result = Array(#"{"id": "p\u0000", "label": "1"}"#.utf8).withUnsafeBufferPointer { LabelEvent.decode($0) }
        let problem = #expect(throws: EventProblem.self) { try result.get() }
        #expect(problem?.field == "id")
    }

    @Test func invalidUTF8InAStringIsNotValidJSON() {
        var bytes = Array(#"{"id": "a"#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array(#"", "timestamp": "2026-01-01T00:00:00Z"}"#.utf8)
        let result = bytes.withUnsafeBufferPointer { decoder.decode($0) }
        let problem = #expect(throws: EventProblem.self) { try result.get() }
        #expect(problem?.message.contains("UTF-8") == true)
    }

    static let now = RFC3339.microseconds("2026-12-03T10:00:00Z") ?? 0

    @Test func anEventFurtherAheadThanTheSkewIsRefusedNamingTheSkew() throws {
        let admission = EventAdmission(now: Self.now, maxFutureSkewSeconds: 3600, retentionDays: 30)
        let problem = try #require(admission.problem(eventTime: Self.now + 3_600_000_001))
        #expect(problem.field == "timestamp")
        #expect(problem.message.contains("server.max_future_skew (1h)"))
        #expect(admission.problem(eventTime: Self.now + 3_600_000_000) == nil)
    }

    @Test func anEventOlderThanTheRetentionIsRefusedNamingTheRetention() throws {
        let admission = EventAdmission(now: Self.now, maxFutureSkewSeconds: 3600, retentionDays: 30)
        let old = try #require(RFC3339.microseconds("1990-01-01T00:00:00Z"))
        let problem = try #require(admission.problem(eventTime: old))
        #expect(problem.message.contains("retention (30d)"))
        #expect(admission.earliest == RFC3339.microseconds("2026-11-03T00:00:00Z"))
    }

    @Test func anEventTheNextRetentionPassWouldDeleteIsRefused() throws {
        // At 23:30 the pass within the hour already counts from the next day.
        let lateEvening = try #require(RFC3339.microseconds("2026-12-03T23:30:00Z"))
        let admission = EventAdmission(now: lateEvening, maxFutureSkewSeconds: 3600, retentionDays: 30)
        #expect(admission.earliest == RFC3339.microseconds("2026-11-04T00:00:00Z"))
    }

    @Test func extremeSettingsHoldTheBoundsAtTheEndsInsteadOfOverflowing() {
        let admission = EventAdmission(now: .max - 5, maxFutureSkewSeconds: .max, retentionDays: .max)
        #expect(admission.latest == .max)
        #expect(admission.earliest == .min)
    }
}

/// `drift.max_categories`: memory bounded by the cap, the most frequent kept exactly, the rest in
/// `__other__`.
@Suite struct CategoryCapTests {
    /// 50 "heavy", 20 "medium" and 1,000 distinct rare values, pruned to 10 categories.
    static func prunedProfile() -> CategoricalProfile {
        var profile = CategoricalProfile()
        for _ in 0..<50 { profile.add("heavy", cap: 10) }
        for _ in 0..<20 { profile.add("medium", cap: 10) }
        for i in 0..<1_000 { profile.add("rare\(i)", cap: 10) }
        profile.prune(to: 10)
        return profile
    }

    @Test func beyondTheCapTheMostFrequentCategoriesAreKeptExactly() {
        let profile = Self.prunedProfile()
        #expect(profile.counts.count == 10)
        #expect(profile.counts["heavy"] == 50)
        #expect(profile.counts["medium"] == 20)
    }

    @Test func beyondTheCapTheRareCategoriesAreCountedAsOther() {
        let profile = Self.prunedProfile()
        #expect(profile.count == 1_070)
        #expect((profile.counts[CategoricalProfile.other] ?? 0) > 0)
    }

    @Test func aProfileNeverHoldsMoreThanTwiceTheCap() {
        var profile = CategoricalProfile()
        var most = 0
        for i in 0..<100_000 {
            profile.add("v\(i)", cap: 100)
            most = max(most, profile.counts.count)
        }
        #expect(most <= 200)
        #expect(profile.count == 100_000)
    }

    @Test func underTheCapNothingChanges() {
        var capped = CategoricalProfile()
        var plain = CategoricalProfile()
        for i in 0..<500 {
            capped.add("v\(i % 37)", cap: 100)
            plain.add("v\(i % 37)")
        }
        capped.prune(to: 100)
        #expect(capped == plain)
    }
}

/// A window profile stored under another grid (or damaged) is fitted to the grid it meets, never indexed
/// past its end.
@Suite struct ForeignGridProfileTests {
    static let small = QuantileGrid(cutPoints: [1, 2], resolution: 3)
    static let large = QuantileGrid(cutPoints: (1...9).map(Double.init), resolution: 10)

    func spilled(_ values: [Double], grid: QuantileGrid) -> NumericProfile {
        var profile = NumericProfile(exactLimit: 1)
        for v in values { profile.add(v, grid: grid) }
        return profile
    }

    @Test func addingOnALargerGridExtendsTheCounts() {
        var profile = spilled([0.5, 1.5], grid: Self.small)
        profile.add(8.5, grid: Self.large)
        #expect(profile.fineCounts(grid: Self.large).reduce(0, +) == 3)
        #expect(profile.fineCounts(grid: Self.large)[8] == 1)
    }

    @Test func mergingCountsOfAnotherGridKeepsEveryCount() {
        var window = spilled([0.5, 1.5, 2.5], grid: Self.small)
        window.merge(spilled([3.5, 9.5], grid: Self.large), grid: Self.small)
        #expect(window.fineCounts(grid: Self.small) == [1, 1, 3])
    }
}
