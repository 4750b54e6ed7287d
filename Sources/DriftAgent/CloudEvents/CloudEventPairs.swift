import DriftCore
import DriftStore
import DriftTables
import DriftWire
import PostgresDriver

/// The two halves of a CloudEvent pair (a request and its response, sharing one `ce-id`) as they are
/// kept in `cloudevent_halves`: what an arriving half decides under the pair's lock, how two kept halves
/// become events, and how joined (or swept) events are stored.
enum CloudEventPairs {
    /// What an arriving half decided, under the pair's lock.
    enum Decision: Sendable {
        /// The half was kept; its partner has not arrived.
        case pending
        /// The half was received before (`state` of the stored copy).
        case duplicate(state: String)
        /// Its partner was already stored alone (the pair timeout passed): not kept.
        case expired
        /// The pair is complete: store these events, then mark the pair stored.
        case join([PredictionEvent])
        /// The halves do not fit together (e.g. different numbers of rows): not kept.
        case rejected(EventProblem)
    }

    /// Decides what an arriving half does, under the pair's lock (inside a transaction).
    static func decide(
        _ half: CloudEventHalfStore.Half, modelID: Int64, decoder: InferencePayloadDecoder,
        on connection: PostgresConnection
    ) throws -> Decision {
        let halves = try CloudEventHalfStore.lock(modelID: modelID, eventID: half.eventID, on: connection)
        let own = halves.first { $0.half == half.half }
        let partner = halves.first { $0.half != half.half }
        switch (own?.state, partner?.state) {
        case (nil, nil):
            try CloudEventHalfStore.insert(half, modelID: modelID, on: connection)
            return .pending
        case (nil, "stored"?), (nil, "sweeping"?):
            return .expired
        case (nil, .some):
            // The partner waits: pair them (this half as it will be stored, so a retry pairs the same way).
            guard let partner else { return .pending }
            switch pair(half, partner, decoder: decoder) {
            case .failure(let p): return .rejected(p)
            case .success(let events):
                var joining = half
                joining.state = "joining"
                try CloudEventHalfStore.insert(joining, modelID: modelID, on: connection)
                try CloudEventHalfStore.claim(modelID: modelID, eventID: half.eventID, state: "joining", on: connection)
                return .join(events)
            }
        case ("pending"?, "pending"?), ("pending"?, "joining"?), ("joining"?, "pending"?), ("joining"?, "joining"?):
            // Both kept, the pair not stored (an agent stopped in between): pair the kept copies again.
            guard let own, let partner else { return .duplicate(state: "pending") }
            switch pair(own, partner, decoder: decoder) {
            case .failure(let p): return .rejected(p)
            case .success(let events):
                try CloudEventHalfStore.claim(modelID: modelID, eventID: half.eventID, state: "joining", on: connection)
                return .join(events)
            }
        case (let state?, _):
            return .duplicate(state: state)
        }
    }

    /// The events of two kept halves (either may be nil: stored alone).
    static func pair(
        _ a: CloudEventHalfStore.Half?, _ b: CloudEventHalfStore.Half?, decoder: InferencePayloadDecoder
    ) -> Result<[PredictionEvent], EventProblem> {
        var request: InferenceHalf?
        var response: InferenceHalf?
        for h in [a, b].compactMap({ $0 }) {
            guard let body = h.body, let data = try? JSONValue.parse(body) else {
                return .failure(
                    EventProblem(.notJSON, field: "data", "the kept \(h.half) of this pair is not readable JSON"))
            }
            let kind: InferenceEventKind = h.half == "request" ? .request : .response
            let half = InferenceHalf(kind: kind, data: data, time: h.ceTime, arrival: h.receivedAt)
            if kind == .request { request = half } else { response = half }
        }
        let id = a?.eventID ?? b?.eventID ?? ""
        return InferencePairing.events(eventID: id, request: request, response: response, decoder: decoder)
    }

    /// Stores joined (or swept) events like any ingested predictions, then marks their pairs stored.
    static func store(
        _ events: [PredictionEvent], eventIDs: [String], model: String, modelID: Int64, _ environment: AgentEnvironment
    ) async throws -> AgentEnvironment.StoredBatch {
        let result = try await environment.storePredictions(
            events.map(PredictionRecord.init), model: model, modelID: modelID)
        try await environment.pool.withConnection(purpose: "mark CloudEvent pairs stored") {
            try CloudEventHalfStore.markStored(modelID: modelID, eventIDs: eventIDs, on: $0)
        }
        environment.metrics.countEvents(
            model: model, kind: "predictions", accepted: events.count, duplicates: events.count - result.fresh,
            rejected: 0)
        return result
    }

}
