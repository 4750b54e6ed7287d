import DriftAgent
import DriftConfig
import DriftCore
import DriftStats
import DriftStore
import DriftSystem
import DriftTables
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Alertmanager (`prometheus-alertmanager` from Debian's package of that name, which
/// `scripts/setup.sh` installs) on a loopback port, its storage and configuration in a temporary directory,
/// clustering off.
final class AlertmanagerProcess {
    let port: Int
    let directory: String
    let process: Process
    var base: String { "http://127.0.0.1:\(port)" }

    /// Writes the configuration (one receiver that sends nowhere) on `port`; `start()` runs it.
    init(port: Int) throws {
        self.port = port
        directory = "/tmp/driftwatch-am-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try """
        route: {receiver: blackhole, group_wait: 1s, group_interval: 1s, repeat_interval: 1h}
        receivers: [{name: blackhole}]
        """.write(toFile: directory + "/alertmanager.yml", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "prometheus-alertmanager", "--config.file=\(directory)/alertmanager.yml",
            "--storage.path=\(directory)/data", "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: directory + "/alertmanager.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory + "/alertmanager.log") ?? FileHandle.nullDevice
    }

    /// An Alertmanager started on a free loopback port: when another process took the port between its
    /// choice and the bind (Alertmanager exits), it is started again on another one, up to five times.
    static func started() async throws -> AlertmanagerProcess {
        for _ in 0..<4 {
            let alertmanager = try AlertmanagerProcess(port: LoopbackPort.free())
            if try await alertmanager.run() { return alertmanager }
            alertmanager.stop()
        }
        let alertmanager = try AlertmanagerProcess(port: LoopbackPort.free())
        try await alertmanager.start()
        return alertmanager
    }

    /// Starts Alertmanager; true once `/-/ready` answers 200, false when it exited (e.g. its port was taken).
    func run() async throws -> Bool {
        try process.run()
        for _ in 0..<600 {
            if await Self.get(base + "/-/ready", timeout: 2)?.status == 200 { return true }
            if !process.isRunning { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Starts Alertmanager and returns once `/-/ready` answers 200 (or records an issue after 600 polls).
    /// Each poll gives up after 2 s, so one request stuck on a loaded machine does not use up the wait.
    func start() async throws {
        try process.run()
        for _ in 0..<600 {
            if await Self.get(base + "/-/ready", timeout: 2)?.status == 200 { return }
            try #require(process.isRunning, "alertmanager exited: \(log)")
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("alertmanager not ready after 600 polls: \(log)")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var log: String { (try? String(contentsOfFile: directory + "/alertmanager.log", encoding: .utf8)) ?? "" }

    /// The alerts Alertmanager holds (`GET /api/v2/alerts`), as parsed JSON objects.
    func alerts() async throws -> [JSONValue] {
        let reply = try #require(await Self.get(base + "/api/v2/alerts"))
        try #require(reply.status == 200, "\(reply.body)")
        guard case .array(let items) = try JSONValue.parse(reply.body) else { return [] }
        return items
    }

    /// The active alerts named `alertname` (listed and not suppressed; one not yet routed is `unprocessed`).
    func active(_ alertname: String) async throws -> [JSONValue] {
        try await alerts().filter {
            $0["labels"]?["alertname"] == .string(alertname)
                && ($0["status"]?["state"] == .string("active") || $0["status"]?["state"] == .string("unprocessed"))
        }
    }

    static func get(_ url: String, timeout: Double = 10) async -> (status: Int, body: String)? {
        guard let target = URL(string: url) else { return nil }
        var request = URLRequest(url: target)
        request.timeoutInterval = timeout
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }
}

/// `format: alertmanager_api` against a real Alertmanager: a firing alert is posted to `/api/v2/alerts` with
/// its labels, re-posted while it fires, ended when it resolves, and retried through the outbox while
/// Alertmanager is down.
@Suite(.serialized) struct AlertmanagerAPITests {
    static let hour: Int64 = 3_600_000_000
    static let eight: Int64 = 1_795_420_800_000_000

    static func yaml(port: Int, resend: String) -> String {
        """
        auth: {enabled: false}
        alerting:
          external_url: http://agent.test:8080
          repeat_interval: never
          send_interval: 1s
          max_retry_interval: 1s
          receivers:
            am: {url: "http://127.0.0.1:\(port)/", format: alertmanager_api, resend_interval: \(resend), deadline: 1h}
        defaults: {retention: 36500d}  # fixed-date events stay within retention
        models:
          credit:
            task: binary
            features: {income: numeric}
            window: 1h
            allowed_lateness: 1m
            rules:
              - name: income_psi
                metric: drift_statistic
                method: psi
                when: "> 0.2"
                severity: critical
                labels: {team: risk}
        """
    }

    func environment(port: Int, resend: String = "1h") async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml(port: port, resend: resend), file: "am.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "alertmanager")), size: 4)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
    }

    func sender(_ environment: AgentEnvironment) -> WebhookSender {
        WebhookSender(
            pool: environment.pool, alerting: environment.configuration.alerting, environment: [:],
            logger: Logger(label: "sender"))
    }

    /// 300 events in each of `hours` (from 08:00), `income` shifted by 2 in the hours `shifted`, and one
    /// event 10 minutes into the hour after, which lets those windows close.
    static func events(hours: Range<Int>, shifted: Set<Int>) -> String {
        var rng = SplitMix64(seed: UInt64(hours.lowerBound + 42))
        var lines: [String] = []
        for hour in hours {
            let shift = shifted.contains(hour) ? 2.0 : 0.0
            for i in 0..<300 {
                let t = eight + Int64(hour) * Self.hour + Int64(i) * 10_000_000
                lines.append(
                    #"{"id": "h\#(hour)-\#(i)", "timestamp": "\#(RFC3339.text(microseconds: t))", "features": {"income": \#(rng.nextGaussian() + shift)}}"#
                )
            }
        }
        let push = eight + Int64(hours.upperBound) * Self.hour + 600_000_000
        lines.append(
            #"{"id": "push\#(hours.upperBound)", "timestamp": "\#(RFC3339.text(microseconds: push))", "features": {"income": 0}}"#
        )
        return lines.joined(separator: "\n")
    }

    static func reference() -> String {
        var rng = SplitMix64(seed: 7)
        return (0..<2000).map { _ in #"{"income": \#(rng.nextGaussian())}"# }.joined(separator: "\n")
    }

    func ingest(_ environment: AgentEnvironment, reference: Bool, events: String) async throws {
        try await Application(router: buildRouter(environment)).test(.router) { client in
            if reference {
                try await client.execute(
                    uri: "/v1/models/credit/reference", method: .put, headers: [.contentType: "application/x-ndjson"],
                    body: ByteBuffer(string: Self.reference())
                ) { #expect($0.status == .ok, "\(String(buffer: $0.body))") }
            }
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: ByteBuffer(string: events)
            ) { #expect($0.status == .ok, "\(String(buffer: $0.body))") }
        }
    }

    /// Windows 08:00 (clear) and 09:00 (shifted) closed: the rule fires.
    func firing(_ environment: AgentEnvironment) async throws -> WindowCloser {
        try await ingest(environment, reference: true, events: Self.events(hours: 0..<2, shifted: [1]))
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "closer"))
        #expect(await closer.tick().count == 2)
        return closer
    }

    /// Runs the sender until `condition` holds (true) or `seconds` pass (false).
    func send(
        _ sender: WebhookSender, seconds: Double = 60, until condition: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            try await sender.sendDue()
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    @Test func aFiringAlertAppearsInAlertmanagerWithItsLabels() async throws {
        let alertmanager = try await AlertmanagerProcess.started()
        defer { alertmanager.stop() }
        let environment = try await environment(port: alertmanager.port)
        _ = try await firing(environment)
        let seen = try await send(sender(environment)) { try await !alertmanager.active("income_psi").isEmpty }
        #expect(seen, "\(alertmanager.log)")
        let alert = try #require(try await alertmanager.active("income_psi").first)
        #expect(alert["labels"]?["model"] == .string("credit"))
        #expect(alert["labels"]?["feature"] == .string("income"))
        #expect(alert["labels"]?["method"] == .string("psi"))
        #expect(alert["labels"]?["team"] == .string("risk"))
        #expect(alert["labels"]?["severity"] == .string("critical"))
        #expect(alert["annotations"]?["description"]?.text?.contains("income_psi") == true)
        #expect(alert["generatorURL"] == .string("http://agent.test:8080/v1/models/credit/report"))
        await environment.pool.close()
    }

    @Test func aResolvedAlertIsNoLongerActiveInAlertmanager() async throws {
        let alertmanager = try await AlertmanagerProcess.started()
        defer { alertmanager.stop() }
        let environment = try await environment(port: alertmanager.port)
        let closer = try await firing(environment)
        let sender = sender(environment)
        #expect(try await send(sender) { try await !alertmanager.active("income_psi").isEmpty })
        // 10:00 is clear again: the alert resolves.
        try await ingest(environment, reference: false, events: Self.events(hours: 2..<3, shifted: []))
        #expect(await closer.tick().count == 1)
        let gone = try await send(sender) { try await alertmanager.active("income_psi").isEmpty }
        let left = try await alertmanager.alerts()
        #expect(gone, "\(left)")
        await environment.pool.close()
    }

    @Test func aFiringAlertIsPostedAgainWithALaterEnd() async throws {
        let alertmanager = try await AlertmanagerProcess.started()
        defer { alertmanager.stop() }
        let environment = try await environment(port: alertmanager.port, resend: "1s")
        _ = try await firing(environment)
        let sender = sender(environment)
        func end() async throws -> Int64? {
            try await alertmanager.active("income_psi").first?["endsAt"]?.text.flatMap(RFC3339.microseconds)
        }
        var firstEnd: Int64?
        #expect(
            try await send(sender) {
                firstEnd = try await end()
                return firstEnd != nil
            })
        let first = try #require(firstEnd)
        let later = try await send(sender) { try await end().map { $0 > first } ?? false }
        #expect(later, "endsAt stayed \(RFC3339.text(microseconds: first))")
        let resent = try await environment.pool.withConnection(purpose: "read") {
            try $0.query(
                "SELECT count(*) FROM alert_deliveries WHERE event_type = 'resend' AND status = 'delivered'",
                purpose: "r"
            ).scalar(Int.self, purpose: "r") ?? 0
        }
        #expect(resent >= 1)
        await environment.pool.close()
    }

    @Test func anAlertmanagerThatIsDownAtFirstGetsTheAlertOnceUp() async throws {
        let alertmanager = try AlertmanagerProcess(port: LoopbackPort.free())
        defer { alertmanager.stop() }
        let environment = try await environment(port: alertmanager.port)
        _ = try await firing(environment)
        let sender = sender(environment)
        // Nobody listens yet: the post fails and is due again.
        let tried = try await send(sender) {
            try await environment.pool.withConnection(purpose: "read") {
                try $0.query(
                    "SELECT count(*) FROM alert_deliveries WHERE status = 'pending' AND attempts > 0", purpose: "r"
                ).scalar(Int.self, purpose: "r") ?? 0
            } > 0
        }
        #expect(tried)
        try await alertmanager.start()
        let seen = try await send(sender) { try await !alertmanager.active("income_psi").isEmpty }
        #expect(seen, "\(alertmanager.log)")
        await environment.pool.close()
    }
}

extension JSONValue {
    /// The text of a string (nil for any other value).
    fileprivate var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
