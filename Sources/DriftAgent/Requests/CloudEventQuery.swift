import Hummingbird

/// The query of `POST /v1/cloudevents`: `model`, which names the model outright (instead of the
/// `inferenceservicename` extension).
struct CloudEventQuery: Sendable, Equatable {
    let model: String?

    init(_ query: QueryParameters) {
        model = query.get("model")
    }
}
