import DriftConfig
import DriftCore
import DriftStats
import DriftStore
import DriftTables
import DriftTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

@testable import DriftAgent

/// A classifier's realized performance kept as counts (`LabelCounts`): each closed window is counted once,
/// then labels, corrections and late events move its cells — always equal to a `GROUP BY` over its rows.
@Suite struct LabelCountingTests {
    static let yaml = """
        auth: {enabled: false}
        defaults:
          retention: 36500d
          window: 1m
          allowed_lateness: 1s
        models:
          clf:
            task: multiclass
            features: {x: numeric}
          bin:
            task: binary
            features: {x: numeric}
        """
    static let minute: Int64 = 60_000_000
    /// 2026-11-23T08:00:00Z.
    static let start: Int64 = 1_795_420_800_000_000
    static let windows = 100
    static let perWindow = 10

    /// The id, event time (µs), prediction and true class of event `i` of window `w`.
    struct Event {
        let id: String
        let time: Int64
        let prediction: String
        let label: String
        var score: Double? = nil
    }

    /// Three classes for `clf`; for `bin`, classes 0 and 1 with the positive class's score (a few scores
    /// share a bin of the 10,000-bin grid: they are rounded to 1/20,000).
    static func events(model: String) -> [Event] {
        var rng = SplitMix64(seed: 17)
        let classes = model == "bin" ? ["0", "1"] : ["a", "b", "c"]
        return (0..<windows).flatMap { w in
            (0..<perWindow).map { i in
                let truth = classes[Int(rng.nextUniform() * Double(classes.count)) % classes.count]
                let noise = rng.nextUniform()
                let score = ((truth == "1" ? 0.3 : 0) + 0.7 * noise) * 20_000
                let prediction = rng.nextUniform() < 0.7 ? truth : classes[Int(noise * 3) % classes.count]
                return Event(
                    id: "w\(w)-\(i)", time: start + Int64(w) * minute + Int64(i) * 1_000_000, prediction: prediction,
                    label: truth, score: model == "bin" ? score.rounded() / 20_000 : nil)
            }
        }
    }

    static func ndjson(_ events: [Event]) -> String {
        events.map {
            #"{"id": "\#($0.id)", "timestamp": "\#(RFC3339.text(microseconds: $0.time))", "features": {"x": 1}, "#
                + #""prediction": "\#($0.prediction)""# + ($0.score.map { #", "score": \#($0)"# } ?? "") + "}"
        }.joined(separator: "\n") + "\n"
    }

    static func labels(_ pairs: [(String, String)]) -> String {
        pairs.map { #"{"id": "\#($0.0)", "label": "\#($0.1)"}"# }.joined(separator: "\n") + "\n"
    }

    /// 100 one-minute windows of 10 events, half of them labelled, all closed (one later event pushes event
    /// time past the last).
    struct Counted {
        let environment: AgentEnvironment
        let app: Application<RouterResponder<BasicRequestContext>>
        let closer: WindowCloser
        let model: ModelConfiguration
        let modelID: Int64
        let events: [Event]
    }

    func counted(model name: String = "clf") async throws -> Counted {
        let url = try TestCluster.createDatabase(prefix: "labelcounts")
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml, file: "test.yaml")
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        let events = Self.events(model: name)
        let pusher = Event(
            id: "pusher", time: Self.start + Int64(Self.windows + 1) * Self.minute, prediction: "a", label: "a")
        let app = Application(router: buildRouter(environment))
        try await post(app, "predictions", Self.ndjson(events + [pusher]), model: name)
        let early = events.enumerated().filter { $0.offset % 2 == 0 }.map { ($0.element.id, $0.element.label) }
        try await post(app, "labels", Self.labels(early), model: name)
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "test"))
        var closed = 0
        while case let batch = await closer.tick(), !batch.isEmpty { closed += batch.count }
        #expect(closed >= Self.windows)
        let model = try #require(configuration.model(name))
        let modelID = try #require(
            try await pool.withConnection(purpose: "find") { try ModelStore.find(name: name, on: $0)?.id })
        return Counted(
            environment: environment, app: app, closer: closer, model: model, modelID: modelID, events: events)
    }

    func post(
        _ app: Application<RouterResponder<BasicRequestContext>>, _ kind: String, _ body: String, model: String = "clf"
    ) async throws {
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/\(model)/\(kind)", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: body)
            ) { #expect($0.status == .ok) }
        }
    }

    /// The non-empty cells of window `w`: as counted, and as a `GROUP BY` over its rows gives them.
    func cells(_ c: Counted, window w: Int) async throws -> (counted: [String], grouped: [String]) {
        let from = Self.start + Int64(w) * Self.minute
        return try await c.environment.pool.withConnection(purpose: "read cells") { connection in
            let purpose = "read cells"
            let rows = try connection.query(
                """
                SELECT coalesce(label, '-') || '/' || coalesce(prediction, '-') || '=' || count FROM window_label_counts
                WHERE model_id = $1 AND window_start = $2::timestamptz AND count > 0 ORDER BY 1
                """, [.int(Int(c.modelID)), .string(PostgresTimestamp.text(microseconds: from))], purpose: purpose)
            let counted = try (0..<rows.count).compactMap { try rows.value($0, 0, as: String.self, purpose: purpose) }
            let grouped = try LabelStore.confusionCells(
                modelID: c.modelID, from: from, to: from + Self.minute, on: connection
            ).map { "\($0.label ?? "-")/\($0.prediction ?? "-")=\($0.count)" }.sorted()
            return (counted, grouped)
        }
    }

    @Test func everyClosedWindowIsCountedAsItsRowsGroupBy() async throws {
        let c = try await counted()
        for w in [0, 41, 99] {
            let (counted, grouped) = try await cells(c, window: w)
            #expect(!counted.isEmpty)
            #expect(counted == grouped)
        }
    }

    @Test func aTrickleOfLabelsIntoClosedWindowsReadsNoWindowAgain() async throws {
        let c = try await counted()
        let trickle = [3, 27, 50, 71, 98].map { w in c.events[w * Self.perWindow + 1] }
        try await post(c.app, "labels", Self.labels(trickle.map { ($0.id, $0.label) }))
        let refresh = try await c.closer.refreshPerformance(c.model, c.modelID)
        #expect(refresh == WindowCloser.PerformanceRefresh(windowsCounted: 0, predictionsRead: 0, windowsUpdated: 5))
        let (counted, grouped) = try await cells(c, window: 27)
        #expect(counted == grouped)
    }

    @Test func aLabelCorrectedAfterItsWindowClosedMovesOneCell() async throws {
        let c = try await counted()
        let event = c.events[12 * Self.perWindow]  // labelled before the close
        let other = event.label == "a" ? "b" : "a"
        let before = try await cells(c, window: 12).counted
        try await post(c.app, "labels", Self.labels([(event.id, other)]))
        try await c.closer.refreshPerformance(c.model, c.modelID)
        let (after, grouped) = try await cells(c, window: 12)
        #expect(after == grouped)
        #expect(Set(after).symmetricDifference(before).count <= 4)
        #expect(after != before)
    }

    @Test func aCorrectedLabelsFiguresEqualAFullRecompute() async throws {
        let c = try await counted()
        let event = c.events[12 * Self.perWindow]
        try await post(c.app, "labels", Self.labels([(event.id, event.label == "c" ? "a" : "c")]))
        try await c.closer.refreshPerformance(c.model, c.modelID)
        let from = Self.start + 12 * Self.minute
        let (stored, recomputed) = try await c.environment.pool.withConnection(purpose: "read") { connection in
            (
                try WindowMetricsStore.window(modelID: c.modelID, windowStart: from, on: connection),
                try WindowCloser.performance(c.model, c.modelID, start: from, end: from + Self.minute, on: connection)
            )
        }
        for figure in recomputed {
            let row = stored.first {
                $0.metric == figure.metric && $0.classLabel == figure.classLabel && $0.method == figure.method
            }
            #expect(row?.value == figure.value, "\(figure.metric) \(figure.classLabel) \(figure.method)")
        }
    }

    @Test func aLateEventWhoseLabelCameFirstIsCountedInItsWindow() async throws {
        let c = try await counted()
        let late = Event(id: "late", time: Self.start + 7 * Self.minute + 30_000_000, prediction: "b", label: "c")
        try await post(c.app, "labels", Self.labels([(late.id, late.label)]))
        try await post(c.app, "predictions", Self.ndjson([late]))
        _ = await c.closer.tick()
        let (counted, grouped) = try await cells(c, window: 7)
        #expect(counted.contains { $0.hasPrefix("c/b=") })
        #expect(counted == grouped)
    }

    @Test func aWindowClosedBeforeCountsExistedIsCountedWhenALabelReachesIt() async throws {
        let c = try await counted()
        let from = PostgresTimestamp.text(microseconds: Self.start + 30 * Self.minute)
        try await c.environment.pool.withConnection(purpose: "as before version 8") { connection in
            try connection.execute(
                script: """
                    DELETE FROM window_label_counts WHERE window_start = '\(from)';
                    UPDATE label_counted_windows SET counted = false, dirty = false WHERE window_start = '\(from)';
                    """, purpose: "as before version 8")
        }
        let event = c.events[30 * Self.perWindow + 1]
        try await post(c.app, "labels", Self.labels([(event.id, event.label)]))
        let refresh = try await c.closer.refreshPerformance(c.model, c.modelID)
        #expect(refresh == WindowCloser.PerformanceRefresh(windowsCounted: 1, predictionsRead: 10, windowsUpdated: 1))
        let (counted, grouped) = try await cells(c, window: 30)
        #expect(counted == grouped)
    }

    /// Window `w`'s stored figures, and its labelled events (every event labelled by then).
    func scored(_ c: Counted, window w: Int) async throws -> ([WindowMetricsStore.Row], [Event]) {
        let rest = c.events.enumerated().filter { $0.offset % 2 == 1 }.map { ($0.element.id, $0.element.label) }
        try await post(c.app, "labels", Self.labels(rest), model: "bin")
        try await c.closer.refreshPerformance(c.model, c.modelID)
        let from = Self.start + Int64(w) * Self.minute
        let rows = try await c.environment.pool.withConnection(purpose: "read") {
            try WindowMetricsStore.window(modelID: c.modelID, windowStart: from, on: $0)
        }
        return (rows, Array(c.events[(w * Self.perWindow)..<((w + 1) * Self.perWindow)]))
    }

    @Test func aBinaryWindowsROCAUCIsTheExactOneWithinItsBound() async throws {
        let c = try await counted(model: "bin")
        let (rows, events) = try await scored(c, window: 44)
        let exact = try #require(
            try ROCAUC.binary(truth: events.map(\.label), scores: events.map { $0.score ?? 0 }, positiveLabel: "1"))
        let auc = try #require(rows.first { $0.metric == .rocAUC }?.value)
        let bound = try #require(rows.first { $0.metric == .rocAUCBound }?.value)
        #expect(abs(auc - exact) <= bound)
    }

    @Test func aBinaryWindowsLogLossIsScikitLearns() async throws {
        let c = try await counted(model: "bin")
        let (rows, events) = try await scored(c, window: 44)
        let exact = try #require(
            try LogLoss.binary(
                truth: events.map(\.label), positiveScores: events.map { $0.score ?? 0 }, positiveLabel: "1"))
        let loss = try #require(rows.first { $0.metric == .logLoss }?.value)
        #expect(abs(loss - exact) <= 1e-12 * exact)
    }

    /// The score cells after a correction, and after the same window is counted again from its rows.
    @Test func aCorrectedLabelMovesTheScoreCellsToWhatARecountGives() async throws {
        let c = try await counted(model: "bin")
        let event = c.events[12 * Self.perWindow]
        try await post(c.app, "labels", Self.labels([(event.id, event.label == "1" ? "0" : "1")]), model: "bin")
        let from = Self.start + 12 * Self.minute
        let read = """
            SELECT string_agg(label || '/' || coalesce(score_bin::text, '-') || '=' || count || ':' || loss_if_positive
                              || ':' || loss_if_negative, ' ' ORDER BY label, score_bin)
            FROM window_score_counts WHERE model_id = $1 AND window_start = $2::timestamptz AND count <> 0
            """
        let parameters: [PostgresParameter] = [
            .int(Int(c.modelID)), .string(PostgresTimestamp.text(microseconds: from)),
        ]
        let (moved, recounted) = try await c.environment.pool.withConnection(purpose: "recount") { connection in
            let moved = try connection.query(read, parameters, purpose: "read").scalar(String.self, purpose: "read")
            try LabelCounts.count(modelID: c.modelID, start: from, end: from + Self.minute, on: connection)
            return (moved, try connection.query(read, parameters, purpose: "read").scalar(String.self, purpose: "read"))
        }
        #expect(moved != nil)
        #expect(moved == recounted)
    }
}
