import ArgumentParser
import DriftAgent
import DriftConfig
import DriftCore
import DriftReport
import DriftStore
import DriftSystem
import DriftTables
import EmbeddedCluster
import PostgresDriver

/// `driftwatch report --config F --model M`: the model's HTML report from the stored windows.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a model's self-contained HTML report from the windows stored in PostgreSQL.",
        discussion: """
            The database is the configuration's (its url_env variable, else its embedded cluster). For an \
            offline report of two files, use: driftwatch drift --reference A --current B --format html.
            """)

    @Option(help: "The agent's configuration.")
    var config: String
    @Option(help: "The model.")
    var model: String
    @Option(help: "First window start (RFC 3339; default: the oldest).")
    var from: String?
    @Option(help: "Windows starting before this (RFC 3339; default: all).")
    var to: String?
    @Option(help: "Where to write the report.")
    var output = "report.html"

    func run() async throws {
        let configuration = try await ConfigurationFile.load(config)
        func time(_ text: String?, _ name: String, _ fallback: Int64) throws -> Int64 {
            guard let text else { return fallback }
            guard let t = RFC3339.microseconds(text) else {
                throw ValidationError("--\(name) must be an RFC 3339 time")
            }
            return t
        }
        let lo = try time(from, "from", 0)
        let hi = try time(to, "to", 7_258_118_400_000_000)
        let environment = ProcessEnvironment.all()
        let url: String
        if let configured = environment[configuration.database.urlEnvironment], !configured.isEmpty {
            url = configured
        } else {
            let embedded = EmbeddedPostgres(stateDirectory: configuration.database.stateDirectory)
            url = try await BlockingExecutor.shared.run { try embedded.start() }
        }
        let pool = PostgresPool(configuration: PostgresConfiguration(url: url), size: 1)
        let name = model
        let stored = try await pool.withConnection(purpose: "find model") { try ModelStore.find(name: name, on: $0) }
        guard let stored else {
            FileHandleOutput.standardError("driftwatch: no model named '\(model)' in the database\n")
            throw ExitCode(2)
        }
        let settings: ModelConfiguration
        if let configured = configuration.model(model) {
            settings = configured
        } else {
            settings = try ConfigurationLoader.loadModel(
                name: model, text: stored.schemaJSON, source: "models.schema", defaults: configuration.defaults)
        }
        let report = try await ModelReportLoader.load(model: settings, modelID: stored.id, from: lo, to: hi, pool: pool)
        await pool.close()
        try OutputWriter.write(ModelReportRenderer.render(report), to: output)
        let windows = Set(report.points.map(\.windowStart)).count
        FileHandleOutput.standardOutput(
            "\(output): \(model), \(windows) window\(windows == 1 ? "" : "s"), \(report.alerts.count) alert\(report.alerts.count == 1 ? "" : "s")\n"
        )
    }
}
