import DriftCore
import DriftStats
import DriftTables
import DriftTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The agent's windows against the offline command, and its memory under a 100 MB body — real processes,
/// real sockets.
@Suite struct AgentWindowsTests {
    /// Rows of `amount` (numeric), `term` (numeric, ties), `grade` (categorical), prediction and score.
    static func rows(_ n: Int, seed: UInt64, shift: Double) -> [(Double, Double, String, Int, Double)] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            let amount = (10_000 + 4_000 * rng.nextGaussian() + shift).rounded() / 1
            let term = [12.0, 24, 36, 48, 60][Int(rng.nextUniform() * (shift > 0 ? 3 : 5))]
            let grade = ["A", "B", "C", "D"][Int(rng.nextUniform() * 4)]
            let score = rng.nextUniform()
            return (amount, term, grade, score > 0.5 ? 1 : 0, score)
        }
    }

    /// Numbers of a JSON array of points, by (feature, method), read exactly.
    static func points(_ text: String) -> [String: Double] {
        guard case .array(let items)? = (try? JSONValue.parse(text))?["points"] else { return [:] }
        var out: [String: Double] = [:]
        for item in items {
            if case .string(let f)? = item["feature"], case .string(let m)? = item["method"],
                case .number(let v)? = item["value"]
            {
                out[f + "/" + m] = v
            }
        }
        return out
    }

    @Test func aClosedWindowEqualsTheBatchCommandsOnTheSameRows() async throws {
        let reference = Self.rows(3_000, seed: 11, shift: 0)
        let current = Self.rows(1_200, seed: 12, shift: 1_500)
        let referenceCSV =
            "amount,term,grade,prediction,score\n"
            + reference.map { "\($0.0),\($0.1),\($0.2),\($0.3),\($0.4)" }.joined(separator: "\n") + "\n"
        let agent = try await AgentProcess(
            name: "windows",
            models: """
                  loans:
                    task: binary
                    features: {amount: numeric, term: numeric, grade: categorical}
                    window: 1d
                    allowed_lateness: 1s
                    reference: {file: reference.csv}
                """, server: "window_check_interval: 1s", files: ["reference.csv": referenceCSV])
        defer { agent.stop() }
        // The configured file became the reference at start (read relative to the working directory).
        let configured = await agent.get("/v1/models/loans/reference")
        #expect(configured?.1.contains(#""source":"file:reference.csv sha256:"#) == true, "\(configured?.1 ?? "")")
        // driftwatch reference set replaces it (same rows here).
        let refSet = try CLIRunner.run([
            "reference", "set", "--url", agent.base, "--model", "loans", "--file", agent.state + "/reference.csv",
        ])
        #expect(refSet.status == 0, "\(refSet.stderr)")
        #expect(refSet.stdout.contains(#""rows":3000"#), "\(refSet.stdout)")

        let currentCSV = agent.state + "/current.csv"
        var lines = ["id,timestamp,amount,term,grade,prediction,score,latency_ms"]
        for (i, r) in current.enumerated() {
            let second = i * 60
            let stamp = String(format: "2026-11-20T%02d:%02d:%02dZ", second / 3600, second / 60 % 60, second % 60)
            lines.append("e\(i),\(stamp),\(r.0),\(r.1),\(r.2),\(r.3),\(r.4),\(5 + i % 9)")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: currentCSV, atomically: true, encoding: .utf8)
        let send = try CLIRunner.run(["send", "--url", agent.base, "--model", "loans", "--file", currentCSV])
        #expect(send.status == 0, "\(send.stderr)")

        // Traffic stops: after the allowed lateness of idle time the day's window closes by itself.
        let status = try await agent.wait("/v1/models/loans/status") { $0.contains(#""last_closed_window":{"#) }
        #expect(status?.contains(#""start":"2026-11-20T00:00:00Z""#) == true, "\(status ?? "")")
        #expect(status?.contains(#""events":1200"#) == true)

        let series = await agent.get(
            "/v1/models/loans/metrics?metric=drift_statistic&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")
        let stored = Self.points(series?.1 ?? "")
        let offline = try CLIRunner.run([
            "drift", "--reference", agent.state + "/reference.csv", "--current", currentCSV, "--columns",
            "amount,term,grade", "--categorical", "grade", "--format", "json",
        ])
        let columns = try #require(
            try offline.object().objects("columns"), "no columns in \(offline.stdout) \(offline.stderr)")
        var compared = 0
        for column in columns {
            let name = try #require(column.string("name"))
            for test in try #require(column.objects("tests")) {
                let method = try #require(test.string("method"))
                let statistic = try #require(test.double("statistic"))
                #expect(stored[name + "/" + method] == statistic, "\(name) \(method)")
                compared += 1
            }
        }
        #expect(compared == 6)

        // Labels for two thirds of the window arrive after it closed: its realized F1 is recomputed and
        // equals driftwatch metrics on the same labelled rows.
        let labelled = current.enumerated().filter { $0.offset % 3 != 0 }
        var labelLines = ["id,label"]
        var joined = ["label,prediction"]
        for (i, r) in labelled {
            let truth = (r.4 > 0.3) ? 1 : 0
            labelLines.append("e\(i),\(truth)")
            joined.append("\(truth),\(r.3)")
        }
        let labelsCSV = agent.state + "/labels.csv"
        let joinedCSV = agent.state + "/joined.csv"
        try (labelLines.joined(separator: "\n") + "\n").write(toFile: labelsCSV, atomically: true, encoding: .utf8)
        try (joined.joined(separator: "\n") + "\n").write(toFile: joinedCSV, atomically: true, encoding: .utf8)
        let sendLabels = try CLIRunner.run([
            "send", "--url", agent.base, "--model", "loans", "--file", labelsCSV, "--labels",
        ])
        #expect(sendLabels.status == 0, "\(sendLabels.stderr)")
        let f1Path = "/v1/models/loans/metrics?metric=f1&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z"
        let f1Series = try await agent.wait(f1Path) { $0.contains(#""class":"1""#) }
        var storedF1: Double?
        if case .array(let items)? = (try? JSONValue.parse(f1Series ?? ""))?["points"] {
            for item in items {
                if case .string("1")? = item["class"], case .number(let v)? = item["value"] { storedF1 = v }
            }
        }
        let metrics = try CLIRunner.run([
            "metrics", "--input", joinedCSV, "--label", "label", "--prediction", "prediction",
        ])
        var offlineF1: Double?
        if case .array(let classes)? = (try? JSONValue.parse(metrics.stdout))?["classes"] {
            for c in classes {
                if case .string("1")? = c["label"], case .number(let v)? = c["f1"] { offlineF1 = v }
            }
        }
        #expect(offlineF1 != nil, "\(metrics.stdout) \(metrics.stderr)")
        #expect(storedF1 == offlineF1)
        let coverage = await agent.get(
            "/v1/models/loans/metrics?metric=label_coverage&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")
        #expect(coverage?.1.contains(#""value":0.6666666666666666"#) == true, "\(coverage?.1 ?? "")")
        #expect(agent.stop() == 0)
    }

    @Test func aHundredMegabyteChunkedBodyIsIngestedInBoundedMemory() async throws {
        let agent = try await AgentProcess(
            name: "bigbody", models: "  big: {task: binary, features: {x: numeric, c: categorical}}")
        defer { agent.stop() }
        let baseline = try #require(agent.peakResidentBytes)
        // 50,000 lines of ~2 KB (a long field the model ignores): 100 MB, sent chunked by curl from a file.
        let file = agent.state + "/big.ndjson"
        let padding = String(repeating: "p", count: 1_950)
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        var chunk = ""
        for i in 0..<50_000 {
            chunk +=
                #"{"id": "b\#(i)", "timestamp": "2026-11-20T10:00:00Z", "features": {"x": \#(i), "c": "k\#(i % 5)", "pad": "\#(padding)"}, "prediction": 1}"#
                + "\n"
            if i % 1000 == 999 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size >= 100_000_000)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = [
            "curl", "-sS", "-X", "POST", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/x-ndjson",
            "-T", file, agent.base + "/v1/models/big/predictions",
        ]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let reply = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        #expect(reply.contains(#""accepted":50000"#), "\(reply)")
        let peak = try #require(agent.peakResidentBytes)
        // Streamed in batches: the agent's peak grows by far less than the body.
        #expect(peak - baseline < 40_000_000, "peak \(peak) baseline \(baseline)")
        #expect(agent.stop() == 0)
    }
}
