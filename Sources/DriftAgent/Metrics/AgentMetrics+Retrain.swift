import Prometheus

extension AgentMetrics {
    /// Records one retraining job run by this agent: `driftwatch_retrain_jobs_total{status}` and its
    /// duration (`status` is `succeeded`, `failed`, or `lost` when another agent took the job over).
    func recordRetrain(status: String, seconds: Duration) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "retrain", metricName: "jobs", unitName: "total",
                helpText: "Retraining jobs run by this agent, by outcome"),
            labels: [("status", status)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "retrain", metricName: "job_duration", unitName: "seconds",
                helpText: "Time to run one retraining job"),
            labels: [], buckets: [.seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300), .seconds(1800)]
        ).recordNanoseconds(seconds.nanoseconds)
    }

    /// Counts predictions served by the built-in champion (`POST /v1/models/{model}/predict`).
    func countServed(model: String, _ n: Int) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "predict", metricName: "predictions", unitName: "total",
                helpText: "Predictions served by the built-in champion model"),
            labels: [("model", model)]
        ).increment(by: Int64(n))
    }
}
