import ArgumentParser
import DriftBench

#if canImport(Glibc)
    import Glibc
#endif

/// The `driftwatch` command line. Exit codes: 0 success (no dataset drift), 1 dataset drift,
/// 2 any error (bad input, bad usage).
@main
struct Driftwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftwatch",
        abstract: "Drift detection and model monitoring.",
        subcommands: [
            DriftCommand.self, MetricsCommand.self, ConfigCommand.self, MigrateCommand.self, DatabaseCommand.self,
            ServeCommand.self, SendCommand.self, ReferenceCommand.self, AlertsCommand.self, ReportCommand.self,
            DemoCommand.self, TrainCommand.self, PredictCommand.self, RetrainCommand.self,
            BenchCommand.self,
        ])

    /// Runs the command, mapping every error to exit code 2 with its message on standard error. On the main
    /// actor: a synchronous command (the batch commands) runs on the main thread, never on the cooperative
    /// pool; an async command hops off it at its first call.
    @MainActor
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let exitCode = Self.exitCode(for: error)
            if exitCode == .success {
                Self.exit(withError: error)  // --help, --version
            }
            let message = Self.fullMessage(for: error)
            FileHandleOutput.standardError("driftwatch: " + message + "\n")
            Glibc.exit(2)
        }
    }
}

/// Writes to standard output or standard error with `write(2)` (whole buffer, retried on EINTR).
enum FileHandleOutput {
    static func standardOutput(_ text: String) { write(text, to: 1) }
    static func standardError(_ text: String) { write(text, to: 2) }

    static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, base + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
