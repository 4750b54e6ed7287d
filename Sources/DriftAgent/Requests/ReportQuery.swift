import DriftCore
import Hummingbird

/// The query of `GET /v1/models/{model}/report`: the windows starting in [`from`, `to`) (RFC 3339;
/// default: everything stored, up to 2200-01-01).
struct ReportQuery: Sendable, Equatable {
    let from: Int64
    let to: Int64

    /// 2200-01-01T00:00:00Z in microseconds: the default end, later than any stored window.
    static let defaultEnd: Int64 = 7_258_118_400_000_000

    init(_ query: QueryParameters) throws(APIError) {
        from = try QueryTime.value(query, "from", default: 0)
        to = try QueryTime.value(query, "to", default: Self.defaultEnd)
        try QueryTime.checkOrder(from: from, to: to)
    }
}
