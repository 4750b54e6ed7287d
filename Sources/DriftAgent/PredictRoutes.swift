import DriftCore
import DriftStats
import DriftStore
import DriftSystem
import DriftTables
import DriftTrainer
import Foundation
import Hummingbird

/// `POST /v1/models/{model}/predict`: the champion version (a built-in model) answers, and the prediction
/// is logged as if the model server had sent it, so a model trained by Driftwatch is monitored with no
/// extra wiring.
///
/// The body is one event — `{"id"?, "timestamp"?, "features": {...}}`, as for `/predictions` but without
/// the outputs (`id` defaults to a new UUID, `timestamp` to now) — or `{"instances": [event, ...]}` (at
/// most 10,000). The reply carries, per event, its id, the predicted label (or value) and the class
/// probabilities, plus the champion's version. No champion: 409 `no_champion`.
struct PredictRoutes: Sendable {
    let environment: AgentEnvironment
    static let maxInstances = 10_000
    /// Batches this large are predicted on a thread of their own.
    static let offloadedRows = 64

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("models/:model/predict") { request, context in
            try await predict(request, model: try context.parameters.require("model"))
        }
    }

    func predict(_ request: Request, model name: String) async throws -> Response {
        let (model, modelID) = try await environment.resolveModel(name)
        let buffer = try await request.body.collect(upTo: environment.configuration.server.maxBufferedBodyBytes)
        let body: JSONValue
        do {
            body = try Array(buffer.readableBytesView).withUnsafeBufferPointer { b throws(JSONSyntaxError) in
                try JSONValue.parse(b)
            }
        } catch {
            throw APIError.notJSON(error)
        }
        let batch: Bool
        let items: [JSONValue]
        if case .array(let instances)? = body["instances"] {
            batch = true
            items = instances
        } else if case .object = body {
            batch = false
            items = [body]
        } else {
            throw APIError(
                .badRequest, code: .invalidJSON, message: "expected an event object or {\"instances\": [...]}")
        }
        guard !items.isEmpty, items.count <= Self.maxInstances else {
            throw APIError(
                .badRequest, code: .invalidJSON, message: "1 to \(Self.maxInstances) instances are expected",
                field: "instances")
        }
        guard
            let (version, champion) = try await environment.champions.champion(modelID: modelID, pool: environment.pool)
        else {
            throw APIError(
                .conflict, code: .noChampion,
                message:
                    "model '\(name)' has no built-in champion yet: add one with POST /v1/models/\(name)/versions?promote=true (an artifact from driftwatch train) or run a retraining job"
            )
        }
        let decoder = PredictionEventDecoder(model: model)
        let now = environment.clock()
        var events: [PredictionEvent] = []
        var admission = IngestAdmission(environment, model: model, now: now)
        for (i, item) in items.enumerated() {
            var decoded = decoder.decode(Self.withDefaults(item, now: now))
            if case .success(let e) = decoded, let problem = await admission.problem(eventTime: e.timestamp) {
                decoded = .failure(problem)
            }
            switch decoded {
            case .success(let e): events.append(e)
            case .failure(let problem):
                let place = batch ? "instances[\(i)]" + (problem.field.map { ".\($0)" } ?? "") : problem.field
                throw APIError.invalid(problem, code: .invalidEvent, field: place)
            }
        }
        let started = ContinuousClock.now
        let predictions: [Prediction]
        do {
            let rows = try Self.trainingSet(events, model: model)
            // OpenBLAS work on a large batch runs on the blocking executor, not on the cooperative pool.
            predictions =
                events.count >= Self.offloadedRows
                ? try await BlockingExecutor.shared.run { try champion.predict(rows) }
                : try champion.predict(rows)
        } catch {
            throw APIError.predictionFailed(error)
        }
        let elapsed = ContinuousClock.now - started
        let latency = Double(elapsed.nanoseconds) / 1e6 / Double(events.count)
        var records: [PredictionRecord] = []
        for (i, p) in predictions.enumerated() {
            var e = events[i]
            if model.task == .regression {
                e.prediction = p.value.map(NumberFormatting.label)
            } else {
                e.prediction = p.label
                if model.task == .binary, p.scores.count == 2 { e.score = p.scores[1] }
                if model.task == .multiclass {
                    e.scores = p.scores
                    e.scoreLabels = champion.classes
                }
            }
            e.latencyMilliseconds = latency
            e.modelVersion = String(version)
            records.append(IngestRoutes.record(e))
        }
        _ = try await environment.storePredictions(records, model: name, modelID: modelID)
        environment.metrics.countServed(model: name, records.count)
        var w = JSONWriter(pretty: false)
        func write(_ i: Int) {
            let p = predictions[i]
            w.beginObject()
            w.string("id", events[i].id)
            w.string("timestamp", RFC3339.text(microseconds: events[i].timestamp))
            if model.task == .regression {
                w.number("prediction", p.value)
            } else {
                w.string("prediction", p.label)
                w.beginObject("scores")
                for (label, score) in zip(champion.classes, p.scores) { w.number(label, score) }
                w.endObject()
            }
            w.integer("model_version", version)
            w.endObject()
        }
        if batch {
            w.beginObject()
            w.integer("model_version", version)
            w.beginArray("predictions")
            for i in predictions.indices { write(i) }
            w.endArray()
            w.endObject()
        } else {
            write(0)
        }
        return JSONResponse.make(w.text)
    }

    /// The event with `id` (a new UUID) and `timestamp` (now) filled in when absent.
    static func withDefaults(_ item: JSONValue, now: Int64) -> JSONValue {
        guard case .object(var members) = item else { return item }
        if item["id"] == nil { members.append(("id", .string(UUID().uuidString.lowercased()))) }
        if item["timestamp"] == nil { members.append(("timestamp", .string(RFC3339.text(microseconds: now)))) }
        return .object(members)
    }

    /// The events' features as the trainer's columns, by the model's feature names.
    static func trainingSet(_ events: [PredictionEvent], model: ModelConfiguration) throws -> TrainingSet {
        let schema = ProfileSchema(model: model)
        return try TrainingSet(
            numeric: schema.numericFeatures.enumerated().map { i, f in
                .init(name: f.name, values: events.map { i < $0.numeric.count ? ($0.numeric[i] ?? .nan) : .nan })
            },
            categorical: schema.categoricalFeatures.enumerated().map { i, f in
                .init(name: f.name, values: events.map { i < $0.categorical.count ? $0.categorical[i] : nil })
            },
            target: nil)
    }
}
