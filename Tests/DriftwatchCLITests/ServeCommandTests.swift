import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch serve` end to end: a real process on loopback with its embedded database, shut down by SIGTERM.
@Suite struct ServeCommandTests {
    func get(_ url: String, token: String? = nil) async -> (Int, String)? {
        guard let target = URL(string: url) else { return nil }
        var request = URLRequest(url: target)
        request.timeoutInterval = 5
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        guard let (data, response) = try? await URLSession.shared.data(for: request),
            let http = response as? HTTPURLResponse
        else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test func serveAnswersAndStopsCleanlyOnSigterm() async throws {
        let state = "/tmp/driftwatch-serve-test-\(getpid())"
        let port = Int.random(in: 20_000...40_000)
        let configPath = state + ".yaml"
        defer {
            try? FileManager.default.removeItem(atPath: state)
            try? FileManager.default.removeItem(atPath: configPath)
        }
        try """
        server: {host: 127.0.0.1, port: \(port)}
        auth: {tokens: [{env: SERVE_TEST_TOKEN}]}
        database: {url_env: SERVE_TEST_NO_DATABASE_URL, state_dir: \(state)}
        models:
          credit: {task: binary, features: {income: numeric}}
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve", "--config", configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(["SERVE_TEST_TOKEN": "tok"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Wait until it answers (first start includes initdb), bounded.
        var health: (Int, String)?
        for _ in 0..<300 {
            health = await get("http://127.0.0.1:\(port)/healthz")
            if health != nil || !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(health?.0 == 200)
        #expect(await get("http://127.0.0.1:\(port)/readyz")?.0 == 200)
        #expect(await get("http://127.0.0.1:\(port)/v1/models")?.0 == 401)
        let models = await get("http://127.0.0.1:\(port)/v1/models", token: "tok")
        #expect(models?.0 == 200)
        #expect(models?.1.contains("\"name\":\"credit\"") == true)

        // Ingest over the socket: 2,000 NDJSON lines, one of them bad.
        var lines = (0..<2000).map {
            #"{"id": "e\#($0)", "timestamp": "2026-11-23T08:00:00Z", "features": {"income": \#($0)}}"#
        }
        lines[10] = #"{"id": "broken"#
        let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)/v1/models/credit/predictions"))
        var post = URLRequest(url: endpoint)
        post.httpMethod = "POST"
        post.setValue("Bearer tok", forHTTPHeaderField: "Authorization")
        post.setValue("application/x-ndjson", forHTTPHeaderField: "Content-Type")
        post.httpBody = Data(lines.joined(separator: "\n").utf8)
        let (data, response) = try await URLSession.shared.data(for: post)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let reply = String(decoding: data, as: UTF8.self)
        #expect(reply.contains("\"accepted\":1999"), "\(reply)")
        #expect(reply.contains("\"line\":11"), "\(reply)")

        process.terminate()  // SIGTERM: graceful shutdown, then the embedded database stops
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let status = try CLIRunner.run(["db", "status", "--state-dir", state])
        #expect(status.stdout.hasPrefix("stopped"), "\(status.stdout)")
    }
}
