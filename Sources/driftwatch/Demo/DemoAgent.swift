import ArgumentParser
import DriftAgent
import DriftAlerts
import DriftConfig
import DriftCore
import DriftStore
import DriftSystem
import EmbeddedCluster
import Foundation
import Hummingbird
import Logging
import PostgresDriver
import ServiceLifecycle

/// Starts what `driftwatch demo` runs in one process and stops it cleanly: the embedded PostgreSQL (its
/// tables reset), the agent's services from the list `serve` runs (`AgentServices`),
/// the demo's webhook receiver, and the demo's script (`DemoDriver`), all in
/// one `ServiceGroup` that SIGINT and SIGTERM shut down gracefully, in reverse order.
struct DemoAgent {
    let command: DemoCommand

    func run() async throws {
        var logger = Logger(label: "driftwatch.demo")
        logger.logLevel = .error
        var configuration = try await ConfigurationFile.load(command.config)
        BlockingExecutor.configureShared(threads: AgentServices.blockingThreads(configuration))
        if let port = command.port { configuration.server.port = port }
        let base = "http://\(configuration.server.host):\(configuration.server.port)"
        configuration.alerting.externalURL = base
        guard let model = configuration.models.first else {
            throw DemoError(.invalidSetup, "\(command.config) configures no model")
        }
        guard let receiver = configuration.alerting.receivers.first(where: { $0.name == "demo" }) else {
            throw DemoError(.invalidSetup, "\(command.config) has no receiver named demo (alerting.receivers.demo)")
        }
        let console = DemoConsole()
        let inbox = DemoInbox()
        let receiverServer = try DemoReceiver(url: receiver.url, inbox: inbox, console: console)
        let (dataDir, until) = (command.dataDir, command.untilMicroseconds)
        let data = try await BlockingExecutor.shared.run {
            try DemoData.load(dataDir: dataDir, model: model, until: until)
        }
        guard !data.events.isEmpty else { throw DemoError(.invalidSetup, "no event to replay (see --until)") }

        await console.line("Starting the embedded PostgreSQL (\(configuration.database.stateDirectory))…")
        let database = try await AgentDatabase.start(
            EmbeddedPostgres(stateDirectory: configuration.database.stateDirectory))
        try await database.whileOpen(logger: logger) {
            let pool = PostgresPool(
                configuration: PostgresConfiguration(url: database.url), size: configuration.database.poolSize,
                maxWaiting: configuration.database.maxWaiting)
            let modelID: Int64
            do {
                modelID = try await prepare(configuration, model: model, pool: pool, logger: logger)
            } catch {
                await pool.close()
                throw error
            }
            let outcome = DemoOutcome()
            let driver = DemoDriver(
                settings: .init(
                    configPath: command.config, dataDir: command.dataDir, output: command.output,
                    speed: command.speed, labelDelayDays: command.labelDelay, keepRunning: command.keepRunning,
                    receiverURL: receiver.url, agentURL: base),
                model: model, data: data, client: DemoClient(base: base),
                monitor: DemoMonitor(pool: pool, modelID: modelID),
                console: console, inbox: inbox, outcome: outcome)
            await console.line("Agent at \(base), webhook receiver at \(receiver.url)")
            let environment = AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
            // The pool, one of the agent's services, closes once those after it have stopped.
            try await Self.serviceGroup(
                environment, receiver: receiverServer.application(logger: logger), driver: driver, logger: logger
            ).run()
            try await Self.finish(outcome)
        }
    }

    /// The demo's services: its webhook receiver first, the agent's services as `serve` runs them (no tail
    /// source or CloudEvent is configured: those two idle), the script last. Windows close four times a
    /// second: at the default speed a simulated week passes in 3.5 s. Shutdown runs in reverse: the
    /// script stops, then the agent's services (the HTTP server first), and the receiver last.
    static func serviceGroup(
        _ environment: AgentEnvironment, receiver: some Service, driver: DemoDriver, logger: Logger
    ) -> ServiceGroup {
        var timing = AgentServices.Timing(windowCheck: .milliseconds(250))
        timing.retrainCheck = .milliseconds(500)
        timing.electLeader = false
        let services = AgentServices(environment: environment, processEnvironment: [:], timing: timing, logger: logger)
        return ServiceGroup(
            configuration: .init(
                services: [.init(service: receiver)] + services.list + [
                    .init(
                        service: driver, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup)
                ], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }

    /// Ends the command as the script ended: normally, interrupted (exit 130) or failed (exit 1).
    static func finish(_ outcome: DemoOutcome) async throws {
        switch await outcome.state {
        case .finished, .running:
            return
        case .interrupted:
            FileHandleOutput.standardOutput(
                "\nStopped: the agent finished its requests in flight and the database was shut down cleanly.\n")
            throw ExitCode(130)
        case .failed(let message):
            FileHandleOutput.standardError("\ndriftwatch demo: \(message)\n")
            throw ExitCode(1)
        }
    }

    /// A fresh start: the demo's tables are dropped and migrated again, the model registered and its
    /// reference built from the configured file. Returns the model's id.
    func prepare(
        _ configuration: DriftwatchConfiguration, model: ModelConfiguration, pool: PostgresPool, logger: Logger
    ) async throws -> Int64 {
        try await pool.withConnection(purpose: "reset the demo database") {
            try $0.execute(script: "DROP SCHEMA public CASCADE; CREATE SCHEMA public", purpose: "reset the demo")
        }
        try await AgentBootstrap.prepare(configuration, pool: pool, migrate: true, logger: logger)
        guard
            let id = try await pool.withConnection(
                purpose: "find model", { try ModelStore.find(name: model.name, on: $0)?.id })
        else { throw DemoError(.requestFailed, "the model \(model.name) was not registered") }
        return id
    }
}
