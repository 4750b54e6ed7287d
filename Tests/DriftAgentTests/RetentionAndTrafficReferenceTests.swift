import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Synchronization
import Testing

/// Retention of raw events, and a reference taken from a time range of logged traffic.
@Suite struct RetentionAndTrafficReferenceTests {
    static let day: Int64 = 86_400_000_000

    /// 2025-11-23T12:00:00Z: the wall time the agent judges these tests' events against.
    static let now: Int64 = 20_415 * day + 12 * 3_600_000_000

    func environment(_ yaml: String, clock: TestClock = TestClock(Self.now)) async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "retention")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [], clock: { clock.now })
    }

    static func line(_ id: String, _ time: Int64, _ x: Double) -> String {
        #"{"id": "\#(id)", "timestamp": "\#(RFC3339.text(microseconds: time))", "features": {"x": \#(x)}}"#
    }

    func post(_ environment: AgentEnvironment, model: String, _ lines: [String]) async throws {
        let body = ByteBuffer(string: lines.joined(separator: "\n"))
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/\(model)/predictions", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: body
            ) { #expect($0.status == .ok) }
        }
    }

    @Test func oldEventsAreDroppedPerModelRetention() async throws {
        let clock = TestClock(Self.now)
        let environment = try await environment(
            """
            auth: {enabled: false}
            models:
              short: {task: binary, features: {x: numeric}, retention: 2d}
              long: {task: binary, features: {x: numeric}, retention: 10d}
            """, clock: clock)
        let now = Self.now
        // Each event arrives on its day (older ones would be refused), and retention runs today.
        for model in ["short", "long"] {
            for ago in [1, 3, 5, 12] {
                clock.now = now - Int64(ago) * Self.day
                try await post(environment, model: model, [Self.line("\(model)\(ago)", clock.now, 1)])
            }
        }
        let report = try await RetentionService(environment: environment, logger: Logger(label: "t"))
            .enforce(now: now)
        // 12 days ago is before both retentions: its partition goes; 'short' loses 3 and 5 days ago too.
        #expect(report.droppedPartitions == ["predictions_20251111"])
        #expect(report.deletedEvents == 2)
        let left = try await environment.pool.withConnection(purpose: "count") {
            try $0.query("SELECT prediction_id FROM predictions ORDER BY 1", purpose: "count").rows.compactMap { $0[0] }
        }
        #expect(left == ["long1", "long3", "long5", "short1"])
        await environment.pool.close()
    }

    @Test func aTimeRangeReferenceIsBuiltOnceItsTrafficIsIn() async throws {
        let environment = try await environment(
            """
            auth: {enabled: false}
            models:
              ranged:
                task: binary
                features: {x: numeric}
                window: 1h
                allowed_lateness: 1m
                reference: {from: "2026-11-23T08:00:00Z", to: "2026-11-23T09:00:00Z"}
            """, clock: TestClock(1_795_478_400_000_000))  // 2026-11-24T00:00:00Z
        let eight: Int64 = 1_795_420_800_000_000
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        let first = (0..<100).map { Self.line("a\($0)", eight + Int64($0) * 30_000_000, Double($0)) }
        try await post(environment, model: "ranged", first)
        _ = await closer.tick()
        let source = { () async throws -> String? in
            try await environment.pool.withConnection(purpose: "read") { c in
                guard let id = try ModelStore.find(name: "ranged", on: c)?.id else { return nil }
                return try ReferenceStore.current(modelID: id, on: c).map { "\($0.source) \($0.rowCount)" }
            }
        }
        #expect(try await source() == nil)  // 09:00 + 1 minute not reached yet
        try await post(environment, model: "ranged", [Self.line("b", eight + 3_700_000_000, 5)])
        _ = await closer.tick()
        #expect(try await source() == "time_range:2026-11-23T08:00:00Z/2026-11-23T09:00:00Z 100")
        await environment.pool.close()
    }
}

/// A wall clock a test sets.
final class TestClock: Sendable {
    let value: Mutex<Int64>
    init(_ now: Int64) { value = Mutex(now) }
    var now: Int64 {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
