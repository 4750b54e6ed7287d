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

/// Windows end to end through the public API: reference upload, ingest, the window closer, delayed
/// labels, late events, status, Prometheus gauges and restart — with the stored figures checked against
/// the offline computation (`DriftEvaluator` / `ClassificationReport` on the same rows, what
/// `driftwatch drift` and `driftwatch metrics` run).
@Suite struct WindowClosingTests {
    static let yaml = """
        auth:
          tokens: [{env: TEST_TOKEN}]
        defaults:
          retention: 36500d  # fixed-date events stay within retention
          window: 1h
          allowed_lateness: 5m
        models:
          credit:
            task: binary
            features:
              income: numeric
              age: {type: numeric, methods: [ks, psi, wasserstein, jensen_shannon, hellinger]}
              region: categorical
        """
    static let headers: HTTPFields = [.authorization: "Bearer s3cret", .contentType: "application/x-ndjson"]
    static let hour: Int64 = 3_600_000_000
    /// 2026-11-23T08:00:00Z.
    static let eight: Int64 = 1_795_420_800_000_000

    struct Event {
        let id: String
        let time: Int64
        let income: Double
        let age: Double?
        let region: String
        let prediction: String
        let score: Double
        let latency: Double
        let label: String
    }

    /// Seeded events: `count` per hour starting at `start`, income shifted by `shift`.
    static func events(hourStart start: Int64, count: Int, shift: Double, seed: UInt64, prefix: String) -> [Event] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let income = 50_000 + 12_000 * rng.nextGaussian() + shift
            let age = i % 17 == 0 ? nil : Double(20 + Int(rng.nextUniform() * 50))
            let region = ["north", "south", "east", "west"][Int(rng.nextUniform() * (shift > 0 ? 2 : 4))]
            let score = rng.nextUniform()
            return Event(
                id: "\(prefix)\(i)", time: start + Int64(i) * (hour / Int64(count)) + Int64(i % 7), income: income,
                age: age, region: region, prediction: score > 0.5 ? "1" : "0", score: score,
                latency: 2 + rng.nextUniform() * 20, label: rng.nextUniform() < 0.8 ? (score > 0.5 ? "1" : "0") : "1")
        }
    }

    static func ndjson(_ events: [Event]) -> String {
        events.map { e in
            let age = e.age.map { "\($0)" } ?? "null"
            return
                #"{"id": "\#(e.id)", "timestamp": "\#(RFC3339.text(microseconds: e.time))", "features": {"income": \#(e.income), "age": \#(age), "region": "\#(e.region)"}, "prediction": "\#(e.prediction)", "score": \#(e.score), "latency_ms": \#(e.latency)}"#
        }.joined(separator: "\n") + "\n"
    }

    static func csv(_ events: [Event]) -> String {
        "income,age,region,prediction,score\n"
            + events.map { e in
                "\(e.income),\(e.age.map { "\($0)" } ?? ""),\(e.region),\(e.prediction),\(e.score)"
            }.joined(separator: "\n") + "\n"
    }

    static func labels(_ events: [Event]) -> String {
        events.map { #"{"id": "\#($0.id)", "label": "\#($0.label)"}"# }.joined(separator: "\n") + "\n"
    }

    func environment(url: String) async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml, file: "test.yaml")
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"])
    }

    func figures(_ environment: AgentEnvironment, windowStart: Int64) async throws -> [WindowMetricsStore.Row] {
        try await environment.pool.withConnection(purpose: "read") { c in
            guard let id = try ModelStore.find(name: "credit", on: c)?.id else { return [] }
            return try WindowMetricsStore.window(modelID: id, windowStart: windowStart, on: c)
        }
    }

    func value(
        _ rows: [WindowMetricsStore.Row], _ metric: WindowMetric, feature: String = "", method: String = "",
        classLabel: String = ""
    )
        -> WindowMetricsStore.Row?
    {
        rows.first {
            $0.metric == metric && $0.feature == feature && $0.method == method && $0.classLabel == classLabel
        }
    }

    /// The offline comparison of the reference CSV with one window's rows (as `driftwatch drift` runs it).
    func offline(reference: [Event], window: [Event], model: ModelConfiguration) throws -> [ColumnDrift] {
        let schema = ProfileSchema(model: model)
        let options = ReferenceProfile.readOptions(schema: schema)
        let r = try CSVReader.read(bytes: Array(Self.csv(reference).utf8), source: "reference.csv", options: options)
        let c = try CSVReader.read(bytes: Array(Self.csv(window).utf8), source: "window.csv", options: options)
        var columns: [ColumnDrift] = []
        for feature in model.features {
            var o = WindowEvaluator.options(model.drift)
            o.methods = model.methods(for: feature)
            guard let rc = r.column(feature.name), let cc = c.column(feature.name) else { continue }
            columns.append(
                DriftEvaluator.evaluate(
                    name: feature.name, type: feature.type, reference: .from(rc, as: feature.type),
                    current: .from(cc, as: feature.type), options: o))
        }
        _ = DriftEvaluator.conclude(&columns, options: WindowEvaluator.options(model.drift))
        return columns
    }

    /// Two hours of events closed into their windows (the second shifted), after a 3,000-row reference and
    /// 70 % of the first window's labels; with `later`, then the rest of the labels and one late event.
    struct Closed {
        let url: String
        let environment: AgentEnvironment
        let app: Application<RouterResponder<BasicRequestContext>>
        let closer: WindowCloser
        let model: ModelConfiguration
        let reference: [Event]
        let first: [Event]
        let second: [Event]
        let early: [Event]
        let closed: [WindowCloser.ClosedWindow]
        let late: [Event]
    }

    func closedWindows(later: Bool = false) async throws -> Closed {
        let url = try TestCluster.createDatabase(prefix: "windows")
        let environment = try await environment(url: url)
        let model = try #require(environment.configuration.model("credit"))
        let reference = Self.events(hourStart: Self.eight - 24 * Self.hour, count: 3000, shift: 0, seed: 1, prefix: "r")
        let first = Self.events(hourStart: Self.eight, count: 1500, shift: 0, seed: 2, prefix: "a")
        let second = Self.events(hourStart: Self.eight + Self.hour, count: 1200, shift: 9000, seed: 3, prefix: "b")
        // One event at 10:10 moves event time past 09:00–10:00 plus the 5 minutes of lateness.
        let pusher = Self.events(
            hourStart: Self.eight + 2 * Self.hour + 600_000_000, count: 1, shift: 0, seed: 4, prefix: "c")
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "test"))
        let early = Array(first.prefix(1050))
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/reference?source=train", method: .put,
                headers: [.authorization: "Bearer s3cret", .contentType: "text/csv"],
                body: ByteBuffer(string: Self.csv(reference))
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""rows":3000"#))
            }
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.headers,
                body: ByteBuffer(string: Self.ndjson(first + second + pusher))
            ) { #expect($0.status == .ok) }
            // 70 % of the first window's labels arrive before it closes.
            try await client.execute(
                uri: "/v1/models/credit/labels", method: .post, headers: Self.headers,
                body: ByteBuffer(string: Self.labels(early))
            ) { #expect($0.status == .ok) }
        }
        let closed = await closer.tick()
        // The rest of the labels arrive later, and one late event for 08:30.
        let late = Self.events(hourStart: Self.eight + Self.hour / 2, count: 1, shift: 0, seed: 5, prefix: "late")
        if later {
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/models/credit/labels", method: .post, headers: Self.headers,
                    body: ByteBuffer(string: Self.labels(Array(first.dropFirst(1050))))
                ) { #expect($0.status == .ok) }
                try await client.execute(
                    uri: "/v1/models/credit/predictions", method: .post, headers: Self.headers,
                    body: ByteBuffer(string: Self.ndjson(late))
                ) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""late":1"#))
                }
            }
            #expect(await closer.tick().isEmpty)
        }
        return Closed(
            url: url, environment: environment, app: app, closer: closer, model: model, reference: reference,
            first: first, second: second, early: early, closed: closed, late: late)
    }

    @Test func closedWindowsEqualTheOfflineDriftFigures() async throws {
        let c = try await closedWindows()
        let (environment, model, reference, first, second) = (c.environment, c.model, c.reference, c.first, c.second)
        #expect(c.closed.map(\.start) == [Self.eight, Self.eight + Self.hour])
        #expect(c.closed.map(\.events) == [1500, 1200])
        // Drift figures equal the offline comparison, exactly.
        for (start, window, drifted) in [(Self.eight, first, false), (Self.eight + Self.hour, second, true)] {
            let rows = try await figures(environment, windowStart: start)
            #expect(value(rows, "volume")?.value == Double(window.count))
            let expected = try offline(reference: reference, window: window, model: model)
            #expect(expected.count == 3)
            for column in expected {
                for test in column.tests {
                    let stored = value(rows, "drift_statistic", feature: column.name, method: test.method.rawValue)
                    #expect(stored?.value == test.statistic, "\(column.name) \(test.method)")
                    #expect(stored?.drift == test.drift)
                    if let p = test.pValue {
                        #expect(
                            value(rows, "p_value", feature: column.name, method: test.method.rawValue)?.value == p)
                    }
                }
            }
            let ratio = value(rows, "drifted_feature_ratio")
            #expect(ratio?.value == Double(expected.filter(\.drift).count) / Double(expected.count))
            #expect(ratio?.drift == drifted)
            #expect(
                value(rows, "missing_rate", feature: "age")?.value
                    == Double(window.filter { $0.age == nil }.count) / Double(window.count))
            // Latency quantiles from the histogram: within its 3 significant digits of the exact ones.
            let sorted = window.map(\.latency).sorted()
            let p95 = try #require(value(rows, "latency_p95")?.value)
            let exact = sorted[Int((0.95 * Double(sorted.count)).rounded(.up)) - 1]
            #expect(abs(p95 - exact) <= exact * 1e-3 + 1e-3)
            // The score (output) column is compared too.
            #expect(value(rows, "drift_statistic", feature: "score", method: "ks") != nil)
        }
        await environment.pool.close()
    }

    /// Realized performance of the first window when it closed: the 70 % labelled so far, as scikit-learn
    /// computes it.
    @Test func aClosedWindowsPerformanceIsThatOfTheLabelsSoFar() async throws {
        let c = try await closedWindows()
        let (environment, early) = (c.environment, c.early)
        let rows = try await figures(environment, windowStart: Self.eight)
        let report = try ClassificationReport(truth: early.map(\.label), predicted: early.map(\.prediction))
        #expect(value(rows, "label_coverage")?.value == 0.7)
        #expect(value(rows, "f1", classLabel: "1")?.value == report.metrics(for: "1")?.f1)
        #expect(value(rows, "f1", method: "macro")?.value == report.macroAverage.f1)
        #expect(value(rows, "accuracy")?.value == report.accuracy)
        #expect(value(rows, "accuracy")?.labelCoverage == 0.7)
        await environment.pool.close()
    }

    /// The rest of the labels and a late event reach the closed window: its performance is recomputed and the
    /// event counted late; its drift figures do not move.
    @Test func lateDataUpdatesAClosedWindowsPerformanceOnly() async throws {
        let c = try await closedWindows(later: true)
        let (environment, first, late) = (c.environment, c.first, c.late)
        let rows = try await figures(environment, windowStart: Self.eight)
        let labelled = first + late
        let report = try ClassificationReport(truth: first.map(\.label), predicted: first.map(\.prediction))
        #expect(value(rows, "f1", classLabel: "1")?.value == report.metrics(for: "1")?.f1)
        #expect(value(rows, "label_coverage")?.value == Double(first.count) / Double(labelled.count))
        #expect(value(rows, "late_events")?.value == 1)
        // The closed figures did not move.
        #expect(value(rows, "volume")?.value == 1500)
        await environment.pool.close()
    }

    @Test func theLatestWindowsArePublished() async throws {
        let c = try await closedWindows(later: true)
        let (environment, app) = (c.environment, c.app)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/status", method: .get, headers: [.authorization: "Bearer s3cret"]
            ) { response in
                #expect(response.status == .ok)
                let body = try JSONObject(parsing: String(buffer: response.body))
                let last = try #require(body.object("last_closed_window"))
                #expect(last.string("start") == "2026-11-23T09:00:00Z")
                #expect(last.bool("drift") == true)
                let current = try #require(body.object("current_window"))
                #expect(current.string("start") == "2026-11-23T10:00:00Z")
                #expect(current.int("events") == 1)
                #expect(body.object("reference")?.string("source") == "upload:train")
            }
            try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer s3cret"]) {
                response in
                let text = String(buffer: response.body)
                #expect(
                    text.contains(#"driftwatch_feature_drift_statistic{model="credit",feature="income",method="ks"}"#))
                #expect(text.contains(#"driftwatch_drifted_feature_ratio{model="credit"}"#))
                #expect(text.contains(#"driftwatch_ingest_late_events_total{model="credit"} 1"#))
                #expect(text.contains("driftwatch_db_pool_waiting_tasks 0"), "\(text)")
            }
        }
        await environment.pool.close()
    }

    /// A restarted agent (new process state, same database) continues: nothing closes twice, and the next
    /// window closes when due.
    @Test func aRestartedAgentClosesOnlyTheWindowsStillDue() async throws {
        let c = try await closedWindows(later: true)
        await c.environment.pool.close()
        let url = c.url
        let restarted = try await self.environment(url: url)
        let next = Self.events(hourStart: Self.eight + 3 * Self.hour, count: 10, shift: 0, seed: 6, prefix: "d")
        try await Application(router: buildRouter(restarted)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: Self.headers,
                body: ByteBuffer(string: Self.ndjson(next))
            ) { #expect($0.status == .ok) }
        }
        let again = await WindowCloser(environment: restarted, interval: .seconds(1), logger: Logger(label: "test"))
            .tick()
        #expect(again.map(\.start) == [Self.eight + 2 * Self.hour])
        #expect(again.map(\.events) == [1])
        let profiles = try await restarted.pool.withConnection(purpose: "count") {
            try $0.query("SELECT count(*) FROM window_profiles WHERE closed", purpose: "count").scalar(
                Int.self, purpose: "count")
        }
        #expect(profiles == 3)
        await restarted.pool.close()
    }

    @Test func aReferenceMissingAFeatureIsRefusedWithTheColumnNamed() async throws {
        let environment = try await environment(url: try TestCluster.createDatabase(prefix: "windows"))
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/reference", method: .put,
                headers: [.authorization: "Bearer s3cret", .contentType: "text/csv"],
                body: ByteBuffer(string: "income,region\n1.5,north\n")
            ) { response in
                #expect(response.status == .badRequest)
                let text = String(buffer: response.body)
                #expect(text.contains(#""code":"invalid_reference""#))
                #expect(text.contains(#""field":"age""#))
            }
            try await client.execute(
                uri: "/v1/models/credit/reference", method: .get, headers: [.authorization: "Bearer s3cret"]
            ) { #expect($0.status == .notFound) }
        }
        await environment.pool.close()
    }
}

/// Count windows, a reference taken from the first logged events, and regression performance.
@Suite struct CountWindowTests {
    static let yaml = """
        auth: {enabled: false}
        defaults: {retention: 36500d}  # fixed-date events stay within retention
        models:
          price:
            task: regression
            features: {size: numeric, city: categorical}
            window: 400
            allowed_lateness: 0s
            reference: {first_events: 1000}
        """

    static let start: Int64 = 1_795_420_800_000_000

    /// 2,100 events one second apart (sizes shift from event 1,000 on), half of events 1,200…1,599 labelled,
    /// closed into windows of 400; the pool, the closed windows, and the (actual, predicted) labelled pairs.
    func closedCountWindows() async throws -> (PostgresPool, [WindowCloser.ClosedWindow], [(Double, Double)]) {
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "count")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        var rng = SplitMix64(seed: 9)
        let start = Self.start
        var lines: [String] = []
        var labels: [String] = []
        var pairs: [(Double, Double)] = []
        for i in 0..<2_100 {
            let size = 80 + 30 * rng.nextGaussian() + (i >= 1_000 ? 25 : 0)
            let predicted = 3 * size + 10
            let actual = predicted + 20 * rng.nextGaussian()
            let time = RFC3339.text(microseconds: start + Int64(i) * 1_000_000)
            lines.append(
                #"{"id": "e\#(i)", "timestamp": "\#(time)", "features": {"size": \#(size), "city": "c\#(i % 3)"}, "prediction": \#(predicted), "latency_ms": 4}"#
            )
            if i >= 1_200 && i < 1_600 && i % 2 == 0 {
                labels.append(#"{"id": "e\#(i)", "value": \#(actual)}"#)
                pairs.append((actual, predicted))
            }
        }
        let predictionBody = ByteBuffer(string: lines.joined(separator: "\n"))
        let labelBody = ByteBuffer(string: labels.joined(separator: "\n"))
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/price/predictions", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: predictionBody
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/v1/models/price/labels", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: labelBody
            ) { #expect($0.status == .ok) }
        }
        let closed = await WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
            .tick()
        return (pool, closed, pairs)
    }

    /// The figures of the window of events 1,200…1,599 and the model's reference source.
    func thirdWindow(_ pool: PostgresPool) async throws -> (String?, [WindowMetricsStore.Row]) {
        let start = Self.start
        return try await pool.withConnection(purpose: "read") { c in
            let id = try #require(try ModelStore.find(name: "price", on: c)?.id)
            return (
                try ReferenceStore.current(modelID: id, on: c)?.source,
                try WindowMetricsStore.window(modelID: id, windowStart: start + 1_199 * 1_000_000 + 1, on: c)
            )
        }
    }

    @Test func countWindowsCloseWhenFull() async throws {
        let (pool, closed, _) = try await closedCountWindows()
        let start = Self.start
        // 2,100 events: five full windows of 400; the last 100 stay open.
        #expect(closed.map(\.events) == [400, 400, 400, 400, 400])
        #expect(closed.first?.start == start)
        // Each window starts where the previous ended (just after its last event).
        #expect(closed.dropFirst().first?.start == start + 399 * 1_000_000 + 1)
        #expect(closed.last?.end == start + 1_999 * 1_000_000 + 1)
        await pool.close()
    }

    @Test func aFirstEventsReferenceIsTheModelsFirstEvents() async throws {
        let (pool, _, _) = try await closedCountWindows()
        let (source, rows) = try await thirdWindow(pool)
        #expect(source == "first_events:1000")
        // The window of events 1200…1599: shifted sizes.
        let ks = rows.first { $0.metric == "p_value" && $0.feature == "size" && $0.method == "ks" }
        #expect(ks?.drift == true)
        await pool.close()
    }

    @Test func aRegressionWindowCarriesTheErrorsOfItsLabelledEvents() async throws {
        let (pool, _, pairs) = try await closedCountWindows()
        let (_, rows) = try await thirdWindow(pool)
        let regression = try RegressionMetrics(actual: pairs.map(\.0), predicted: pairs.map(\.1))
        #expect(rows.first { $0.metric == "mae" }?.value == regression.meanAbsoluteError)
        #expect(rows.first { $0.metric == "rmse" }?.value == regression.rootMeanSquaredError)
        #expect(rows.first { $0.metric == "label_coverage" }?.value == 0.5)
        #expect(rows.first { $0.metric == "drift_statistic" && $0.feature == "prediction" } != nil)
        await pool.close()
    }
}

/// Windows closing while several requests ingest out of event-time order: every stored event is either in
/// its window's figures or counted late there — never both, never neither.
@Suite struct LateEventTests {
    @Test func everyEventIsInItsWindowOrCountedLateExactlyOnce() async throws {
        let yaml = """
            auth: {enabled: false}
            defaults: {retention: 36500d}  # fixed-date events stay within retention
            models:
              busy: {task: binary, features: {x: numeric}, window: 10m, allowed_lateness: 1s}
            """
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "late")), size: 6)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        let start: Int64 = 1_795_420_800_000_000
        // Three senders, each walking its own stretch of an hour of event time, in requests of 500 events.
        let senders = 3
        let perSender = 6_000
        let replies = try await Application(router: buildRouter(environment)).test(.router) { client in
            // The model's first event comes first, so its first window starts at 08:00 (late events before a
            // model's first window belong to no window; they are counted in replies and Prometheus only).
            try await client.execute(
                uri: "/v1/models/busy/predictions", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(
                    string:
                        #"{"id": "first", "timestamp": "\#(RFC3339.text(microseconds: start))", "features": {"x": 0}}"#)
            ) { #expect($0.status == .ok) }
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for s in 0..<senders {
                    group.addTask {
                        var late = 0
                        for chunk in stride(from: 0, to: perSender, by: 500) {
                            let lines = (chunk..<chunk + 500).map { i -> String in
                                let k = s * perSender + i
                                let time = start + Int64(k) * 3_600_000_000 / Int64(senders * perSender)
                                return
                                    #"{"id": "e\#(k)", "timestamp": "\#(RFC3339.text(microseconds: time))", "features": {"x": \#(k)}}"#
                            }
                            try await client.execute(
                                uri: "/v1/models/busy/predictions", method: .post,
                                headers: [.contentType: "application/x-ndjson"],
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
                group.addTask {
                    for _ in 0..<40 {
                        _ = await closer.tick()
                        await Task.yield()
                    }
                    return 0
                }
                return try await group.reduce(0, +)
            }
        }
        _ = await closer.tick()
        let check = try await Self.lateCheck(pool)
        #expect(check.0 >= 5)
        #expect(check.1 == 0)
        // What the replies called late is what the windows count as late.
        #expect(check.2 == replies)
        await pool.close()
    }

    /// Per closed window, whether its events counted at close plus its `late_events` equal the events stored
    /// in it now: (closed windows, mismatched windows, late events counted).
    static func lateCheck(_ pool: PostgresPool) async throws -> (Int, Int, Int) {
        try await pool.withConnection(purpose: "check") { c -> (Int, Int, Int) in
            let rows = try c.query(
                """
                SELECT w.event_count,
                       coalesce((SELECT value FROM window_metrics m WHERE m.model_id = w.model_id
                                 AND m.window_start = w.window_start AND m.metric = 'late_events'), 0)::int8,
                       (SELECT count(*) FROM predictions p WHERE p.model_id = w.model_id
                            AND p.event_time >= w.window_start AND p.event_time < w.window_end)
                FROM window_profiles w WHERE w.closed ORDER BY w.window_start
                """, purpose: "check")
            var mismatched = 0
            var late = 0
            for r in 0..<rows.count {
                let counted = try rows.value(r, 0, as: Int.self, purpose: "c") ?? 0
                let lateHere = try rows.value(r, 1, as: Int.self, purpose: "c") ?? 0
                let stored = try rows.value(r, 2, as: Int.self, purpose: "c") ?? 0
                if counted + lateHere != stored { mismatched += 1 }
                late += lateHere
            }
            return (rows.count, mismatched, late)
        }
    }
}
