import DriftCore
import Foundation
import Testing

/// PostgreSQL stops in the middle of ingest: the agent answers 503 with `Retry-After` (and `/readyz`
/// turns unready) instead of failing or queueing, reconnects by itself when the database is back, and a
/// client that retries loses nothing.
@Suite struct OutageTests {
    @Test func aDatabaseOutageIsAnswered503WithoutLosingAnAcknowledgedEvent() async throws {
        // Down for a while (DRIFTWATCH_OUTAGE_SECONDS in the fault suite; a few seconds here). The allowed
        // lateness outlasts the outage: a model idle that long has its open window closed.
        let outageSeconds = Int(ProcessInfo.processInfo.environment["DRIFTWATCH_OUTAGE_SECONDS"] ?? "") ?? 3
        let outage = Duration.seconds(outageSeconds)
        let agent = try await AgentProcess(
            name: "outage", models: CrashSafetyTests.models(latenessSeconds: max(120, outageSeconds + 120)),
            files: ["reference.csv": CrashSafetyTests.referenceCSV()])
        defer { agent.stop() }
        let database = ["--state-dir", agent.state + "/db"]
        let batches = CrashSafetyTests.batches()
        var refused = 0
        var sawUnready = false
        for (i, body) in batches.enumerated() {
            var down: ContinuousClock.Instant?
            if i == 5 {
                let stopped = try CLIRunner.run(["db", "stop"] + database)
                #expect(stopped.status == 0, "\(stopped.stderr)")
                down = .now
            }
            // The client retries the batch until it is acknowledged, as a model server's logger would.
            var attempts = 0
            while true {
                let status = await CrashSafetyTests.post(agent.base, body)
                if status == 200 { break }
                #expect(status == 503, "batch \(i): HTTP \(status.map(String.init) ?? "none")")
                attempts += 1
                refused += 1
                #expect(attempts < 5 * (outageSeconds + 300), "batch \(i)")  // a bound, not a timing
                if let since = down, ContinuousClock.now - since >= outage {
                    sawUnready = await agent.get("/readyz")?.0 == 503
                    let started = try CLIRunner.run(["db", "start"] + database)
                    #expect(started.status == 0, "\(started.stderr)")
                    down = nil
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(down == nil, "batch \(i) was acknowledged while the database was down")
        }
        #expect(refused >= 1)
        #expect(sawUnready)
        #expect(await agent.get("/readyz")?.0 == 200)
        let status = try await agent.wait("/v1/models/loans/status", seconds: 300 + 2 * max(120, outageSeconds + 120)) {
            $0.contains(#""last_closed_window":{"start":"2026-11-20T03:00:00Z""#)
        }
        #expect(status != nil)
        // Every event stored once: four windows of 1,000.
        let volume = await CrashSafetyTests.series(agent, "volume")
        #expect(volume.map { $0.split(separator: " ")[3] } == ["1000.0", "1000.0", "1000.0", "1000.0"])
    }
}
