import DriftCore
import Foundation
import Testing

/// PostgreSQL stops in the middle of ingest: the agent answers 503 with `Retry-After` (and `/readyz`
/// turns unready) instead of failing or queueing, reconnects by itself when the database is back, and a
/// client that retries loses nothing.
@Suite struct OutageTests {
    @Test func aDatabaseOutageIsAnswered503AndNothingAcknowledgedIsLost() async throws {
        let agent = try await AgentProcess(
            name: "outage", models: CrashSafetyTests.models,
            files: ["reference.csv": CrashSafetyTests.referenceCSV()])
        defer { agent.stop() }
        let database = ["--state-dir", agent.state + "/db"]
        let batches = CrashSafetyTests.batches()
        var refused = 0
        var sawUnready = false
        for (i, body) in batches.enumerated() {
            if i == 5 {
                let stopped = try CLIRunner.run(["db", "stop"] + database)
                #expect(stopped.status == 0, "\(stopped.stderr)")
            }
            if i == 10 {
                // Down for a while (DRIFTWATCH_OUTAGE_SECONDS more in the fault suite): requests are refused,
                // /readyz says so.
                let extra = Int(ProcessInfo.processInfo.environment["DRIFTWATCH_OUTAGE_SECONDS"] ?? "") ?? 0
                let until = ContinuousClock.now + .seconds(extra)
                while ContinuousClock.now < until {
                    #expect(await CrashSafetyTests.post(agent.base, body) == 503)
                    try await Task.sleep(for: .seconds(1))
                }
                sawUnready = await agent.get("/readyz")?.0 == 503
                let started = try CLIRunner.run(["db", "start"] + database)
                #expect(started.status == 0, "\(started.stderr)")
            }
            var attempts = 0
            while true {
                attempts += 1
                let status = await CrashSafetyTests.post(agent.base, body)
                if status == 200 { break }
                #expect(status == 503, "batch \(i): HTTP \(status.map(String.init) ?? "none")")
                refused += 1
                #expect(attempts < 200)
                if i >= 5 && i < 10 && attempts >= 2 { break }  // skip ahead while the database is down
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(refused >= 5)
        #expect(sawUnready)
        // Batches 5–9 were refused while the database was down; the client sends them again now.
        for body in batches[5..<10] {
            var attempts = 0
            while await CrashSafetyTests.post(agent.base, body) != 200 {
                attempts += 1
                #expect(attempts < 100)
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(await agent.get("/readyz")?.0 == 200)
        let status = try await agent.wait("/v1/models/loans/status", seconds: 60) {
            $0.contains(#""last_closed_window":{"start":"2026-11-20T03:00:00Z""#)
        }
        #expect(status != nil)
        // Every event stored once: four windows of 1,000.
        let volume = await CrashSafetyTests.series(agent, "volume")
        #expect(volume.map { $0.split(separator: " ")[3] } == ["1000.0", "1000.0", "1000.0", "1000.0"])
    }
}
