import DriftTestSupport
import Foundation
import PostgresDriver
import Testing

/// Several `driftwatch serve` processes started at the same moment on one database (a Deployment with
/// replicas): migrations, model registration and the configured reference are start-up writes every
/// agent makes, and every agent must come up and serve.
@Suite struct ConcurrentStartTests {
    static let agents = 4

    @Test func fourAgentsStartedTogetherOnOneFreshDatabaseAllServe() async throws {
        let batches = CrashSafetyTests.batches()
        let files = ["reference.csv": CrashSafetyTests.referenceCSV()]
        for round in 0..<3 {
            let url = try TestCluster.createDatabase(prefix: "together_\(round)")
            var agents: [AgentProcess] = []
            defer { for agent in agents { agent.stop() } }
            for i in 0..<Self.agents {
                agents.append(
                    try await AgentProcess(
                        name: "together-\(round)-\(i)", models: CrashSafetyTests.models(), files: files,
                        environment: ["AGENT_TEST_NO_DATABASE_URL": url], start: false))
            }
            // All at once: each runs migrations, registers the model and stores the configured reference.
            for agent in agents { try agent.launch() }
            for (i, agent) in agents.enumerated() {
                let ready = try await agent.waitUntilReady(seconds: 180)
                #expect(ready, "round \(round), agent \(i) did not become ready:\n\(agent.log)")
            }
            // Every agent serves: an ingest through each, and the one reference they all stored.
            for (i, agent) in agents.enumerated() {
                #expect(await CrashSafetyTests.post(agent.base, batches[i]) == 200, "round \(round), agent \(i)")
                let reference = await agent.get("/v1/models/loans/reference")
                #expect(reference?.0 == 200, "round \(round), agent \(i): \(reference?.1 ?? "no answer")")
            }
            let counts = try PostgresConnection(configuration: PostgresConfiguration(url: url)).query(
                """
                SELECT (SELECT count(*) FROM reference_profiles), (SELECT count(*) FROM models),
                       (SELECT count(*) FROM predictions)
                """, purpose: "count"
            )
            #expect(try counts.value(0, 0, as: Int.self, purpose: "count") == 1, "round \(round): references")
            #expect(try counts.value(0, 1, as: Int.self, purpose: "count") == 1, "round \(round): models")
            #expect(
                try counts.value(0, 2, as: Int.self, purpose: "count") == Self.agents * 200,
                "round \(round): predictions")
        }
    }
}
