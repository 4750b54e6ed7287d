import ArgumentParser
import DriftAgent
import DriftCore
import DriftSystem
import DriftTables
import Logging
import PostgresDriver
import ServiceLifecycle

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
        let configuration = try await ConfigurationFile.load(config)
        BlockingExecutor.configureShared(threads: AgentServices.blockingThreads(configuration))
        let environment = ProcessEnvironment.all()
        let sources = configuration.auth.enabled ? configuration.auth.tokenSources : []
        let tokens =
            sources.isEmpty
            ? [] : try await BlockingExecutor.shared.run { try TokenLoader.load(sources, environment: environment) }
        let database = try await AgentDatabase.open(configuration, environment: environment)
        try await database.whileOpen(logger: logger) {
            let pool = PostgresPool(
                configuration: PostgresConfiguration(url: database.url), size: configuration.database.poolSize,
                maxWaiting: configuration.database.maxWaiting)
            do {
                try await AgentBootstrap.prepare(
                    configuration, pool: pool, migrate: configuration.database.migrateOnStart && !noMigrate,
                    logger: logger)
            } catch let error as TableError {
                FileHandleOutput.standardError("driftwatch: the configured reference is not usable: \(error)\n")
                await pool.close()
                throw ExitCode(2)
            }
            let agent = AgentEnvironment(configuration: configuration, pool: pool, tokens: tokens)
            let services = AgentServices(
                environment: agent, processEnvironment: environment, timing: .configured(configuration), logger: logger)
            logger.info(
                "driftwatch agent listening",
                metadata: [
                    "address": "\(configuration.server.host):\(configuration.server.port)",
                    "models": "\(configuration.models.map(\.name).joined(separator: ","))",
                ])
            let group = ServiceGroup(
                configuration: .init(
                    services: services.list, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()  // the pool, the group's first service, closes once the others have stopped
        }
    }
}
