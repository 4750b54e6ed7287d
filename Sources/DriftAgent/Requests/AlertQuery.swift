import Hummingbird

/// The query of `GET /v1/alerts`: `state` (`open`, the default, or `all`) and an optional `model` name.
struct AlertQuery: Sendable, Equatable {
    /// Which alerts to list.
    enum State: String, Sendable {
        case open, all
    }

    let state: State
    let model: String?

    init(_ query: QueryParameters) throws(APIError) {
        guard let state = State(rawValue: query.get("state") ?? "open") else {
            throw APIError(.badRequest, code: .invalidParameter, message: "state is open or all", field: "state")
        }
        self.state = state
        model = query.get("model")
    }
}
