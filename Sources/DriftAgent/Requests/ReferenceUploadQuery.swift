import Hummingbird

/// The query of `PUT /v1/models/{model}/reference`: `source`, a name kept with the reference
/// (stored as `upload:<source>`; default `upload:reference`).
struct ReferenceUploadQuery: Sendable, Equatable {
    /// The source as stored, e.g. `upload:reference`.
    let source: String

    init(_ query: QueryParameters) throws(APIError) {
        source = "upload:" + (try QueryText.value(query, "source") ?? "reference")
    }
}
