import DriftCore
import DriftStats
import DriftTables

/// The body and headers of one notification as sent to a receiver: `webhook-id` always; for `json`
/// receivers `webhook-timestamp` and, with a secret, `webhook-signature` (and `X-Hub-Signature-256`);
/// for `pagerduty` the routing key put into the body from its environment variable (never stored); for
/// `alertmanager_api` a firing alert's `endsAt`, `4 × resend_interval` after `now`, so Alertmanager keeps it
/// active until the next post.
package enum WebhookRequest {
    /// Why a notification cannot be sent (a missing secret): failed for good, with this message.
    package struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The kind of problem; a closed set. `missing_secret`: the signing secret's environment variable is unset or
        /// empty; `missing_routing_key`: the PagerDuty routing key's environment variable is unset or empty.
        package enum Code: String, Sendable, CustomStringConvertible {
            case missingSecret = "missing_secret", missingRoutingKey = "missing_routing_key"
            package var description: String { rawValue }
        }

        package let code: Code
        package let message: String
        package var description: String { message }
    }

    package static func build(
        payload: String, webhookID: String, eventType: String, receiver: ReceiverConfiguration,
        environment: [String: String], now: Int64
    ) -> Result<(body: String, headers: [(String, String)]), Problem> {
        var body = payload
        var headers: [(String, String)] = [("webhook-id", webhookID)]
        switch receiver.format {
        case .json:
            let timestamp = now / 1_000_000
            headers.append(("webhook-timestamp", String(timestamp)))
            if let name = receiver.secretEnvironment {
                guard let secret = environment[name], !secret.isEmpty else {
                    return .failure(Problem(code: .missingSecret, message: "the signing secret $\(name) is not set"))
                }
                headers.append(
                    (
                        "webhook-signature",
                        WebhookSigner.standardSignature(secret: secret, id: webhookID, timestamp: timestamp, body: body)
                    ))
                if receiver.hubSignature {
                    headers.append(("X-Hub-Signature-256", WebhookSigner.hubSignature(secret: secret, body: body)))
                }
            }
        case .pagerduty:
            guard let name = receiver.routingKeyEnvironment, let key = environment[name], !key.isEmpty else {
                return .failure(
                    Problem(
                        code: .missingRoutingKey,
                        message: "the PagerDuty routing key $\(receiver.routingKeyEnvironment ?? "?") is not set"))
            }
            body = "{\"routing_key\":" + JSONWriter.quoted(key) + "," + body.dropFirst()
        case .alertmanagerAPI:
            if eventType != AlertEvent.resolved.rawValue, body.hasPrefix("[{") {
                let ahead = now.addingSaturating(
                    Int64(receiver.resendIntervalSeconds).multipliedSaturating(by: 4_000_000))
                body = "[{\"endsAt\":" + JSONWriter.quoted(RFC3339.text(microseconds: ahead)) + "," + body.dropFirst(2)
            }
        case .alertmanager, .slack:
            break
        }
        return .success((body, headers))
    }
}
