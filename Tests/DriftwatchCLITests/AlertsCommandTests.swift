import DriftStats
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Alerts end to end with real processes: `driftwatch alerts test`, an agent that fires while its
/// receiver is down, is SIGKILLed with the notification undelivered, and delivers it after a restart.
@Suite struct AlertsCommandTests {
    /// A receiver (python3's http.server) that appends each request to `log` as JSON and answers `status`
    /// (200 unless told) with `headers`.
    final class PythonReceiver {
        let process = Process()
        let log: String
        init(port: Int, log: String, status: Int = 200, headers: [String: String] = [:]) throws {
            self.log = log
            let sent = headers.sorted { $0.key < $1.key }.map { "self.send_header(\"\($0.key)\", \"\($0.value)\")" }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-c",
                """
                import http.server, json, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_POST(self):
                        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                        with open(sys.argv[2], "a") as f:
                            f.write(json.dumps({"path": self.path, "id": self.headers.get("webhook-id"),
                                                "body": body.decode()}) + "\\n")
                        self.send_response(\(status))
                        \(sent.joined(separator: "\n        "))
                        self.end_headers()
                        self.wfile.write(b"ok")
                    def log_message(self, *args):
                        pass
                http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
                """,
                String(port), log,
            ]
            try process.run()
        }

        func lines() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// Returns once something listens on `port` (at most a minute).
        static func waitUntilListening(port: Int) async throws {
            for _ in 0..<600 {
                if let socket = LoopbackSocket.connect(port: port) {
                    close(socket)
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        /// SIGKILL: a child of this test process inherits its blocked signals, so SIGTERM may never arrive.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func aNotificationUndeliveredWhenTheAgentIsKilledIsDeliveredAfterItsRestart() async throws {
        let receiverPort = Int.random(in: 41_000...49_000)
        var rng = SplitMix64(seed: 3)
        let reference = "x\n" + (0..<1000).map { _ in "\(rng.nextGaussian())" }.joined(separator: "\n") + "\n"
        let agent = try await AgentProcess(
            name: "alerts",
            models: """
                  scored:
                    task: binary
                    features: {x: numeric}
                    window: 1h
                    allowed_lateness: 1s
                    reference: {file: reference.csv}
                    rules:
                      - {name: x_shift, metric: drift_statistic, feature: x, method: ks, when: "> 0.3", receivers: [hook]}
                """, server: "window_check_interval: 1s", files: ["reference.csv": reference],
            extra: """
                alerting:
                  send_interval: 1s
                  max_retry_interval: 1s
                  receivers:
                    hook: {url: "http://127.0.0.1:\(receiverPort)/hook", format: json, secret_env: HOOK_SECRET, timeout: 2s, connect_timeout: 1s}
                """, environment: ["HOOK_SECRET": "s3cret"])
        defer { agent.stop() }
        let log = agent.state + "/received.ndjson"

        // `alerts test` against a receiver that is not there: a clear error, exit 1.
        let down = try CLIRunner.run(
            ["alerts", "test", "--config", agent.config, "--receiver", "hook"], environment: ["HOOK_SECRET": "s3cret"])
        #expect(down.status == 1, "\(down.stdout) \(down.stderr)")
        #expect(down.stderr.contains("hook (http://127.0.0.1:\(receiverPort)/hook)"), "\(down.stderr)")

        // Drift at 09:00 (the window closes once 10:10 arrives): the alert fires while the receiver is down.
        var lines = ["id,timestamp,x"]
        for i in 0..<400 {
            let hour = i < 200 ? 8 : 9
            let value = rng.nextGaussian() + (hour == 9 ? 3 : 0)
            lines.append(String(format: "e\(i),2026-11-20T%02d:%02d:00Z,\(value)", hour, (i % 200) * 60 / 200))
        }
        lines.append("push,2026-11-20T10:10:00Z,0")
        let events = agent.state + "/events.csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: events, atomically: true, encoding: .utf8)
        let send = try CLIRunner.run(["send", "--url", agent.base, "--model", "scored", "--file", events])
        #expect(send.status == 0, "\(send.stderr)")
        let firing = try await agent.wait("/v1/alerts") { $0.contains(#""state":"firing""#) }
        #expect(firing != nil)
        // Wait for a failed attempt (connection refused), then kill the agent without any shutdown.
        var listed = ""
        for _ in 0..<600 {
            listed = try CLIRunner.run(["alerts", "list", "--state-dir", agent.state + "/db"]).stdout
            if listed.contains("Couldn't connect to server") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(listed.contains("firing → hook: pending after"), "\(listed)")
        #expect(listed.contains("Couldn't connect to server"), "\(listed)")
        // The fault suite keeps the receiver down longer while the agent retries
        // (DRIFTWATCH_RECEIVER_DOWN_SECONDS).
        let downSeconds = Int(ProcessInfo.processInfo.environment["DRIFTWATCH_RECEIVER_DOWN_SECONDS"] ?? "") ?? 0
        if downSeconds > 0 { try await Task.sleep(for: .seconds(downSeconds)) }
        agent.kill()

        // The receiver comes up; `alerts test` now gets its answer.
        let receiver = try PythonReceiver(port: receiverPort, log: log)
        defer { receiver.stop() }
        try await PythonReceiver.waitUntilListening(port: receiverPort)
        let up = try CLIRunner.run(
            ["alerts", "test", "--config", agent.config, "--receiver", "hook"], environment: ["HOOK_SECRET": "s3cret"])
        #expect(receiver.lines().contains { $0.contains("driftwatch_test") })
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout.contains("answered HTTP 200"), "\(up.stdout)")

        // Restarted, the agent delivers the notification the killed one left in the outbox — once (after the
        // killed sender's lease on it runs out, if it died mid-attempt: timeouts + 5 s).
        try await agent.start()
        var delivered: [String] = []
        for _ in 0..<900 {
            delivered = receiver.lines().filter { $0.contains("alert.firing") && $0.contains("x_shift") }
            if !delivered.isEmpty { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(delivered.count == 1, "\(receiver.lines())")
        #expect(delivered.first?.contains(#"x_shift"#) == true)
        // The agent records the delivery just after the receiver answered.
        for _ in 0..<600 {
            listed = try CLIRunner.run(["alerts", "list", "--state-dir", agent.state + "/db"]).stdout
            if listed.contains("delivered") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(listed.contains("firing → hook: delivered after"), "\(listed)")
        #expect(agent.stop() == 0)
    }
}
