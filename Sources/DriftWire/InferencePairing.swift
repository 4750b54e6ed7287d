import DriftCore
import DriftTables

/// One half of a logged inference: a request or a response, with its data and times.
package struct InferenceHalf: Sendable, Equatable {
    package var kind: InferenceEventKind
    /// The event's data (the request or response body the model server saw).
    package var data: JSONValue
    /// The CloudEvent's `time`, microseconds since the Unix epoch, when given.
    package var time: Int64?
    /// When the agent first received it (microseconds; kept with a stored half, so it never changes).
    package var arrival: Int64

    package init(kind: InferenceEventKind, data: JSONValue, time: Int64?, arrival: Int64) {
        self.kind = kind
        self.data = data
        self.time = time
        self.arrival = arrival
    }
}

/// Joins the halves of a logged inference into prediction events, and reads Seldon feedback as labels.
/// Pure: the same halves always give the same events (ids, times), so storing them again is a no-op.
///
/// Each instance of the request becomes one event: id `<ce-id>` for a single instance, `<ce-id>-<index>`
/// for several; event time the request's `time` (else its arrival; a response stored alone: its own);
/// latency the response's `time` minus the request's when both are given.
package enum InferencePairing {
    /// The events of a request and its response; either may be nil (stored alone after the pair timeout).
    package static func events(
        eventID: String, request: InferenceHalf?, response: InferenceHalf?, decoder: InferencePayloadDecoder
    ) -> Result<[PredictionEvent], EventProblem> {
        let instances: [InferenceInstance]?
        let outputs: InferenceOutputs?
        switch decode(request: request, response: response, decoder: decoder) {
        case .success(let halves):
            instances = halves.instances
            outputs = halves.outputs
        case .failure(let p): return .failure(p)
        }
        if let instances, let outputs, instances.count != outputs.rows.count {
            let which = response.map { _ in outputs.field } ?? "instances"
            return .failure(
                EventProblem.invalid(
                    field: which,
                    "the response has \(outputs.rows.count) rows but its request has \(instances.count) instances"))
        }
        let count = instances?.count ?? outputs?.rows.count ?? 0
        guard count > 0 else {
            return .failure(.invalid(field: outputs?.field ?? "instances", "the event holds no instances"))
        }
        let time: Int64
        if let request {
            time = request.time ?? request.arrival
        } else if let response {
            time = response.time ?? response.arrival
        } else {
            return .failure(.invalid(field: nil, "neither a request nor a response"))
        }
        var latency: Double?
        if let start = request?.time, let end = response?.time, end >= start {
            latency = Double(end - start) / 1000
        }
        return events(
            eventID: eventID, count: count, time: time, latency: latency, instances: instances, outputs: outputs,
            decoder: PredictionEventDecoder(model: decoder.model))
    }

    /// The request's instances and the response's outputs, each nil when its half is missing.
    static func decode(
        request: InferenceHalf?, response: InferenceHalf?, decoder: InferencePayloadDecoder
    ) -> Result<(instances: [InferenceInstance]?, outputs: InferenceOutputs?), EventProblem> {
        var instances: [InferenceInstance]?
        var outputs: InferenceOutputs?
        if let request {
            switch decoder.instances(request.data) {
            case .success(let i): instances = i
            case .failure(let p): return .failure(p)
            }
        }
        if let response {
            switch decoder.outputs(response.data) {
            case .success(let o): outputs = o
            case .failure(let p): return .failure(p)
            }
        }
        return .success((instances, outputs))
    }

    /// The `count` events of a pair at `time`: each instance's features decoded by the model's schema, with
    /// its output row, the latency and the model version.
    static func events(
        eventID: String, count: Int, time: Int64, latency: Double?, instances: [InferenceInstance]?,
        outputs: InferenceOutputs?, decoder eventDecoder: PredictionEventDecoder
    ) -> Result<[PredictionEvent], EventProblem> {
        let stamp = JSONValue.string(RFC3339.text(microseconds: time))
        var events: [PredictionEvent] = []
        events.reserveCapacity(count)
        for i in 0..<count {
            let id = count == 1 ? eventID : "\(eventID)-\(i)"
            let features = instances.map { $0[i].features } ?? []
            var event: PredictionEvent
            switch eventDecoder.decode(
                .object([("id", .string(id)), ("timestamp", stamp), ("features", .object(features))]))
            {
            case .success(let e): event = e
            case .failure(let p):
                let path = instances?[i].path ?? "instances[\(i)]"
                let feature = p.field.map { $0.hasPrefix("features.") ? String($0.dropFirst(9)) : $0 } ?? "?"
                return .failure(.invalid(field: path, "feature '\(feature)': \(p.message)"))
            }
            if let o = outputs?.rows[i] {
                event.prediction = o.prediction
                event.score = o.score
                event.scores = o.scores
                event.scoreLabels = o.scoreLabels
            }
            event.latencyMilliseconds = latency
            event.modelVersion = outputs?.modelVersion
            events.append(event)
        }
        return .success(events)
    }

    /// The labels of a Seldon feedback event (`{"request"?, "response"?, "truth", "reward"?}`): one per row
    /// of `truth`, for the prediction whose id is `response.meta.puid` (else `requestID`, the `requestid`
    /// extension, else the event's id), with `-<index>` for several rows as `events` names them.
    package static func labels(
        eventID: String, requestID: String?, feedback data: JSONValue, time: Int64, decoder: InferencePayloadDecoder
    ) -> Result<[LabelEvent], EventProblem> {
        guard case .object = data else { return .failure(.invalid(field: "data", "expected a JSON object")) }
        guard let truth = data["truth"], truth != .null else {
            return .failure(.missing(field: "truth", "feedback without truth carries no label"))
        }
        var id = requestID ?? eventID
        if case .string(let puid)? = data["response"]?["meta"]?["puid"], !puid.isEmpty { id = puid }
        let rows: [InferenceOutput]
        switch decoder.outputs(truth, field: "truth") {
        case .success(let o): rows = o.rows
        case .failure(let p): return .failure(p)
        }
        guard !rows.isEmpty else { return .failure(.invalid(field: "truth", "the truth holds no rows")) }
        var labels: [LabelEvent] = []
        for (i, row) in rows.enumerated() {
            let rowID = rows.count == 1 ? id : "\(id)-\(i)"
            guard let text = row.prediction else {
                return .failure(.invalid(field: "truth", "row \(i) holds no label"))
            }
            if decoder.model.task == .regression {
                guard let value = Double(text) else {
                    return .failure(.invalid(field: "truth", "row \(i): a regression truth is a number"))
                }
                labels.append(LabelEvent(id: rowID, label: nil, value: value, timestamp: time))
            } else {
                labels.append(LabelEvent(id: rowID, label: text, value: nil, timestamp: time))
            }
        }
        return .success(labels)
    }
}
