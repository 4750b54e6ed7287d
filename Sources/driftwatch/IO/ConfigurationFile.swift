import ArgumentParser
import DriftConfig
import DriftCore
import DriftTables

/// Reads an agent configuration file for a command: every problem printed with its line, exit code 2.
enum ConfigurationFile {
    static func load(_ path: String) throws -> DriftwatchConfiguration {
        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        do {
            return try ConfigurationLoader.load(yaml: text, file: path)
        } catch {
            FileHandleOutput.standardError(error.description + "\n")
            throw ExitCode(2)
        }
    }
}
