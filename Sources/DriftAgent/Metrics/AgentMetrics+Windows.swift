import DriftCore
import Prometheus

extension AgentMetrics {
    /// Counts events that arrived after their window had closed.
    func countLate(model: String, _ n: Int) {
        guard n > 0 else { return }
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "ingest", metricName: "late_events", unitName: "total",
                helpText: "Events stored after their window had closed (not in the window's figures)"),
            labels: [("model", model)]
        ).increment(by: Int64(n))
    }

    /// Whether the leader's closer has a window of the model due and not closed yet: set to 1 when it finds
    /// one, to 0 when none is left (a window it cannot close keeps it at 1 until it closes).
    func publishWindowDue(model: String, _ due: Bool) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "driftwatch", subsystem: "window", metricName: "due", unitName: "",
                helpText: "1 while a window of the model is due to close and not closed yet (leader only)"),
            labels: [("model", model)]
        ).set(due ? 1.0 : 0.0)
    }

    /// The database pool's state at scrape time: connections in use, tasks queued for one, pool size.
    func publishPool(inUse: Int, waiting: Int, size: Int) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "driftwatch_db_pool_connections_in_use", unitName: "",
                helpText: "Database connections leased now"), labels: []
        ).set(Double(inUse))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "driftwatch_db_pool_waiting_tasks", unitName: "",
                helpText: "Tasks queued for a database connection"), labels: []
        ).set(Double(waiting))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "driftwatch_db_pool_size", unitName: "", helpText: "Database connections in the pool"),
            labels: []
        )
        .set(Double(size))
    }

    /// Publishes the figures of a model's latest closed window as gauges. Labels stay bounded: model,
    /// feature and method come from the configuration; per-class figures are left to the time series.
    func publish(model: String, windowEnd: Int64, figures: [WindowFigure]) {
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Double?) {
            guard let value else { return }
            registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: "driftwatch_" + name, unitName: "", helpText: help),
                labels: [("model", model)] + labels
            ).set(value)
        }
        gauge(
            "window_end_timestamp_seconds", "End of the latest closed window (Unix seconds)", [],
            Double(windowEnd) / 1_000_000)
        for f in figures {
            switch f.metric {
            case .driftStatistic:
                gauge(
                    "feature_drift_statistic", "Drift statistic of the latest closed window, by feature and method",
                    [("feature", f.feature), ("method", f.method)], f.value)
                gauge(
                    "feature_drifted", "1 when the feature drifted in the latest closed window, by method",
                    [("feature", f.feature), ("method", f.method)], f.drift.map { $0 ? 1 : 0 })
            case .pValue:
                gauge(
                    "feature_drift_p_value", "Drift p-value of the latest closed window, by feature and method",
                    [("feature", f.feature), ("method", f.method)], f.value)
            case .driftedFeatureRatio:
                gauge("drifted_feature_ratio", "Share of drifted features in the latest closed window", [], f.value)
            case .volume:
                gauge("window_events", "Events in the latest closed window", [], f.value)
            case .latencyP50, .latencyP90, .latencyP95, .latencyP99:
                // Seconds (Prometheus' base unit), and not a `quantile` label, which only summaries may carry.
                let percentile =
                    [WindowMetric.latencyP50: "p50", .latencyP90: "p90", .latencyP95: "p95"][f.metric] ?? "p99"
                gauge(
                    "latency_seconds", "Serving latency percentiles of the latest closed window",
                    [("percentile", percentile)], f.value.map { $0 / 1000 })
            case .accuracy:
                gauge("accuracy", "Realized accuracy of the latest closed window", [], f.value)
            case .precision, .recall, .f1:
                guard !f.method.isEmpty else { break }
                gauge(
                    f.metric.rawValue, "Realized \(f.metric) of the latest closed window", [("average", f.method)],
                    f.value)
            case .mae, .rmse, .r2:
                gauge(f.metric.rawValue, "Realized \(f.metric) of the latest closed window", [], f.value)
            case .labelCoverage:
                gauge("label_coverage", "Share of the latest closed window's predictions with a label", [], f.value)
            default:
                break
            }
        }
    }
}
