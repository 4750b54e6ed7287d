import DriftConfig
import DriftCore
import DriftStore
import Hummingbird

/// `POST /v1/models/{model}/predictions` and `POST /v1/models/{model}/labels`.
///
/// Bodies are NDJSON read as a stream, line by line (or, with `Content-Type: application/json`, one JSON
/// array, collected up to `server.max_buffered_body_bytes`). Each line is decoded and checked against the model's schema;
/// bad lines are reported with their line number and field and the good ones are kept. Good events are
/// written in batches; the reply is sent only after every accepted event is committed, and retries are
/// safe (events are idempotent on model, id and event time; labels on model and id).
struct IngestRoutes: Sendable {
    let environment: AgentEnvironment
    static let batchSize = 5000

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("models/:model/predictions") { request, context in
            try await predictions(request, model: try context.parameters.require("model"))
        }
        group.post("models/:model/labels") { request, context in
            try await labels(request, model: try context.parameters.require("model"))
        }
    }

    func predictions(_ request: Request, model name: String) async throws -> JSONReply<IngestTally> {
        var sink = PredictionSink(environment, model: name, resolved: try await resolveForIngest(name))
        var tally = IngestTally(countsDuplicates: true)
        try await IngestBody.forEachItem(request, server: environment.configuration.server) { line, item in
            if sink == nil {
                // auto_register: the first event that shows its features defines the model.
                switch AutoRegistration.settings(from: item.json) {
                case .failure(let problem):
                    return tally.reject(line, problem)
                case .success(let settings):
                    let resolved = try await AutoRegistration.register(name, settings: settings, environment)
                    sink = PredictionSink(environment, model: name, resolved: resolved)
                }
            }
            try await sink?.take(item, line: line, tally: &tally)
        }
        try await sink?.batch.flush(into: &tally)
        environment.metrics.countEvents(
            model: name, kind: "predictions", accepted: tally.accepted, duplicates: tally.duplicates,
            rejected: tally.rejectedCount)
        return JSONReply(tally)
    }

    /// The model events are sent to, or nil when `defaults.auto_register` will register it from its first
    /// event.
    /// - Throws: `APIError` `unknown_model` (no auto-registration) or `invalid_model_name`.
    func resolveForIngest(_ name: String) async throws -> (ModelConfiguration, Int64)? {
        if let resolved = try await environment.findModel(name) { return resolved }
        guard environment.configuration.defaults.autoRegister else {
            throw APIError(
                .notFound, code: .unknownModel, message: "no model named '\(name)' is configured or registered")
        }
        guard ConfigurationLoader.isValidModelName(name) else {
            throw APIError(
                .badRequest, code: .invalidModelName, message: "a model name is 1 to 100 of A-Z a-z 0-9 _ . -")
        }
        return nil
    }

    func labels(_ request: Request, model name: String) async throws -> JSONReply<IngestTally> {
        let (model, modelID) = try await environment.resolveModel(name)
        let admission = IngestAdmission(environment, model: model)
        var tally = IngestTally(countsDuplicates: false)
        let environment = environment
        var batch = IngestBatch<LabelStore.Record>(size: Self.batchSize) { part in
            let started = ContinuousClock.now
            _ = try await environment.pool.withConnection(purpose: "store labels") {
                try LabelStore.upsert(part, modelID: modelID, on: $0)
            }
            environment.metrics.recordCommit(kind: "labels", seconds: ContinuousClock.now - started)
            return (0, 0)
        }
        let now = environment.clock()
        try await IngestBody.forEachItem(request, server: environment.configuration.server) { line, item in
            switch item.label() {
            case .success(let label):
                if let time = label.timestamp, let problem = admission.problem(labelTime: time) {
                    return tally.reject(line, problem)
                }
                let record = LabelStore.Record(
                    predictionID: label.id, label: label.label, value: label.value, labelTime: label.timestamp ?? now)
                try await batch.append(record, line: line, tally: &tally)
            case .failure(let problem):
                tally.reject(line, problem)
            }
        }
        try await batch.flush(into: &tally)
        environment.metrics.countEvents(
            model: name, kind: "labels", accepted: tally.accepted, duplicates: 0, rejected: tally.rejectedCount)
        return JSONReply(tally)
    }
}

/// Where one request's prediction events go once their model is known: decoded against its schema,
/// admitted by event time (retention, future skew, partition cap), and batched for storage.
struct PredictionSink {
    let decoder: PredictionEventDecoder
    var admission: IngestAdmission
    var batch: IngestBatch<PredictionRecord>

    init?(_ environment: AgentEnvironment, model name: String, resolved: (ModelConfiguration, Int64)?) {
        guard let (model, modelID) = resolved else { return nil }
        decoder = PredictionEventDecoder(model: model)
        admission = IngestAdmission(environment, model: model)
        batch = IngestBatch(size: IngestRoutes.batchSize) { part in
            let stored = try await environment.storePredictions(part, model: name, modelID: modelID)
            return (part.count - stored.fresh, stored.late)
        }
    }

    /// Decodes and admits one item: stored in the batch, or rejected with its line.
    mutating func take(_ item: IngestBody.Item, line: Int, tally: inout IngestTally) async throws {
        switch item.prediction(decoder) {
        case .success(let event):
            if let problem = await admission.problem(eventTime: event.timestamp) {
                return tally.reject(line, problem)
            }
            try await batch.append(PredictionRecord(event), line: line, tally: &tally)
        case .failure(let problem):
            tally.reject(line, problem)
        }
    }
}
