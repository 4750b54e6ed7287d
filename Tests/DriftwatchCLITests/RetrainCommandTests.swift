import DriftCore
import DriftStats
import DriftTables
import DriftTestSupport
import Foundation
import Testing

/// Retraining through real processes: `driftwatch serve` runs the job that `driftwatch retrain` queued;
/// an agent killed with SIGKILL in the middle of the job leaves it to the restarted agent, which finishes it
/// once (one version, two attempts).
@Suite struct RetrainCommandTests {
    static func files(rows: Int, seed: UInt64) -> (predictions: String, labels: String) {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / 9_007_199_254_740_992 * 2 - 1 }
        var predictions = ["id,timestamp," + (1...8).map { "x\($0)" }.joined(separator: ",") + ",color,prediction"]
        var labels = ["id,label"]
        for i in 0..<rows {
            let x = (0..<8).map { _ in uniform() }
            let color = ["red", "green", "blue"][Int(rng.next() % 3)]
            let second = i % 86_400
            let stamp = String(format: "2026-11-20T%02d:%02d:%02dZ", second / 3600, second / 60 % 60, second % 60)
            let label = x[0] * x[1] + 0.3 * x[2] > 0 ? "1" : "0"
            predictions.append(
                "r\(i),\(stamp)," + x.map { String($0) }.joined(separator: ",") + ",\(color),\(x[0] > 0 ? "1" : "0")")
            labels.append("r\(i),\(label)")
        }
        return (predictions.joined(separator: "\n") + "\n", labels.joined(separator: "\n") + "\n")
    }

    @Test func anAgentKilledMidJobLeavesItToTheRestartedAgentWhichFinishesItOnce() async throws {
        let (predictions, labels) = Self.files(rows: 15_000, seed: 3)
        let agent = try await AgentProcess(
            name: "retrain",
            models: """
                  m:
                    task: binary
                    features: {x1: numeric, x2: numeric, x3: numeric, x4: numeric, x5: numeric, x6: numeric, x7: numeric, x8: numeric, color: categorical}
                    window: 1d
                    retrain: {model: mlp, search: grid, min_labelled_rows: 100, lease: 2s}
                """, files: ["predictions.csv": predictions, "labels.csv": labels])
        defer { agent.stop() }
        for (file, extra) in [
            ("predictions.csv", [String]()), ("labels.csv", ["--labels", "--label-column", "label"]),
        ] {
            let send = try CLIRunner.run(
                ["send", "--url", agent.base, "--model", "m", "--file", agent.state + "/" + file] + extra)
            #expect(send.status == 0, "\(send.stderr)")
        }
        let database = ["--state-dir", agent.state + "/db"]
        let queued = try CLIRunner.run(["retrain", "--model", "m"] + database)
        #expect(queued.status == 0, "\(queued.stderr)")
        #expect(queued.stdout.contains("queued retraining job 1 for m"), "\(queued.stdout)")
        // The agent's worker takes it; kill the agent while the job runs.
        let running = try await agent.wait("/v1/retrain-jobs/1", seconds: 30) { $0.contains(#""status":"running""#) }
        #expect(running != nil)
        agent.kill()
        // Restarted, the agent takes the job over once the dead one's 2-second lease has run out.
        try await agent.start()
        let done = try await agent.wait("/v1/retrain-jobs/1", seconds: 300) { $0.contains(#""status":"succeeded""#) }
        let job = try JSONValue.parse(try #require(done))
        #expect(job["attempts"] == .number(2))
        #expect(job["result"]?["decision"] == .string("promoted"))
        // driftwatch retrain --wait: a second job, on the same data, cannot beat the champion it produced.
        let waited = try CLIRunner.run(["retrain", "--model", "m", "--wait", "--timeout", "300"] + database)
        #expect(waited.status == 0, "\(waited.stdout) \(waited.stderr)")
        #expect(waited.stdout.contains("job 2 succeeded after 1 attempt\n"), "\(waited.stdout)")
        let result = waited.stdout.split(separator: "\n").first { $0.hasPrefix("result: ") }.map { $0.dropFirst(8) }
        #expect((try? JSONValue.parse(String(result ?? "")))?["decision"] == .string("kept"), "\(waited.stdout)")
        let versions = await agent.get("/v1/models/m/versions")?.1 ?? ""
        let items = try #require(try JSONObject(parsing: versions).objects("versions"), "no versions: \(versions)")
        #expect(items.map { $0.string("status") } == ["rejected", "champion"])
        #expect(items.map { $0.int("job_id") } == [2, 1])
        // The promoted MLP learned the interaction the logged predictions missed.
        #expect(try #require(items.last?.object("evaluation")?.double("f1")) > 0.8)
    }
}
