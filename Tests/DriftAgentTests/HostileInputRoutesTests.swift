import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

/// What a careless or hostile client sends, through the router on a real PostgreSQL (issue 15): bad lines
/// are refused one by one with their line and field, the good ones of the same request are stored, and
/// nothing acknowledged is deleted by the next retention pass.
@Suite struct HostileInputRoutesTests {
    static let day: Int64 = 86_400_000_000
    static let hour: Int64 = 3_600_000_000
    /// 2026-11-23T12:00:00Z: the agent's wall clock in these tests.
    static let now: Int64 = 1_795_435_200_000_000
    static let yaml = """
        auth: {enabled: false}
        server: {max_buffered_body_bytes: 2048}
        models:
          m: {task: binary, features: {x: numeric, c: categorical}, retention: 30d}
          archive: {task: binary, features: {x: numeric}, retention: 3650d}
        """

    func environment(
        _ yaml: String = Self.yaml, clock: TestClock = TestClock(Self.now)
    ) async throws
        -> AgentEnvironment
    {
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "hostile")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [], clock: { clock.now })
    }

    static func line(_ id: String, _ time: Int64, x: String = "1.5", c: String = #""a""#) -> String {
        #"{"id": "\#(id)", "timestamp": "\#(RFC3339.text(microseconds: time))", "features": {"x": \#(x), "c": \#(c)}, "prediction": 1, "score": 0.7}"#
    }

    struct Reply {
        let status: HTTPResponse.Status
        let json: JSONObject
        let text: String
        var accepted: Int? { json.int("accepted") }
        var late: Int? { json.int("late") }
        var rejected: [JSONObject] { json.objects("rejected") ?? [] }
        var error: JSONObject { json.object("error") ?? JSONObject(pairs: []) }
    }

    func send(
        _ environment: AgentEnvironment, _ uri: String, method: HTTPRequest.Method = .post, _ body: String = "",
        contentType: String = "application/x-ndjson"
    ) async throws -> Reply {
        let (status, text) = try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: uri, method: method, headers: [.contentType: contentType], body: ByteBuffer(string: body)
            ) { response in (response.status, String(buffer: response.body)) }
        }
        let json = (try? JSONObject(parsing: text)) ?? JSONObject(pairs: [])
        return Reply(status: status, json: json, text: text)
    }

    func count(_ environment: AgentEnvironment, _ sql: String) async throws -> Int {
        try await environment.pool.withConnection(purpose: "count") {
            try $0.query(sql, purpose: "count").scalar(Int.self, purpose: "count") ?? -1
        }
    }

    /// Two current events with two beyond the future skew between them (lines 2 and 3).
    static let futureAmongCurrent = [
        Self.line("now", Self.now - Self.hour), Self.line("far", RFC3339.range.upperBound - 1),
        Self.line("ahead", Self.now + 2 * Self.hour), Self.line("now2", Self.now - 2 * Self.hour),
    ].joined(separator: "\n")

    @Test func anEventBeyondTheFutureSkewIsRefusedPerLine() async throws {
        let environment = try await environment()
        let reply = try await send(environment, "/v1/models/m/predictions", Self.futureAmongCurrent)
        #expect(reply.accepted == 2)
        #expect(reply.rejected.map { $0.int("line") } == [2, 3])
        #expect(reply.rejected.allSatisfy { $0.string("field") == "timestamp" })
        #expect(reply.rejected.first?.string("message")?.contains("server.max_future_skew (1h)") == true)
        #expect(try await count(environment, "SELECT count(*) FROM predictions") == 2)
    }

    @Test func refusedFutureEventsDoNotMakeTheCurrentOnesLate() async throws {
        let environment = try await environment()
        let reply = try await send(environment, "/v1/models/m/predictions", Self.futureAmongCurrent)
        #expect(reply.accepted == 2)
        #expect(reply.late == 0)
    }

    @Test func anEventOlderThanTheRetentionIsRefusedPerLineNamingIt() async throws {
        let environment = try await environment()
        let old = try #require(RFC3339.microseconds("1990-01-01T00:00:00Z"))
        let reply = try await send(
            environment, "/v1/models/m/predictions",
            [Self.line("old", old), Self.line("new", Self.now)].joined(separator: "\n"))
        #expect(reply.accepted == 1)
        #expect(reply.rejected.first?.int("line") == 1)
        #expect(reply.rejected.first?.string("message")?.contains("retention (30d)") == true)
    }

    @Test func linesWithANulOrAnImpossibleYearAreRefusedPerLine() async throws {
        let environment = try await environment()
        let lines = [
            Self.line("good1", Self.now), Self.line("nul\\u0000id", Self.now),
            Self.line("cat", Self.now, c: #""a\u0000b""#),
            #"{"id": "year", "timestamp": "0000-01-01T00:30:00+01:00", "features": {"x": 1}}"#,
            Self.line("good2", Self.now),
        ]
        let reply = try await send(environment, "/v1/models/m/predictions", lines.joined(separator: "\n"))
        #expect(reply.status == .ok)
        #expect(reply.accepted == 2)
        #expect(reply.rejected.map { $0.string("field") } == ["id", "features.c", "timestamp"])
        #expect(try await count(environment, "SELECT count(*) FROM predictions") == 2)
    }

    @Test func aLabelWithANulIdIsRefusedPerLine() async throws {
        let environment = try await environment()
        let body = [#"{"id": "a", "label": "1"}"#, #"{"id": "b\u0000", "label": "1"}"#, #"{"id": "c", "label": "0"}"#]
        let reply = try await send(environment, "/v1/models/m/labels", body.joined(separator: "\n"))
        #expect(reply.accepted == 2)
        #expect(reply.rejected.first?.string("field") == "id")
        #expect(try await count(environment, "SELECT count(*) FROM labels") == 2)
    }

    @Test func oneRequestCreatesAtMostItsShareOfNewDailyPartitions() async throws {
        let environment = try await environment()
        let lines = (0..<400).map { Self.line("d\($0)", Self.now - Int64($0) * Self.day) }
        let before = try await count(environment, "SELECT count(*) FROM pg_class")
        let reply = try await send(environment, "/v1/models/archive/predictions", lines.joined(separator: "\n"))
        #expect(reply.accepted == 31)
        #expect(reply.json.int("rejected_count") == 369)
        #expect(reply.rejected.first?.string("message")?.contains("max_new_partitions_per_request") == true)
        let partitions = try await count(
            environment, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'predictions'::regclass")
        #expect(partitions == 31)
        // Relations per partition (table, its indexes, toast) stay bounded by the cap, not by the lines.
        #expect(try await count(environment, "SELECT count(*) FROM pg_class") - before <= 31 * 8)
    }

    @Test func aJSONArrayBodyOverTheBufferedLimitIs413() async throws {
        let environment = try await environment()
        let body = "[" + (0..<100).map { Self.line("j\($0)", Self.now) }.joined(separator: ",") + "]"
        let reply = try await send(environment, "/v1/models/m/predictions", body, contentType: "application/json")
        #expect(reply.status == .contentTooLarge)
    }

    @Test(arguments: [
        "/v1/models/m/report?from=0000-01-01T00:30:00%2B01:00",
        "/v1/models/m/metrics?metric=volume&to=10000-01-01T00:00:00Z",
    ])
    func aTimeParameterOutsideTheYearsIs400NamingIt(uri: String) async throws {
        let environment = try await environment()
        let reply = try await send(environment, uri, method: .get)
        #expect(reply.status == .badRequest)
        #expect(reply.error.string("field") == (uri.contains("from=") ? "from" : "to"))
    }

    @Test func anInternalErrorAnswersARequestIDAndNoDatabaseText() async throws {
        let environment = try await environment()
        _ = try await environment.pool.withConnection(purpose: "break") {
            try $0.execute(script: "DROP TABLE labels", purpose: "break")
        }
        let reply = try await send(environment, "/v1/models/m/labels", #"{"id": "a", "label": "1"}"#)
        #expect(reply.status == .internalServerError)
        let id = try #require(reply.error.string("request_id"))
        #expect(id.count == 16)
        #expect(!reply.text.contains("labels\""))
        #expect(!reply.text.contains("SQLSTATE"))
        #expect(reply.error.string("message")?.contains(id) == true)
    }

    @Test func aRegisteredModelKeepsItsOwnRetentionAcrossARestart() async throws {
        let clock = TestClock(Self.now)
        let environment = try await environment(clock: clock)
        let put = try await send(
            environment, "/v1/models/registered", method: .put,
            #"{"task": "binary", "features": {"x": "numeric"}, "retention": "3650d"}"#,
            contentType: "application/json")
        #expect(put.status == .ok || put.status == .created, "\(put.text)")
        let old = Self.now - 100 * Self.day
        let reply = try await send(
            environment, "/v1/models/registered/predictions",
            #"{"id": "old", "timestamp": "\#(RFC3339.text(microseconds: old))", "features": {"x": 1}}"#)
        #expect(reply.accepted == 1, "\(reply.text)")
        // A restarted agent: its catalog knows only the configured models until retention reads them.
        let restarted = AgentEnvironment(
            configuration: environment.configuration, pool: environment.pool, tokens: [], clock: { clock.now })
        try await RetentionService(environment: restarted, logger: Logger(label: "t")).enforce(now: Self.now)
        #expect(try await count(environment, "SELECT count(*) FROM predictions WHERE prediction_id = 'old'") == 1)
    }

    /// Retention enforced after a current label and a label and a CloudEvent half 400 days old were stored.
    func retentionOverAgedRows() async throws -> (RetentionService.Report, labelsLeft: Int) {
        let environment = try await environment()
        _ = try await send(environment, "/v1/models/m/labels", #"{"id": "keep", "label": "1"}"#)
        _ = try await environment.pool.withConnection(purpose: "age") { c in
            let id = try #require(try ModelStore.find(name: "m", on: c)?.id)
            try c.execute(
                script: """
                    INSERT INTO labels (model_id, prediction_id, label, label_time)
                    VALUES (\(id), 'old', '1', now() - interval '400 days');
                    INSERT INTO cloudevent_halves (model_id, event_id, half, ce_type, ce_source, received_at)
                    VALUES (\(id), 'old', 'request', 't', 's', now() - interval '400 days');
                    """, purpose: "age")
        }
        let report = try await RetentionService(environment: environment, logger: Logger(label: "t"))
            .enforce(now: WallClock.microseconds())
        return (report, try await count(environment, "SELECT count(*) FROM labels"))
    }

    @Test func labelsOlderThanTheRetentionAreDeleted() async throws {
        let (report, labelsLeft) = try await retentionOverAgedRows()
        #expect(report.deletedLabels == 1)
        #expect(labelsLeft == 1)
    }

    @Test func cloudEventHalvesOlderThanTheRetentionAreDeleted() async throws {
        let (report, _) = try await retentionOverAgedRows()
        #expect(report.deletedCloudEventHalves == 1)
    }

    /// A model whose stored reference this version cannot read, with events in three hours from 5 hours ago:
    /// every pass fails to compute the figures of its first due window. Returns the first hour's start.
    func unreadableReferenceWithTraffic() async throws -> (AgentEnvironment, Int64) {
        let environment = try await environment(
            """
            auth: {enabled: false}
            models:
              m: {task: binary, features: {x: numeric}, window: 1h, allowed_lateness: 0s}
            """)
        let reference = "x,prediction,score\n" + (0..<200).map { "\($0),1,0.5" }.joined(separator: "\n")
        let put = try await send(
            environment, "/v1/models/m/reference", method: .put, reference, contentType: "text/csv")
        #expect(put.status == .ok, "\(put.text)")
        // Stored data this version cannot read: every pass fails to read the reference.
        _ = try await environment.pool.withConnection(purpose: "corrupt") {
            try $0.execute(script: #"UPDATE reference_profiles SET profile = '{"version": 99}'"#, purpose: "corrupt")
        }
        let start = Self.now - 5 * Self.hour
        let lines = (0..<3).flatMap { h in
            (0..<5).map { i in
                #"{"id": "e\#(h)-\#(i)", "timestamp": "\#(RFC3339.text(microseconds: start + Int64(h) * Self.hour + Int64(i) * 60_000_000))", "features": {"x": \#(i)}}"#
            }
        }
        _ = try await send(environment, "/v1/models/m/predictions", lines.joined(separator: "\n"))
        return (environment, start)
    }

    @Test func windowsWhoseFiguresCannotBeComputedAreClosedWithAnErrorFigure() async throws {
        let (environment, start) = try await unreadableReferenceWithTraffic()
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        var closed: [WindowCloser.ClosedWindow] = []
        // Three passes fail on the first window, which is then closed with the error figure; the same for
        // the second (the third is still open: traffic goes on).
        for _ in 0..<6 { closed += await closer.tick() }
        #expect(closed.map(\.start) == [start, start + Self.hour])
        #expect(closed.map(\.events) == [5, 5])
        let errors = try await count(environment, "SELECT count(*) FROM window_metrics WHERE metric = 'window_error'")
        #expect(errors == 2)
    }

    @Test func aDueWindowThatFailsToCloseKeepsTheWindowDueGaugeAtOne() async throws {
        let (environment, _) = try await unreadableReferenceWithTraffic()
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        #expect(await closer.tick().isEmpty)
        let metrics = try await send(environment, "/metrics", method: .get)
        #expect(metrics.text.contains(#"driftwatch_window_due{model="m"} 1"#), "\(metrics.text)")
    }

    @Test func aFarFutureEventStoredEarlierNeverCountsAsTheNewest() async throws {
        let environment = try await environment(
            """
            auth: {enabled: false}
            models:
              m: {task: binary, features: {x: numeric}, window: 1h, allowed_lateness: 5m}
            """)
        let lines = (0..<10).map {
            #"{"id": "n\#($0)", "timestamp": "\#(RFC3339.text(microseconds: Self.now - 2 * Self.hour + Int64($0)))", "features": {"x": 1}}"#
        }
        _ = try await send(environment, "/v1/models/m/predictions", lines.joined(separator: "\n"))
        // Stored before event times were bounded (straight into the store).
        _ = try await environment.pool.withConnection(purpose: "legacy") { c in
            let id = try #require(try ModelStore.find(name: "m", on: c)?.id)
            _ = try PredictionStore.store(
                [
                    PredictionRecord(
                        predictionID: "future", eventTime: RFC3339.range.upperBound - Self.hour, numericFeatures: [1],
                        categoryFeatures: [], prediction: "1", score: nil, scores: nil, latencyMilliseconds: nil,
                        modelVersion: nil)
                ], modelID: id, on: c)
        }
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        let closed = await closer.tick()
        #expect(closed.allSatisfy { $0.end <= Self.now + Self.hour })
        let later = try await send(
            environment, "/v1/models/m/predictions",
            #"{"id": "later", "timestamp": "\#(RFC3339.text(microseconds: Self.now))", "features": {"x": 1}}"#)
        #expect(later.accepted == 1)
        #expect(later.late == 0)
    }
}
