import ArgumentParser
import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The agent half of `driftwatch demo`: starts the agent (embedded PostgreSQL, the configured reference,
/// the HTTP API on loopback), streams the monitored period's predictions and then its labels through
/// `driftwatch send`, lets the window closer close every window, and prints the stored time series.
struct AgentDemo {
    let configPath: String
    let dataDir: String

    func run() async throws {
        var logger = Logger(label: "driftwatch.demo")
        logger.logLevel = .warning
        var configuration = try ConfigurationLoader.load(
            yaml: String(decoding: try FileBytes.read(configPath), as: UTF8.self), file: configPath)
        configuration.server.port = Int.random(in: 20_000...60_000)
        let embedded = EmbeddedPostgres(stateDirectory: configuration.database.stateDirectory)
        let url = try embedded.start()
        defer { try? embedded.stop() }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 4)
        _ = try await pool.withConnection(purpose: "apply migrations") { try MigrationRunner().apply(on: $0) }
        // A fresh start every run: the demo's model history is replaced.
        try await pool.withConnection(purpose: "reset demo") {
            try $0.execute(script: "DELETE FROM models WHERE name = 'car_loan'", purpose: "reset demo")
            _ = try $0.query(
                "DELETE FROM predictions WHERE model_id NOT IN (SELECT model_id FROM models)", purpose: "reset demo")
            _ = try $0.query("DELETE FROM labels WHERE model_id NOT IN (SELECT model_id FROM models)", purpose: "reset")
            _ = try $0.query(
                "DELETE FROM window_metrics WHERE model_id NOT IN (SELECT model_id FROM models)", purpose: "reset")
            _ = try $0.query(
                "DELETE FROM window_profiles WHERE model_id NOT IN (SELECT model_id FROM models)", purpose: "reset")
        }
        try await ConfiguredReferences.apply(configuration, pool: pool, logger: logger)
        let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: buildApplication(environment, logger: logger))], logger: logger))
        let server = Task { try await group.run() }
        let base = "http://127.0.0.1:\(configuration.server.port)"
        try await waitUntilReady(base)

        out("\n== The agent: streaming the monitored period to \(base) ==\n")
        var send = try SendCommand.parse([
            "--url", base, "--model", "car_loan", "--file", dataDir + "/car_loan_analysis.csv.gz",
            "--prediction-column", "y_pred", "--score-column", "y_pred_proba",
        ])
        try await send.run()
        send = try SendCommand.parse([
            "--url", base, "--model", "car_loan", "--file", dataDir + "/car_loan_analysis_target.csv.gz", "--labels",
            "--label-column", "repaid",
        ])
        try await send.run()
        // Windows behind the newest event close at once; the last one after the allowed lateness of idle time.
        let closer = WindowCloser(environment: environment, interval: .seconds(1), logger: logger)
        await closer.tick()
        try await Task.sleep(for: .seconds(configuration.model("car_loan")?.allowedLatenessSeconds ?? 1))
        await closer.tick()
        try await printWindows(pool)
        try await printAlerts(pool)
        out(
            """

            The same figures, live: driftwatch serve --config \(configPath), then
              curl \(base.replacingOccurrences(of: "\(configuration.server.port)", with: "18080"))/v1/models/car_loan/status
              curl '…/v1/models/car_loan/metrics?metric=drift_statistic&feature=car_value&from=2018-01-01T00:00:00Z'

            """)
        await group.triggerGracefulShutdown()
        try await server.value
        await pool.close()
    }

    func waitUntilReady(_ base: String) async throws {
        guard let url = URL(string: base + "/readyz") else { return }
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: url),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the demo agent did not become ready at \(base)")
    }

    /// One line per closed window: events, drifted features, the KS p-value of car_value, realized F1.
    func printWindows(_ pool: PostgresPool) async throws {
        let windows = try await pool.withConnection(purpose: "read windows") { c -> [[WindowMetricsStore.Row]] in
            guard let id = try ModelStore.find(name: "car_loan", on: c)?.id else { return [] }
            let volumes = try WindowMetricsStore.series(
                modelID: id, metric: "volume", from: 0, to: Int64.max / 2, on: c)
            return try volumes.map { try WindowMetricsStore.window(modelID: id, windowStart: $0.windowStart, on: c) }
        }
        out(
            "\nWindow (30 days)           events  drifted features                          KS p car_value   F1(1)  labels\n"
        )
        for rows in windows {
            guard let first = rows.first else { continue }
            func value(_ metric: String, feature: String = "", method: String = "", classLabel: String = "") -> Double?
            {
                rows.first {
                    $0.metric == metric && $0.feature == feature && $0.method == method && $0.classLabel == classLabel
                }?.value
            }
            let drifted = Set(rows.filter { $0.metric == "drift_statistic" && $0.drift == true }.map(\.feature))
                .sorted()
            let start = String(RFC3339.text(microseconds: first.windowStart).prefix(10))
            let end = String(RFC3339.text(microseconds: first.windowEnd).prefix(10))
            let ks = value("p_value", feature: "car_value", method: "ks").map { String(format: "%.3g", $0) } ?? "-"
            let f1 = value("f1", classLabel: "1").map { String(format: "%.3f", $0) } ?? "-"
            let coverage = value("label_coverage").map { String(format: "%.0f%%", $0 * 100) } ?? "-"
            var names = drifted.isEmpty ? "none" : "\(drifted.count): " + drifted.joined(separator: ",")
            if names.count > 40 { names = String(names.prefix(39)) + "…" }
            out(
                "\(start) → \(end)  "
                    + pad(String(Int(value("volume") ?? 0)), 6) + "  " + pad(names, 40, left: false) + "  "
                    + pad(ks, 15) + "  " + pad(f1, 6) + "  " + pad(coverage, 6) + "\n")
        }
    }

    /// The alerts the rules raised while the windows closed.
    func printAlerts(_ pool: PostgresPool) async throws {
        let alerts = try await pool.withConnection(purpose: "read alerts") {
            try AlertStore.alerts(modelID: nil, openOnly: false, limit: 20, on: $0)
        }
        out("\nAlerts raised by the model's rules (Examples/car_loan/driftwatch.yaml):\n")
        if alerts.isEmpty { out("  none\n") }
        for a in alerts.reversed() {
            var figure = ""
            if case .object(let members)? = try? JSONValue.parse(a.figuresJSON) {
                let values = Dictionary(members, uniquingKeysWith: { x, _ in x })
                if case .number(let v)? = values["value"], case .string(let start)? = values["window_start"] {
                    figure =
                        " — \(JSONWriter.number((v * 1000).rounded() / 1000)) in the window from \(start.prefix(10))"
                }
            }
            out(
                "  \(a.state.rawValue) \(a.severity) \(a.rule)\(figure), after \(a.lifecycle.breaches) breaching window\(a.lifecycle.breaches == 1 ? "" : "s")\n"
            )
        }
    }

    func pad(_ s: String, _ width: Int, left: Bool = true) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? fill + s : s + fill
    }

    func out(_ s: String) { FileHandleOutput.standardOutput(s) }
}
