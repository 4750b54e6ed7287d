import DriftAgent
import DriftConfig
import DriftCore
import DriftStats
import DriftStore
import DriftTables
import DriftTestSupport
import DriftTrainer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

/// Closing the loop through the public API and a real PostgreSQL: the built-in champion serves
/// (`/predict`, logged), labels arrive, windows close, a `retrain` rule fires, the worker trains a
/// challenger on OpenBLAS, compares it with the champion on the same held-out rows and promotes it only
/// when it is better; jobs survive a worker that dies.
@Suite struct RetrainTests {
    static let hour: Int64 = 3_600_000_000
    /// 2026-11-23T08:00:00Z.
    static let eight: Int64 = 1_795_420_800_000_000

    static func yaml(margin: Double = 0.02, trainingWindow: String = "2h", lease: String = "2m") -> String {
        """
        auth: {enabled: false}
        defaults:
          retention: 36500d  # fixed-date events stay within retention
          window: 1h
          allowed_lateness: 0s
        alerting:
          receivers:
            hooks: {url: "http://127.0.0.1:9/hooks", format: json}
        models:
          concept:
            task: binary
            features:
              x1: numeric
              x2: numeric
              color: categorical
            rules:
              - name: f1_low
                metric: f1
                class: "1"
                when: "< 0.8"
                min_label_coverage: 0.5
                retrain: true
            retrain:
              min_labelled_rows: 300
              training_window: \(trainingWindow)
              holdout_fraction: 0.25
              cooldown: 0s
              metric: f1
              margin: \(margin)
              search: none
              lease: \(lease)
        """
    }

    /// One event: features and the label each concept gives it.
    struct Row {
        let id: String
        let time: Int64
        let x1: Double
        let x2: Double
        let color: String
        /// Concept A: x1 decides; concept B: x2 decides.
        var labelA: String { x1 > 0 ? "1" : "0" }
        var labelB: String { x2 > 0 ? "1" : "0" }
    }

    static func rows(hour: Int, count: Int, seed: UInt64) -> [Row] {
        var rng = SplitMix64(seed: seed)
        func gaussian() -> Double {
            let u = max(Double(rng.next() >> 11) / 9_007_199_254_740_992, 1e-300)
            let v = Double(rng.next() >> 11) / 9_007_199_254_740_992
            return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
        }
        let start = eight + Int64(hour) * Self.hour
        return (0..<count).map { i in
            Row(
                id: "h\(hour)-\(i)", time: start + Int64(i) * (Self.hour / Int64(count)), x1: gaussian(),
                x2: gaussian(),
                color: ["red", "green", "blue"][Int(rng.next() % 3)])
        }
    }

    /// A champion trained offline on concept A (what `driftwatch train` would produce).
    static func championA() throws -> [UInt8] {
        let rows = rows(hour: -48, count: 2000, seed: 99)
        let set = try TrainingSet(
            numeric: [.init(name: "x1", values: rows.map(\.x1)), .init(name: "x2", values: rows.map(\.x2))],
            categorical: [.init(name: "color", values: rows.map(\.color))], target: .classes(rows.map(\.labelA)))
        var options = TrainingOptions(task: .binary)
        options.search = .none
        return try Trainer.train(set, options: options).artifactJSON()
    }

    func environment(_ yaml: String, url: String) async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 3)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
    }

    static func predictBody(_ rows: [Row]) -> String {
        let items = rows.map { r in
            #"{"id":"\#(r.id)","timestamp":"\#(RFC3339.text(microseconds: r.time))","features":{"x1":\#(r.x1),"x2":\#(r.x2),"color":"\#(r.color)"}}"#
        }
        return #"{"instances":[\#(items.joined(separator: ","))]}"#
    }

    static let json: HTTPFields = [.contentType: "application/json"]
    static let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]

    func f1(_ environment: AgentEnvironment, hour: Int) async throws -> Double? {
        try await environment.pool.withConnection(purpose: "read") { c in
            guard let id = try ModelStore.find(name: "concept", on: c)?.id else { return nil }
            return try WindowMetricsStore.window(modelID: id, windowStart: Self.eight + Int64(hour) * Self.hour, on: c)
                .first { $0.metric == "f1" && $0.classLabel == "1" }?.value
        }
    }

    @Test func predictWithoutAChampionIsAConflict() async throws {
        let environment = try await environment(
            Self.yaml(), url: try TestCluster.createDatabase(prefix: "retrain_no_champion"))
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/concept/predict", method: .post, headers: Self.json,
                body: ByteBuffer(string: Self.predictBody(Self.rows(hour: 0, count: 1, seed: 1)))
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("no_champion"))
            }
        }
        await environment.pool.close()
    }

    /// Champion A serves; the concept changes; the F1 rule fires; the retrained challenger is promoted and
    /// the windows it serves recover.
    @Test func theRetrainingLoopRestoresF1AfterAConceptChange() async throws {
        let environment = try await environment(
            Self.yaml(), url: try TestCluster.createDatabase(prefix: "retrain_loop"))
        let logger = Logger(label: "test")
        // Windows close on event time only: how fast the test runs must not close one early.
        let closer = WindowCloser(
            environment: environment, interval: .seconds(1), logger: logger, closesIdleModels: false)
        let worker = RetrainWorker(environment: environment, logger: logger, owner: "test-worker")
        let app = Application(router: buildRouter(environment))
        let finished = try await app.test(.router) { client in
            var finished: [RetrainJobStore.Job] = []
            try await client.execute(
                uri: "/v1/models/concept/versions?promote=true", method: .post, headers: Self.json,
                body: ByteBuffer(bytes: try Self.championA())
            ) { response in
                #expect(response.status == .created)
                #expect(String(buffer: response.body).contains(#""version":1"#))
            }
            for hour in 0..<7 {
                let rows = Self.rows(hour: hour, count: 400, seed: UInt64(hour + 1))
                var predicted: [String: String] = [:]
                try await client.execute(
                    uri: "/v1/models/concept/predict", method: .post, headers: Self.json,
                    body: ByteBuffer(string: Self.predictBody(rows))
                ) { response in
                    #expect(response.status == .ok)
                    let items = try #require(try JSONValue.parse(String(buffer: response.body))["predictions"]?.items)
                    for item in items {
                        if let id = item["id"]?.text, let p = item["prediction"]?.text { predicted[id] = p }
                    }
                }
                #expect(predicted.count == rows.count)
                // Labels follow concept A for two hours, then concept B.
                let labels = rows.map { r in #"{"id":"\#(r.id)","label":"\#(hour < 2 ? r.labelA : r.labelB)"}"# }
                try await client.execute(
                    uri: "/v1/models/concept/labels", method: .post, headers: Self.ndjson,
                    body: ByteBuffer(string: labels.joined(separator: "\n"))
                ) { #expect($0.status == .ok) }
                await closer.tick()
                while let job = try await worker.runOnce() { finished.append(job) }
            }
            return finished
        }
        // Served by champion A: high F1 on concept A, low once the concept changed.
        for hour in [0, 1] { #expect(try await f1(environment, hour: hour) ?? 0 > 0.9, "hour \(hour)") }
        for hour in [2] { #expect(try await f1(environment, hour: hour) ?? 1 < 0.75, "hour \(hour)") }
        // The rule fired on window 2 (closed when hour 3 arrived): one job, which promoted its challenger.
        #expect(finished.count == 1)
        let job = try #require(finished.first)
        #expect(job.status == "succeeded")
        #expect(job.reason == "f1_low")
        let result = try JSONValue.parse(try #require(job.resultJSON))
        #expect(result["decision"] == .string("promoted"))
        #expect(result["metric"] == .string("f1"))
        let challenger = try #require(result["challenger"]?.number, "\(job.resultJSON ?? "")")
        let champion = try #require(result["champion"]?.number, "\(job.resultJSON ?? "")")
        #expect(challenger > champion + 0.02)
        #expect(challenger > 0.9)
        // Windows served by the promoted challenger recover.
        for hour in [4, 5] { #expect(try await f1(environment, hour: hour) ?? 0 > 0.9, "hour \(hour)") }
        let (versions, deliveries) = try await environment.pool.withConnection(purpose: "read") { c in
            let id = try #require(try ModelStore.find(name: "concept", on: c)?.id)
            let versions = try ModelVersionStore.versions(modelID: id, limit: 10, on: c)
            let deliveries = try c.query(
                "SELECT event_type, payload FROM alert_deliveries WHERE event_type LIKE 'retrain.%'", purpose: "read")
            return (versions, deliveries.rows)
        }
        #expect(versions.map(\.status) == ["champion", "retired"])
        #expect(versions.first?.jobID == job.jobID)
        #expect(versions.first?.decision == "promoted")
        #expect(deliveries.count == 1)
        #expect(deliveries.first?[0] == "retrain.completed")
        #expect(deliveries.first?[1]?.contains(#""decision":"promoted""#) == true)
        // Predictions logged by /predict carry the version that made them.
        let servedBy = try await environment.pool.withConnection(purpose: "read") { c in
            try c.query(
                "SELECT model_version, count(*) FROM predictions GROUP BY 1 ORDER BY 1", purpose: "read"
            ).rows.map { "\($0[0] ?? "")=\($0[1] ?? "")" }
        }
        #expect(servedBy == ["1=1600", "2=1200"])
        await environment.pool.close()
    }

    @Test func aWorseChallengerIsRejectedInFavourOfTheChampion() async throws {
        let environment = try await environment(
            Self.yaml(), url: try TestCluster.createDatabase(prefix: "retrain_worse"))
        let logger = Logger(label: "test")
        let worker = RetrainWorker(environment: environment, logger: logger, owner: "test-worker")
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/models/concept/versions?promote=true", method: .post, headers: Self.json,
                body: ByteBuffer(bytes: try Self.championA())
            ) { #expect($0.status == .created) }
            // The older labels are noise, the newest (the held-out rows) follow concept A: a challenger
            // trained on noise must lose to champion A there.
            let rows = Self.rows(hour: 0, count: 1200, seed: 5)
            try await client.execute(
                uri: "/v1/models/concept/predict", method: .post, headers: Self.json,
                body: ByteBuffer(string: Self.predictBody(rows))
            ) { #expect($0.status == .ok) }
            var rng = SplitMix64(seed: 6)
            let labels = rows.enumerated().map { i, r in
                let label = i < 900 ? (rng.next() % 2 == 0 ? "1" : "0") : r.labelA
                return #"{"id":"\#(r.id)","label":"\#(label)"}"#
            }
            try await client.execute(
                uri: "/v1/models/concept/labels", method: .post, headers: Self.ndjson,
                body: ByteBuffer(string: labels.joined(separator: "\n"))
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/models/concept/retrain", method: .post) { response in
                #expect(response.status == .accepted)
                #expect(String(buffer: response.body).contains(#""queued":true"#))
            }
        }
        let job = try #require(try await worker.runOnce())
        #expect(job.status == "succeeded")
        #expect(job.trigger == "manual")
        let result = try JSONValue.parse(try #require(job.resultJSON))
        #expect(result["decision"] == .string("kept"))
        #expect(result["champion_scored_on"] == .string("artifact"))
        let challenger = try #require(result["challenger"]?.number, "\(job.resultJSON ?? "")")
        let champion = try #require(result["champion"]?.number, "\(job.resultJSON ?? "")")
        #expect(challenger < champion)
        let app2 = Application(router: buildRouter(environment))
        try await app2.test(.router) { client in
            try await client.execute(uri: "/v1/models/concept/versions", method: .get) { response in
                let body = String(buffer: response.body)
                let items = try #require(try JSONValue.parse(body)["versions"]?.items, "no versions: \(body)")
                #expect(items.map { $0["status"] } == [.string("rejected"), .string("champion")])
                #expect(items.first?["decision"] == .string("kept"))
            }
            try await client.execute(uri: "/v1/retrain-jobs/\(job.jobID)", method: .get) { response in
                let body = try JSONValue.parse(String(buffer: response.body))
                #expect(body["status"] == .string("succeeded"))
                #expect(body["result"]?["decision"] == .string("kept"))
            }
        }
        await environment.pool.close()
    }

    @Test func aDeadWorkersJobIsTakenOverOnlyOnceItsLeaseRunsOut() async throws {
        let environment = try await environment(
            Self.yaml(lease: "2s"), url: try TestCluster.createDatabase(prefix: "retrain_lease"))
        let logger = Logger(label: "test")
        let modelID = try await environment.pool.withConnection(purpose: "setup") { c in
            try ModelStore.register(name: "concept", task: "binary", on: c).id
        }
        // Labelled traffic to train on.
        let rows = Self.rows(hour: 0, count: 600, seed: 8)
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            let events = rows.map { r in
                #"{"id":"\#(r.id)","timestamp":"\#(RFC3339.text(microseconds: r.time))","features":{"x1":\#(r.x1),"x2":\#(r.x2),"color":"\#(r.color)"},"prediction":"\#(r.labelA)"}"#
            }
            try await client.execute(
                uri: "/v1/models/concept/predictions", method: .post, headers: Self.ndjson,
                body: ByteBuffer(string: events.joined(separator: "\n"))
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/v1/models/concept/labels", method: .post, headers: Self.ndjson,
                body: ByteBuffer(
                    string: rows.map { #"{"id":"\#($0.id)","label":"\#($0.labelB)"}"# }.joined(separator: "\n"))
            ) { #expect($0.status == .ok) }
        }
        // A worker claims the job and dies (it never renews its 6-second lease nor finishes).
        let dead = try await environment.pool.withConnection(purpose: "claim") { c in
            _ = try RetrainJobStore.enqueue(modelID: modelID, reason: "manual", trigger: "manual", on: c)
            return try #require(try RetrainJobStore.claim(owner: "dead-worker", leaseSeconds: 6, on: c))
        }
        #expect(dead.attempts == 1)
        // While its lease holds, nobody else runs it.
        let worker = RetrainWorker(environment: environment, logger: logger, owner: "live-worker")
        #expect(try await worker.runOnce() == nil)
        // Once it has run out, the live worker takes the job over and finishes it.
        var job: RetrainJobStore.Job?
        let deadline = ContinuousClock.now + .seconds(120)
        while job == nil && ContinuousClock.now < deadline {
            job = try await worker.runOnce()
            if job == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let taken = try #require(job)
        #expect(taken.jobID == dead.jobID)
        #expect(taken.status == "succeeded")
        #expect(taken.attempts == 2)
        // No external champion artifact, no champion at all: the first challenger is promoted.
        #expect(try JSONValue.parse(taken.resultJSON ?? "{}")["decision"] == .string("promoted"))
        // The dead worker, were it to wake up, cannot record anything.
        let late = try await environment.pool.withConnection(purpose: "finish") { c in
            try RetrainJobStore.finish(dead, owner: "dead-worker", status: "failed", resultJSON: nil, error: "x", on: c)
        }
        #expect(late == false)
        let versions = try await environment.pool.withConnection(purpose: "read") {
            try ModelVersionStore.versions(modelID: modelID, limit: 10, on: $0)
        }
        #expect(versions.count == 1)
        await environment.pool.close()
    }

    /// An agent with a model registered and a worker; leases of 1 s.
    func failingSetUp(_ prefix: String) async throws -> (AgentEnvironment, Int64, RetrainWorker) {
        let environment = try await environment(
            Self.yaml(lease: "1s"), url: try TestCluster.createDatabase(prefix: prefix))
        let modelID = try await environment.pool.withConnection(purpose: "setup") { c in
            try ModelStore.register(name: "concept", task: "binary", on: c).id
        }
        return (
            environment, modelID, RetrainWorker(environment: environment, logger: Logger(label: "test"), owner: "w")
        )
    }

    func notificationKinds(_ environment: AgentEnvironment) async throws -> [String] {
        try await environment.pool.withConnection(purpose: "read") {
            try $0.query("SELECT event_type FROM alert_deliveries ORDER BY delivery_id", purpose: "read").rows.map {
                $0[0] ?? ""
            }
        }
    }

    /// No labelled data: the job fails at once, saying why, and notifies.
    @Test func tooFewLabelsFailAJobSayingWhy() async throws {
        let (environment, modelID, worker) = try await failingSetUp("retrain_fail")
        _ = try await environment.pool.withConnection(purpose: "queue") {
            try RetrainJobStore.enqueue(modelID: modelID, reason: "manual", trigger: "manual", on: $0)
        }
        let failed = try #require(try await worker.runOnce())
        #expect(failed.status == "failed")
        #expect(failed.error?.contains("min_labelled_rows is 300") == true)
        #expect(try await notificationKinds(environment) == ["retrain.failed"])
        await environment.pool.close()
    }

    /// Three workers died holding the job: the fourth attempt gives it up.
    @Test func aJobIsGivenUpAfterThreeAttempts() async throws {
        let (environment, modelID, worker) = try await failingSetUp("retrain_given_up")
        let queued = try await environment.pool.withConnection(purpose: "queue") { c in
            try RetrainJobStore.enqueue(modelID: modelID, reason: "r", on: c)
        }
        let jobID = try #require(queued.jobID)
        for attempt in 1...3 {
            let claimed = try await environment.pool.withConnection(purpose: "claim") { c in
                try RetrainJobStore.claim(owner: "dead-\(attempt)", leaseSeconds: 0, on: c)
            }
            #expect(claimed?.jobID == jobID)
        }
        let given = try #require(try await worker.runOnce())
        #expect(given.jobID == jobID)
        #expect(given.status == "failed")
        #expect(given.attempts == 4)
        #expect(given.error?.hasPrefix("given up after 3 attempts") == true)
        #expect(try await notificationKinds(environment) == ["retrain.failed"])
        await environment.pool.close()
    }
}

/// External trainers: a command gets the job, the trainer reports its version back; rollback by promoting
/// an older version; a body that is not an artifact is refused.
@Suite struct ExternalTrainerTests {
    /// An agent whose model `concept` has a command trainer that writes its standard input to `marker`.
    static func environment(marker: String, prefix: String) async throws -> AgentEnvironment {
        let yaml = RetrainTests.yaml().replacingOccurrences(
            of: "  search: none",
            with:
                "  search: none\n      trainer: command\n      command: [/bin/sh, -c, 'cat > \(marker); echo started $DRIFTWATCH_JOB_ID']"
        )
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: prefix)), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
    }

    static func marker() -> String { "/tmp/driftwatch-external-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" }

    @Test func aCommandTrainerGetsTheJobOnItsStandardInput() async throws {
        let marker = Self.marker()
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let environment = try await Self.environment(marker: marker, prefix: "retrain_external")
        let worker = RetrainWorker(environment: environment, logger: Logger(label: "test"), owner: "w")
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(uri: "/v1/models/concept/retrain", method: .post) {
                #expect($0.status == .accepted)
            }
        }
        let job = try #require(try await worker.runOnce())
        #expect(job.status == "succeeded")
        let result = try JSONValue.parse(job.resultJSON ?? "{}")
        #expect(result["decision"] == .string("handed_over"))
        #expect(result["output"] == .string("started \(job.jobID)\n"))
        let input = try JSONValue.parse(try String(contentsOfFile: marker, encoding: .utf8))
        #expect(input["job_id"] == .number(Double(job.jobID)))
        #expect(input["model"] == .string("concept"))
        await environment.pool.close()
    }

    /// The trainer reports its version back; promoting an older version rolls back to it (an external
    /// champion does not serve /predict).
    @Test func aReportedExternalVersionCanBeRolledBackTo() async throws {
        let marker = Self.marker()
        let environment = try await Self.environment(marker: marker, prefix: "retrain_rollback")
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/concept/versions?source=external&promote=true", method: .post,
                headers: RetrainTests.json, body: ByteBuffer(string: #"{"f1": 0.91, "trained_by": "airflow"}"#)
            ) { response in
                #expect(response.status == .created)
                #expect(String(buffer: response.body).contains(#""version":1"#))
            }
            try await client.execute(
                uri: "/v1/models/concept/versions?promote=true", method: .post, headers: RetrainTests.json,
                body: ByteBuffer(bytes: try RetrainTests.championA())
            ) { #expect($0.status == .created) }
            // Rollback: version 1 is the champion again.
            try await client.execute(uri: "/v1/models/concept/versions/1/promote", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""status":"champion""#))
            }
            try await client.execute(
                uri: "/v1/models/concept/predict", method: .post, headers: RetrainTests.json,
                body: ByteBuffer(string: RetrainTests.predictBody(RetrainTests.rows(hour: 0, count: 1, seed: 1)))
            ) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/v1/models/concept/versions", method: .get) { response in
                let body = try JSONValue.parse(String(buffer: response.body))
                let items = try #require(body["versions"]?.items)
                #expect(items.map { $0["status"] } == [.string("retired"), .string("champion")])
                #expect(items.last?["source"] == .string("external"))
                #expect(items.last?["evaluation"]?["trained_by"] == .string("airflow"))
            }
        }
        await environment.pool.close()
    }

    @Test func aVersionBodyThatIsNotAnArtifactIsRefusedSayingWhy() async throws {
        let environment = try await Self.environment(marker: Self.marker(), prefix: "retrain_not_artifact")
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(
                uri: "/v1/models/concept/versions", method: .post, headers: RetrainTests.json,
                body: ByteBuffer(string: #"{"weights": []}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("invalid_artifact"))
            }
        }
        await environment.pool.close()
    }
}

extension JSONValue {
    /// The elements of an array (nil for any other value).
    fileprivate var items: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The text of a string (nil for any other value).
    fileprivate var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of a number (nil for any other value).
    fileprivate var number: Double? {
        if case .number(let number) = self { return number }
        return nil
    }
}

extension RetrainJobStore.Enqueued {
    /// The id of the queued job (nil when nothing was queued).
    fileprivate var jobID: Int64? {
        if case .queued(let id) = self { return id }
        return nil
    }
}
