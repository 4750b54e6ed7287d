import ArgumentParser
import DriftAgent
import DriftAlerts
import DriftConfig
import DriftCore
import DriftStore
import Hummingbird
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch serve --config FILE`: runs the agent until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the agent: the HTTP API over the database (embedded unless one is configured).")

    @Option(help: "The YAML configuration (see Config/driftwatch.example.yaml).")
    var config: String

    @Flag(help: "Do not apply pending migrations at start (the agent then refuses to be ready until they are).")
    var noMigrate = false

    func run() async throws {
        let logger = Logger(label: "driftwatch")
        let configuration = try ConfigurationFile.load(config)
        var environment: [String: String] = [:]
        for (key, value) in ProcessInfoEnvironment.all() { environment[key] = value }
        let tokens =
            configuration.auth.enabled
            ? try TokenLoader.load(configuration.auth.tokenSources, environment: environment) : []

        // The database: the URL in the named environment variable, else the embedded cluster.
        let explicitURL = environment[configuration.database.urlEnvironment].flatMap { $0.isEmpty ? nil : $0 }
        let embedded =
            explicitURL == nil ? EmbeddedPostgres(stateDirectory: configuration.database.stateDirectory) : nil
        let url = try explicitURL ?? embedded?.start() ?? ""
        defer {
            if let embedded {
                do { try embedded.stop() } catch { logger.error("stopping the embedded database failed: \(error)") }
            }
        }
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: url), size: configuration.database.poolSize,
            maxWaiting: configuration.database.maxWaiting)
        // Every start-up write is idempotent and safe when several agents start at once on one database
        // (migrations under an advisory lock, upserts, the reference stored unless current); a step that
        // still loses a race is run again and then sees the winner's result.
        if configuration.database.migrateOnStart && !noMigrate {
            let report = try await pool.withRaceRetry(purpose: "apply migrations") {
                try MigrationRunner().apply(on: $0)
            }
            for name in report.applied { logger.info("applied migration \(name)") }
        }
        for model in configuration.models {
            _ = try await pool.withRaceRetry(purpose: "register model") {
                try ModelStore.register(name: model.name, task: model.task.rawValue, on: $0)
            }
        }
        do {
            try await ConfiguredReferences.apply(configuration, pool: pool, logger: logger)
        } catch let error as TableError {
            FileHandleOutput.standardError("driftwatch: the configured reference is not usable: \(error)\n")
            await pool.close()
            throw ExitCode(2)
        }
        let agent = AgentEnvironment(configuration: configuration, pool: pool, tokens: tokens)
        let app = buildApplication(agent, logger: logger)
        // Several agents may share the database: the one holding the leader lock closes windows.
        let closer = WindowCloser(
            environment: agent, interval: .seconds(configuration.server.windowCheckSeconds), logger: logger,
            electLeader: true)
        logger.info(
            "driftwatch agent listening",
            metadata: [
                "address": "\(configuration.server.host):\(configuration.server.port)",
                "models": "\(configuration.models.map(\.name).joined(separator: ","))",
            ])
        // Shut down in reverse order: the HTTP server stops accepting and finishes (commits) the requests in
        // flight first, then the window closer stops.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(
                        service: WebhookSender(
                            pool: pool, alerting: configuration.alerting, environment: environment, logger: logger)),
                    .init(service: RetentionService(environment: agent, logger: logger)),
                    .init(service: CloudEventSweeper(environment: agent, interval: .seconds(30), logger: logger)),
                    .init(service: TailService(environment: agent, logger: logger)),
                    .init(service: RetrainWorker(environment: agent, logger: logger)), .init(service: closer),
                    .init(service: app),
                ], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        await pool.close()
    }
}

/// The process environment as a dictionary.
enum ProcessInfoEnvironment {
    static func all() -> [(String, String)] {
        var result: [(String, String)] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
            }
            pointer += 1
        }
        return result
    }
}
