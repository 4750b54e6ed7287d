import DriftCore
import DriftTables

/// One notification about one alert, as every payload format renders it.
package struct AlertNotification: Sendable, Equatable {
    package var event: AlertEvent
    package var model: String
    package var rule: String
    package var fingerprint: String
    package var severity: AlertSeverity
    package var labels: [String: String]
    package var annotations: [String: String]
    /// µs since the Unix epoch.
    package var startsAt: Int64
    package var endsAt: Int64?
    /// The figure that was judged, the bound and its comparison (e.g. `>`).
    package var value: Double?
    package var threshold: Double
    package var comparison: String
    package var windowStart: Int64
    package var windowEnd: Int64
    /// The agent's public URL (links to the model's status).
    package var externalURL: String

    package init(
        event: AlertEvent, model: String, rule: String, fingerprint: String, severity: AlertSeverity,
        labels: [String: String], annotations: [String: String], startsAt: Int64, endsAt: Int64?, value: Double?,
        threshold: Double, comparison: String, windowStart: Int64, windowEnd: Int64, externalURL: String
    ) {
        self.event = event
        self.model = model
        self.rule = rule
        self.fingerprint = fingerprint
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.value = value
        self.threshold = threshold
        self.comparison = comparison
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.externalURL = externalURL
    }

    /// `firing` (also for reminders) or `resolved`.
    package var status: String { event == .resolved ? "resolved" : "firing" }

    /// A link to the model's status on the agent.
    package var statusURL: String {
        let base = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
        let escaped = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? model
        return "\(base)/v1/models/\(escaped)/status"
    }

    /// A link to the model's HTML report on the agent.
    package var reportURL: String {
        let base = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
        let escaped = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? model
        return "\(base)/v1/models/\(escaped)/report"
    }

    /// The summary annotation, or one made from the rule, the figure and the bound.
    package var summary: String {
        if let s = annotations["summary"], !s.isEmpty { return s }
        var what = labels["feature"].map { "\($0) " } ?? ""
        what += labels["method"].map { "\($0) " } ?? ""
        let value = self.value.map { JSONWriter.number($0) } ?? "n/a"
        let verb = event == .resolved ? "resolved" : "\(comparison) \(JSONWriter.number(threshold))"
        return "[\(model)] \(rule): \(what)\(value) \(verb)"
    }

    /// Values for annotation templates.
    package static func templateValues(
        model: String, rule: String, labels: [String: String], value: Double?, threshold: Double,
        windowStart: Int64, windowEnd: Int64
    ) -> [String: String] {
        [
            "model": model, "rule": rule, "feature": labels["feature"] ?? "", "method": labels["method"] ?? "",
            "class": labels["class"] ?? "", "value": value.map { JSONWriter.number($0) } ?? "n/a",
            "threshold": JSONWriter.number(threshold), "window_start": RFC3339.text(microseconds: windowStart),
            "window_end": RFC3339.text(microseconds: windowEnd),
        ]
    }
}
