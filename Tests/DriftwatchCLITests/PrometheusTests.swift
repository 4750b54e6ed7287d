import DriftStats
import DriftSystem
import DriftTestSupport
import Foundation
import Testing

/// Prometheus' own tool on what Driftwatch gives Prometheus: `promtool check metrics` on the live `/metrics`
/// of an agent that ingested, closed windows, fired an alert and followed a file, and `promtool check
/// rules` / `test rules` on `Dashboards/prometheus/`. promtool comes from Debian's `prometheus` package
/// (`scripts/setup.sh` installs it).
@Suite struct PrometheusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let rules = root + "/Dashboards/prometheus/driftwatch-rules.yaml"
    static let ruleTests = root + "/Dashboards/prometheus/driftwatch-rules.test.yaml"

    /// What a run of promtool gave: its exit status, and its standard output and error together.
    struct Run {
        let status: Int32
        let output: String
    }

    /// Runs `promtool` (found on PATH) with `arguments`, reading standard input from the file `input`.
    static func promtool(_ arguments: [String], input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        if let input { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input)) }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// The `/metrics` of one agent, shared by the tests that read it (started once, stopped when read).
    static let live = Task<String, any Error> { try await liveExposition() }

    /// Prediction lines of 200 events an hour from `hour` o'clock on 2026-11-20, `amount` shifted by `shift`.
    static func events(hour: Int, shift: Double, seed: UInt64) -> [String] {
        var rng = SplitMix64(seed: seed)
        return (0..<200).map { i in
            let amount = (10_000 + 4_000 * rng.nextGaussian() + shift).rounded()
            let term = [12, 24, 36, 48, 60][i % 5]
            let grade = ["A", "B", "C", "D"][Int(rng.nextUniform() * 4) % 4]
            let score = rng.nextUniform()
            let time = String(format: "2026-11-20T%02d:%02d:%02dZ", hour, i * 18 / 60, i * 18 % 60)
            return
                #"{"id": "h\#(hour)e\#(i)", "timestamp": "\#(time)", "features": {"amount": \#(amount), "term": \#(term), "grade": "\#(grade)"}, "prediction": "\#(score > 0.5 ? 1 : 0)", "score": \#(score), "latency_ms": \#(2 + i % 40)}"#
        }
    }

    /// Starts an agent with a reference, an alert rule whose receiver is down and a followed file; labels,
    /// then two hours of events (the second drifted), then a file line of a third hour; returns `/metrics`
    /// once windows closed with drift and performance figures, the alert was tried and the file was read.
    static func liveExposition() async throws -> String {
        var rng = SplitMix64(seed: 7)
        let reference =
            "amount,term,grade,prediction,score\n"
            + (0..<1_000).map { i in
                let score = rng.nextUniform()
                return
                    "\((10_000 + 4_000 * rng.nextGaussian()).rounded()),\([12, 24, 36, 48, 60][i % 5]),\(["A", "B", "C", "D"][i % 4]),\(score > 0.5 ? 1 : 0),\(score)"
            }.joined(separator: "\n") + "\n"
        let files = try TestCluster.temporaryDirectory("prometheus")
        defer { try? FileManager.default.removeItem(atPath: files) }
        let followed = files + "/predictions.jsonl"
        _ = FileManager.default.createFile(atPath: followed, contents: nil)
        let agent = try await AgentProcess(
            name: "prometheus",
            models: """
                  loans:
                    task: binary
                    features: {amount: numeric, term: numeric, grade: categorical}
                    window: 1h
                    allowed_lateness: 1s
                    reference: {file: reference.csv}
                    rules:
                      - {name: amount_shift, metric: drift_statistic, feature: amount, method: ks, when: "> 0.1", receivers: [hook]}
                    tail: [\(followed)]
                """, server: "window_check_interval: 1s", files: ["reference.csv": reference],
            extra: """
                alerting:
                  send_interval: 1s
                  max_retry_interval: 1s
                  receivers:
                    hook: {url: "http://127.0.0.1:\(LoopbackPort.free())/hook", format: json, timeout: 2s, connect_timeout: 1s}
                """)
        defer { agent.stop() }
        let first = events(hour: 8, shift: 0, seed: 1)
        let second = events(hour: 9, shift: 3_000, seed: 2)
        // Labels first (they join their predictions whenever these arrive), so every window closes with them.
        let labels = (first + second).indices.map { i in
            #"{"id": "h\#(i < 200 ? 8 : 9)e\#(i % 200)", "label": "\#(i % 3 == 0 ? 1 : 0)"}"#
        }
        #expect(await agent.post("/v1/models/loans/labels", labels.joined(separator: "\n") + "\n")?.0 == 200)
        #expect(
            await agent.post("/v1/models/loans/predictions", (first + second).joined(separator: "\n") + "\n")?.0 == 200)
        let third = events(hour: 10, shift: 0, seed: 3).prefix(5).joined(separator: "\n") + "\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: followed))
        try handle.write(contentsOf: Data(third.utf8))
        try handle.close()
        let expected = [
            #"driftwatch_feature_drift_statistic{model="loans",feature="amount",method="ks"}"#,
            #"driftwatch_accuracy{model="loans"}"#, #"driftwatch_f1{model="loans",average="macro"}"#,
            #"driftwatch_latency_seconds{model="loans",percentile="p99"}"#, #"driftwatch_window_due{model="loans"} 0"#,
            #"driftwatch_alerts{model="loans",severity="warning",state="firing"} 1"#,
            #"driftwatch_tail_lines_total{model="loans",kind="predictions",outcome="ingested"} 5"#,
            #"driftwatch_alert_delivery_attempts_total{receiver="hook",outcome="retry"}"#,
            "driftwatch_http_request_duration_seconds_bucket", "driftwatch_ingest_commit_duration_seconds_bucket",
        ]
        let text = try await agent.wait("/metrics", seconds: 120) { body in
            expected.allSatisfy { body.contains($0) }
                && !body.contains(#"driftwatch_alert_delivery_attempts_total{receiver="hook",outcome="retry"} 0"#)
        }
        let last = await agent.get("/metrics")?.1 ?? ""
        return try #require(text, "missing from /metrics: \(expected.filter { !last.contains($0) })\n\(agent.log)")
    }

    @Test func promtoolFindsNothingToLintInALiveMetricsPage() async throws {
        let exposition = try await Self.live.value
        let file = try TestCluster.temporaryDirectory("promtool") + "/metrics.txt"
        defer {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path)
        }
        try exposition.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try Self.promtool(["check", "metrics"], input: file)
        #expect(run.status == 0, "promtool check metrics (status \(run.status)): \(run.output)")
        #expect(run.output.isEmpty, "\(run.output)")
    }

    @Test func everyMetricTheRulesWatchIsOneTheAgentServes() async throws {
        let exposition = try await Self.live.value
        let text = try String(contentsOfFile: Self.rules, encoding: .utf8)
        // Words of metric-name characters; recorded series (`level:metric:operation`) start otherwise.
        let words = text.split { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
        let names = Set(words.filter { $0.hasPrefix("driftwatch_") }.map(String.init))
        #expect(names.count >= 4, "\(names)")
        for name in names.sorted() {
            #expect(exposition.contains("# TYPE \(name) "), "\(name) is not in /metrics")
        }
    }

    @Test func theRulesPassPromtoolCheckRules() throws {
        let run = try Self.promtool(["check", "rules", Self.rules])
        #expect(run.status == 0, "promtool check rules (status \(run.status)): \(run.output)")
        #expect(run.output.contains("SUCCESS"), "\(run.output)")
    }

    @Test func theRulesPassTheirPromtoolUnitTests() throws {
        let run = try Self.promtool(["test", "rules", Self.ruleTests])
        #expect(run.status == 0, "promtool test rules (status \(run.status)): \(run.output)")
        #expect(run.output.contains("SUCCESS"), "\(run.output)")
    }
}
