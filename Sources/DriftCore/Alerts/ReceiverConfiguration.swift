/// The payload a receiver gets.
package enum ReceiverFormat: String, Sendable, Equatable, CaseIterable {
    /// Alertmanager's webhook v4 JSON.
    case alertmanager
    /// A Slack incoming-webhook message.
    case slack
    /// PagerDuty Events API v2.
    case pagerduty
    /// Driftwatch's own event, signed per Standard Webhooks.
    case json
    /// Alertmanager itself: alerts posted to `<url>/api/v2/alerts`, re-posted while firing.
    case alertmanagerAPI = "alertmanager_api"
}

/// Where and how notifications are delivered.
package struct ReceiverConfiguration: Sendable, Equatable {
    package var name: String
    package var url: String
    package var format: ReceiverFormat
    /// `json`: environment variable holding the signing secret (Standard Webhooks `whsec_…` or raw).
    package var secretEnvironment: String?
    /// `json`: also send GitHub's `X-Hub-Signature-256`.
    package var hubSignature = false
    /// `pagerduty`: environment variable holding the routing key.
    package var routingKeyEnvironment: String?
    package var connectTimeoutSeconds = 5
    package var timeoutSeconds = 10
    /// How long a notification is retried before it is given up.
    package var deadlineSeconds = 86_400
    /// Send a notification when an alert resolves.
    package var sendResolved = true
    /// `alertmanager_api`: how often a firing alert is posted again (Alertmanager forgets an alert whose
    /// `endsAt` passes; each post sets it `4 ×` this ahead).
    package var resendIntervalSeconds = 60

    package init(name: String, url: String, format: ReceiverFormat) {
        self.name = name
        self.url = url
        self.format = format
    }

    /// Where notifications are POSTed: the `url`, or for `alertmanager_api` its `/api/v2/alerts`.
    package var postURL: String {
        guard format == .alertmanagerAPI else { return url }
        var base = Substring(url)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/api/v2/alerts"
    }
}

/// Alerting settings shared by every rule.
package struct AlertingConfiguration: Sendable, Equatable {
    package var receivers: [ReceiverConfiguration] = []
    /// Reminder interval for an alert that stays firing (nil: no reminders).
    package var repeatIntervalSeconds: Int? = 4 * 3600
    /// The agent's public URL, used for links in payloads (`generatorURL`, `externalURL`).
    package var externalURL = "http://127.0.0.1:8080"
    /// How often the sender looks for due notifications.
    package var sendIntervalSeconds = 1
    /// Notifications sent at once (each on a thread of the blocking executor).
    package var concurrency = 4
    /// The longest wait between retries (backoff doubles from 1 s up to this).
    package var maxRetryIntervalSeconds = 300

    package init() {}

    package func receiver(_ name: String) -> ReceiverConfiguration? { receivers.first { $0.name == name } }
}
