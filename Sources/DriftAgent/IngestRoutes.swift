import DriftConfig
import DriftCore
import DriftStats
import DriftStore
import DriftTables
import Hummingbird
import PostgresDriver

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
    static let reportedRejections = 100

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("models/:model/predictions") { request, context in
            try await predictions(request, model: try context.parameters.require("model"))
        }
        group.post("models/:model/labels") { request, context in
            try await labels(request, model: try context.parameters.require("model"))
        }
    }

    /// Accepted, duplicate and rejected counts of one request.
    struct Tally {
        var accepted = 0
        var duplicates = 0
        /// Events stored after their window had closed.
        var late = 0
        var rejected: [(line: Int, field: String?, message: String)] = []
        var rejectedCount = 0

        mutating func reject(_ line: Int, _ problem: EventProblem) {
            rejectedCount += 1
            if rejected.count < IngestRoutes.reportedRejections {
                rejected.append((line, problem.field, problem.message))
            }
        }

        func response(includeDuplicates: Bool) -> Response {
            var w = JSONWriter(pretty: false)
            w.beginObject()
            w.integer("accepted", accepted)
            if includeDuplicates {
                w.integer("duplicates", duplicates)
                w.integer("late", late)
            }
            w.integer("rejected_count", rejectedCount)
            w.beginArray("rejected")
            for r in rejected {
                w.beginObject()
                w.integer("line", r.line)
                w.string("field", r.field)
                w.string("message", r.message)
                w.endObject()
            }
            w.endArray()
            w.endObject()
            return JSONResponse.make(w.text)
        }
    }

    func predictions(_ request: Request, model name: String) async throws -> Response {
        var resolved = try await environment.findModel(name)
        let autoRegister = environment.configuration.defaults.autoRegister
        if resolved == nil && !autoRegister {
            throw APIError(
                .notFound, code: .unknownModel, message: "no model named '\(name)' is configured or registered")
        }
        if resolved == nil && !ConfigurationLoader.isValidModelName(name) {
            throw APIError(
                .badRequest, code: .invalidModelName, message: "a model name is 1 to 100 of A-Z a-z 0-9 _ . -")
        }
        var decoder = resolved.map { PredictionEventDecoder(model: $0.0) }
        var admission = resolved.map { IngestAdmission(environment, model: $0.0) }
        var modelID = resolved?.1 ?? 0
        var tally = Tally()
        var batch: [PredictionRecord] = []
        var lines: [Int] = []
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let (records, numbers) = (batch, lines)
            let modelID = modelID
            batch.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            try await Self.storeSplittingRefused(records, lines: numbers, tally: &tally) { part in
                let stored = try await environment.storePredictions(part, model: name, modelID: modelID)
                return (part.count - stored.fresh, stored.late)
            }
        }
        try await forEachItem(request) { line, item in
            if resolved == nil {
                // auto_register: the first event that shows its features defines the model.
                switch AutoRegistration.settings(from: item.json) {
                case .failure(let problem):
                    tally.reject(line, problem)
                    return
                case .success(let settings):
                    resolved = try await AutoRegistration.register(name, settings: settings, environment)
                    decoder = resolved.map { PredictionEventDecoder(model: $0.0) }
                    admission = resolved.map { IngestAdmission(environment, model: $0.0) }
                    modelID = resolved?.1 ?? 0
                }
            }
            guard let decoder, var checked = admission else { return }
            switch item.prediction(decoder) {
            case .success(let event):
                let problem = await checked.problem(eventTime: event.timestamp)
                admission = checked
                if let problem {
                    tally.reject(line, problem)
                    return
                }
                batch.append(Self.record(event))
                lines.append(line)
                if batch.count >= Self.batchSize { try await flush() }
            case .failure(let problem):
                tally.reject(line, problem)
            }
        }
        try await flush()
        environment.metrics.countEvents(
            model: name, kind: "predictions", accepted: tally.accepted, duplicates: tally.duplicates,
            rejected: tally.rejectedCount)
        return tally.response(includeDuplicates: true)
    }

    func labels(_ request: Request, model name: String) async throws -> Response {
        let (model, modelID) = try await environment.resolveModel(name)
        let admission = IngestAdmission(environment, model: model)
        var tally = Tally()
        var batch: [LabelStore.Record] = []
        var lines: [Int] = []
        let pool = environment.pool
        let now = environment.clock()
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let (records, numbers) = (batch, lines)
            batch.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            try await Self.storeSplittingRefused(records, lines: numbers, tally: &tally) { part in
                let started = ContinuousClock.now
                _ = try await pool.withConnection(purpose: "store labels") {
                    try LabelStore.upsert(part, modelID: modelID, on: $0)
                }
                environment.metrics.recordCommit(kind: "labels", seconds: ContinuousClock.now - started)
                return (0, 0)
            }
        }
        try await forEachItem(request) { line, item in
            switch item.label() {
            case .success(let label):
                if let time = label.timestamp, let problem = admission.problem(labelTime: time) {
                    tally.reject(line, problem)
                    return
                }
                batch.append(
                    LabelStore.Record(
                        predictionID: label.id, label: label.label, value: label.value,
                        labelTime: label.timestamp ?? now))
                lines.append(line)
                if batch.count >= Self.batchSize { try await flush() }
            case .failure(let problem):
                tally.reject(line, problem)
            }
        }
        try await flush()
        environment.metrics.countEvents(
            model: name, kind: "labels", accepted: tally.accepted, duplicates: 0, rejected: tally.rejectedCount)
        return tally.response(includeDuplicates: false)
    }

    /// Stores `records` (one transaction, through `store`, which returns its duplicates and late events).
    /// When the database refuses the batch's data, each record is stored alone and those it refuses are
    /// rejected with their line: the good lines of the request are kept.
    static func storeSplittingRefused<R: Sendable>(
        _ records: [R], lines: [Int], tally: inout Tally,
        _ store: ([R]) async throws -> (duplicates: Int, late: Int)
    ) async throws {
        do {
            let (duplicates, late) = try await store(records)
            tally.accepted += records.count
            tally.duplicates += duplicates
            tally.late += late
        } catch let error as PostgresError where error.refusesData {
            for (record, line) in zip(records, lines) {
                do {
                    let (duplicates, late) = try await store([record])
                    tally.accepted += 1
                    tally.duplicates += duplicates
                    tally.late += late
                } catch let error as PostgresError where error.refusesData {
                    tally.reject(line, .refused(by: error))
                }
            }
        }
    }

    /// One item of the body: an NDJSON line (its bytes) or an element of a JSON array.
    enum Item {
        case bytes(UnsafeBufferPointer<UInt8>)
        case value(JSONValue)

        func prediction(_ decoder: PredictionEventDecoder) -> Result<PredictionEvent, EventProblem> {
            switch self {
            case .bytes(let b): return decoder.decode(b)
            case .value(let v): return decoder.decode(v)
            }
        }

        /// The item as a JSON value (nil when it is not valid JSON).
        var json: JSONValue? {
            switch self {
            case .bytes(let b): return try? JSONValue.parse(b)
            case .value(let v): return v
            }
        }

        func label() -> Result<LabelEvent, EventProblem> {
            switch self {
            case .bytes(let b): return LabelEvent.decode(b)
            case .value(let v): return LabelEvent.decode(v)
            }
        }
    }

    func forEachItem(_ request: Request, _ handle: (Int, Item) async throws -> Void) async throws {
        let server = environment.configuration.server
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            let buffer = try await request.body.collect(upTo: server.maxBufferedBodyBytes)
            let value: JSONValue
            do {
                value = try Array(buffer.readableBytesView).withUnsafeBufferPointer { b throws(JSONSyntaxError) in
                    try JSONValue.parse(b)
                }
            } catch {
                throw APIError.notJSON(error)
            }
            guard case .array(let items) = value else {
                throw APIError(.badRequest, code: .invalidJSON, message: "a JSON body must be an array of events")
            }
            for (i, item) in items.enumerated() { try await handle(i + 1, .value(item)) }
            return
        }
        let reader = LineReader(maxLineBytes: server.maxLineBytes, maxBodyBytes: server.maxBodyBytes)
        try await reader.forEachLine(of: request.body) { number, bytes in try await handle(number, .bytes(bytes)) }
    }

    static func record(_ e: PredictionEvent) -> PredictionRecord {
        var scores = e.scores
        if let labels = e.scoreLabels, let values = e.scores {
            // Stored in the labels' sorted order (numbers numerically, else code points).
            let order = LabelOrder.sorted(labels)
            let byLabel = Dictionary(zip(labels, values), uniquingKeysWith: { first, _ in first })
            scores = order.compactMap { byLabel[$0] }
        }
        return PredictionRecord(
            predictionID: e.id, eventTime: e.timestamp, numericFeatures: e.numeric, categoryFeatures: e.categorical,
            prediction: e.prediction, score: e.score, scores: scores, latencyMilliseconds: e.latencyMilliseconds,
            modelVersion: e.modelVersion)
    }
}
