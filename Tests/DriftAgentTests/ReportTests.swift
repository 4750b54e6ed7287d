import DriftAgent
import DriftConfig
import DriftCore
import DriftReport
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

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The model report served by the agent: well-formed, self-contained, every name escaped, and the figures
/// it prints are the stored ones.
@Suite struct ReportTests {
    /// A report served over three hourly windows of a model whose names, and one category value, are
    /// hostile: the page, the pool (to be closed by the caller), the model and the first window's start.
    struct Served {
        let html: String
        let pool: PostgresPool
        let model: ModelConfiguration
        let modelID: Int64
        let eight: Int64
    }

    static let x = #"<script>alert(1)</script>"#
    static let c = #"\"><img src=x onerror=alert(1)>"#

    func served() async throws -> Served {
        let configuration = try ConfigurationLoader.load(
            yaml: """
                auth: {enabled: false}
                defaults: {retention: 36500d}  # fixed-date events stay within retention
                models:
                  credit:
                    task: binary
                    features: {"\(Self.x)": numeric, "\\"><img src=x onerror=alert(1)>": categorical}
                    window: 1h
                    allowed_lateness: 1m
                    rules:
                      - {name: shift, metric: drift_statistic, method: psi, when: "> 0.2"}
                """, file: "report.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "report")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        var rng = SplitMix64(seed: 11)
        let x = Self.x
        let c = Self.c
        var reference = [#"{"\#(x)": 0, "\#(c)": "a"}"#]
        for _ in 0..<400 {
            reference.append(#"{"\#(x)": \#(rng.nextGaussian()), "\#(c)": "\#(rng.nextUniform() < 0.5 ? "a" : "b")"}"#)
        }
        let eight: Int64 = 1_795_420_800_000_000
        var events: [String] = []
        var labels: [String] = []
        for hour in 0..<3 {
            for i in 0..<150 {
                let t = RFC3339.text(microseconds: eight + Int64(hour) * 3_600_000_000 + Int64(i) * 20_000_000)
                // A hostile category value too; the model is always wrong on it, and on every fifth event.
                let category = i % 3 == 0 ? c : i % 3 == 1 ? "a" : "b"
                events.append(
                    #"{"id": "e\#(hour)-\#(i)", "timestamp": "\#(t)", "features": {"\#(x)": \#(rng.nextGaussian() + Double(hour)), "\#(c)": "\#(category)"}, "prediction": 1, "score": 0.7, "latency_ms": \#(3 + i % 7)}"#
                )
                labels.append(#"{"id": "e\#(hour)-\#(i)", "label": \#(i % 3 == 0 || i % 5 == 0 ? 0 : 1)}"#)
            }
        }
        events.append(
            #"{"id": "push", "timestamp": "\#(RFC3339.text(microseconds: eight + 4 * 3_600_000_000))", "features": {"\#(x)": 0}}"#
        )
        let bodies = (
            ByteBuffer(string: reference.joined(separator: "\n")), ByteBuffer(string: events.joined(separator: "\n")),
            ByteBuffer(string: labels.joined(separator: "\n"))
        )
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        let html = try await Application(router: buildRouter(environment)).test(.router) { client -> String in
            let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]
            try await client.execute(uri: "/v1/models/credit/reference", method: .put, headers: ndjson, body: bodies.0)
            {
                #expect($0.status == .ok, "\(String(buffer: $0.body))")
            }
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: ndjson, body: bodies.1
            ) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/models/credit/labels", method: .post, headers: ndjson, body: bodies.2) {
                #expect($0.status == .ok, "\(String(buffer: $0.body))")
            }
            _ = await closer.tick()
            return try await client.execute(uri: "/v1/models/credit/report", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                return String(buffer: response.body)
            }
        }
        let model = try #require(configuration.model("credit"))
        let id = try await pool.withConnection(purpose: "id") { try ModelStore.find(name: "credit", on: $0)?.id }
        return Served(html: html, pool: pool, model: model, modelID: try #require(id), eight: eight)
    }

    @Test func theServedReportIsWellFormed() async throws {
        let served = try await served()
        let parser = XMLParser(data: Data(served.html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        await served.pool.close()
    }

    /// Self-contained and escaped: no script, no external resource, the hostile names as text only.
    @Test func theServedReportPrintsHostileNamesAsText() async throws {
        let served = try await served()
        let html = served.html
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        await served.pool.close()
    }

    /// The printed figures are the stored ones (as the report formats numbers).
    @Test func theServedReportPrintsTheStoredFigures() async throws {
        let served = try await served()
        let html = served.html
        let rows = try await served.pool.withConnection(purpose: "read") { c in
            try WindowMetricsStore.window(modelID: served.modelID, windowStart: served.eight + 2 * 3_600_000_000, on: c)
        }
        let psi = try #require(
            rows.first { $0.metric == "drift_statistic" && $0.feature == Self.x && $0.method == "psi" })
        #expect(html.contains("<td class=\"num\">\(HTML.number(psi.value))</td>"))
        let volume = try #require(rows.first { $0.metric == "volume" })
        #expect(html.contains("<b>\(HTML.number(volume.value))</b>events"))
        #expect(html.contains("Dataset drift") || html.contains("No dataset drift"))
        #expect(html.contains("<svg"))
        #expect(html.contains("firing"))  // the alert the rule raised
        await served.pool.close()
    }

    /// Reference vs current distributions: a histogram for the numeric feature, bars for the categorical one
    /// (the hostile category, new in the current traffic, is a bar whose tooltip is text).
    @Test func theServedReportDrawsEveryFeaturesDistribution() async throws {
        let served = try await served()
        let html = served.html
        #expect(html.contains("class=\"hr\"") && html.contains("class=\"hc\""))
        #expect(html.contains("<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt; current:"))
        #expect(html.contains("Current distributions: all 450 stored events of the windows"))
        await served.pool.close()
    }

    /// Error analysis: the hostile category is the segment adding the most error, printed as text, and the
    /// overall error rate is the one the stored realized accuracy implies.
    @Test func theServedReportsErrorRateIsTheStoredAccuracys() async throws {
        let served = try await served()
        let html = served.html
        #expect(html.contains("<h2>Error analysis</h2>"))
        #expect(html.contains("<td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td><td>&quot;&gt;&lt;img"))
        let all = try await served.pool.withConnection(purpose: "read") { c in
            try WindowMetricsStore.range(modelID: served.modelID, from: 0, to: served.eight * 2, on: c)
        }
        var labelled = 0.0
        var wrong = 0.0
        for start in Set(all.map(\.windowStart)) {
            let window = all.filter { $0.windowStart == start }
            guard let n = window.first(where: { $0.metric == "labelled" })?.value, n > 0,
                let accuracy = window.first(where: { $0.metric == "accuracy" })?.value
            else { continue }
            labelled += n
            wrong += n * (1 - accuracy)
        }
        #expect(labelled == 450)
        #expect(html.contains("<b>450</b>labelled rows"))
        #expect(html.contains("<b>\(HTML.number(wrong / labelled))</b>error rate</div>"))
        #expect(html.contains("earliest 1 labelled window"))  // before/after: first vs last labelled window
        await served.pool.close()
    }

    /// A long range is sampled (deterministically, by prediction id) to stay within the value budget.
    @Test func aReportOverTheValueBudgetIsSampledByPredictionID() async throws {
        let served = try await served()
        let sampled = try await ModelReportLoader.load(
            model: served.model, modelID: served.modelID, from: 0, to: served.eight * 2, pool: served.pool,
            valueBudget: 300)
        #expect(sampled.currentNote?.contains("1 in 3 by prediction id") == true, "\(sampled.currentNote ?? "")")
        let labelledInSample = try #require(sampled.errorAnalysis?.labelled)
        #expect(labelledInSample > 75 && labelledInSample < 225)
        let again = try await ModelReportLoader.load(
            model: served.model, modelID: served.modelID, from: 0, to: served.eight * 2, pool: served.pool,
            valueBudget: 300)
        #expect(again.errorAnalysis?.labelled == labelledInSample)
        await served.pool.close()
    }

    /// With a reference taken from traffic, the error analysis compares the labelled events of that traffic
    /// with the report's: the before confusion matrix is the first events' own.
    @Test func aTrafficReferenceIsTheBeforeSideOfTheConfusionMatrix() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: """
                auth: {enabled: false}
                defaults: {retention: 36500d}  # fixed-date events stay within retention
                models:
                  credit:
                    task: binary
                    features: {x: numeric, c: categorical}
                    window: 1h
                    allowed_lateness: 1m
                    reference: {first_events: 150}
                """, file: "traffic.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "traffic")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        var rng = SplitMix64(seed: 5)
        let eight: Int64 = 1_795_420_800_000_000
        var events: [String] = []
        var labels: [String] = []
        for hour in 0..<3 {
            for i in 0..<150 {
                let t = RFC3339.text(microseconds: eight + Int64(hour) * 3_600_000_000 + Int64(i) * 20_000_000)
                events.append(
                    #"{"id": "e\#(hour)-\#(i)", "timestamp": "\#(t)", "features": {"x": \#(rng.nextGaussian()), "c": "\#(i % 2 == 0 ? "a" : "b")"}, "prediction": 1, "score": 0.7}"#
                )
                // Wrong on every third and fifth event of the first hour, on every second one later.
                let wrong = hour == 0 ? i % 3 == 0 || i % 5 == 0 : i % 2 == 0
                labels.append(#"{"id": "e\#(hour)-\#(i)", "label": \#(wrong ? 0 : 1)}"#)
            }
        }
        events.append(
            #"{"id": "push", "timestamp": "\#(RFC3339.text(microseconds: eight + 4 * 3_600_000_000))", "features": {"x": 0}}"#
        )
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "t"))
        let bodies = [("predictions", events), ("labels", labels)]
        let html = try await Application(router: buildRouter(environment)).test(.router) { client -> String in
            let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]
            for (uri, body) in bodies {
                try await client.execute(
                    uri: "/v1/models/credit/\(uri)", method: .post, headers: ndjson,
                    body: ByteBuffer(string: body.joined(separator: "\n"))
                ) { #expect($0.status == .ok, "\(String(buffer: $0.body))") }
            }
            _ = await closer.tick()
            _ = await closer.tick()
            return try await client.execute(uri: "/v1/models/credit/report", method: .get) { String(buffer: $0.body) }
        }
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // Before: the 150 reference events, 70 of them (i divisible by 3 or 5) labelled 0 and predicted 1.
        #expect(html.contains("<h4>reference traffic (first_events:150): 150 rows</h4>"))
        #expect(html.contains("<tr><th>0</th><td>0 <span class=\"muted\">0%</span></td><td>70 <span"))
        #expect(html.contains("<b>\(HTML.number(70.0 / 150))</b>error rate, reference traffic"))
        // After: every labelled event of the report (70 + 150 wrong of 450).
        #expect(html.contains("<b>\(HTML.number(220.0 / 450))</b>error rate</div>"))
        await pool.close()
    }

    /// Retraining events come from finished `retrain_jobs` rows (the trainer fills them; here they are inserted
    /// as it writes them), with the decision and the champion/challenger figures of their result; queued and
    /// running jobs are not events. (How the report draws them: DriftReportTests.)
    @Test func finishedRetrainingJobsAreLoadedAsReportEvents() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: """
                auth: {enabled: false}
                defaults: {retention: 36500d}  # fixed-date events stay within retention
                models:
                  churn:
                    task: binary
                    features: {tenure: numeric}
                    window: 1h
                """, file: "retrain.yaml")
        let model = try #require(configuration.model("churn"))
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "retrain")), size: 1)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        let t0: Int64 = 1_795_420_800_000_000
        let hour: Int64 = 3_600_000_000
        let id = try await pool.withConnection(purpose: "fill") { c -> Int64 in
            let id = try ModelStore.register(name: "churn", task: "binary", on: c).id
            var rows: [WindowMetricsStore.Row] = []
            for w in 0..<6 {
                let start = t0 + Int64(w) * hour
                rows.append(.init(windowStart: start, windowEnd: start + hour, metric: "volume", value: 100))
                rows.append(
                    .init(
                        windowStart: start, windowEnd: start + hour, metric: "f1", method: "macro",
                        value: w < 3 ? 0.9 : 0.7))
            }
            try WindowMetricsStore.upsert(rows, modelID: id, on: c)
            func at(_ t: Int64) -> String { PostgresTimestamp.text(microseconds: t) }
            let jobs: [(String, String, Int64?, String?, String?)] = [
                (
                    "succeeded", "f1_drop", t0 + 4 * hour,
                    #"{"decision": "promoted", "metric": "f1", "champion": 0.71, "challenger": 0.93, "version": 2}"#,
                    nil
                ),
                (
                    "succeeded", "<script>alert(1)</script>", t0 + 5 * hour,
                    #"{"decision": "kept", "metric": "f1", "champion": 0.93, "challenger": 0.9, "version": 3}"#, nil
                ),
                ("failed", "manual", t0 + 5 * hour + 60_000_000, nil, "not enough labelled rows"),
                ("running", "manual", nil, nil, nil),
            ]
            for (status, reason, finished, result, error) in jobs {
                _ = try c.query(
                    """
                    INSERT INTO retrain_jobs (model_id, status, reason, result, error, finished_at)
                    VALUES ($1, $2, $3, $4::jsonb, $5, $6::timestamptz)
                    """,
                    [
                        .int(Int(id)), .string(status), .string(reason), .string(result), .string(error),
                        .string(finished.map(at)),
                    ], purpose: "insert job")
            }
            return id
        }
        let report = try await ModelReportLoader.load(
            model: model, modelID: id, from: 0, to: 7_258_118_400_000_000, pool: pool)
        #expect(report.retraining.map(\.status) == ["succeeded", "succeeded", "failed"])
        let promoted = try #require(report.retraining.first)
        #expect(promoted.decision == "promoted" && promoted.metric == "f1" && promoted.version == 2)
        #expect(promoted.champion == 0.71 && promoted.challenger == 0.93)
        #expect(promoted.finishedAt == t0 + 4 * hour)
        #expect(report.retraining.last?.error == "not enough labelled rows")
        await pool.close()
    }
}
