import DriftCore
import DriftStats
import DriftStore
import DriftSystem
import DriftTables
import DriftTrainer
import Foundation

/// Answers events with a model's champion (a built-in model) and logs them as if the model server had
/// sent them: what `POST /v1/models/{model}/predict` does once the body is read.
struct ChampionPredictor: Sendable {
    /// At most this many events per request.
    static let maxInstances = 10_000
    /// Batches this large are predicted on the blocking executor.
    static let offloadedRows = 64

    let environment: AgentEnvironment
    let name: String
    let model: ModelConfiguration
    let modelID: Int64

    /// The request's events: one event object, or `{"instances": [...]}` (then `batch`).
    /// - Throws: `APIError` `invalid_json` for any other shape or count.
    static func items(of body: JSONValue) throws -> (batch: Bool, items: [JSONValue]) {
        let found: (batch: Bool, items: [JSONValue])
        if case .array(let instances)? = body["instances"] {
            found = (true, instances)
        } else if case .object = body {
            found = (false, [body])
        } else {
            throw APIError(
                .badRequest, code: .invalidJSON, message: "expected an event object or {\"instances\": [...]}")
        }
        guard !found.items.isEmpty, found.items.count <= maxInstances else {
            throw APIError(
                .badRequest, code: .invalidJSON, message: "1 to \(maxInstances) instances are expected",
                field: "instances")
        }
        return found
    }

    /// Predicts, stores and answers `items`.
    /// - Throws: `APIError` `no_champion` (409), `invalid_event` naming the instance, `prediction_failed`.
    func answer(_ items: [JSONValue], batch: Bool) async throws -> PredictReply {
        guard
            let (version, champion) = try await environment.champions.champion(modelID: modelID, pool: environment.pool)
        else {
            throw APIError(
                .conflict, code: .noChampion,
                message:
                    "model '\(name)' has no built-in champion yet: add one with POST /v1/models/\(name)/versions?promote=true (an artifact from driftwatch train) or run a retraining job"
            )
        }
        let events = try await decode(items, batch: batch)
        let started = ContinuousClock.now
        let predictions = try await predict(events, with: champion)
        let latency = Double((ContinuousClock.now - started).nanoseconds) / 1e6 / Double(events.count)
        let records = zip(events, predictions).map { event, p in
            PredictionRecord(logged(event, p, champion: champion, version: version, latency: latency))
        }
        _ = try await environment.storePredictions(records, model: name, modelID: modelID)
        environment.metrics.countServed(model: name, records.count)
        let served = zip(events, predictions).map { event, p in
            PredictReply.Served(
                event: event, prediction: p, task: model.task, classes: champion.classes, version: version)
        }
        return PredictReply(batch: batch, version: version, served: served)
    }

    /// The items as events (with an id and the time now when absent), admitted by event time.
    /// - Throws: `APIError` `invalid_event` naming the first bad instance and field.
    func decode(_ items: [JSONValue], batch: Bool) async throws -> [PredictionEvent] {
        let decoder = PredictionEventDecoder(model: model)
        let now = environment.clock()
        var admission = IngestAdmission(environment, model: model, now: now)
        var events: [PredictionEvent] = []
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
        return events
    }

    /// The champion's predictions; OpenBLAS work on a large batch runs on the blocking executor.
    func predict(_ events: [PredictionEvent], with champion: TrainedModel) async throws -> [Prediction] {
        do {
            let rows = try Self.trainingSet(events, model: model)
            return events.count >= Self.offloadedRows
                ? try await BlockingExecutor.shared.run { try champion.predict(rows) }
                : try champion.predict(rows)
        } catch {
            throw APIError.predictionFailed(error)
        }
    }

    /// The event as logged: the champion's output, the per-event share of the batch's latency, its version.
    func logged(
        _ event: PredictionEvent, _ p: Prediction, champion: TrainedModel, version: Int, latency: Double
    ) -> PredictionEvent {
        var e = event
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
        return e
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
