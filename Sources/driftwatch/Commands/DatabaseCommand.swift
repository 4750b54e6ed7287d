import ArgumentParser
import Dispatch
import DriftStore
import PostgresDriver

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch db start|stop|status|url`: manages the embedded PostgreSQL cluster by hand.
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded PostgreSQL cluster.",
        subcommands: [Start.self, Run.self, Stop.self, Status.self, URL.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Initialise (first time) and start the cluster; apply migrations.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let url = try database.embedded.start()
            _ = try MigrationRunner().apply(on: PostgresConnection(configuration: PostgresConfiguration(url: url)))
            FileHandleOutput.standardOutput(url + "\n")
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the cluster, apply migrations, print the URL, and stop it on SIGINT or SIGTERM.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let cluster = database.embedded
            let url = try cluster.start()
            do {
                _ = try MigrationRunner().apply(on: PostgresConnection(configuration: PostgresConfiguration(url: url)))
            } catch {
                try? cluster.stop()
                throw error
            }
            FileHandleOutput.standardOutput(url + "\n")
            try SignalWaiter.wait(for: [SIGINT, SIGTERM])
            try cluster.stop()
            FileHandleOutput.standardError("driftwatch: database stopped\n")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster (fast shutdown).")
        @OptionGroup var database: DatabaseOptions

        func run() throws { try database.embedded.stop() }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print whether the cluster runs (exit 3 when it does not).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            switch database.embedded.status() {
            case .running(let pid):
                FileHandleOutput.standardOutput("running (pid \(pid)) at \(database.embedded.url)\n")
            case .stopped:
                FileHandleOutput.standardOutput("stopped\n")
                throw ExitCode(3)
            case .notInitialized:
                FileHandleOutput.standardOutput("not initialised (driftwatch db start creates it)\n")
                throw ExitCode(3)
            }
        }
    }

    struct URL: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the cluster's connection URL.")
        @OptionGroup var database: DatabaseOptions

        func run() throws { FileHandleOutput.standardOutput(database.embedded.url + "\n") }
    }
}
