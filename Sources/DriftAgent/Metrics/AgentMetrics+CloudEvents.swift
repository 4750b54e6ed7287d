import Prometheus

extension AgentMetrics {
    /// Counts one CloudEvent by type (`kserve.request`, `seldon.feedback`, … or `unknown`) and outcome:
    /// `pending` (first half kept), `stored` (its pair stored), `duplicate`, `labelled`, `rejected`,
    /// `expired` (its partner was already stored alone) — and, from the sweep, `swept` (stored alone after
    /// the pair timeout) and `discarded` (a kept half that no longer decodes).
    func countCloudEvent(type: String, outcome: String, _ n: Int = 1) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "cloudevents", metricName: "events", unitName: "total",
                helpText: "CloudEvents from model servers, by type and outcome"),
            labels: [("type", type), ("outcome", outcome)]
        ).increment(by: Int64(n))
    }
}
