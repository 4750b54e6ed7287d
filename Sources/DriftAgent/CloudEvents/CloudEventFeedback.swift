import DriftCore
import DriftStore
import DriftTables
import DriftWire

/// Seldon feedback: its truth becomes labels of the predictions it names, admitted by label time.
struct CloudEventFeedback: Sendable {
    let environment: AgentEnvironment
    let model: ModelConfiguration
    let modelID: Int64

    /// Stores the feedback's labels; returns the ids of the predictions labelled.
    /// - Throws: `APIError` `invalid_cloudevent` naming the field of a bad payload or label time.
    func store(
        _ event: CloudEvent, data: JSONValue, decoder: InferencePayloadDecoder, arrival: Int64
    ) async throws
        -> [String]
    {
        let labels: [LabelEvent]
        switch InferencePairing.labels(
            eventID: event.id, requestID: event.extensions["requestid"], feedback: data, time: event.time ?? arrival,
            decoder: decoder)
        {
        case .success(let l): labels = l
        case .failure(let p): throw CloudEventRoutes.invalid(p)
        }
        let admission = IngestAdmission(environment, model: model, now: arrival)
        for label in labels {
            if let time = label.timestamp, let p = admission.problem(labelTime: time) {
                throw CloudEventRoutes.invalid(p)
            }
        }
        let records = labels.map {
            LabelStore.Record(predictionID: $0.id, label: $0.label, value: $0.value, labelTime: $0.timestamp ?? arrival)
        }
        _ = try await environment.pool.withConnection(purpose: "store labels") {
            try LabelStore.upsert(records, modelID: modelID, on: $0)
        }
        environment.metrics.countEvents(
            model: model.name, kind: "labels", accepted: records.count, duplicates: 0, rejected: 0)
        return records.map(\.predictionID)
    }
}
