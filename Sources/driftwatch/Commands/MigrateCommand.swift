import ArgumentParser
import DriftStore
import PostgresDriver

/// `driftwatch migrate`: applies pending SQL migrations (the agent also does this at start).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (in order, each in a transaction, under an advisory lock).")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Only list pending migrations.")
    var status = false

    func run() throws {
        let url = try database.resolveURL()
        let connection = try PostgresConnection(configuration: PostgresConfiguration(url: url))
        let runner = MigrationRunner()
        if status {
            let pending = try runner.pending(on: connection)
            FileHandleOutput.standardOutput(
                pending.isEmpty ? "schema is current\n" : "pending: " + pending.joined(separator: ", ") + "\n")
            return
        }
        let report = try runner.apply(on: connection)
        for name in report.applied { FileHandleOutput.standardOutput("applied \(name)\n") }
        if report.applied.isEmpty {
            FileHandleOutput.standardOutput("schema is current (\(report.alreadyApplied.count) migrations)\n")
        }
    }
}
