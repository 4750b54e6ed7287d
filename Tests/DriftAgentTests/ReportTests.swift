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
    static let evil = "<script>alert(1)</script>"

    @Test func theReportIsWellFormedEscapedAndPrintsTheStoredFigures() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: """
                auth: {enabled: false}
                defaults: {retention: 36500d}  # fixed-date events stay within retention
                models:
                  credit:
                    task: binary
                    features: {"\(Self.evil)": numeric, "\\"><img src=x onerror=alert(1)>": categorical}
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
        let x = #"<script>alert(1)</script>"#
        let c = #"\"><img src=x onerror=alert(1)>"#
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
        // Self-contained and escaped: no script, no external resource, the hostile names as text only.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        // Well-formed: it parses as XML.
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // The printed figures are the stored ones (as the report formats numbers).
        let rows = try await pool.withConnection(purpose: "read") { c in
            let id = try #require(try ModelStore.find(name: "credit", on: c)?.id)
            return try WindowMetricsStore.window(modelID: id, windowStart: eight + 2 * 3_600_000_000, on: c)
        }
        let psi = try #require(rows.first { $0.metric == "drift_statistic" && $0.feature == x && $0.method == "psi" })
        #expect(html.contains("<td class=\"num\">\(HTML.number(psi.value))</td>"))
        let volume = try #require(rows.first { $0.metric == "volume" })
        #expect(html.contains("<b>\(HTML.number(volume.value))</b>events"))
        #expect(html.contains("Dataset drift") || html.contains("No dataset drift"))
        #expect(html.contains("<svg"))
        #expect(html.contains("firing"))  // the alert the rule raised
        // Reference vs current distributions: a histogram for the numeric feature, bars for the categorical one
        // (the hostile category, new in the current traffic, is a bar whose tooltip is text).
        #expect(html.contains("class=\"hr\"") && html.contains("class=\"hc\""))
        #expect(html.contains("<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt; current:"))
        // Error analysis: the hostile category is the segment adding the most error, printed as text, and the
        // overall error rate is the one the stored realized accuracy implies.
        #expect(html.contains("<h2>Error analysis</h2>"))
        #expect(html.contains("<td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td><td>&quot;&gt;&lt;img"))
        let all = try await pool.withConnection(purpose: "read") { c in
            let id = try #require(try ModelStore.find(name: "credit", on: c)?.id)
            return try WindowMetricsStore.range(modelID: id, from: 0, to: eight * 2, on: c)
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
        #expect(html.contains("Current distributions: all 450 stored events of the windows"))
        // A long range is sampled (deterministically, by prediction id) to stay within the value budget.
        let model = try #require(configuration.model("credit"))
        let id = try await pool.withConnection(purpose: "id") { try ModelStore.find(name: "credit", on: $0)?.id }
        let sampled = try await ModelReportLoader.load(
            model: model, modelID: try #require(id), from: 0, to: eight * 2, pool: pool, valueBudget: 300)
        #expect(sampled.currentNote?.contains("1 in 3 by prediction id") == true, "\(sampled.currentNote ?? "")")
        let labelledInSample = try #require(sampled.errorAnalysis?.labelled)
        #expect(labelledInSample > 75 && labelledInSample < 225)
        let again = try await ModelReportLoader.load(
            model: model, modelID: try #require(id), from: 0, to: eight * 2, pool: pool, valueBudget: 300)
        #expect(again.errorAnalysis?.labelled == labelledInSample)
        await pool.close()
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
    /// as it writes them): on the time axis and in the table, with the decision and the champion/challenger
    /// figures of their result; queued and running jobs are not events.
    @Test func finishedRetrainingJobsAreOnTheTimeAxis() async throws {
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
        #expect(report.retraining[2].error == "not enough labelled rows")
        let html = ModelReportRenderer.render(report)
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // On the time axis: a line per finished job, promoted / kept / failed told apart.
        #expect(html.contains("<g class=\"rp\"><title>retraining (f1_drop) succeeded"))
        #expect(html.contains("<g class=\"rk\">") && html.contains("<g class=\"rf\">"))
        #expect(html.contains(": promoted, f1 0.71 → 0.93, version 2</title>"))
        // In the table, the reason escaped.
        #expect(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
        #expect(!html.contains("<script"))
        #expect(html.contains("<td class=\"num\">0.71</td><td class=\"num\">0.93</td><td class=\"num\">2</td>"))
        await pool.close()
    }

    /// The size bound of the issue: 200 features × 1,000 windows (every figure the agent stores, with
    /// distributions, an error analysis, alerts and retraining events) render under 2 MB, well-formed.
    @Test func twoHundredFeaturesAndAThousandWindowsStayUnderTwoMegabytes() throws {
        var rng = SplitMix64(seed: 2024)
        let features = (0..<200).map { i in
            FeatureConfiguration(name: "feature_\(i)", type: i % 4 == 3 ? .categorical : .numeric)
        }
        let model = ModelConfiguration(name: "big", task: .binary, features: features, defaults: ModelDefaults())
        let hour: Int64 = 3_600_000_000
        let t0: Int64 = 1_700_000_000_000_000
        var points: [ModelReport.Point] = []
        points.reserveCapacity(1_100_000)
        for w in 0..<1000 {
            let start = t0 + Int64(w) * hour
            func add(_ figure: WindowFigure) {
                points.append(ModelReport.Point(windowStart: start, windowEnd: start + hour, figure: figure))
            }
            for f in features {
                let methods = f.type == .numeric ? ["ks", "psi"] : ["chi_square", "psi"]
                for m in methods {
                    let statistic = abs(rng.nextGaussian()) * 0.08
                    let drift = statistic > 0.1
                    add(
                        WindowFigure(
                            "drift_statistic", feature: f.name, method: m, value: statistic,
                            threshold: m == "psi" ? 0.1 : 0.05, drift: drift))
                    if m != "psi" {
                        add(
                            WindowFigure(
                                "p_value", feature: f.name, method: m, value: rng.nextUniform(), threshold: 0.05,
                                drift: drift))
                    }
                }
                add(WindowFigure("missing_rate", feature: f.name, value: rng.nextUniform() * 0.01))
            }
            for (metric, value) in [
                ("volume", 5000.0), ("latency_p50", 12), ("latency_p95", 40), ("latency_p99", 80), ("accuracy", 0.9),
                ("label_coverage", 0.8), ("drifted_features", 3), ("drifted_feature_ratio", 0.015),
                ("late_events", 2),
            ] {
                add(WindowFigure(metric, value: value + rng.nextUniform()))
            }
            for metric in ["f1", "precision", "recall"] {
                add(WindowFigure(metric, method: "macro", value: 0.8 + rng.nextUniform() * 0.1))
            }
        }
        var distributions: [String: Distribution] = [:]
        var segments: [ErrorAnalysisBuilder.Feature] = []
        for f in features {
            if f.type == .numeric {
                let r = (0..<2000).map { _ in rng.nextGaussian() }.sorted()
                let c = (0..<2000).map { _ in rng.nextGaussian() + 0.3 }.sorted()
                distributions[f.name] = Distribution.numeric(referenceSorted: r, currentSorted: c)
                segments.append(.numeric(name: f.name, cutPoints: ErrorAnalysisBuilder.deciles(sorted: r)))
            } else {
                var r: [String: Int] = [:]
                var c: [String: Int] = [:]
                for k in 0..<40 {
                    r["category \(k)"] = 100 + k
                    c["category \(k)"] = 140 - k
                }
                distributions[f.name] = Distribution.categorical(reference: r, current: c)
                segments.append(.categorical(name: f.name))
            }
        }
        var errors = ErrorAnalysisBuilder(measure: .errorRate, features: segments)
        let numericCount = features.filter { $0.type == .numeric }.count
        for _ in 0..<20_000 {
            let truth = rng.nextUniform() < 0.5 ? "0" : "1"
            let predicted = rng.nextUniform() < 0.85 ? truth : (truth == "0" ? "1" : "0")
            let e = errors.record(.current, truth: truth, predicted: predicted)
            errors.addSegments(
                numeric: (0..<numericCount).map { _ in rng.nextGaussian() },
                categorical: (0..<(features.count - numericCount)).map { _ in "category \(Int(rng.nextUniform() * 40))"
                },
                error: e)
        }
        let alerts = (0..<20).map { (k: Int) -> ModelReport.Alert in
            let start: Int64 = t0 + Int64(k * 50) * hour
            let end: Int64? = k == 19 ? nil : start + 5 * hour
            return ModelReport.Alert(
                rule: "shift", state: k == 19 ? "firing" : "resolved", severity: "warning",
                labels: "{\"feature\": \"feature_\(k)\"}", startsAt: start, endsAt: end)
        }
        let retraining = (0..<5).map { (k: Int) -> ModelReport.Retraining in
            ModelReport.Retraining(
                finishedAt: t0 + Int64(k * 200 + 7) * hour, status: "succeeded", reason: "shift",
                decision: k % 2 == 0 ? "promoted" : "kept", metric: "f1", champion: 0.8, challenger: 0.85,
                version: k + 2)
        }
        let report = ModelReport(
            model: model, from: t0, to: t0 + 1000 * hour, generatedAt: t0 + 1001 * hour,
            referenceSource: "file:train.csv", referenceRows: 50_000, points: points, alerts: alerts,
            retraining: retraining, distributions: distributions, currentNote: "all 5,000,000 events",
            errorAnalysis: errors.build(baseline: nil, latest: "this report's windows", note: "synthetic"))
        let html = ModelReportRenderer.render(report)
        let bytes = html.utf8.count
        #expect(bytes < 2_000_000, "the report is \(bytes) bytes")
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // Every feature has its distribution, its tests and its history.
        #expect(html.components(separatedBy: "<path d=\"M48 ").count > 200)
        #expect(html.contains("feature_199"))
    }
}
