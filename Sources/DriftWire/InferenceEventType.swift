/// The model server that logged an inference event.
package enum ModelServer: String, Sendable, Equatable, CaseIterable {
    case kserve
    case seldon
}

/// What one logged inference event is.
package enum InferenceEventKind: String, Sendable, Equatable, CaseIterable {
    case request
    case response
    /// Ground truth for earlier predictions (Seldon Core's feedback).
    case feedback
}

/// A CloudEvent `type` the agent understands: KServe's inference logger
/// (`org.kubeflow.serving.inference.request|response`) and Seldon Core's request logger
/// (`io.seldon.serving.inference.request|response`, `io.seldon.serving.feedback`).
package struct InferenceEventType: Sendable, Equatable, Hashable {
    package let server: ModelServer
    package let kind: InferenceEventKind

    /// The type of a `ce-type` value, or nil when it is not one of the five above.
    package init?(_ type: String) {
        switch type {
        case "org.kubeflow.serving.inference.request": (server, kind) = (.kserve, .request)
        case "org.kubeflow.serving.inference.response": (server, kind) = (.kserve, .response)
        case "io.seldon.serving.inference.request": (server, kind) = (.seldon, .request)
        case "io.seldon.serving.inference.response": (server, kind) = (.seldon, .response)
        case "io.seldon.serving.feedback": (server, kind) = (.seldon, .feedback)
        default: return nil
        }
    }

    /// A bounded metric label, e.g. `kserve.request`.
    package var label: String { "\(server.rawValue).\(kind.rawValue)" }

    /// The known `ce-type` values, for error messages.
    package static let known = [
        "org.kubeflow.serving.inference.request", "org.kubeflow.serving.inference.response",
        "io.seldon.serving.inference.request", "io.seldon.serving.inference.response", "io.seldon.serving.feedback",
    ]
}
