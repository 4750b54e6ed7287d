import DriftCore
import DriftStats
import DriftTables

/// One notification about a retraining job: `retrain.completed` (with the decision), `retrain.failed`
/// (with the error) or `retrain.requested` (the job handed to an external trainer).
///
/// Sent to `json` receivers as Driftwatch's event (`{"type", "timestamp", "data"}`, `data` holding the
/// job's stored result) and to `slack` receivers as a message. Alertmanager- and PagerDuty-format receivers
/// take alerts only and do not get retraining events.
package struct RetrainNotification: Sendable, Equatable {
    package var event: String
    package var model: String
    package var jobID: Int64
    /// The rule that queued the job, or `manual`.
    package var reason: String
    /// The job's stored result (JSON object text), when it has one.
    package var resultJSON: String?
    package var error: String?
    /// µs since the epoch.
    package var timestamp: Int64
    /// Where the job can be read (`{external_url}/v1/retrain-jobs/{id}`).
    package var jobURL: String

    package init(
        event: String, model: String, jobID: Int64, reason: String, resultJSON: String?, error: String?,
        timestamp: Int64, externalURL: String
    ) {
        self.event = event
        self.model = model
        self.jobID = jobID
        self.reason = reason
        self.resultJSON = resultJSON
        self.error = error
        self.timestamp = timestamp
        jobURL = externalURL.trimmingSuffix("/") + "/v1/retrain-jobs/\(jobID)"
    }

    /// The payload for `receiver`, or nil when its format does not take retraining events.
    package func payload(for receiver: ReceiverConfiguration) -> String? {
        switch receiver.format {
        case .json: return json()
        case .slack: return slack()
        case .alertmanager, .alertmanagerAPI, .pagerduty: return nil
        }
    }

    /// The outbox rows for every receiver that takes retraining events (or only `names` when given).
    package func deliveries(
        alerting: AlertingConfiguration, names: [String]? = nil, now: Int64
    ) -> [OutboxNotification] {
        let receivers = names.map { $0.compactMap(alerting.receiver) } ?? alerting.receivers
        return receivers.compactMap { receiver in
            payload(for: receiver).map {
                OutboxNotification(
                    receiver: receiver.name, eventType: event, webhookID: "dw_retrain_\(jobID)_\(event)", payload: $0,
                    deadline: now.addingSaturating(Int64(receiver.deadlineSeconds).multipliedSaturating(by: 1_000_000)))
            }
        }
    }

    func json() -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("type", event)
        w.string("timestamp", RFC3339.text(microseconds: timestamp))
        w.beginObject("data")
        w.string("model", model)
        w.integer("job_id", Int(jobID))
        w.string("reason", reason)
        if let resultJSON { w.raw("result", resultJSON) } else { w.null("result") }
        w.string("error", error)
        w.string("job_url", jobURL)
        w.endObject()
        w.endObject()
        return w.text
    }

    func slack() -> String {
        let title: String
        switch event {
        case "retrain.completed":
            let decision = Self.field("decision", in: resultJSON) ?? "finished"
            let metric = Self.field("metric", in: resultJSON) ?? "score"
            let challenger = Self.field("challenger", in: resultJSON) ?? "?"
            let champion = Self.field("champion", in: resultJSON) ?? "none"
            title =
                ":arrows_counterclockwise: Retraining of \(model) \(decision): challenger \(metric) \(challenger) vs champion \(champion)"
        case "retrain.failed": title = ":x: Retraining of \(model) failed: \(error ?? "unknown error")"
        default: title = ":arrows_counterclockwise: Retraining of \(model) requested (\(reason))"
        }
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("text", title + " · <\(jobURL)|job \(jobID)>")
        w.endObject()
        return w.text
    }

    /// A top-level scalar of a JSON object, as text.
    static func field(_ key: String, in json: String?) -> String? {
        guard let json, case .object(let members) = try? JSONValue.parse(json),
            let value = members.first(where: { $0.0 == key })?.1
        else { return nil }
        switch value {
        case .string(let s): return s
        case .number(let n): return NumberFormatting.label((n * 10_000).rounded() / 10_000)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
