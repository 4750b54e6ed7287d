import EmbeddedCluster
import Foundation

@testable import DriftStore
@testable import EmbeddedCluster

#if canImport(Glibc)
    import Glibc
#endif

/// The one private PostgreSQL cluster of a test run: started lazily by the first test that asks (in
/// `/tmp/driftwatch-test-<pid>`, with fsync, synchronous commit and full-page writes off), stopped and
/// removed when the test process exits. Each suite works in a fresh database of its own.
/// Thread-safe: the start runs once (a `static let`), however many tests ask at the same time.
enum TestCluster {
    private struct Cluster: Sendable {
        let postgres: EmbeddedPostgres
        let url: String
    }

    /// Settings that trade durability for speed (a crash loses the test data, which is fine).
    static let fastSettings = [
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "200",
    ]

    private static let shared: Result<Cluster, EmbeddedPostgresError> = launch()

    /// The URL of the cluster's `driftwatch` database (starts the cluster on first use; blocks).
    static func url() throws -> String { try shared.get().url }

    /// Creates an empty database named after `prefix` (plus a random suffix) and returns its URL.
    static func createDatabase(prefix: String) throws -> String {
        let cluster = try shared.get()
        let cleaned = prefix.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
        let name = "t_" + String(cleaned.prefix(40)) + "_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try EmbeddedLibPQ.query(url: cluster.url, "CREATE DATABASE \(EmbeddedLibPQ.quoteIdentifier(name))")
        return cluster.postgres.url(database: name)
    }

    /// Drops the database of a URL from `createDatabase` (ending its sessions); failures are reported on
    /// standard error, not thrown, so it can run in a `defer`.
    static func dropDatabase(url: String) {
        guard case .success(let cluster) = shared, let name = EmbeddedLibPQ.databaseName(in: url),
            name.hasPrefix("t_")
        else { return report("TestCluster.dropDatabase: not a test database: \(url)") }
        do {
            try EmbeddedLibPQ.query(
                url: cluster.url, "DROP DATABASE IF EXISTS \(EmbeddedLibPQ.quoteIdentifier(name)) WITH (FORCE)")
        } catch {
            report("TestCluster.dropDatabase: \(error)")
        }
    }

    /// A fresh directory `/tmp/driftwatch-test-<pid>-<name>` for a test's own files (removed by a later run
    /// if this process dies before its test removes it).
    static func temporaryDirectory(_ name: String) throws -> String {
        let path = "/tmp/driftwatch-test-\(getpid())-\(name)"
        try EmbeddedFiles.removeRecursively(path)
        try EmbeddedFiles.makeDirectories(path)
        try EmbeddedFiles.setMode(path, 0o755)
        return path
    }

    private static func launch() -> Result<Cluster, EmbeddedPostgresError> {
        reapLeftovers()
        let directory = "/tmp/driftwatch-test-\(getpid())"
        let postgres = EmbeddedPostgres(stateDirectory: directory, settings: fastSettings)
        do throws(EmbeddedPostgresError) {
            try postgres.stop()  // a leftover of an earlier run that had the same process id
            try EmbeddedFiles.removeRecursively(directory)
            try EmbeddedFiles.makeDirectories(directory)
            try EmbeddedFiles.setMode(directory, 0o755)
            Registry.shared.set(postgres)
            atexit { TestCluster.shutDown() }
            return .success(Cluster(postgres: postgres, url: try postgres.start()))
        } catch {
            report("TestCluster: cannot start the test cluster: \(error)")
            return .failure(error)
        }
    }

    /// Stops the cluster and removes its directory (run by `atexit`).
    private static func shutDown() {
        guard let postgres = Registry.shared.take() else { return }
        do {
            try postgres.stop()
            try EmbeddedFiles.removeRecursively(postgres.stateDirectory)
        } catch {
            report("TestCluster: cannot clean up \(postgres.stateDirectory): \(error)")
        }
    }

    /// Stops and removes the clusters and directories of earlier test runs whose process is gone (killed
    /// before its `atexit` ran).
    private static func reapLeftovers() {
        for name in EmbeddedFiles.entries(of: "/tmp") where name.hasPrefix("driftwatch-test-") {
            let digits = name.dropFirst("driftwatch-test-".count).prefix { $0.isNumber }
            guard let pid = Int32(digits), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = "/tmp/" + name
            do {
                try EmbeddedPostgres(stateDirectory: path).stop()
                try EmbeddedFiles.removeRecursively(path)
            } catch {
                report("TestCluster: cannot remove the leftover \(path): \(error)")
            }
        }
    }

    private static func report(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = EmbeddedFiles.writeAll(2, line)
    }

    /// The launcher to stop at exit, readable by the `atexit` handler without touching `shared` (whose
    /// initialisation may still be running on another thread).
    private final class Registry: @unchecked Sendable {
        static let shared = Registry()
        private let lock = NSLock()
        private var postgres: EmbeddedPostgres?

        func set(_ value: EmbeddedPostgres) { lock.withLock { postgres = value } }

        func take() -> EmbeddedPostgres? {
            lock.withLock {
                defer { postgres = nil }
                return postgres
            }
        }
    }
}
