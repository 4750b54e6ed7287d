import DriftAlerts
import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import Logging
import PostgresDriver
import Prometheus

/// Judges a model's rules on a closed window and moves its alerts through their lifecycle
/// (`AlertTransition`): each change is stored with its notifications in one transaction (the outbox),
/// and a firing rule marked `retrain` queues a retraining job. Judging a window twice changes nothing
/// (an alert remembers the last window it was judged on).
struct AlertEngine {
    let environment: AgentEnvironment
    let logger: Logger

    /// Alert changes made by one evaluation (for logs and tests).
    struct Outcome: Sendable, Equatable {
        var events: [(fingerprint: String, event: AlertEvent)] = []
        /// What a firing `retrain` rule's request for a job did.
        var retrain: RetrainJobStore.Enqueued?
        static func == (a: Outcome, b: Outcome) -> Bool {
            a.events.map(\.fingerprint) == b.events.map(\.fingerprint) && a.events.map(\.event) == b.events.map(\.event)
                && a.retrain == b.retrain
        }
    }

    @discardableResult
    func evaluate(
        _ model: ModelConfiguration, modelID: Int64, windowStart: Int64, windowEnd: Int64
    ) async throws
        -> Outcome
    {
        guard !model.rules.isEmpty else { return Outcome() }
        let now = WallClock.microseconds()
        let window = (start: windowStart, end: windowEnd)
        let outcome = try await environment.pool.withConnection(purpose: "judge alert rules") { connection in
            try judge(model, modelID: modelID, window: window, now: now, on: connection)
        }
        log(outcome, model: model.name)
        try await publishGauges(model.name, modelID: modelID)
        return outcome
    }

    /// Judges every rule on the window's stored figures and stores each alert change with its notifications;
    /// a rule already judged on this window (or a later one) is skipped.
    func judge(
        _ model: ModelConfiguration, modelID: Int64, window: (start: Int64, end: Int64), now: Int64,
        on connection: PostgresConnection
    ) throws -> Outcome {
        let alerting = environment.configuration.alerting
        let baseline = model.rules.map(\.baselineWindows).max() ?? 3
        let rows = try WindowMetricsStore.window(modelID: modelID, windowStart: window.start, on: connection)
        let volumes = try WindowMetricsStore.previousValues(
            metric: .volume, before: window.start, limit: baseline, modelID: modelID, on: connection)
        let matches = RuleEvaluator.evaluate(
            rules: model.rules, model: model.name, figures: rows.map(\.figure), previousVolumes: volumes)
        var open: [String: AlertStore.Stored] = [:]
        for alert in try AlertStore.alerts(modelID: modelID, openOnly: true, limit: 100_000, on: connection) {
            open[alert.fingerprint] = alert
        }
        var outcome = Outcome()
        for match in matches {
            let current = open[match.fingerprint]
            if let last = current?.lastWindowStart, last >= window.start { continue }
            let (next, event) = AlertTransition.next(
                current?.lifecycle, breached: match.breached, rule: match.rule, now: now,
                repeatIntervalSeconds: alerting.repeatIntervalSeconds)
            guard let next, next != current?.lifecycle || current == nil else { continue }
            let startsAt = current?.startsAt ?? now
            let endsAt: Int64? = next.state == .resolved ? now : nil
            let values = AlertNotification.templateValues(
                model: model.name, rule: match.rule.name, labels: match.labels, value: match.value,
                threshold: match.rule.threshold, windowStart: window.start, windowEnd: window.end)
            var annotations: [String: String] = [:]
            for (k, v) in match.rule.annotations { annotations[k] = AnnotationTemplate.render(v, values) }
            var deliveries: [OutboxNotification] = []
            if let event {
                let notification = AlertNotification(
                    event: event, model: model.name, rule: match.rule.name, fingerprint: match.fingerprint,
                    severity: match.rule.severity, labels: match.labels, annotations: annotations,
                    startsAt: startsAt, endsAt: endsAt, value: match.value, threshold: match.rule.threshold,
                    comparison: match.rule.comparison.rawValue, windowStart: window.start, windowEnd: window.end,
                    externalURL: alerting.externalURL)
                deliveries = Self.deliveries(notification, rule: match.rule, alerting: alerting, now: now)
                outcome.events.append((match.fingerprint, event))
            }
            let change = AlertStore.Change(
                alertID: current?.alertID, fingerprint: match.fingerprint, rule: match.rule.name,
                severity: match.rule.severity.rawValue, labelsJSON: Self.json(match.labels),
                annotationsJSON: Self.json(annotations),
                figuresJSON: Self.figures(match, windowStart: window.start, windowEnd: window.end),
                lifecycle: next, windowStart: window.start, startsAt: startsAt, endsAt: endsAt)
            try AlertStore.apply(change, deliveries: deliveries, modelID: modelID, on: connection)
            if event == .firing && match.rule.retrain {
                outcome.retrain = try RetrainJobStore.enqueue(
                    modelID: modelID, reason: match.rule.name, trigger: "rule",
                    cooldownSeconds: model.retrain.cooldownSeconds, on: connection)
            }
        }
        return outcome
    }

    /// One outbox notification per receiver of the rule (all receivers when it names none); a resolution
    /// goes only to receivers that want one. The webhook id is stable across retries; a reminder's is
    /// made unique by its time.
    static func deliveries(
        _ notification: AlertNotification, rule: AlertRule, alerting: AlertingConfiguration, now: Int64
    ) -> [OutboxNotification] {
        let event = notification.event
        let names = rule.receivers.isEmpty ? alerting.receivers.map(\.name) : rule.receivers
        var out: [OutboxNotification] = []
        for receiver in names.compactMap(alerting.receiver) {
            if event == .resolved && !receiver.sendResolved { continue }
            let suffix = event == .reminder ? "_\(now)" : ""
            out.append(
                OutboxNotification(
                    receiver: receiver.name, eventType: event.rawValue,
                    webhookID: "dw_\(notification.fingerprint)_\(notification.startsAt)_\(event.rawValue)\(suffix)",
                    payload: PayloadFormatter.payload(notification, receiver: receiver),
                    deadline: now + Int64(receiver.deadlineSeconds) * 1_000_000))
        }
        return out
    }

    /// Logs the alert changes and what a firing `retrain` rule's request did.
    func log(_ outcome: Outcome, model: String) {
        for (fingerprint, event) in outcome.events {
            logger.info("alert \(event.rawValue)", metadata: ["model": "\(model)", "fingerprint": "\(fingerprint)"])
        }
        switch outcome.retrain {
        case .queued(let jobID)?:
            logger.info("retraining queued", metadata: ["model": "\(model)", "job": "\(jobID)"])
        case .coolingDown(let until)?:
            logger.info(
                "retraining not queued: cooling down",
                metadata: ["model": "\(model)", "until": "\(RFC3339.text(microseconds: until))"])
        default: break
        }
    }

    func publishGauges(_ model: String, modelID: Int64) async throws {
        let open = try await environment.pool.withConnection(purpose: "count alerts") {
            try AlertStore.open(modelID: modelID, on: $0)
        }
        var counts: [String: Int] = [:]
        for s in AlertSeverity.allCases { for st in ["pending", "firing"] { counts["\(s.rawValue)/\(st)"] = 0 } }
        for a in open { counts["\(a.severity)/\(a.state)", default: 0] += 1 }
        for (key, n) in counts {
            let parts = key.split(separator: "/").map(String.init)
            environment.metrics.registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    metricName: "driftwatch_alerts", unitName: "", helpText: "Open alerts by model, severity and state"),
                labels: [("model", model), ("severity", parts[0]), ("state", parts[1])]
            ).set(Double(n))
        }
    }

    static func json(_ map: [String: String]) -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        for k in map.keys.sorted() { w.string(k, map[k] ?? "") }
        w.endObject()
        return w.text
    }

    static func figures(_ match: RuleMatch, windowStart: Int64, windowEnd: Int64) -> String {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.string("metric", match.rule.metric.rawValue)
        w.number("value", match.value)
        w.string("comparison", match.rule.comparison.rawValue)
        w.number("threshold", match.rule.threshold)
        w.string("window_start", RFC3339.text(microseconds: windowStart))
        w.string("window_end", RFC3339.text(microseconds: windowEnd))
        w.endObject()
        return w.text
    }
}
