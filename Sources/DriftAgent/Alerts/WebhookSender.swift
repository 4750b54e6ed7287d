import DriftAlerts
import DriftCore
import DriftStats
import DriftStore
import DriftSystem
import Foundation
import Logging
import PostgresDriver
import ServiceLifecycle

/// The background sender of the webhook outbox. Every `sendInterval` it claims due notifications (a
/// lease, `FOR UPDATE SKIP LOCKED`, at most `alerting.concurrency`), sends them at once through libcurl on
/// the blocking executor — a slow receiver does not hold up the others —, records every attempt, and marks
/// the notification delivered (2xx), failed (refused, or past its deadline) or due again (see
/// `RetryPolicy`). The outbox is the truth: what was not delivered before a crash or restart is sent
/// afterwards (at least once; `webhook-id` lets the receiver drop a duplicate). Before claiming, it queues
/// the re-posts of alerts still firing at `alertmanager_api` receivers (`DeliveryStore.queueResends`).
package struct WebhookSender: Service {
    let pool: PostgresPool
    let alerting: AlertingConfiguration
    let environment: [String: String]
    let logger: Logger
    /// Where attempts are counted (`driftwatch_alert_delivery_attempts_total`).
    let metrics: AgentMetrics

    package init(
        pool: PostgresPool, alerting: AlertingConfiguration, environment: [String: String], logger: Logger,
        metrics: AgentMetrics = AgentMetrics()
    ) {
        self.pool = pool
        self.alerting = alerting
        self.environment = environment
        self.logger = logger
        self.metrics = metrics
    }

    package func run() async throws {
        // Every receiver's counters exist from the start, so a rate over them sees the first failure.
        for receiver in alerting.receivers {
            for outcome in AgentMetrics.deliveryOutcomes {
                metrics.countDeliveryAttempt(receiver: receiver.name, outcome: outcome, 0)
            }
        }
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        let sent = try await sendDue()
                        if sent > 0 { continue }  // more may be due (e.g. the next of a fingerprint)
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.error("sending notifications failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: .seconds(alerting.sendIntervalSeconds))
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Claims and sends the notifications due now; returns how many were attempted.
    @discardableResult
    package func sendDue() async throws -> Int {
        let longest = alerting.receivers.map { $0.connectTimeoutSeconds + $0.timeoutSeconds }.max() ?? 30
        let limit = alerting.concurrency
        let resent = alerting.receivers.filter { $0.format == .alertmanagerAPI }
        let claimed = try await pool.withConnection(purpose: "claim notifications") { connection in
            for receiver in resent {
                try DeliveryStore.queueResends(
                    receiver: receiver.name, intervalSeconds: receiver.resendIntervalSeconds,
                    deadlineSeconds: receiver.deadlineSeconds, on: connection)
            }
            return try DeliveryStore.claim(limit: limit, leaseSeconds: longest + 5, on: connection)
        }
        guard !claimed.isEmpty else { return 0 }
        await withTaskGroup(of: Void.self) { group in
            for item in claimed { group.addTask { await send(item) } }
        }
        return claimed.count
    }

    func send(_ item: DeliveryStore.Claimed) async {
        let now = WallClock.microseconds()
        guard let receiver = alerting.receiver(item.receiver) else {
            await record(item, status: nil, ms: 0, error: "no receiver named '\(item.receiver)' is configured", .failed)
            return
        }
        let body: String
        let headers: [(String, String)]
        switch WebhookRequest.build(
            payload: item.payload, webhookID: item.webhookID, eventType: item.eventType, receiver: receiver,
            environment: environment, now: now)
        {
        case .failure(let problem):
            await record(item, status: nil, ms: 0, error: problem.message, .failed)
            return
        case .success(let request):
            (body, headers) = (request.body, request.headers)
        }
        guard let attempt = await post(body, headers: headers, to: receiver) else {
            return  // cancelled before it was sent (shutting down): the lease runs out, it is sent later
        }
        let outcome = outcome(of: item, attempt, receiver: receiver, now: now)
        if outcome == .failed {
            logger.error(
                "notification failed",
                metadata: [
                    "receiver": "\(item.receiver)", "webhook_id": "\(item.webhookID)",
                    "error": "\(attempt.error ?? "")",
                ])
        }
        await record(item, status: attempt.status, ms: attempt.milliseconds, error: attempt.error, outcome)
    }

    /// What one POST to a receiver gave: its status (nil when no answer came), `Retry-After`, what went
    /// wrong (a transport failure or a non-2xx answer) and how long it took.
    struct Attempt: Sendable {
        var status: Int?
        var retryAfter: String?
        var error: String?
        var milliseconds: Double
    }

    /// POSTs the notification through libcurl on the blocking executor; nil when cancelled before it was sent.
    func post(_ body: String, headers: [(String, String)], to receiver: ReceiverConfiguration) async -> Attempt? {
        let started = ContinuousClock.now
        let result: Result<CurlTransport.Response, CurlTransport.TransportError>
        do {
            result = try await CurlTransport.post(
                url: receiver.postURL, headers: headers, body: body,
                connectTimeoutSeconds: receiver.connectTimeoutSeconds, timeoutSeconds: receiver.timeoutSeconds)
        } catch {
            return nil
        }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var attempt = Attempt(milliseconds: ms)
        switch result {
        case .success(let response):
            attempt.status = response.statusCode
            attempt.retryAfter = response.retryAfter
            if !(200..<300).contains(response.statusCode) {
                attempt.error = "HTTP \(response.statusCode): \(response.body.prefix(200))"
            }
        case .failure(let failure):
            attempt.error = failure.description
        }
        return attempt
    }

    /// Delivered (2xx), failed (refused, or its next try would pass the deadline) or due again after the
    /// `RetryPolicy` delay.
    func outcome(
        of item: DeliveryStore.Claimed, _ attempt: Attempt, receiver: ReceiverConfiguration, now: Int64
    ) -> DeliveryStore.Outcome {
        switch RetryPolicy.verdict(statusCode: attempt.status) {
        case .delivered: return .delivered
        case .failed: return .failed
        case .retry:
            var random = SystemRandomNumberGenerator()
            let at = now.addingSaturating(
                RetryPolicy.delay(
                    afterAttempt: item.attempts.addingSaturating(1), retryAfter: attempt.retryAfter, now: now,
                    maxSeconds: alerting.maxRetryIntervalSeconds, random: &random))
            let deadline =
                item.deadline
                ?? item.createdAt.addingSaturating(Int64(receiver.deadlineSeconds).multipliedSaturating(by: 1_000_000))
            return at > deadline ? .failed : .retry(at: at)
        }
    }

    func record(
        _ item: DeliveryStore.Claimed, status: Int?, ms: Double, error: String?, _ outcome: DeliveryStore.Outcome
    ) async {
        let counted: String
        switch outcome {
        case .delivered: counted = "delivered"
        case .failed: counted = "failed"
        case .retry: counted = "retry"
        }
        metrics.countDeliveryAttempt(receiver: item.receiver, outcome: counted)
        do {
            try await pool.withConnection(purpose: "record notification attempt") {
                try DeliveryStore.record(
                    item, statusCode: status, durationMilliseconds: ms, error: error, outcome: outcome, on: $0)
            }
        } catch is CancellationError {
            return  // shutting down: the lease runs out and the notification is sent again (at least once)
        } catch {
            // The lease runs out and the notification is sent again (at least once).
            logger.error("recording a notification attempt failed", metadata: ["error": "\(error)"])
        }
    }
}
