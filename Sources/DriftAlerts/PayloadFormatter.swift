import DriftCore
import DriftTables

/// Renders a notification in a receiver's format (JSON text, built with `JSONWriter`, so quotes, newlines
/// and non-ASCII in names are escaped correctly).
package enum PayloadFormatter {
    package static func payload(_ n: AlertNotification, receiver: ReceiverConfiguration) -> String {
        switch receiver.format {
        case .alertmanager: return alertmanager(n, receiver: receiver.name)
        case .slack: return slack(n)
        case .pagerduty: return pagerduty(n)
        case .json: return driftwatch(n)
        case .alertmanagerAPI: return alertmanagerAPI(n)
        }
    }

    static func object(_ w: inout JSONWriter, _ key: String, _ map: [String: String]) {
        w.beginObject(key)
        for k in map.keys.sorted() { w.string(k, map[k] ?? "") }
        w.endObject()
    }

    /// Alertmanager's webhook payload, version 4 (what `webhook_configs` receivers get): one alert per
    /// notification, grouped by `alertname` and `model`; `endsAt` is the zero time while firing.
    static func alertmanager(_ n: AlertNotification, receiver: String) -> String {
        let group = ["alertname": n.labels["alertname"] ?? n.rule, "model": n.model]
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("version", "4")
        w.string(
            "groupKey",
            "{}:{alertname=\(JSONWriter.quoted(group["alertname"] ?? "")), model=\(JSONWriter.quoted(n.model))}")
        w.integer("truncatedAlerts", 0)
        w.string("status", n.status)
        w.string("receiver", receiver)
        object(&w, "groupLabels", group)
        object(&w, "commonLabels", n.labels)
        object(&w, "commonAnnotations", n.annotations)
        w.string("externalURL", n.externalURL)
        w.beginArray("alerts")
        w.beginObject()
        w.string("status", n.status)
        object(&w, "labels", n.labels)
        object(&w, "annotations", n.annotations)
        w.string("startsAt", RFC3339.text(microseconds: n.startsAt))
        w.string("endsAt", n.endsAt.map { RFC3339.text(microseconds: $0) } ?? "0001-01-01T00:00:00Z")
        w.string("generatorURL", n.statusURL)
        w.string("fingerprint", n.fingerprint)
        w.endObject()
        w.endArray()
        w.endObject()
        return w.text
    }

    /// Alertmanager's `POST /api/v2/alerts` body: an array of one alert. Its labels are the alert's (alertname,
    /// model, feature/method/class where set, the rule's labels) plus `severity` unless the rule's labels set
    /// one; `summary` and `description` annotations name the figure judged. A resolution carries `endsAt`
    /// (when it resolved); a firing alert's `endsAt` is added when it is sent (`WebhookRequest`), since it
    /// is re-posted with a later one while it fires.
    static func alertmanagerAPI(_ n: AlertNotification) -> String {
        var labels = n.labels
        if labels["alertname"] == nil { labels["alertname"] = n.rule }
        if labels["model"] == nil { labels["model"] = n.model }
        if labels["severity"] == nil { labels["severity"] = n.severity.rawValue }
        var annotations = n.annotations
        if (annotations["summary"] ?? "").isEmpty { annotations["summary"] = n.summary }
        if (annotations["description"] ?? "").isEmpty {
            let value = n.value.map { JSONWriter.number($0) } ?? "n/a"
            annotations["description"] =
                "\(n.rule): the figure was \(value) (the rule: \(n.comparison) \(JSONWriter.number(n.threshold))) in the window "
                + "\(RFC3339.text(microseconds: n.windowStart)) – \(RFC3339.text(microseconds: n.windowEnd))"
        }
        var w = JSONWriter(pretty: false)
        w.beginArray()
        w.beginObject()
        object(&w, "labels", labels)
        object(&w, "annotations", annotations)
        w.string("startsAt", RFC3339.text(microseconds: n.startsAt))
        if n.event == .resolved { w.string("endsAt", RFC3339.text(microseconds: n.endsAt ?? n.startsAt)) }
        w.string("generatorURL", n.reportURL)
        w.endObject()
        w.endArray()
        return w.text
    }

    /// A Slack incoming-webhook message: `text` (the fallback) and `blocks`.
    static func slack(_ n: AlertNotification) -> String {
        let icon =
            n.event == .resolved ? ":white_check_mark:" : (n.severity == .critical ? ":rotating_light:" : ":warning:")
        let title = "\(icon) \(n.status.uppercased()) \(n.summary)"
        var details = "*Model:* \(n.model)  *Rule:* \(n.rule)  *Severity:* \(n.severity.rawValue)"
        if let d = n.annotations["description"], !d.isEmpty { details += "\n\(d)" }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("text", title)
        w.beginArray("blocks")
        w.beginObject()
        w.string("type", "section")
        w.beginObject("text")
        w.string("type", "mrkdwn")
        w.string("text", title + "\n" + details)
        w.endObject()
        w.endObject()
        w.beginObject()
        w.string("type", "context")
        w.beginArray("elements")
        w.beginObject()
        w.string("type", "mrkdwn")
        w.string(
            "text",
            "Window \(RFC3339.text(microseconds: n.windowStart)) – \(RFC3339.text(microseconds: n.windowEnd)) · <\(n.statusURL)|status>"
        )
        w.endObject()
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.text
    }

    /// PagerDuty Events API v2 (the routing key is added by the sender, from its environment variable, so it
    /// is never stored): `trigger` or `resolve`, `dedup_key` = the fingerprint.
    static func pagerduty(_ n: AlertNotification) -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("event_action", n.event == .resolved ? "resolve" : "trigger")
        w.string("dedup_key", n.fingerprint)
        w.beginObject("payload")
        w.string("summary", String(n.summary.prefix(1024)))
        w.string("source", "driftwatch/\(n.model)")
        w.string("severity", n.severity.rawValue)
        w.string("timestamp", RFC3339.text(microseconds: n.endsAt ?? n.startsAt))
        w.string("component", n.model)
        w.string("group", n.rule)
        w.string("class", n.labels["metric"] ?? n.rule)
        w.beginObject("custom_details")
        for k in n.labels.keys.sorted() { w.string(k, n.labels[k] ?? "") }
        w.number("value", n.value)
        w.number("threshold", n.threshold)
        w.string("window_start", RFC3339.text(microseconds: n.windowStart))
        w.string("window_end", RFC3339.text(microseconds: n.windowEnd))
        w.endObject()
        w.endObject()
        w.beginArray("links")
        w.beginObject()
        w.string("href", n.statusURL)
        w.string("text", "Model status")
        w.endObject()
        w.endArray()
        w.endObject()
        return w.text
    }

    /// Driftwatch's own event: `{"type": "alert.firing|alert.resolved|alert.reminder", "timestamp", "data"}`.
    static func driftwatch(_ n: AlertNotification) -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("type", "alert.\(n.event.rawValue)")
        w.string("timestamp", RFC3339.text(microseconds: n.endsAt ?? n.startsAt))
        w.beginObject("data")
        w.string("model", n.model)
        w.string("rule", n.rule)
        w.string("status", n.status)
        w.string("severity", n.severity.rawValue)
        w.string("fingerprint", n.fingerprint)
        object(&w, "labels", n.labels)
        object(&w, "annotations", n.annotations)
        w.string("starts_at", RFC3339.text(microseconds: n.startsAt))
        w.string("ends_at", n.endsAt.map { RFC3339.text(microseconds: $0) })
        w.beginObject("figure")
        w.number("value", n.value)
        w.string("comparison", n.comparison)
        w.number("threshold", n.threshold)
        w.string("window_start", RFC3339.text(microseconds: n.windowStart))
        w.string("window_end", RFC3339.text(microseconds: n.windowEnd))
        w.endObject()
        w.string("status_url", n.statusURL)
        w.endObject()
        w.endObject()
        return w.text
    }
}
