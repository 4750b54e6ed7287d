import Prometheus

extension AgentMetrics {
    /// Counts what a performance pass of a classifier read: windows counted whole and their predictions
    /// (once per window, at its close or when a late event reaches it), and windows whose figures it wrote.
    func countLabelCounting(model: String, _ refresh: WindowCloser.PerformanceRefresh) {
        let counters: [(String, String, Int)] = [
            (
                "windows_counted", "Closed windows whose predictions were counted whole for realized performance",
                refresh.windowsCounted
            ),
            (
                "predictions_counted", "Predictions read to count closed windows for realized performance",
                refresh.predictionsRead
            ),
            ("windows_updated", "Closed windows whose realized performance was written again", refresh.windowsUpdated),
        ]
        for (name, help, n) in counters where n > 0 {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "driftwatch", subsystem: "performance", metricName: name, unitName: "total",
                    helpText: help),
                labels: [("model", model)]
            ).increment(by: Int64(n))
        }
    }
}
