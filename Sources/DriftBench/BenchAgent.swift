import ArgumentParser
import DriftSystem
import EmbeddedCluster
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `driftwatch serve` process (this executable) on its own embedded PostgreSQL in `stateDirectory`, for
/// the end-to-end benchmarks: started with the configuration `yaml(port, state)` writes, ready when
/// `/readyz` answers 200, stopped (with its cluster) by `stop()`.
final class BenchAgent {
    let state: String
    let port: Int
    let process = Process()

    /// The agent's base URL, e.g. `http://127.0.0.1:24242`.
    var base: String { "http://127.0.0.1:\(port)" }
    /// The embedded cluster's database, once the agent has started it.
    var databaseURL: String { EmbeddedPostgres(stateDirectory: state + "/db").url }

    init(stateDirectory: String, yaml: (_ port: Int, _ state: String) -> String) throws {
        _ = try? ChildProcess.run(["rm", "-rf", stateDirectory])
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        state = URL(fileURLWithPath: stateDirectory).standardizedFileURL.path
        port = LoopbackPort.free()
        let config = state + "/driftwatch.yaml"
        try yaml(port, state).write(toFile: config, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: try IngestBenchCommand.executablePath())
        process.arguments = ["serve", "--config", config]
        process.currentDirectoryURL = URL(fileURLWithPath: state)
        _ = FileManager.default.createFile(atPath: state + "/agent.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: state + "/agent.log")
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard IngestBenchCommand.waitReady(base, agent: process) else {
            stop(keep: true)
            throw ValidationError("the agent did not become ready; see \(state)/agent.log")
        }
    }

    /// Stops the agent and its cluster; removes the state directory unless `keep`.
    func stop(keep: Bool) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? EmbeddedPostgres(stateDirectory: state + "/db").stop()
        if !keep { _ = try? ChildProcess.run(["rm", "-rf", state]) }
    }
}
