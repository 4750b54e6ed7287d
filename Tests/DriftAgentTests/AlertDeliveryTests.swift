import DriftAgent
import DriftAlerts
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

#if canImport(Glibc)
    import Glibc
#endif

/// A webhook receiver on loopback that records what it gets and answers as told.
actor Receiver {
    struct Received: Sendable {
        let path: String
        let headers: [String: String]
        let body: String
    }
    private(set) var received: [Received] = []
    /// Per path: status codes to answer, in order (200 once they run out), and seconds to wait first.
    var scripts: [String: [Int]] = [:]
    var delays: [String: [Double]] = [:]

    func take(_ r: Received) -> (Int, Double) {
        received.append(r)
        var status = 200
        var delay = 0.0
        if var pending = scripts[r.path], !pending.isEmpty {
            status = pending.removeFirst()
            scripts[r.path] = pending
        }
        if var pending = delays[r.path], !pending.isEmpty {
            delay = pending.removeFirst()
            delays[r.path] = pending
        }
        return (status, delay)
    }

    func set(scripts: [String: [Int]], delays: [String: [Double]] = [:]) {
        self.scripts = scripts
        self.delays = delays
    }

    func bodies(_ path: String) -> [String] { received.filter { $0.path == path }.map(\.body) }

    /// Runs a receiver on `port` (loopback) while `body` runs.
    static func serve(_ receiver: Receiver, port: Int, _ body: () async throws -> Void) async throws {
        let app = application(receiver, port: port)
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        for _ in 0..<1200 {
            let ping = try await CurlTransport.post(
                url: "http://127.0.0.1:\(port)/ready", headers: [], body: "{}", connectTimeoutSeconds: 1,
                timeoutSeconds: 2)
            if case .success = ping { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await body()
    }

    static func application(_ receiver: Receiver, port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.post("**") { request, context -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let (status, delay) = await receiver.take(Received(path: request.uri.path, headers: headers, body: body))
            if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
            return Response(status: .init(code: status))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }
}

@Suite(.serialized) struct AlertDeliveryTests {
    static let hour: Int64 = 3_600_000_000
    static let eight: Int64 = 1_795_420_800_000_000
    static let secret = "whsec_" + Data("a test secret, not a real one".utf8).base64EncodedString()

    static func yaml(port: Int, deadline: String = "1h", timeout: String = "10s") -> String {
        """
        auth: {enabled: false}
        alerting:
          external_url: http://agent.test:8080
          repeat_interval: never
          send_interval: 1s
          max_retry_interval: 1s
          receivers:
            hook: {url: "http://127.0.0.1:\(port)/hook", format: json, secret_env: HOOK_SECRET, hub_signature: true, timeout: \(timeout), deadline: \(deadline)}
            am: {url: "http://127.0.0.1:\(port)/am", format: alertmanager, timeout: \(timeout), deadline: \(deadline)}
            slow: {url: "http://127.0.0.1:\(port)/slow", format: slack, timeout: 1s, deadline: \(deadline)}
        defaults: {retention: 36500d}  # fixed-date events stay within retention
        models:
          credit:
            task: binary
            features: {"inc\\"ome\\n€": numeric}
            window: 1h
            allowed_lateness: 1m
            rules:
              - name: income_psi
                metric: drift_statistic
                method: psi
                when: "> 0.2"
                for: 2
                receivers: [hook, am]
                retrain: true
                annotations: {summary: "PSI of {{feature}} is {{value}} in {{model}}"}
        """
    }

    func environment(port: Int, deadline: String = "1h", timeout: String = "10s") async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(
            yaml: Self.yaml(port: port, deadline: deadline, timeout: timeout), file: "alerts.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "alerts")), size: 4)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
    }

    func sender(_ environment: AgentEnvironment) -> WebhookSender {
        WebhookSender(
            pool: environment.pool, alerting: environment.configuration.alerting,
            environment: ["HOOK_SECRET": Self.secret], logger: Logger(label: "sender"))
    }

    /// Hours 08–13: the feature shifts at 09, 10 and 11, then comes back.
    static func events() -> String {
        var rng = SplitMix64(seed: 42)
        var lines: [String] = []
        for hour in 0..<6 {
            let shift = (1...3).contains(hour) ? 2.0 : 0.0
            for i in 0..<300 {
                let t = eight + Int64(hour) * hour_ + Int64(i) * 10_000_000
                lines.append(
                    #"{"id": "h\#(hour)-\#(i)", "timestamp": "\#(RFC3339.text(microseconds: t))", "features": {"inc\"ome\n€": \#(rng.nextGaussian() + shift)}}"#
                )
            }
        }
        // 14:10 pushes event time past 13:00 + lateness.
        lines.append(
            #"{"id": "push", "timestamp": "\#(RFC3339.text(microseconds: eight + 6 * hour_ + 600_000_000))", "features": {"inc\"ome\n€": 0}}"#
        )
        return lines.joined(separator: "\n")
    }
    static let hour_: Int64 = 3_600_000_000

    static func reference() -> String {
        var rng = SplitMix64(seed: 7)
        return #"{"inc\"ome\n€": 0}"# + "\n"
            + (0..<2000).map { _ in #"{"inc\"ome\n€": \#(rng.nextGaussian())}"# }.joined(separator: "\n")
    }

    func ingest(_ environment: AgentEnvironment) async throws {
        let reference = ByteBuffer(string: Self.reference())
        let events = ByteBuffer(string: Self.events())
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/credit/reference", method: .put, headers: [.contentType: "application/x-ndjson"],
                body: reference
            ) { #expect($0.status == .ok, "\(String(buffer: $0.body))") }
            try await client.execute(
                uri: "/v1/models/credit/predictions", method: .post, headers: [.contentType: "application/x-ndjson"],
                body: events
            ) { #expect($0.status == .ok) }
        }
    }

    /// Sends until nothing is due (retries included), bounded.
    func drain(_ sender: WebhookSender, _ environment: AgentEnvironment, seconds: Double = 120) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            try await sender.sendDue()
            let pending = try await environment.pool.withConnection(purpose: "pending") {
                try $0.query("SELECT count(*) FROM alert_deliveries WHERE status = 'pending'", purpose: "p")
                    .scalar(Int.self, purpose: "p") ?? 0
            }
            if pending == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// An environment whose six windows (the feature shifted in three) are ingested and closed once.
    func closedDrift(port: Int) async throws -> (environment: AgentEnvironment, closer: WindowCloser, closed: Int) {
        let environment = try await environment(port: port)
        try await ingest(environment)
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: Logger(label: "closer"))
        return (environment, closer, await closer.tick().count)
    }

    /// The bodies each receiver got once every notification of the closed drift was delivered, and what the
    /// hook received first.
    func deliveredDrift() async throws -> (hook: [String], am: [String], first: Receiver.Received?) {
        let port = Int.random(in: 41_000...49_000)
        let receiver = Receiver()
        let (environment, _, _) = try await closedDrift(port: port)
        let sender = sender(environment)
        try await Receiver.serve(receiver, port: port) {
            try await drain(sender, environment)
        }
        await environment.pool.close()
        return (
            await receiver.bodies("/hook"), await receiver.bodies("/am"),
            await receiver.received.first { $0.path == "/hook" }
        )
    }

    @Test func driftFiresOnceAfterItsForWindowsThenResolvesOnce() async throws {
        let (environment, closer, closed) = try await closedDrift(port: Int.random(in: 41_000...49_000))
        #expect(closed == 6)
        // Judging the last window again (a restart) changes nothing.
        #expect(await closer.tick().isEmpty)
        let alerts = try await environment.pool.withConnection(purpose: "read") {
            try AlertStore.alerts(modelID: nil, openOnly: false, limit: 10, on: $0)
        }
        #expect(alerts.count == 1)
        #expect(alerts.first?.state == .resolved)
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(uri: "/v1/alerts?state=all", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#""rule":"income_psi","state":"resolved""#), "\(text)")
                #expect(text.contains(#""breaching_windows":3"#), "\(text)")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"driftwatch_alerts{model="credit",severity="warning",state="firing"} 0"#))
            }
            try await client.execute(uri: "/v1/alerts", method: .get) {
                #expect(String(buffer: $0.body).hasPrefix(#"{"alerts":[]}"#))
            }
        }
        await environment.pool.close()
    }

    /// The rule is marked `retrain`: firing queued one retraining job.
    @Test func aFiringRuleMarkedRetrainQueuesOneRetrainingJob() async throws {
        let (environment, _, _) = try await closedDrift(port: Int.random(in: 41_000...49_000))
        let jobs = try await environment.pool.withConnection(purpose: "read") {
            try $0.query("SELECT reason FROM retrain_jobs", purpose: "r").rows.compactMap { $0[0] }
        }
        #expect(jobs == ["income_psi"])
        await environment.pool.close()
    }

    @Test func notificationsWaitInTheOutboxWhileTheReceiverIsDown() async throws {
        let (environment, _, _) = try await closedDrift(port: Int.random(in: 41_000...49_000))
        try await sender(environment).sendDue()
        let refused = try await environment.pool.withConnection(purpose: "read") {
            try DeliveryStore.recent(limit: 10, on: $0)
        }
        #expect(
            refused.contains { $0.attempts == 1 && $0.status == "pending" && ($0.lastError ?? "").contains("curl") },
            "\(refused)")
        await environment.pool.close()
    }

    @Test func eachReceiverGetsTheFiringThenTheResolvedNotificationOnce() async throws {
        let (hook, am, _) = try await deliveredDrift()
        #expect(hook.count == 2 && am.count == 2, "\(hook) \(am)")
        #expect(hook.first?.contains(#""type":"alert.firing""#) == true)
        #expect(hook.last?.contains(#""type":"alert.resolved""#) == true)
        #expect(am.first?.contains(#""status":"firing""#) == true)
        #expect(am.last?.contains(#""status":"resolved""#) == true)
        #expect(am.first?.contains(#""endsAt":"0001-01-01T00:00:00Z""#) == true)
    }

    /// Valid JSON with the quote, newline and euro sign of the feature's name, and the filled summary.
    @Test func aDeliveredNotificationIsJSONWithTheFilledSummary() async throws {
        let (hook, am, _) = try await deliveredDrift()
        try #require(!hook.isEmpty && !am.isEmpty)
        for body in hook + am {
            #expect(try JSONValue.parse(body).isObject, "\(body)")
        }
        #expect(hook.first?.contains(#"PSI of inc\"ome\n€ is"#) == true, "\(hook.first ?? "")")
    }

    /// The Standard Webhooks signature verifies with Python's hmac, independently.
    @Test func aSignedNotificationVerifiesWithPythonsHMAC() async throws {
        let (_, _, received) = try await deliveredDrift()
        let first = try #require(received)
        let id = try #require(first.headers["webhook-id"])
        let timestamp = try #require(first.headers["webhook-timestamp"])
        let signature = try #require(first.headers["webhook-signature"])
        let file = "/tmp/driftwatch-signed-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        try first.body.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            """
            import base64, hashlib, hmac, sys
            secret, msg_id, ts, sig, path = sys.argv[1:6]
            key = base64.b64decode(secret[len("whsec_"):])
            body = open(path, "rb").read()
            mac = hmac.new(key, msg_id.encode() + b"." + ts.encode() + b"." + body, hashlib.sha256).digest()
            ok = sig == "v1," + base64.b64encode(mac).decode()
            hub = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
            sys.exit(0 if ok and hub == sys.argv[6] else 1)
            """,
            Self.secret, id, timestamp, signature, file, first.headers["x-hub-signature-256"] ?? "",
        ]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
    }

    /// Writes one notification for each receiver straight into the outbox.
    func enqueue(_ environment: AgentEnvironment, receivers: [String]) async throws {
        let deliveries = receivers.map {
            OutboxNotification(
                receiver: $0, eventType: "firing", webhookID: "dw_test_\($0)", payload: #"{"hello": "world"}"#,
                deadline: WallClock.microseconds() + 3_600_000_000)
        }
        try await environment.pool.withConnection(purpose: "enqueue") { c in
            let id = try ModelStore.register(name: "credit", task: "binary", on: c).id
            try AlertStore.apply(
                AlertStore.Change(
                    alertID: nil, fingerprint: "f", rule: "r", severity: "warning", labelsJSON: "{}",
                    annotationsJSON: "{}", figuresJSON: "{}",
                    lifecycle: OpenAlertState(state: .firing, breaches: 1, clearWindows: 0, lastNotifiedAt: 0),
                    windowStart: 0, startsAt: 0, endsAt: nil),
                deliveries: deliveries, modelID: id, on: c)
        }
    }

    func deliveries(_ environment: AgentEnvironment) async throws -> [String: DeliveryStore.Listed] {
        let listed = try await environment.pool.withConnection(purpose: "read") {
            try DeliveryStore.recent(limit: 10, on: $0)
        }
        return Dictionary(listed.map { ($0.receiver, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func aFiveHundredIsRetriedUntilDelivered() async throws {
        let port = Int.random(in: 41_000...49_000)
        let receiver = Receiver()
        let environment = try await environment(port: port)
        try await enqueue(environment, receivers: ["hook"])
        let sender = sender(environment)
        try await Receiver.serve(receiver, port: port) {
            await receiver.set(scripts: ["/hook": [500]], delays: [:])  // 500, then 200
            try await drain(sender, environment)
        }
        let state = try await deliveries(environment)
        #expect(state["hook"]?.status == "delivered")
        #expect(state["hook"]?.attempts == 2)
        await environment.pool.close()
    }

    @Test func aFourHundredFailsTheDeliveryAtOnce() async throws {
        let port = Int.random(in: 41_000...49_000)
        let receiver = Receiver()
        let environment = try await environment(port: port)
        try await enqueue(environment, receivers: ["am"])
        let sender = sender(environment)
        try await Receiver.serve(receiver, port: port) {
            await receiver.set(scripts: ["/am": [400]], delays: [:])
            try await drain(sender, environment)
        }
        let state = try await deliveries(environment)
        #expect(state["am"]?.status == "failed")
        #expect(state["am"]?.lastStatusCode == 400)
        #expect(state["am"]?.attempts == 1)
        await environment.pool.close()
    }

    @Test func aHangingReceiverTimesOutWithoutHoldingUpTheOthers() async throws {
        let port = Int.random(in: 41_000...49_000)
        let receiver = Receiver()
        let environment = try await environment(port: port)
        try await enqueue(environment, receivers: ["hook", "am", "slow"])
        let sender = sender(environment)
        try await Receiver.serve(receiver, port: port) {
            // /slow hangs past its 1 s timeout, then would answer.
            await receiver.set(scripts: ["/hook": [500], "/am": [400]], delays: ["/slow": [3]])
            try await sender.sendDue()
            var state = try await deliveries(environment)
            // Three claimed at once; the hanging one did not hold up the others (each on an executor thread).
            #expect(state["am"]?.status == "failed")
            #expect(state["slow"]?.status == "pending")
            let slowError = state["slow"]?.lastError ?? ""
            #expect(slowError.contains("Timeout"), "\(slowError)")
            try await drain(sender, environment)
            state = try await deliveries(environment)
            #expect(state["slow"]?.status == "delivered")
        }
        await environment.pool.close()
    }
}

extension JSONValue {
    /// Whether this is a JSON object.
    fileprivate var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
