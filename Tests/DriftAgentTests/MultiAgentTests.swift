import DriftAgent
import DriftConfig
import DriftCore
import DriftStats
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

/// Several agents on one database: any agent takes any event, one leader closes windows, and the stored
/// figures are those of one agent receiving everything; "late" stays exact across agents.
@Suite struct MultiAgentTests {
    typealias Event = WindowClosingTests.Event
    static let hour = WindowClosingTests.hour
    static let eight = WindowClosingTests.eight

    /// An agent's own state (pool, registry, catalog, closer) on the database at `url`.
    struct Agent {
        let environment: AgentEnvironment
        let closer: WindowCloser
        let app: Application<RouterResponder<BasicRequestContext>>

        init(url: String, electLeader: Bool) async throws {
            let configuration = try ConfigurationLoader.load(yaml: WindowClosingTests.yaml, file: "test.yaml")
            let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 4)
            try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
            environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"])
            closer = WindowCloser(
                environment: environment, interval: .seconds(1), logger: Logger(label: "test"),
                electLeader: electLeader)
            app = Application(router: buildRouter(environment))
        }

        func post(
            _ path: String, _ body: String, contentType: String = "application/x-ndjson",
            method: HTTPRequest.Method = .post
        ) async throws {
            try await app.test(.router) { client in
                try await client.execute(
                    uri: path, method: method,
                    headers: [.authorization: "Bearer s3cret", .contentType: contentType],
                    body: ByteBuffer(string: body)
                ) { #expect($0.status == .ok, "\(String(buffer: $0.body))") }
            }
        }

        /// Posts events in requests of 250.
        func send(_ events: [Event]) async throws {
            for start in stride(from: 0, to: events.count, by: 250) {
                let chunk = Array(events[start..<min(start + 250, events.count)])
                try await post("/v1/models/credit/predictions", WindowClosingTests.ndjson(chunk))
            }
        }

        /// Every closed window's figures, as comparable text lines.
        func figures() async throws -> [String] {
            try await environment.pool.withConnection(purpose: "read") { c in
                try c.query(
                    """
                    SELECT window_start, metric, feature, class_label, method, value, threshold, drift, label_coverage
                    FROM window_metrics ORDER BY 1, 2, 3, 4, 5
                    """, purpose: "read"
                ).rows.map { $0.map { $0 ?? "∅" }.joined(separator: " ") }
            }
        }
    }

    @Test func twoAgentsSplittingAStreamComputeWhatOneAgentComputesAcrossALeaderChange() async throws {
        let shared = try TestCluster.createDatabase(prefix: "multi_two")
        let a = try await Agent(url: shared, electLeader: true)
        let b = try await Agent(url: shared, electLeader: true)
        let single = try await Agent(url: try TestCluster.createDatabase(prefix: "multi_one"), electLeader: true)
        let reference = WindowClosingTests.events(
            hourStart: Self.eight - 24 * Self.hour, count: 2000, shift: 0, seed: 1, prefix: "r")
        for agent in [a, single] {
            try await agent.post(
                "/v1/models/credit/reference?source=train", WindowClosingTests.csv(reference), contentType: "text/csv",
                method: .put)
        }
        // One leader among the two; the single agent leads its own database.
        let leads = (await a.closer.leads(), await b.closer.leads())
        #expect(leads.0 != leads.1)
        let (leader, follower) = leads.0 ? (a, b) : (b, a)
        var rng = SplitMix64(seed: 42)
        var all: [Event] = []
        for hour in 0..<5 {
            let events = WindowClosingTests.events(
                hourStart: Self.eight + Int64(hour) * Self.hour, count: 900, shift: hour >= 2 ? 8000 : 0,
                seed: UInt64(10 + hour), prefix: "h\(hour)-")
            all += events
            var toA: [Event] = []
            var toB: [Event] = []
            for e in events { if rng.next() % 2 == 0 { toA.append(e) } else { toB.append(e) } }
            // The two agents take their shares at the same time; the single agent takes everything.
            async let sentA: Void = a.send(toA)
            async let sentB: Void = b.send(toB)
            _ = try await (sentA, sentB)
            try await single.send(events)
            if hour == 3 {
                // The leader goes away: the other agent takes over at a next pass (once the server has ended
                // the leader's session).
                await leader.closer.resign()
                var took = false
                for _ in 0..<1200 where !took {  // at most a minute
                    took = await follower.closer.leads()
                    if !took { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(took)
            }
            async let closedA = a.closer.tick()
            async let closedB = b.closer.tick()
            let closed = await (closedA, closedB)
            _ = await single.closer.tick()
            if hour >= 1 { #expect(closed.0.count + closed.1.count == 1, "hour \(hour)") }
            #expect(closed.0.isEmpty || closed.1.isEmpty)
        }
        // Labels through either agent; the leader refreshes performance.
        let labelled = all.filter { $0.time < Self.eight + 2 * Self.hour }
        try await follower.post("/v1/models/credit/labels", WindowClosingTests.labels(labelled))
        try await single.post("/v1/models/credit/labels", WindowClosingTests.labels(labelled))
        _ = await a.closer.tick()
        _ = await b.closer.tick()
        _ = await single.closer.tick()
        let two = try await a.figures()
        let one = try await single.figures()
        #expect(two.count > 50)
        #expect(two == one)
        for agent in [a, b, single] { await agent.environment.pool.close() }
    }

    @Test func lateCountsStayExactUnderConcurrentIngestOnTwoAgents() async throws {
        let shared = try TestCluster.createDatabase(prefix: "multi_late")
        let agents = [try await Agent(url: shared, electLeader: true), try await Agent(url: shared, electLeader: true)]
        let start = Self.eight
        // The model's first event first, so its first window starts at 08:00.
        try await agents[0].post(
            "/v1/models/credit/predictions",
            #"{"id": "first", "timestamp": "\#(RFC3339.text(microseconds: start))", "features": {"income": 1, "age": 2, "region": "north"}}"#
        )
        let perSender = 4_000
        let late = try await withThrowingTaskGroup(of: Int.self) { group in
            for s in 0..<4 {
                let agent = agents[s % 2]
                group.addTask {
                    try await agent.app.test(.router) { client in
                        var late = 0
                        for chunk in stride(from: 0, to: perSender, by: 400) {
                            let lines = (chunk..<chunk + 400).map { i -> String in
                                let k = s * perSender + i
                                // Each sender walks its own stretch of three hours of event time.
                                let time = start + Int64(k) * 3 * Self.hour / Int64(4 * perSender)
                                return
                                    #"{"id": "e\#(k)", "timestamp": "\#(RFC3339.text(microseconds: time))", "features": {"income": \#(k), "age": 30, "region": "east"}}"#
                            }
                            try await client.execute(
                                uri: "/v1/models/credit/predictions", method: .post,
                                headers: [.authorization: "Bearer s3cret", .contentType: "application/x-ndjson"],
                                body: ByteBuffer(string: lines.joined(separator: "\n"))
                            ) { response in
                                let text = String(buffer: response.body)
                                if let range = text.range(of: #""late":"#) {
                                    late += Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
                                }
                            }
                        }
                        return late
                    }
                }
            }
            // Both closers tick all along; only the leader closes.
            for agent in agents {
                group.addTask {
                    for _ in 0..<30 {
                        _ = await agent.closer.tick()
                        await Task.yield()
                    }
                    return 0
                }
            }
            return try await group.reduce(0, +)
        }
        for agent in agents { _ = await agent.closer.tick() }
        let check = try await LateEventTests.lateCheck(agents[0].environment.pool)
        #expect(check.0 >= 2)
        #expect(check.1 == 0)
        #expect(check.2 == late)
        // Senders further ahead in event time close the windows of those behind: some events are late.
        #expect(late > 0)
        for agent in agents { await agent.environment.pool.close() }
    }
}
