import DriftCore
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import PostgresDriver
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Inputs that used to crash or wedge a real `driftwatch serve` (issue 15): after each, the process is
/// alive and keeps serving.
@Suite struct HostileInputProcessTests {
    static let hour: Int64 = 3_600_000_000

    /// The start of the hour three hours ago (µs): inside every retention and skew.
    static var hourStart: Int64 {
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000
        return now - now % hour - 3 * hour
    }

    static func line(_ id: String, _ time: Int64, x: String, c: String = "a") -> String {
        #"{"id": "\#(id)", "timestamp": "\#(RFC3339.text(microseconds: time))", "features": {"x": \#(x), "c": "\#(c)"}, "prediction": 1, "score": 0.6}"#
    }

    static let referenceCSV = "x,c,prediction,score\n" + (0..<300).map { "\($0 % 50),a,1,0.5" }.joined(separator: "\n")

    func agent(
        _ name: String, models: String, server: String = "window_check_interval: 1s", extra: String = "",
        url: String? = nil
    ) async throws -> AgentProcess {
        let url = try url ?? TestCluster.createDatabase(prefix: name)
        return try await AgentProcess(
            name: name, models: models, server: server, files: ["reference.csv": Self.referenceCSV], extra: extra,
            environment: ["AGENT_TEST_NO_DATABASE_URL": url])
    }

    /// Waits until the model's status names a closed window ending after `time` (at most 3 minutes).
    func closed(_ agent: AgentProcess, _ model: String, after time: Int64) async throws -> Bool {
        let body = try await agent.wait("/v1/models/\(model)/status", seconds: 180) { text in
            guard case .string(let end)? = (try? JSONValue.parse(text))?["last_closed_window"]?["end"],
                let t = RFC3339.microseconds(end)
            else { return false }
            return t > time
        }
        return body != nil
    }

    @Test func hugeFeatureValuesLeaveTheAgentServingItsReport() async throws {
        let agent = try await agent(
            "huge-report",
            models: """
                  noref: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s}
                """)
        defer { agent.stop() }
        let start = Self.hourStart
        let values = ["1e300", "2e17", "9.3e18", "-1e300", "1.5", "5e-324", "-0.0"]
        let body = values.enumerated().map { Self.line("v\($0.offset)", start + Int64($0.offset), x: $0.element) }
        #expect(await agent.post("/v1/models/noref/predictions", body.joined(separator: "\n"))?.0 == 200)
        #expect(try await closed(agent, "noref", after: start), "\(agent.log)")
        let report = await agent.get("/v1/models/noref/report")
        #expect(report?.0 == 200)
        #expect(report?.1.contains("</html>") == true)
        #expect(agent.process.isRunning)
        #expect(await agent.get("/readyz")?.0 == 200)
    }

    @Test func evidentlyBinningOfTheLargestDoublesClosesTheWindowAcrossARestart() async throws {
        let agent = try await agent(
            "huge-evidently",
            models: """
                  evid:
                    task: binary
                    features: {x: numeric, c: categorical}
                    window: 1h
                    allowed_lateness: 0s
                    reference: {file: reference.csv}
                    drift: {binning: evidently, numeric_methods: [psi, jensen_shannon, hellinger, ks, wasserstein]}
                """)
        defer { agent.stop() }
        let start = Self.hourStart
        let body = ["-1.7e308", "1.7e308", "3", "1.7976931348623157e308"].enumerated().map {
            Self.line("e\($0.offset)", start + Int64($0.offset), x: $0.element)
        }
        #expect(await agent.post("/v1/models/evid/predictions", body.joined(separator: "\n"))?.0 == 200)
        #expect(try await closed(agent, "evid", after: start), "\(agent.log)")
        // A restart closes the next window too (the old code trapped again at every start).
        agent.kill()
        try await agent.start()
        let next = Self.line("n0", start + Self.hour, x: "1.7e308")
        #expect(await agent.post("/v1/models/evid/predictions", next)?.0 == 200)
        #expect(try await closed(agent, "evid", after: start + Self.hour), "\(agent.log)")
        #expect(agent.process.isRunning)
    }

    @Test func aReceiverAskingForARetryInAHundredMillionYearsLeavesTheAgentStanding() async throws {
        let receiverPort = Int.random(in: 41_000...49_000)
        let log = "/tmp/driftwatch-retry-after-\(getpid())-\(receiverPort).log"
        let url = try TestCluster.createDatabase(prefix: "retry_after")
        let agent = try await agent(
            "retry-after",
            models: """
                  m:
                    task: binary
                    features: {x: numeric, c: categorical}
                    window: 1h
                    allowed_lateness: 0s
                    rules:
                      - {name: always, metric: volume, when: "> 0", receivers: [hook]}
                """,
            extra: """
                alerting:
                  send_interval: 1s
                  receivers:
                    hook: {url: "http://127.0.0.1:\(receiverPort)/hook", format: json, timeout: 5s}
                """, url: url)
        defer { agent.stop() }
        let receiver = try AlertsCommandTests.PythonReceiver(
            port: receiverPort, log: log, status: 503, headers: ["Retry-After": "99999999999999"])
        defer {
            receiver.stop()
            try? FileManager.default.removeItem(atPath: log)
        }
        try await AlertsCommandTests.PythonReceiver.waitUntilListening(port: receiverPort)
        let start = Self.hourStart
        #expect(await agent.post("/v1/models/m/predictions", Self.line("a", start, x: "1"))?.0 == 200)
        // The agent reads the 503's Retry-After and records the attempt (the old code trapped on it).
        let database = try PostgresConnection(configuration: PostgresConfiguration(url: url))
        var recorded = false
        for _ in 0..<1_800 where !recorded && agent.process.isRunning {
            let attempts = try database.query(
                "SELECT count(*) FROM alert_delivery_attempts WHERE status_code = 503", purpose: "read attempts")
            recorded = (try attempts.scalar(Int.self, purpose: "read attempts") ?? 0) > 0
            if !recorded { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(recorded, "\(agent.log)")
        #expect(!receiver.lines().isEmpty)
        #expect(agent.process.isRunning, "\(agent.log)")
        #expect(await agent.get("/readyz")?.0 == 200)
    }
}
