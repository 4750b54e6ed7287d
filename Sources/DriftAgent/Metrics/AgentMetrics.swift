import Hummingbird
import Prometheus

/// The agent's Prometheus metrics (`driftwatch_` prefix, bounded label sets: model, route, method,
/// status class, outcome — never ids). Served as text at `GET /metrics`.
package struct AgentMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        .seconds(10), .seconds(30),
    ]

    /// Counts events of one ingest request by outcome (`accepted`, `duplicate`, `rejected`).
    func countEvents(model: String, kind: String, accepted: Int, duplicates: Int, rejected: Int) {
        for (outcome, n) in [("accepted", accepted - duplicates), ("duplicate", duplicates), ("rejected", rejected)] {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "driftwatch", subsystem: "ingest", metricName: "events", unitName: "total",
                    helpText: "Events received, by model, kind (predictions or labels) and outcome"),
                labels: [("model", model), ("kind", kind), ("outcome", outcome)]
            ).increment(by: Int64(n))
        }
    }

    /// Records one batch commit's duration.
    func recordCommit(kind: String, seconds: Duration) {
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "ingest", metricName: "commit_duration", unitName: "seconds",
                helpText: "Time to commit one batch of events to PostgreSQL"),
            labels: [("kind", kind)], buckets: Self.durationBuckets
        ).recordNanoseconds(seconds.nanoseconds)
    }

    /// Records one HTTP request.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let statusClass = "\(status / 100)xx"
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                helpText: "HTTP request latency by route pattern, method and status class"),
            labels: [("route", route), ("method", method), ("status", statusClass)], buckets: Self.durationBuckets
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// The metrics in Prometheus text exposition format.
    func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Times every request and records it by route pattern (never the raw path, so labels stay bounded).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: AgentMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.recordRequest(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}
