import DriftCore
import Hummingbird

/// The query of `POST /v1/models/{model}/versions`: `promote` (`true`/`1` or `false`/`0`, default false) and
/// `source` (`builtin`, the default, or `external`).
struct VersionUploadQuery: Sendable, Equatable {
    let promote: Bool
    let source: ModelVersions.Source

    init(_ query: QueryParameters) throws(APIError) {
        switch query.get("promote") {
        case nil, "false", "0": promote = false
        case "true", "1": promote = true
        default:
            throw APIError(
                .badRequest, code: .invalidParameter, message: "promote is true, false, 1 or 0", field: "promote")
        }
        guard let source = ModelVersions.Source(rawValue: query.get("source") ?? "builtin") else {
            throw APIError(
                .badRequest, code: .invalidParameter, message: "source is builtin or external", field: "source")
        }
        self.source = source
    }
}
