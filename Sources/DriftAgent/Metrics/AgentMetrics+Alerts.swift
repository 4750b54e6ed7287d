import Prometheus

extension AgentMetrics {
    /// The outcomes of a notification attempt: `delivered` (2xx), `retry` (due again later), `failed`
    /// (refused, or past its deadline: given up).
    static let deliveryOutcomes = ["delivered", "retry", "failed"]

    /// Counts attempts to deliver a notification to a configured receiver, by outcome (`deliveryOutcomes`).
    func countDeliveryAttempt(receiver: String, outcome: String, _ n: Int = 1) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "alert", metricName: "delivery_attempts", unitName: "total",
                helpText: "Attempts to deliver an alert notification, by receiver and outcome"),
            labels: [("receiver", receiver), ("outcome", outcome)]
        ).increment(by: Int64(n))
    }
}
