/// The task a prediction log is scored as.
package enum MetricsTask: String, CaseIterable, Sendable {
    case binary
    case multiclass
    case regression
}
