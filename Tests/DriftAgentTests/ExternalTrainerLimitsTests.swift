import DriftAgent
import DriftConfig
import DriftCore
import DriftStore
import DriftTables
import DriftTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresDriver
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A `command` trainer is bounded: it runs in a process group of its own that is killed after
/// `retrain.timeout` or when the agent shuts down, and it is given only the allow-listed environment.
@Suite struct ExternalTrainerLimitsTests {
    /// An agent whose model `concept` has a command trainer with `settings` (YAML lines under `retrain:`).
    static func agent(_ settings: [String], prefix: String) async throws -> AgentEnvironment {
        let indented = settings.map { "\n      " + $0 }.joined()
        let yaml = RetrainTests.yaml().replacingOccurrences(
            of: "  search: none", with: "  search: none\n      trainer: command" + indented)
        let configuration = try ConfigurationLoader.load(yaml: yaml, file: "test.yaml")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(url: try TestCluster.createDatabase(prefix: prefix)), size: 2)
        try await pool.withConnection(purpose: "migrate") { _ = try MigrationRunner().apply(on: $0) }
        return AgentEnvironment(configuration: configuration, pool: pool, tokens: [])
    }

    /// Queues a job for `concept` by hand.
    static func queueJob(_ environment: AgentEnvironment) async throws {
        try await Application(router: buildRouter(environment)).test(.router) { client in
            try await client.execute(uri: "/v1/models/concept/retrain", method: .post) {
                #expect($0.status == .accepted)
            }
        }
    }

    /// A fresh directory for a trainer's files.
    static func directory(_ name: String) throws -> String {
        let path = "/tmp/driftwatch-trainer-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A trainer that never ends: it ignores SIGTERM (so only SIGKILL stops it), starts a grandchild that
    /// ignores it too, writes both process ids, and waits.
    static func hungTrainer(_ directory: String) -> String {
        #"command: [/bin/sh, -c, 'trap "" TERM; sleep 100000 & echo $! > \#(directory)/child.tmp; mv \#(directory)/child.tmp \#(directory)/child; echo $$ > \#(directory)/leader.tmp; mv \#(directory)/leader.tmp \#(directory)/leader; wait']"#
    }

    /// The process ids the hung trainer wrote, once both are there (nil after `seconds`).
    static func trainerPIDs(_ directory: String, seconds: Int = 120) async throws -> (Int32, Int32)? {
        for _ in 0..<(seconds * 10) {
            let read = { (name: String) -> Int32? in
                (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)).flatMap {
                    Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
            if let leader = read("leader"), let child = read("child") { return (leader, child) }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Whether `pid` is gone: no such process, or a zombie (dead, waiting for a parent outside this
    /// test to reap it). Awaited: a killed process takes a moment to exit.
    static func gone(_ pid: Int32, seconds: Int = 60) async throws -> Bool {
        for _ in 0..<(seconds * 10) {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].hasPrefix(" Z") { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func aTrainerCommandPastItsTimeoutFailsTheJobWithItsProcessGroupKilled() async throws {
        let directory = try Self.directory("hung")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = try await Self.agent(["timeout: 5s", Self.hungTrainer(directory)], prefix: "trainer_timeout")
        try await Self.queueJob(environment)
        let worker = RetrainWorker(environment: environment, logger: Logger(label: "test"), owner: "w")
        let job = try #require(try await worker.runOnce())
        #expect(job.status == "failed")
        #expect(job.error?.contains("trainer command timed out after 5s") == true, "\(job.error ?? "no error")")
        let (leader, child) = try #require(try await Self.trainerPIDs(directory, seconds: 1))
        #expect(try await Self.gone(leader), "the trainer \(leader) still runs")
        #expect(try await Self.gone(child), "the trainer's child \(child) still runs")
        await environment.pool.close()
    }

    @Test func anAgentShuttingDownKillsTheTrainerCommandsGroup() async throws {
        let directory = try Self.directory("cancelled")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = try await Self.agent(["timeout: 1h", Self.hungTrainer(directory)], prefix: "trainer_cancel")
        try await Self.queueJob(environment)
        let worker = RetrainWorker(environment: environment, logger: Logger(label: "test"), owner: "w")
        let running = Task { try await worker.runOnce() }
        let (leader, child) = try #require(try await Self.trainerPIDs(directory))
        running.cancel()
        await #expect(throws: CancellationError.self) { _ = try await running.value }
        #expect(try await Self.gone(leader), "the trainer \(leader) still runs")
        #expect(try await Self.gone(child), "the trainer's child \(child) still runs")
        await environment.pool.close()
    }

    /// The agent's environment as a test gives it: secrets beside the ordinary variables.
    static let agentEnvironment = [
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/var/lib/driftwatch", "LANG": "C.UTF-8", "TZ": "UTC",
        "DATABASE_URL": "postgresql://driftwatch:secret@db/driftwatch", "DRIFTWATCH_TOKEN": "s3cret-token",
        "MLFLOW_TRACKING_URI": "http://mlflow:5000",
    ]

    /// The `NAME=value` lines a trainer that prints its environment (`/usr/bin/env`) saw.
    static func printedEnvironment(_ settings: [String], prefix: String) async throws -> [String: String] {
        let environment = try await Self.agent(settings + ["command: [/usr/bin/env]"], prefix: prefix)
        try await Self.queueJob(environment)
        let worker = RetrainWorker(
            environment: environment, logger: Logger(label: "test"), owner: "w",
            processEnvironment: Self.agentEnvironment)
        let job = try #require(try await worker.runOnce())
        #expect(job.status == "succeeded", "\(job.error ?? "")")
        await environment.pool.close()
        guard case .string(let output)? = try JSONValue.parse(job.resultJSON ?? "{}")["output"] else { return [:] }
        var seen: [String: String] = [:]
        for line in output.split(separator: "\n") {
            if let equals = line.firstIndex(of: "=") {
                seen[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return seen
    }

    @Test func aTrainerCommandIsGivenOnlyTheDefaultAllowListedVariables() async throws {
        let seen = try await Self.printedEnvironment([], prefix: "trainer_env")
        #expect(seen["DATABASE_URL"] == nil)
        #expect(seen["DRIFTWATCH_TOKEN"] == nil)
        #expect(seen["MLFLOW_TRACKING_URI"] == nil)
        #expect(seen["PATH"] == "/usr/local/bin:/usr/bin:/bin")
        #expect(seen["HOME"] == "/var/lib/driftwatch")
        #expect(seen["LANG"] == "C.UTF-8")
        #expect(seen["TZ"] == "UTC")
        #expect(seen["DRIFTWATCH_MODEL"] == "concept")
        #expect(seen["DRIFTWATCH_JOB_ID"] != nil)
        #expect(Set(seen.keys) == ["PATH", "HOME", "LANG", "TZ", "DRIFTWATCH_MODEL", "DRIFTWATCH_JOB_ID"])
    }

    @Test func aTrainerCommandIsGivenExactlyTheVariablesRetrainEnvLists() async throws {
        let seen = try await Self.printedEnvironment(["env: [MLFLOW_TRACKING_URI]"], prefix: "trainer_env_listed")
        #expect(Set(seen.keys) == ["MLFLOW_TRACKING_URI", "DRIFTWATCH_MODEL", "DRIFTWATCH_JOB_ID"])
        #expect(seen["MLFLOW_TRACKING_URI"] == "http://mlflow:5000")
    }
}
