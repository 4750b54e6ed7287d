import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch db run` starts a private cluster, migrates it, and stops it on SIGTERM.
@Suite struct DatabaseCommandTests {
    @Test func databaseRunServesAMigratedClusterUntilSigterm() throws {
        let state = "/tmp/driftwatch-cli-test-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["db", "run", "--state-dir", state]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The URL is the first line on standard output once the cluster is up and migrated.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let url = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("postgresql:///driftwatch?host="), "\(url)")

        let status = try CLIRunner.run(["db", "status", "--state-dir", state])
        #expect(status.status == 0)
        #expect(status.stdout.hasPrefix("running"))
        let pending = try CLIRunner.run(["migrate", "--status", "--database-url", url])
        #expect(pending.stdout == "schema is current\n", "\(pending.stdout)\(pending.stderr)")

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let after = try CLIRunner.run(["db", "status", "--state-dir", state])
        #expect(after.status == 3)
        #expect(after.stdout.hasPrefix("stopped"))
    }

    @Test func anUnreachableDatabaseURLIsAClearError() throws {
        let out = try CLIRunner.run(["migrate", "--database-url", "postgresql:///nodb?host=/nonexistent-dir&port=1"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("connect: connection"), "\(out.stderr)")
    }
}

/// `driftwatch config check`.
@Suite struct ConfigCommandTests {
    @Test func checkReportsProblemsWithTheirLines() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dw-config-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "server:\n  port: 80\n  hots: x\nmodels:\n  m: {task: binary}\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["config", "check", path])
        #expect(out.status == 2)
        #expect(
            out.stderr.contains("\(path):3:3: server.hots: unknown key 'hots' (did you mean 'host'?)"), "\(out.stderr)")
        #expect(out.stderr.contains("models.m: features are required"), "\(out.stderr)")
    }

    @Test func checkAcceptsTheExample() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/driftwatch.example.yaml").path
        let out = try CLIRunner.run(["config", "check", example])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("ok (1 model: car_loan)"))
    }
}
