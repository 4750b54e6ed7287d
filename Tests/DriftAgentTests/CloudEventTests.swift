import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

/// `POST /v1/cloudevents` end to end on a real PostgreSQL: KServe and Seldon request/response pairs sent
/// with real CloudEvents headers, in both orders, batched; Seldon feedback; malformed events among good
/// ones; retried halves; halves stored alone by the sweep.
@Suite struct CloudEventTests {
    static let yaml = """
        server: {max_body_bytes: 4096, max_buffered_body_bytes: 4096}
        auth:
          tokens: [{env: TEST_TOKEN}]
        defaults: {retention: 36500d}  # fixed-date events stay within retention
        models:
          iris:
            task: multiclass
            features: {sepal_length: numeric, sepal_width: numeric, colour: categorical}
            cloudevents:
              inference_service: sklearn-iris
              outputs: {classes: [setosa, versicolor, virginica]}
          churn:
            task: binary
            features: {tenure: numeric, plan: categorical}
        """

    func environment() async throws -> AgentEnvironment {
        let configuration = try ConfigurationLoader.load(yaml: Self.yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: "cloudevents")), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: ["s3cret"])
    }

    static func headers(
        _ type: String, id: String, time: String? = "2026-11-23T08:00:00Z", service: String? = "sklearn-iris",
        drop: String? = nil
    ) throws -> HTTPFields {
        var h: HTTPFields = [.authorization: "Bearer s3cret", .contentType: "application/json"]
        var attributes = [
            ("ce-specversion", "1.0"), ("ce-id", id), ("ce-source", "http://localhost:9081/"), ("ce-type", type),
            ("ce-namespace", "default"), ("ce-component", "predictor"), ("ce-endpoint", "default"),
        ]
        if let time { attributes.append(("ce-time", time)) }
        if let service { attributes.append(("ce-inferenceservicename", service)) }
        for (name, value) in attributes where name != drop {
            h[try #require(HTTPField.Name(name))] = value
        }
        return h
    }

    static let kserveRequest = "org.kubeflow.serving.inference.request"
    static let kserveResponse = "org.kubeflow.serving.inference.response"

    /// A reply body read as a JSON object (nil when it is not one).
    func json(_ buffer: ByteBuffer) -> JSONObject? { try? JSONObject(parsing: String(buffer: buffer)) }

    func error(_ buffer: ByteBuffer) -> JSONObject? { json(buffer)?.object("error") }

    struct Row: Equatable {
        let id: String
        let numeric: String?
        let category: String?
        let prediction: String?
        let latency: Double?
    }

    func rows(_ environment: AgentEnvironment) async throws -> [Row] {
        try await environment.pool.withConnection(purpose: "read") { connection in
            let r = try connection.query(
                """
                SELECT prediction_id, numeric_features::text, category_features::text, prediction, latency_ms
                FROM predictions ORDER BY prediction_id
                """, purpose: "read")
            return r.rows.map {
                Row(
                    id: $0[0] ?? "", numeric: $0[1], category: $0[2], prediction: $0[3],
                    latency: $0[4].flatMap(Double.init))
            }
        }
    }

    @Test func kservePairsOfEitherProtocolAreStoredInEitherOrder() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            // V1, request first, a batch of three instances.
            try await client.execute(
                uri: "/v1/cloudevents", method: .post,
                headers: try Self.headers(Self.kserveRequest, id: "a1", time: "2026-11-23T08:00:00Z"),
                body: ByteBuffer(string: #"{"instances": [[5.1, 3.5, "red"], [6.2, 2.9, "blue"], [5.9, 3.0, null]]}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(json(response.body)?.string("status") == "pending")
            }
            #expect(try await rows(environment).isEmpty)
            try await client.execute(
                uri: "/v1/cloudevents", method: .post,
                headers: try Self.headers(Self.kserveResponse, id: "a1", time: "2026-11-23T08:00:00.0125Z"),
                body: ByteBuffer(string: #"{"predictions": [0, [0.1, 0.7, 0.2], 2]}"#)
            ) { response in
                #expect(response.status == .ok)
                let reply = try #require(json(response.body))
                #expect(reply.string("status") == "stored")
                #expect(reply.int("accepted") == 3)
            }
            // Open Inference Protocol, response first, one instance.
            try await client.execute(
                uri: "/v1/cloudevents", method: .post,
                headers: try Self.headers(Self.kserveResponse, id: "b2", time: "2026-11-23T08:01:00.004Z"),
                body: ByteBuffer(
                    string:
                        #"{"model_name": "sklearn-iris", "model_version": "v7", "outputs": [{"name": "output-0", "shape": [1], "datatype": "INT64", "data": [1]}]}"#
                )
            ) { response in #expect(json(response.body)?.string("status") == "pending") }
            try await client.execute(
                uri: "/v1/cloudevents", method: .post,
                headers: try Self.headers(Self.kserveRequest, id: "b2", time: "2026-11-23T08:01:00Z"),
                body: ByteBuffer(
                    string:
                        #"{"inputs": [{"name": "sepal_length", "shape": [1], "datatype": "FP32", "data": [4.4]}, {"name": "sepal_width", "shape": [1, 1], "datatype": "FP32", "data": [[2.5]]}, {"name": "colour", "shape": [1], "datatype": "BYTES", "data": ["green"]}]}"#
                )
            ) { response in
                #expect(response.status == .ok)
                #expect(json(response.body)?.int("accepted") == 1)
            }
        }
        let stored = try await rows(environment)
        #expect(
            stored == [
                Row(id: "a1-0", numeric: "{5.1,3.5}", category: "{red}", prediction: "setosa", latency: 12.5),
                Row(id: "a1-1", numeric: "{6.2,2.9}", category: "{blue}", prediction: "versicolor", latency: 12.5),
                Row(id: "a1-2", numeric: "{5.9,3}", category: "{NULL}", prediction: "virginica", latency: 12.5),
                Row(id: "b2", numeric: "{4.4,2.5}", category: "{green}", prediction: "versicolor", latency: 4),
            ])
        let version = try await environment.pool.withConnection(purpose: "read") {
            try $0.query("SELECT model_version FROM predictions WHERE prediction_id = 'b2'", purpose: "read")
                .scalar(String.self, purpose: "read")
        }
        #expect(version == "v7")
        let metrics = environment.metrics.registry.emitToString()
        #expect(metrics.contains(#"driftwatch_cloudevents_events_total{type="kserve.request",outcome="pending"} 1"#))
        #expect(metrics.contains(#"driftwatch_cloudevents_events_total{type="kserve.response",outcome="stored"} 1"#))
    }

    @Test func aMalformedEventIsRejectedWithoutLosingTheGoodOnesAroundIt() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        let good = #"{"instances": [[5.1, 3.5, "red"]]}"#
        // (headers, body, expected field, expected code)
        let bad: [(HTTPFields, String, String, String)] = [
            (try Self.headers(Self.kserveRequest, id: "x1", drop: "ce-id"), good, "ce-id", "invalid_cloudevent"),
            (
                try Self.headers(Self.kserveRequest, id: "x2", drop: "ce-source"), good, "ce-source",
                "invalid_cloudevent"
            ),
            (try Self.headers("com.example.unknown", id: "x3"), good, "ce-type", "unsupported_type"),
            (
                try Self.headers(Self.kserveRequest, id: "x4", service: nil), good, "ce-inferenceservicename",
                "invalid_cloudevent"
            ),
            (
                try Self.headers(Self.kserveRequest, id: "x5", service: "nobody"), good, "ce-inferenceservicename",
                "unknown_model"
            ),
            (
                try Self.headers(Self.kserveRequest, id: "x6"), #"{"instances": [[5.1, 3.5, "red"]"#, "data",
                "invalid_json"
            ),
            (
                try Self.headers(Self.kserveRequest, id: "x7"), #"{"instances": [[5.1, 3.5]]}"#, "instances[0]",
                "invalid_cloudevent"
            ),
            (
                try Self.headers(Self.kserveRequest, id: "x8"),
                #"{"inputs": [{"name": "in", "shape": [1, 3], "datatype": "FP32", "data": [1, 2]}]}"#, "inputs[0].data",
                "invalid_cloudevent"
            ),
            (
                try Self.headers(Self.kserveRequest, id: "x9"),
                #"{"inputs": [{"name": "in", "shape": [1, 3], "datatype": "INT64", "data": [1, 2, "red"]}]}"#,
                "inputs[0].data", "invalid_cloudevent"
            ),
            (
                try Self.headers(Self.kserveRequest, id: "x10"), #"{"instances": [["tall", 3.5, "red"]]}"#,
                "instances[0]", "invalid_cloudevent"
            ),
        ]
        try await app.test(.router) { client in
            for i in 0..<bad.count {
                // A good pair, then a bad event, then the next good pair.
                try await client.execute(
                    uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveRequest, id: "g\(i)"),
                    body: ByteBuffer(string: good)
                ) { response in #expect(response.status == .ok) }
                let (headers, body, field, code) = bad[i]
                try await client.execute(
                    uri: "/v1/cloudevents", method: .post, headers: headers, body: ByteBuffer(string: body)
                ) {
                    response in
                    #expect(response.status == .badRequest, "\(field)")
                    let e = try #require(error(response.body))
                    #expect(e.string("field") == field)
                    #expect(e.string("code") == code)
                    #expect(e.string("message")?.isEmpty == false)
                }
                try await client.execute(
                    uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveResponse, id: "g\(i)"),
                    body: ByteBuffer(string: #"{"predictions": [2]}"#)
                ) { response in #expect(response.status == .ok) }
            }
            // A response that does not fit its kept request is rejected; the request stays kept.
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveRequest, id: "m"),
                body: ByteBuffer(string: good)
            ) { response in #expect(response.status == .ok) }
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveResponse, id: "m"),
                body: ByteBuffer(string: #"{"predictions": [1, 2]}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(error(response.body)?.string("field") == "predictions")
            }
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveResponse, id: "m"),
                body: ByteBuffer(string: #"{"predictions": [1]}"#)
            ) { response in #expect(json(response.body)?.string("status") == "stored") }
            // Over the body limit: 413.
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveRequest, id: "big"),
                body: ByteBuffer(
                    string: #"{"instances": ["# + String(repeating: "[1, 2, \"r\"], ", count: 400) + "[1, 2, \"r\"]]}")
            ) { response in #expect(response.status == .contentTooLarge) }
        }
        let stored = try await rows(environment)
        #expect(stored.map(\.id) == (0..<bad.count).map { "g\($0)" }.sorted() + ["m"])
        #expect(stored.allSatisfy { $0.numeric == "{5.1,3.5}" && $0.prediction != nil })
        let kept = try await environment.pool.withConnection(purpose: "read") {
            try $0.query("SELECT count(*) FROM cloudevent_halves WHERE state <> 'stored'", purpose: "read")
                .scalar(Int.self, purpose: "read")
        }
        #expect(kept == 0)
    }

    @Test func retriedHalvesAreIdempotent() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        let request = ByteBuffer(string: #"{"instances": [[5.1, 3.5, "red"], [4.9, 3.0, "blue"]]}"#)
        let response = ByteBuffer(string: #"{"predictions": [0, 1]}"#)
        try await app.test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveRequest, id: "r"),
                    body: request
                ) { reply in #expect(reply.status == .ok) }
            }
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveResponse, id: "r"),
                body: response
            ) { reply in #expect(json(reply.body)?.string("status") == "stored") }
            for type in [Self.kserveRequest, Self.kserveResponse] {
                try await client.execute(
                    uri: "/v1/cloudevents", method: .post, headers: try Self.headers(type, id: "r"),
                    body: type == Self.kserveRequest ? request : response
                ) { reply in
                    #expect(reply.status == .ok)
                    #expect(json(reply.body)?.string("status") == "duplicate")
                }
            }
        }
        #expect(try await rows(environment).map(\.id) == ["r-0", "r-1"])
        // An agent stopped after keeping both halves of "k" but before storing the pair: the retried response
        // (unacknowledged, so the logger sends it again) stores the pair once.
        let body = #"{"instances": [[4.0, 3.0, "blue"]]}"#
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveRequest, id: "k"),
                body: ByteBuffer(string: body)
            ) { reply in #expect(json(reply.body)?.string("status") == "pending") }
        }
        try await environment.pool.withConnection(purpose: "simulate a crash") { connection in
            let modelID = try ModelStore.find(name: "iris", on: connection)?.id ?? 0
            try connection.transaction(purpose: "simulate a crash") {
                try CloudEventHalfStore.insert(
                    CloudEventHalfStore.Half(
                        eventID: "k", half: "response", state: "joining", ceType: Self.kserveResponse, ceSource: "s",
                        ceTime: nil, receivedAt: 1_795_420_800_000_000, body: #"{"predictions": [1]}"#),
                    modelID: modelID, on: connection)
                try CloudEventHalfStore.claim(modelID: modelID, eventID: "k", state: "joining", on: connection)
            }
        }
        try await app.test(.router) { client in
            for expected in ["stored", "duplicate"] {
                try await client.execute(
                    uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveResponse, id: "k"),
                    body: ByteBuffer(string: #"{"predictions": [1]}"#)
                ) { reply in #expect(json(reply.body)?.string("status") == expected) }
            }
        }
        #expect(try await rows(environment).map(\.id) == ["k", "r-0", "r-1"])
        #expect(try await rows(environment).first?.prediction == "versicolor")
    }

    @Test func halvesWithoutPartnersAreStoredAloneBySweep() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveRequest, id: "lonely"),
                body: ByteBuffer(string: #"{"instances": [[5.1, 3.5, "red"]]}"#)
            ) { reply in #expect(reply.status == .ok) }
            // Both halves kept but never stored (an agent stopped in between).
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveResponse, id: "crashed"),
                body: ByteBuffer(string: #"{"predictions": [2]}"#)
            ) { reply in #expect(reply.status == .ok) }
        }
        try await environment.pool.withConnection(purpose: "simulate a crash") { connection in
            let modelID = try ModelStore.find(name: "iris", on: connection)?.id ?? 0
            try connection.transaction(purpose: "simulate a crash") {
                try CloudEventHalfStore.insert(
                    CloudEventHalfStore.Half(
                        eventID: "crashed", half: "request", state: "joining", ceType: Self.kserveRequest,
                        ceSource: "s",
                        ceTime: 1_795_420_800_000_000, receivedAt: 1_795_420_800_000_000,
                        body: #"{"instances": [[4.0, 3.0, "blue"]]}"#), modelID: modelID, on: connection)
            }
            try connection.query(
                "UPDATE cloudevent_halves SET claimed_at = now() - interval '5 minutes' WHERE event_id = 'crashed'",
                purpose: "age the claim")
        }
        let sweeper = CloudEventSweeper(environment: environment, interval: .seconds(30), logger: Logger(label: "test"))
        let report = try await sweeper.sweep(pairTimeoutSeconds: 0)
        #expect(report == CloudEventSweeper.Report(events: 2, alone: 1, discarded: 0))
        #expect(
            try await rows(environment) == [
                Row(id: "crashed", numeric: "{4,3}", category: "{blue}", prediction: "virginica", latency: 0),
                Row(id: "lonely", numeric: "{5.1,3.5}", category: "{red}", prediction: nil, latency: nil),
            ])
        #expect(try await sweeper.sweep(pairTimeoutSeconds: 0) == CloudEventSweeper.Report())
        // The partner of a half stored alone is not kept: 409, not acknowledged.
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/cloudevents", method: .post, headers: try Self.headers(Self.kserveResponse, id: "lonely"),
                body: ByteBuffer(string: #"{"predictions": [1]}"#)
            ) { reply in
                #expect(reply.status == .conflict)
                #expect(error(reply.body)?.string("code") == "pair_expired")
            }
        }
    }

    @Test func seldonFeedbackBecomesTheLabelOfItsPrediction() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/cloudevents", method: .post,
                headers: try Self.headers("io.seldon.serving.inference.request", id: "puid-9", service: "churn"),
                body: ByteBuffer(string: #"{"data": {"names": ["plan", "tenure"], "ndarray": [["gold", 14]]}}"#)
            ) { reply in #expect(reply.status == .ok) }
            try await client.execute(
                uri: "/v1/cloudevents", method: .post,
                headers: try Self.headers("io.seldon.serving.inference.response", id: "puid-9", service: "churn"),
                body: ByteBuffer(
                    string: #"{"meta": {"puid": "puid-9"}, "data": {"names": ["t:0", "t:1"], "ndarray": [[0.2, 0.8]]}}"#
                )
            ) { reply in #expect(json(reply.body)?.string("status") == "stored") }
            try await client.execute(
                uri: "/v1/cloudevents", method: .post,
                headers: try Self.headers("io.seldon.serving.feedback", id: "fb-1", service: "churn"),
                body: ByteBuffer(
                    string:
                        #"{"response": {"meta": {"puid": "puid-9"}, "data": {"ndarray": [[0.2, 0.8]]}}, "truth": {"data": {"ndarray": [[0]]}}, "reward": 0}"#
                )
            ) { reply in
                #expect(reply.status == .ok)
                #expect(json(reply.body)?.strings("prediction_ids") == ["puid-9"])
            }
        }
        let stored = try await environment.pool.withConnection(purpose: "read") { connection in
            let r = try connection.query(
                """
                SELECT p.numeric_features::text, p.category_features::text, p.prediction, p.score, l.label
                FROM predictions p JOIN labels l USING (model_id, prediction_id) WHERE p.prediction_id = 'puid-9'
                """, purpose: "read")
            return r.rows.first ?? []
        }
        #expect(stored == ["{14}", "{gold}", "t:1", "0.8", "0"])
    }

    @Test func aStructuredModeRequestIsKeptForItsResponse() async throws {
        let environment = try await environment()
        let app = Application(router: buildRouter(environment))
        try await app.test(.router) { client in
            var structured: HTTPFields = [
                .authorization: "Bearer s3cret", .contentType: "application/cloudevents+json",
            ]
            structured[.accept] = "*/*"
            try await client.execute(
                uri: "/v1/cloudevents?model=churn", method: .post, headers: structured,
                body: ByteBuffer(
                    string:
                        #"{"specversion": "1.0", "id": "s1", "source": "x", "type": "org.kubeflow.serving.inference.request", "time": "2026-11-23T08:00:00Z", "data": {"instances": [{"tenure": 3, "plan": "basic"}]}}"#
                )
            ) { reply in #expect(json(reply.body)?.string("status") == "pending") }
        }
    }
}
