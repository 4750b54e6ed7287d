/// A notification for one receiver, to be put in the outbox (`alert_deliveries`) and sent by the agent.
package struct OutboxNotification: Sendable {
    package var receiver: String
    package var eventType: String
    /// Stable across retries (Standard Webhooks `webhook-id`).
    package var webhookID: String
    package var payload: String
    /// µs: after this the notification is given up.
    package var deadline: Int64

    package init(receiver: String, eventType: String, webhookID: String, payload: String, deadline: Int64) {
        self.receiver = receiver
        self.eventType = eventType
        self.webhookID = webhookID
        self.payload = payload
        self.deadline = deadline
    }
}
