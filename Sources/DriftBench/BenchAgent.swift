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
        process.executableURL = URL(fileURLWithPath: try Self.executablePath())
        process.arguments = ["serve", "--config", config]
        process.currentDirectoryURL = URL(fileURLWithPath: state)
        _ = FileManager.default.createFile(atPath: state + "/agent.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: state + "/agent.log")
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard Self.waitReady(base, agent: process) else {
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

    /// This executable's path (`/proc/self/exe`).
    static func executablePath() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { throw ValidationError("cannot find the driftwatch executable") }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Polls `/readyz` every 100 ms for up to a minute while the agent runs.
    static func waitReady(_ base: String, agent: Process) -> Bool {
        for _ in 0..<600 {
            guard agent.isRunning else { return false }
            let check = try? ChildProcess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/readyz"], captureOutput: true)
            if check?.output.hasSuffix("200") == true { return true }
            usleep(100_000)
        }
        return false
    }

}
