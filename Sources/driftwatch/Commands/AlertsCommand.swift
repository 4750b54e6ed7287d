import ArgumentParser
import DriftAlerts
import DriftConfig
import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import PostgresDriver

/// `driftwatch alerts list|test`.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "List alerts and notifications, or send a test notification.",
        subcommands: [List.self, Test.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List open alerts (or all) and the latest notifications with their delivery state.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Resolved alerts too.")
        var all = false
        @Option(help: "How many of the latest notifications to list.")
        var notifications = 20

        func run() async throws {
            let url = try await database.resolvedURL()
            let (all, notifications) = (self.all, self.notifications)
            // libpq blocks: the queries run on the blocking executor.
            let out = try await BlockingExecutor.shared.run { () throws -> String in
                let connection = try PostgresConnection(configuration: PostgresConfiguration(url: url))
                let names = Dictionary(
                    try ModelStore.list(on: connection).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                let alerts = try AlertStore.alerts(modelID: nil, openOnly: !all, limit: 200, on: connection)
                var out = "\(alerts.count) \(all ? "" : "open ")alert\(alerts.count == 1 ? "" : "s")\n"
                for a in alerts {
                    out +=
                        "  \(a.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) "
                        + "\(a.severity.padding(toLength: 9, withPad: " ", startingAt: 0)) \(names[a.modelID] ?? "?")/\(a.rule) "
                        + "\(a.labelsJSON) since \(RFC3339.text(microseconds: a.startsAt))\n"
                }
                let recent = try DeliveryStore.recent(limit: notifications, on: connection)
                out += "\n\(recent.count) latest notification\(recent.count == 1 ? "" : "s")\n"
                for d in recent {
                    var line =
                        "  #\(d.deliveryID) \(RFC3339.text(microseconds: d.createdAt)) \(d.model) \(d.eventType) → \(d.receiver): "
                    line += "\(d.status) after \(d.attempts) attempt\(d.attempts == 1 ? "" : "s")"
                    if let code = d.lastStatusCode { line += ", last HTTP \(code)" }
                    if let error = d.lastError, d.status != "delivered" { line += ", \(error)" }
                    out += line + "\n"
                }
                return out
            }
            FileHandleOutput.standardOutput(out)
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a sample notification to one receiver of a configuration and print its answer.")

        @Option(help: "The agent's configuration (receivers are read from alerting.receivers).")
        var config: String
        @Option(help: "The receiver's name.")
        var receiver: String

        func run() async throws {
            let configuration = try await ConfigurationFile.load(config)
            guard let target = configuration.alerting.receiver(receiver) else {
                let known = configuration.alerting.receivers.map(\.name).joined(separator: ", ")
                FileHandleOutput.standardError("driftwatch: no receiver named '\(receiver)' (known: \(known))\n")
                throw ExitCode(2)
            }
            let now = WallClock.microseconds()
            let sample = AlertNotification(
                event: .firing, model: configuration.models.first?.name ?? "example", rule: "driftwatch_test",
                fingerprint: RuleMatch.fingerprint(["alertname": "driftwatch_test"]), severity: .info,
                labels: ["alertname": "driftwatch_test", "feature": "example_feature", "method": "psi"],
                annotations: ["summary": "Driftwatch test notification (no action needed)"], startsAt: now,
                endsAt: nil, value: 0.25, threshold: 0.2, comparison: ">", windowStart: now - 3_600_000_000,
                windowEnd: now, externalURL: configuration.alerting.externalURL)
            let payload = PayloadFormatter.payload(sample, receiver: target)
            let environment = ProcessEnvironment.all()
            let request = WebhookRequest.build(
                payload: payload, webhookID: "dw_test_\(now)", eventType: AlertEvent.firing.rawValue, receiver: target,
                environment: environment, now: now)
            guard case .success(let (body, headers)) = request else {
                if case .failure(let problem) = request {
                    FileHandleOutput.standardError("driftwatch: \(problem.message)\n")
                }
                throw ExitCode(2)
            }
            let result = try await CurlTransport.post(
                url: target.postURL, headers: headers, body: body, connectTimeoutSeconds: target.connectTimeoutSeconds,
                timeoutSeconds: target.timeoutSeconds)
            switch result {
            case .success(let response):
                FileHandleOutput.standardOutput(
                    "\(target.name) (\(target.format.rawValue), \(target.url)) answered HTTP \(response.statusCode)\n"
                        + (response.body.isEmpty ? "" : response.body + "\n"))
                if !(200..<300).contains(response.statusCode) { throw ExitCode(1) }
            case .failure(let error):
                FileHandleOutput.standardError("driftwatch: \(target.name) (\(target.url)): \(error)\n")
                throw ExitCode(1)
            }
        }
    }
}
