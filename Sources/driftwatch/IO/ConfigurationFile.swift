import ArgumentParser
import DriftAgent
import DriftConfig
import DriftCore

/// Reads an agent configuration file for a command (on the blocking executor): every problem printed with
/// its line, exit code 2.
enum ConfigurationFile {
    static func load(_ path: String) async throws -> DriftwatchConfiguration {
        do {
            return try await AgentBootstrap.configuration(file: path)
        } catch let error as ConfigurationError {
            FileHandleOutput.standardError(error.description + "\n")
            throw ExitCode(2)
        }
    }
}
