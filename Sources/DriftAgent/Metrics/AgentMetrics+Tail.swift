import Prometheus

extension AgentMetrics {
    /// Counts lines of followed log files by outcome (`ingested`: committed with their offset; `rejected`:
    /// skipped as bad).
    func countTailLines(model: String, kind: String, ingested: Int, rejected: Int) {
        for (outcome, n) in [("ingested", ingested), ("rejected", rejected)] where n > 0 {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "driftwatch", subsystem: "tail", metricName: "lines", unitName: "total",
                    helpText: "Lines of followed log files, by model, kind (predictions or labels) and outcome"),
                labels: [("model", model), ("kind", kind), ("outcome", outcome)]
            ).increment(by: Int64(n))
        }
    }

    /// The bytes of followed files not yet ingested, and how many files are followed, after a pass.
    func publishTail(model: String, kind: String, lagBytes: Int64, files: Int) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "tail", metricName: "lag", unitName: "bytes",
                helpText: "Bytes of followed log files not ingested yet (partial last lines included)"),
            labels: [("model", model), ("kind", kind)]
        ).set(Double(lagBytes))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "tail", metricName: "files", unitName: "",
                helpText: "Log files followed now"),
            labels: [("model", model), ("kind", kind)]
        ).set(Double(files))
    }
}
