import DriftSystem
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A `driftwatch serve` process on a random loopback port with its own embedded database, for tests.
final class AgentProcess {
    let state: String
    let port: Int
    var process = Process()
    let config: String
    let environment: [String: String]
    var base: String { "http://127.0.0.1:\(port)" }

    /// Writes the configuration (`models` is the YAML of the models section, indented by two spaces)
    /// and starts the agent; returns once it answers `/readyz`. With `start: false` it only writes the
    /// configuration (`launch` and `waitUntilReady` start it).
    init(
        name: String, models: String, server: String = "", auth: String = "{enabled: false}",
        files: [String: String] = [:], extra: String = "", environment: [String: String] = [:], start: Bool = true
    ) async throws {
        state = "/tmp/driftwatch-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        port = LoopbackPort.free()
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        for (file, text) in files { try text.write(toFile: state + "/" + file, atomically: true, encoding: .utf8) }
        config = state + "/driftwatch.yaml"
        self.environment = environment
        try """
        server: {host: 127.0.0.1, port: \(port)\(server.isEmpty ? "" : ", " + server)}
        auth: \(auth)
        database: {url_env: AGENT_TEST_NO_DATABASE_URL, state_dir: \(state)/db}
        \(extra.contains("defaults:") ? "" : "defaults: {retention: 36500d}  # fixed-date events stay within retention")
        models:
        \(models)
        \(extra)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        if start { try await self.start() }
    }

    /// Starts (or starts again) the agent process; returns once it answers `/readyz` (or exited, or
    /// 3 minutes passed).
    func start() async throws {
        try launch()
        _ = try await waitUntilReady(seconds: 180)
    }

    /// Starts the agent process and returns at once.
    func launch() throws {
        process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve", "--config", config]
        process.currentDirectoryURL = URL(fileURLWithPath: state)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: state + "/agent.log") ?? FileHandle.nullDevice
        if !FileManager.default.fileExists(atPath: state + "/agent.log") {
            _ = FileManager.default.createFile(atPath: state + "/agent.log", contents: nil)
            process.standardError = FileHandle(forWritingAtPath: state + "/agent.log") ?? FileHandle.nullDevice
        }
        try process.run()
    }

    /// Polls `/readyz` until it answers 200 (true), the process exits or `seconds` passed (false).
    func waitUntilReady(seconds: Int) async throws -> Bool {
        for _ in 0..<(seconds * 10) {
            if await get("/readyz")?.0 == 200 { return true }
            if !process.isRunning { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The agent's standard error so far.
    var log: String { (try? String(contentsOfFile: state + "/agent.log", encoding: .utf8)) ?? "" }

    /// SIGKILL: no shutdown of any kind (the embedded database keeps running).
    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func get(_ path: String) async -> (Int, String)? {
        guard let target = URL(string: base + path) else { return nil }
        var request = URLRequest(url: target)
        request.timeoutInterval = 30
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// POSTs `body` to `path`; the status and reply, nil when the agent did not answer.
    func post(_ path: String, _ body: String, contentType: String = "application/x-ndjson") async -> (Int, String)? {
        await post(path, data: Data(body.utf8), contentType: contentType)
    }

    /// POSTs the bytes `data` (which need not be UTF-8) to `path`.
    func post(_ path: String, data: Data, contentType: String = "application/x-ndjson") async -> (Int, String)? {
        guard let target = URL(string: base + path) else { return nil }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.timeoutInterval = 60
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = data
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Polls `path` until `condition` holds on its body (at most `seconds`).
    func wait(_ path: String, seconds: Int = 60, until condition: (String) -> Bool) async throws -> String? {
        for _ in 0..<(seconds * 10) {
            if let (status, body) = await get(path), status == 200, condition(body) { return body }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// The process's peak resident set (VmHWM), in bytes.
    var peakResidentBytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }

    /// SIGTERM, wait, and remove the state directory; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: state)
        return process.terminationStatus
    }
}
