import DriftCore
import DriftStore
import DriftTables
import DriftWire
import Hummingbird
import PostgresDriver

/// `POST /v1/cloudevents`: inference events logged by model servers — KServe's inference logger and
/// Seldon Core's request logger — in binary mode (`ce-*` headers, the body is the data) or structured mode
/// (`Content-Type: application/cloudevents+json`).
///
/// The model is the one whose `cloudevents.inference_service` (by default its name) equals the
/// `ce-inferenceservicename` extension (and whose `cloudevents.namespace`, when set, equals
/// `ce-namespace`); `?model=<name>` names it outright. A request and its response share one `ce-id` and
/// may arrive in either order: the first is checked, kept in PostgreSQL (`cloudevent_halves`) and
/// acknowledged; the second is checked against it and the pair is stored as one prediction per instance
/// through the same path as `POST /v1/models/{model}/predictions`. A half whose partner does not come
/// within `cloudevents.pair_timeout` is stored alone by `CloudEventSweeper`. Seldon feedback becomes labels.
/// A malformed event is answered 400 naming the header or payload field, and nothing is kept of it.
struct CloudEventRoutes: Sendable {
    let environment: AgentEnvironment

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.post("cloudevents") { request, _ in try await receive(request) }
    }

    func receive(_ request: Request) async throws -> JSONReply<CloudEventReply> {
        var typeLabel = "unknown"
        do {
            let (reply, label) = try await handle(request) { typeLabel = $0 }
            environment.metrics.countCloudEvent(type: typeLabel, outcome: label)
            return JSONReply(reply)
        } catch let error as APIError {
            environment.metrics.countCloudEvent(
                type: typeLabel, outcome: error.status == .badRequest ? "rejected" : "\(error.code)")
            throw error
        }
    }

    static func invalid(_ problem: EventProblem) -> APIError { .invalid(problem, code: .invalidCloudEvent) }

    func handle(_ request: Request, typed: (String) -> Void) async throws -> (CloudEventReply, String) {
        let (event, structured) = try await Self.read(
            request, limit: environment.configuration.server.maxBufferedBodyBytes)
        let type = try Self.inferenceType(of: event, structured: structured)
        typed(type.label)
        let query = CloudEventQuery(request.uri.queryParameters)
        let (model, modelID) = try await resolve(event, structured: structured, named: query.model)
        let data = try Self.data(of: event)
        let decoder = InferencePayloadDecoder(model: model)
        let arrival = environment.clock()
        if type.kind == .feedback {
            let feedback = CloudEventFeedback(environment: environment, model: model, modelID: modelID)
            let ids = try await feedback.store(event, data: data, decoder: decoder, arrival: arrival)
            return (.labelled(id: event.id, predictionIDs: ids), "labelled")
        }
        try await admit(event, kind: type.kind, data: data, decoder: decoder, model: model, arrival: arrival)
        let stored = CloudEventHalfStore.Half(
            eventID: event.id, half: type.kind.rawValue, state: "pending", ceType: event.type, ceSource: event.source,
            ceTime: event.time, receivedAt: arrival, body: String(decoding: event.data, as: UTF8.self))
        let decision = try await environment.pool.withConnection(purpose: "receive a CloudEvent") { connection in
            try connection.transaction(purpose: "receive a CloudEvent") {
                try CloudEventPairs.decide(stored, modelID: modelID, decoder: decoder, on: connection)
            }
        }
        return try await answer(decision, event: event, structured: structured, model: model, modelID: modelID)
    }

    /// The event in the request, and whether it came in structured mode.
    static func read(_ request: Request, limit: Int) async throws -> (CloudEvent, structured: Bool) {
        let contentType = request.headers[.contentType]
        let buffer = try await request.body.collect(upTo: limit)
        let body = Array(buffer.readableBytesView)
        let parsed: Result<CloudEvent, EventProblem>
        let structured: Bool
        if let contentType, contentType.lowercased().hasPrefix("application/cloudevents-batch") {
            throw APIError(
                .badRequest, code: .unsupportedMode,
                message: "batched CloudEvents are not supported: send one event per request", field: "content-type")
        } else if let contentType, contentType.lowercased().hasPrefix("application/cloudevents") {
            structured = true
            parsed = body.withUnsafeBufferPointer { CloudEvent.structured($0) }
        } else {
            structured = false
            parsed = CloudEvent.binary(
                headers: request.headers.map { ($0.name.rawName, $0.value) }, contentType: contentType, body: body)
        }
        switch parsed {
        case .success(let event): return (event, structured)
        case .failure(let p): throw invalid(p)
        }
    }

    /// The inference event type the CloudEvent's type names.
    static func inferenceType(of event: CloudEvent, structured: Bool) throws -> InferenceEventType {
        guard let type = InferenceEventType(event.type) else {
            throw APIError(
                .badRequest, code: .unsupportedType,
                message:
                    "CloudEvent type '\(event.type.prefix(80))' is not one of: \(InferenceEventType.known.joined(separator: ", "))",
                field: structured ? "type" : "ce-type")
        }
        return type
    }

    /// The event's data, parsed.
    static func data(of event: CloudEvent) throws -> JSONValue {
        do {
            return try event.data.withUnsafeBufferPointer { b throws(JSONSyntaxError) in try JSONValue.parse(b) }
        } catch {
            throw APIError.notJSON(error, what: "the event's data", field: "data")
        }
    }

    /// Checks a request or response half alone, before anything is kept: its payload decodes, and its
    /// times are admitted (not too far ahead, not older than retention, not too many new days).
    func admit(
        _ event: CloudEvent, kind: InferenceEventKind, data: JSONValue, decoder: InferencePayloadDecoder,
        model: ModelConfiguration, arrival: Int64
    ) async throws {
        let half = InferenceHalf(kind: kind, data: data, time: event.time, arrival: arrival)
        switch InferencePairing.events(
            eventID: event.id, request: kind == .request ? half : nil, response: kind == .response ? half : nil,
            decoder: decoder)
        {
        case .failure(let p): throw Self.invalid(p)
        case .success(let events):
            var admission = IngestAdmission(environment, model: model, now: arrival)
            for e in events {
                if let p = await admission.problem(eventTime: e.timestamp) { throw Self.invalid(p) }
            }
        }
    }

    /// The reply to what the pair's lock decided (and the outcome counted in `/metrics`); a completed pair
    /// is stored first.
    func answer(
        _ decision: CloudEventPairs.Decision, event: CloudEvent, structured: Bool, model: ModelConfiguration,
        modelID: Int64
    ) async throws -> (CloudEventReply, String) {
        switch decision {
        case .pending:
            return (.pending(id: event.id), "pending")
        case .duplicate(let state):
            return (.duplicate(id: event.id, state: state), "duplicate")
        case .expired:
            throw APIError(
                .conflict, code: .pairExpired,
                message:
                    "the other half of event '\(event.id.prefix(80))' was stored alone after the pair timeout; this half was not kept",
                field: structured ? "id" : "ce-id")
        case .rejected(let problem):
            throw Self.invalid(problem)
        case .join(let events):
            let result = try await CloudEventPairs.store(
                events, eventIDs: [event.id], model: model.name, modelID: modelID, environment)
            let reply = CloudEventReply.stored(
                id: event.id, accepted: events.count, duplicates: events.count - result.fresh, late: result.late)
            return (reply, "stored")
        }
    }

    /// The model the event is for, and its id.
    func resolve(
        _ event: CloudEvent, structured: Bool, named query: String?
    ) async throws -> (
        ModelConfiguration, Int64
    ) {
        let field = structured ? "inferenceservicename" : "ce-inferenceservicename"
        let name: String
        if let query {
            name = query
        } else {
            guard let service = event.extensions["inferenceservicename"], !service.isEmpty else {
                throw APIError(
                    .badRequest, code: .invalidCloudEvent,
                    message: "the inferenceservicename extension names the model (or give ?model=<name>)", field: field)
            }
            let namespace = event.extensions["namespace"]
            func match(_ models: [ModelConfiguration]) -> String? {
                models.first { m in
                    (m.cloudEvents.inferenceService ?? m.name) == service
                        && (m.cloudEvents.namespace == nil || m.cloudEvents.namespace == namespace)
                }?.name
            }
            var found = match(await environment.models.all())
            if found == nil {
                try await environment.models.refresh(pool: environment.pool)
                found = match(await environment.models.all())
            }
            guard let found else {
                throw APIError(
                    .badRequest, code: .unknownModel,
                    message:
                        "no model takes the CloudEvents of inference service '\(service.prefix(100))'\(namespace.map { " in namespace '\($0.prefix(100))'" } ?? "") (set models.<name>.cloudevents.inference_service)",
                    field: field)
            }
            name = found
        }
        guard let resolved = try await environment.findModel(name) else {
            throw APIError(
                .badRequest, code: .unknownModel,
                message: "no model named '\(name.prefix(100))' is configured or registered",
                field: query == nil ? field : "model")
        }
        return resolved
    }

}
