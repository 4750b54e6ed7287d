import DriftTestSupport
import Foundation
import PostgresDriver
import Testing

@testable import DriftStore

@Suite struct PredictionStoreTests {
    static let day: Int64 = 86_400_000_000

    func migratedPool(_ prefix: String) async throws -> (PostgresPool, String) {
        let url = try TestCluster.createDatabase(prefix: prefix)
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let modelID = try await pool.withConnection(purpose: "model") { c in
            try c.query(
                "INSERT INTO models (name, task) VALUES ('m', 'binary') RETURNING model_id", purpose: "model"
            ).scalar(Int.self, purpose: "model")
        }
        #expect(modelID == 1)
        return (pool, url)
    }

    @Test func copyOfOneHundredThousandRowsIsIdempotent() async throws {
        let (pool, url) = try await migratedPool("copy")
        defer { TestCluster.dropDatabase(url: url) }
        let start: Int64 = 1_763_856_000_000_000  // 2025-11-23T00:00:00Z
        var built: [PredictionRecord] = []
        built.reserveCapacity(100_000)
        for i in 0..<100_000 {
            let features: [Double?] = (0..<20).map { j in Double(i * 20 + j) * 0.001 }
            let time = start + Int64(i) * 1_000_000
            built.append(
                PredictionRecord(
                    predictionID: "p\(i)", eventTime: time, numericFeatures: features, categoryFeatures: ["c\(i % 7)"],
                    prediction: i % 2 == 0 ? "1" : "0", score: Double(i % 100) / 100, latencyMilliseconds: 3.5))
        }
        let records = built
        let first = try await pool.withConnection(purpose: "copy") {
            try PredictionStore.insert(records, modelID: 1, on: $0)
        }
        #expect(first == 100_000)
        let again = try await pool.withConnection(purpose: "copy") {
            try PredictionStore.insert(records, modelID: 1, on: $0)
        }
        #expect(again == 0)
        let mixed = Array(records[99_000...]) + [PredictionRecord(predictionID: "new", eventTime: start)]
        let some = try await pool.withConnection(purpose: "copy") {
            try PredictionStore.insert(mixed, modelID: 1, on: $0)
        }
        #expect(some == 1)
        let count = try await pool.withConnection(purpose: "count") { try PredictionStore.count(modelID: 1, on: $0) }
        #expect(count == 100_001)
        // The numbers came back exactly.
        let features = try await pool.withConnection(purpose: "read") { c in
            try c.query(
                "SELECT numeric_features[20] FROM predictions WHERE model_id = 1 AND prediction_id = 'p99999'",
                purpose: "read"
            ).scalar(Double.self, purpose: "read")
        }
        #expect(features == Double(99_999 * 20 + 19) * 0.001)
        await pool.close()
    }

    @Test func theRaceFallbackThroughStagingIsIdempotentToo() async throws {
        let (pool, url) = try await migratedPool("staging")
        defer { TestCluster.dropDatabase(url: url) }
        let rows = (0..<10).map {
            PredictionRecord(predictionID: "s\($0)", eventTime: Int64($0) * 1_000_000, numericFeatures: [Double($0)])
        }
        let first = try await pool.withConnection(purpose: "t") {
            try PartitionManager.ensurePartitions(days: [0], on: $0)  // as `insert` does before either path
            return try PredictionStore.insertThroughStaging(Array(rows[0..<5]), modelID: 1, on: $0)
        }
        #expect(first.freshTimes.sorted() == (0..<5).map { Int64($0) * 1_000_000 })
        // The path another writer's race leads to: half already stored, half new.
        let second = try await pool.withConnection(purpose: "t") {
            try PredictionStore.insertThroughStaging(rows, modelID: 1, on: $0)
        }
        // Only the new rows' event times come back.
        #expect(second.freshTimes.sorted() == (5..<10).map { Int64($0) * 1_000_000 })
        let count = try await pool.withConnection(purpose: "t") { try PredictionStore.count(modelID: 1, on: $0) }
        #expect(count == 10)
        await pool.close()
    }

    static let awkward = "Zürich\t\"x\"\n\\back\\slash\r{a,b} NULL ✓"

    @Test func awkwardTextRoundTripsThroughCopy() async throws {
        let (pool, url) = try await migratedPool("text")
        defer { TestCluster.dropDatabase(url: url) }
        let awkward = Self.awkward
        let record = PredictionRecord(
            predictionID: awkward, eventTime: 0, numericFeatures: [1.5, nil, -.infinity],
            categoryFeatures: [awkward, nil],
            prediction: awkward)
        let inserted = try await pool.withConnection(purpose: "copy") {
            try PredictionStore.insert([record], modelID: 1, on: $0)
        }
        #expect(inserted == 1)
        let row = try await pool.withConnection(purpose: "read") { c in
            try c.query(
                """
                SELECT prediction_id, prediction, category_features[1], category_features[2] IS NULL,
                       numeric_features[2] IS NULL, numeric_features[3]
                FROM predictions WHERE model_id = 1 AND prediction_id = $1
                """, [.string(awkward)], purpose: "read")
        }
        try #require(row.count == 1)
        #expect(try row.value(0, 0, as: String.self, purpose: "t") == awkward)
        #expect(try row.value(0, 1, as: String.self, purpose: "t") == awkward)
        #expect(try row.value(0, 2, as: String.self, purpose: "t") == awkward)
        #expect(try row.value(0, 3, as: Bool.self, purpose: "t") == true)
        #expect(try row.value(0, 4, as: Bool.self, purpose: "t") == true)
        #expect(try row.value(0, 5, as: Double.self, purpose: "t") == -.infinity)
        await pool.close()
    }

    @Test func awkwardTextRoundTripsThroughParameters() async throws {
        let url = try TestCluster.createDatabase(prefix: "parameters")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        let echoed = try await pool.withConnection(purpose: "echo") { c in
            try c.query("SELECT $1::text", [.string(Self.awkward)], purpose: "echo").scalar(
                String.self, purpose: "echo")
        }
        #expect(echoed == Self.awkward)
        await pool.close()
    }

    /// Three events on days 20,000, 20,001 and 20,005 stored in a fresh database.
    func partitionedPool(_ prefix: String) async throws -> (PostgresPool, String) {
        let (pool, url) = try await migratedPool(prefix)
        let records = Self.partitionDays.enumerated().map { i, day in
            PredictionRecord(predictionID: "e\(i)", eventTime: day * Self.day + 3_600_000_000)
        }
        _ = try await pool.withConnection(purpose: "copy") { try PredictionStore.insert(records, modelID: 1, on: $0) }
        return (pool, url)
    }

    static let partitionDays: [Int64] = [20_000, 20_001, 20_005]

    @Test func eachDayOfEventsGetsAPartition() async throws {
        let (pool, url) = try await partitionedPool("partitions")
        defer { TestCluster.dropDatabase(url: url) }
        let partitions = try await pool.withConnection(purpose: "list") {
            try PartitionManager.partitions(on: $0).map(\.day)
        }
        #expect(partitions == Self.partitionDays)
        await pool.close()
    }

    @Test func droppingPartitionsBeforeADayDeletesTheirEvents() async throws {
        let (pool, url) = try await partitionedPool("partitions_dropped")
        defer { TestCluster.dropDatabase(url: url) }
        let dropped = try await pool.withConnection(purpose: "drop") {
            try PartitionManager.dropPartitions(before: 20_002, on: $0)
        }
        #expect(dropped.count == 2)
        let left = try await pool.withConnection(purpose: "count") { try PredictionStore.count(modelID: 1, on: $0) }
        #expect(left == 1)
        await pool.close()
    }

    @Test func aServerErrorCarriesItsSQLStateWithThePurpose() async throws {
        let (pool, url) = try await migratedPool("errors")
        defer { TestCluster.dropDatabase(url: url) }
        await #expect {
            try await pool.withConnection(purpose: "insert a duplicate model") { c in
                try c.query(
                    "INSERT INTO models (name, task) VALUES ('m', 'binary')", purpose: "insert a duplicate model")
            }
        } throws: { error in
            let e = error as? PostgresError
            return e?.sqlState == "23505" && e?.purpose == "insert a duplicate model" && e?.code == .server
        }
        await pool.close()
    }

    @Test func aPoolStaysUsableAfterAFailedStatement() async throws {
        let (pool, url) = try await migratedPool("after_error")
        defer { TestCluster.dropDatabase(url: url) }
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection(purpose: "fail") { c in
                try c.query("INSERT INTO models (name, task) VALUES ('m', 'binary')", purpose: "fail")
            }
        }
        let one = try await pool.withConnection(purpose: "ping") {
            try $0.query("SELECT 1", purpose: "ping").scalar(Int.self, purpose: "ping")
        }
        #expect(one == 1)
        await pool.close()
    }

    /// Concurrent writers that need the same new daily partition all succeed (a race found under load).
    @Test func concurrentWritersCreateTheSameDayOnce() async throws {
        let (_, url) = try await migratedPool("partition")
        defer { TestCluster.dropDatabase(url: url) }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 8)
        for round in 0..<5 {
            let day = Int64(20_000 + round) * Self.day
            let stored = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        let records = (0..<50).map {
                            PredictionRecord(
                                predictionID: "w\(writer)-\($0)", eventTime: day + Int64($0) * 1_000_000,
                                numericFeatures: [1])
                        }
                        return try await pool.withConnection(purpose: "t") {
                            try PredictionStore.insert(records, modelID: 1, on: $0)
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(stored == 400)
        }
        await pool.close()
    }
}
