import ArgumentParser
import DriftConfig
import DriftCore
import DriftTables

/// `driftwatch config check FILE`: validates a configuration file and names every problem with its line.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with configuration files.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file; every problem is printed as file:line:column.")

        @Argument(help: "The YAML file.")
        var file: String

        func run() throws {
            let bytes = try FileBytes.read(file)
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let config = try ConfigurationLoader.load(yaml: text, file: file)
                FileHandleOutput.standardOutput(
                    "\(file): ok (\(config.models.count) model\(config.models.count == 1 ? "" : "s"): "
                        + config.models.map(\.name).joined(separator: ", ") + ")\n")
            } catch {
                FileHandleOutput.standardError(error.description + "\n")
                throw ExitCode(2)
            }
        }
    }
}
