import DriftTestSupport
import Foundation
import PostgresDriver
import Testing

@testable import DriftStore

@Suite struct RepositoryTests {
    static let hour: Int64 = 3_600_000_000
    static let start: Int64 = 1_763_856_000_000_000  // 2025-11-23T00:00:00Z

    func migratedPool(_ prefix: String) async throws -> (PostgresPool, String) {
        let url = try TestCluster.createDatabase(prefix: prefix)
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return (pool, url)
    }

    @Test func registeringAModelAgainUpdatesItInPlace() async throws {
        let (pool, url) = try await migratedPool("models")
        defer { TestCluster.dropDatabase(url: url) }
        let first = try await pool.withConnection(purpose: "t") {
            try ModelStore.register(name: "credit \"v2\"", task: "binary", schemaJSON: #"{"features": ["x"]}"#, on: $0)
        }
        let again = try await pool.withConnection(purpose: "t") {
            try ModelStore.register(name: "credit \"v2\"", task: "multiclass", on: $0)
        }
        #expect(again.id == first.id)
        #expect(again.task == "multiclass")
        let found = try await pool.withConnection(purpose: "t") { try ModelStore.find(name: "credit \"v2\"", on: $0) }
        #expect(found == again)
        await pool.close()
    }

    @Test func anUnknownModelIsNotFound() async throws {
        let (pool, url) = try await migratedPool("models_unknown")
        defer { TestCluster.dropDatabase(url: url) }
        let missing = try await pool.withConnection(purpose: "t") { try ModelStore.find(name: "nope", on: $0) }
        #expect(missing == nil)
        await pool.close()
    }

    @Test func aModelWithAnUnknownTaskIsRefused() async throws {
        let (pool, url) = try await migratedPool("models_task")
        defer { TestCluster.dropDatabase(url: url) }
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection(purpose: "t") {
                try ModelStore.register(name: "bad", task: "ranking", on: $0)
            }
        }
        await pool.close()
    }

    /// A model with 100 predictions a minute apart, and labels for the first 50 (p0 twice in the batch: the
    /// last wins; one id not logged yet); the pool, the database URL, the model id, the label batch and the
    /// count the upsert stored.
    func labelledModel(
        _ prefix: String
    ) async throws -> (
        pool: PostgresPool, url: String, modelID: Int64, labels: [LabelStore.Record], stored: Int
    ) {
        let (pool, url) = try await migratedPool(prefix)
        let modelID = try await pool.withConnection(purpose: "t") {
            try ModelStore.register(name: "m", task: "binary", on: $0).id
        }
        let predictions = (0..<100).map { i in
            PredictionRecord(
                predictionID: "p\(i)", eventTime: Self.start + Int64(i) * 60_000_000,
                prediction: i % 3 == 0 ? "1" : "0",
                score: Double(i) / 100)
        }
        _ = try await pool.withConnection(purpose: "t") {
            try PredictionStore.insert(predictions, modelID: modelID, on: $0)
        }
        var batch = (0..<50).map {
            LabelStore.Record(
                predictionID: "p\($0)", label: $0 % 2 == 0 ? "1" : "0", labelTime: Self.start + Self.hour * 48)
        }
        batch.append(LabelStore.Record(predictionID: "p0", label: "0", labelTime: Self.start + Self.hour * 49))
        batch.append(LabelStore.Record(predictionID: "not-logged-yet", label: "1", labelTime: Self.start))
        let labels = batch
        let stored = try await pool.withConnection(purpose: "t") {
            try LabelStore.upsert(labels, modelID: modelID, on: $0)
        }
        return (pool, url, modelID, labels, stored)
    }

    func joined(_ pool: PostgresPool, _ modelID: Int64) async throws -> [LabelStore.Labelled] {
        try await pool.withConnection(purpose: "t") {
            try LabelStore.joined(modelID: modelID, from: Self.start, to: Self.start + Self.hour, on: $0)
        }
    }

    @Test func lateLabelsJoinTheirPredictions() async throws {
        let model = try await labelledModel("labels")
        defer { TestCluster.dropDatabase(url: model.url) }
        #expect(model.stored == 51)
        let joined = try await joined(model.pool, model.modelID)
        try #require(joined.count == 60)
        #expect(joined.first?.predictionID == "p0")
        #expect(joined.first?.label == "0")  // the later of p0's two labels
        #expect(joined.filter { $0.label != nil }.count == 50)
        #expect(joined[10].score == 0.1)
        await model.pool.close()
    }

    @Test func theSameLabelsAgainChangeNothing() async throws {
        let model = try await labelledModel("labels_again")
        defer { TestCluster.dropDatabase(url: model.url) }
        let again = try await model.pool.withConnection(purpose: "t") {
            try LabelStore.upsert(model.labels, modelID: model.modelID, on: $0)
        }
        #expect(again == 0)
        await model.pool.close()
    }

    @Test func aCorrectedLabelReplacesTheEarlierOne() async throws {
        let model = try await labelledModel("labels_corrected")
        defer { TestCluster.dropDatabase(url: model.url) }
        let corrected = try await model.pool.withConnection(purpose: "t") {
            try LabelStore.upsert(
                [LabelStore.Record(predictionID: "p1", label: "1", labelTime: Self.start)], modelID: model.modelID,
                on: $0)
        }
        #expect(corrected == 1)
        let joined = try await joined(model.pool, model.modelID)
        #expect(joined.first { $0.predictionID == "p1" }?.label == "1")
        await model.pool.close()
    }

    /// A model with 24 hourly windows of a PSI figure and an F1 without labels, then hour 3's F1 recomputed
    /// once its labels arrived.
    func storedWindowMetrics(_ prefix: String) async throws -> (pool: PostgresPool, url: String, modelID: Int64) {
        let (pool, url) = try await migratedPool(prefix)
        let modelID = try await pool.withConnection(purpose: "t") {
            try ModelStore.register(name: "m", task: "binary", on: $0).id
        }
        let rows = (0..<24).flatMap { h -> [WindowMetricsStore.Row] in
            let ws = Self.start + Int64(h) * Self.hour
            return [
                .init(
                    windowStart: ws, windowEnd: ws + Self.hour, metric: "drift_statistic", feature: "x", method: "psi",
                    value: Double(h) / 100, threshold: 0.1, drift: h >= 10),
                .init(windowStart: ws, windowEnd: ws + Self.hour, metric: "f1", value: nil, labelCoverage: 0),
            ]
        }
        let written = try await pool.withConnection(purpose: "t") {
            try WindowMetricsStore.upsert(rows, modelID: modelID, on: $0)
        }
        #expect(written == 48)
        let ws = Self.start + 3 * Self.hour
        _ = try await pool.withConnection(purpose: "t") {
            try WindowMetricsStore.upsert(
                [.init(windowStart: ws, windowEnd: ws + Self.hour, metric: "f1", value: 0.91, labelCoverage: 0.8)],
                modelID: modelID, on: $0)
        }
        return (pool, url, modelID)
    }

    @Test func windowMetricsAreReadAsASeriesOverATimeRange() async throws {
        let stored = try await storedWindowMetrics("metrics")
        defer { TestCluster.dropDatabase(url: stored.url) }
        let psi = try await stored.pool.withConnection(purpose: "t") {
            try WindowMetricsStore.series(
                modelID: stored.modelID, metric: "drift_statistic", feature: "x", method: "psi",
                from: Self.start, to: Self.start + 12 * Self.hour, on: $0)
        }
        try #require(psi.count == 12)
        #expect(psi.map(\.drift) == (0..<12).map { $0 >= 10 })
        #expect(psi[5].value == 0.05)
        await stored.pool.close()
    }

    @Test func aRecomputedWindowMetricReplacesTheStoredOne() async throws {
        let stored = try await storedWindowMetrics("metrics_recomputed")
        defer { TestCluster.dropDatabase(url: stored.url) }
        let f1 = try await stored.pool.withConnection(purpose: "t") {
            try WindowMetricsStore.series(
                modelID: stored.modelID, metric: "f1", from: Self.start, to: Self.start + 24 * Self.hour, on: $0)
        }
        try #require(f1.count == 24)
        #expect(f1[3].value == 0.91)
        #expect(f1[3].labelCoverage == 0.8)
        #expect(f1[4].value == nil)
        await stored.pool.close()
    }
}
