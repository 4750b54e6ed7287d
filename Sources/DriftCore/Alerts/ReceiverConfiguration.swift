/// The payload a receiver gets.
public enum ReceiverFormat: String, Sendable, Equatable, CaseIterable {
    /// Alertmanager's webhook v4 JSON.
    case alertmanager
    /// A Slack incoming-webhook message.
    case slack
    /// PagerDuty Events API v2.
    case pagerduty
    /// Driftwatch's own event, signed per Standard Webhooks.
    case json
}

/// Where and how notifications are delivered.
public struct ReceiverConfiguration: Sendable, Equatable {
    public var name: String
    public var url: String
    public var format: ReceiverFormat
    /// `json`: environment variable holding the signing secret (Standard Webhooks `whsec_…` or raw).
    public var secretEnvironment: String?
    /// `json`: also send GitHub's `X-Hub-Signature-256`.
    public var hubSignature = false
    /// `pagerduty`: environment variable holding the routing key.
    public var routingKeyEnvironment: String?
    public var connectTimeoutSeconds = 5
    public var timeoutSeconds = 10
    /// How long a notification is retried before it is given up.
    public var deadlineSeconds = 86_400
    /// Send a notification when an alert resolves.
    public var sendResolved = true

    public init(name: String, url: String, format: ReceiverFormat) {
        self.name = name
        self.url = url
        self.format = format
    }
}

/// Alerting settings shared by every rule.
public struct AlertingConfiguration: Sendable, Equatable {
    public var receivers: [ReceiverConfiguration] = []
    /// Reminder interval for an alert that stays firing (nil: no reminders).
    public var repeatIntervalSeconds: Int? = 4 * 3600
    /// The agent's public URL, used for links in payloads (`generatorURL`, `externalURL`).
    public var externalURL = "http://127.0.0.1:8080"
    /// How often the sender looks for due notifications.
    public var sendIntervalSeconds = 1
    /// Notifications sent at once (each on its own thread).
    public var concurrency = 4
    /// The longest wait between retries (backoff doubles from 1 s up to this).
    public var maxRetryIntervalSeconds = 300

    public init() {}

    public func receiver(_ name: String) -> ReceiverConfiguration? { receivers.first { $0.name == name } }
}
