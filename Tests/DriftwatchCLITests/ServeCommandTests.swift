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

    @Test func serveServesUntilASigtermStopsItCleanly() async throws {
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
        defaults: {retention: 36500d}  # fixed-date events stay within retention
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
        for _ in 0..<1800 {
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

        // driftwatch send: a CSV of 300 rows, one with a bad timestamp, in batches of 100.
        let csv = state + "-send.csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        var rows = ["id,timestamp,income,prediction,score"]
        for i in 0..<300 { rows.append("s\(i),2026-11-23 09:00:00.000,\(Double(i) * 2.5),\(i % 2),0.5") }
        rows[151] = "s150,yesterday,1.0,1,0.5"
        try (rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let send = try CLIRunner.run([
            "send", "--url", "http://127.0.0.1:\(port)", "--model", "credit", "--file", csv, "--token", "tok",
            "--batch", "100",
        ])
        #expect(send.status == 1, "\(send.stderr)")
        #expect(send.stdout.contains("299 accepted, 0 already stored, 1 rejected"), "\(send.stdout)")
        #expect(send.stdout.contains("\(csv):152: timestamp:"), "\(send.stdout)")
        #expect(send.stderr.contains("sent 300 of 300 predictions"))
        let again = try CLIRunner.run([
            "send", "--url", "http://127.0.0.1:\(port)", "--model", "credit", "--file", csv, "--token", "tok",
        ])
        #expect(again.stdout.contains("299 accepted, 299 already stored"), "\(again.stdout)")
        let wrongToken = try CLIRunner.run([
            "send", "--url", "http://127.0.0.1:\(port)", "--model", "credit", "--file", csv, "--token", "nope",
        ])
        #expect(wrongToken.status == 2)
        #expect(wrongToken.stderr.contains("not accepted"), "\(wrongToken.stderr)")

        process.terminate()  // SIGTERM: graceful shutdown, then the embedded database stops
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let status = try CLIRunner.run(["db", "status", "--state-dir", state])
        #expect(status.stdout.hasPrefix("stopped"), "\(status.stdout)")
    }
}
