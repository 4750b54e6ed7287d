import EmbeddedCluster
import Foundation
import PostgresDriver
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The one private PostgreSQL cluster of a test process, shared by every test target: started lazily by
/// the first test that asks (in `/tmp/driftwatch-test-<pid>`, with fsync, synchronous commit and
/// full-page writes off), stopped and removed when the process exits. Tests work in databases of their
/// own (`createDatabase`), so suites stay isolated while the cluster starts once.
/// Thread-safe: the start runs once (a `static let`), however many tests ask at the same time.
package enum TestCluster {
    /// Settings that trade durability for speed (a crash loses the test data, which is fine); room for
    /// the connections of every suite running at once (store pools, in-process agents, agent processes).
    package static let fastSettings = [
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "500",
    ]

    private static let prefix = "driftwatch-test-"
    private static let shared: Result<EmbeddedPostgres, EmbeddedPostgresError> = launch()

    /// The URL of the cluster's `driftwatch` database (starts the cluster on first use; blocks).
    package static func url() throws -> String { try shared.get().url }

    /// The URL the cluster would give a database named `database`, which need not exist (starts the
    /// cluster on first use; blocks).
    package static func url(database: String) throws -> String { try shared.get().url(database: database) }

    /// Creates an empty database named `t_<prefix>_<random>` (the prefix lowercased, every character
    /// but ASCII letters and digits replaced by `_`) and returns its URL. Starts the cluster on first
    /// use; blocks.
    package static func createDatabase(prefix: String) throws -> String {
        let postgres = try shared.get()
        let cleaned = prefix.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
        let name = "t_" + String(cleaned.prefix(40)) + "_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try administer("CREATE DATABASE \(name)", purpose: "create test database", on: postgres)
        return postgres.url(database: name)
    }

    /// Drops the database of a URL from `createDatabase` (ending its sessions); failures are reported on
    /// standard error, not thrown, so it can run in a `defer`.
    package static func dropDatabase(url: String) {
        guard case .success(let postgres) = shared, let name = databaseName(in: url) else {
            return report("TestCluster.dropDatabase: not a test database: \(url)")
        }
        do {
            try administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", purpose: "drop test database", on: postgres)
        } catch {
            report("TestCluster.dropDatabase: \(error)")
        }
    }

    /// The database a URL from `createDatabase` names, when it is a test database (`t_` and then ASCII
    /// letters, digits and `_` only, so it needs no quoting).
    package static func databaseName(in url: String) -> String? {
        guard let components = URLComponents(string: url) else { return nil }
        let name = String(components.path.drop { $0 == "/" })
        let plain = name.utf8.allSatisfy {
            $0 == UInt8(ascii: "_") || (48...57).contains($0) || (97...122).contains($0)
        }
        guard name.hasPrefix("t_"), plain else { return nil }
        return name
    }

    /// A fresh directory `/tmp/driftwatch-test-<pid>-<name>-<random>` (mode 0755) for a test's own files
    /// (removed by a later run if this process dies before its test removes it). The random part keeps two
    /// tests that pick the same name apart.
    package static func temporaryDirectory(_ name: String) throws -> String {
        let path = "/tmp/\(prefix)\(getpid())-\(name)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        try makeFreshDirectory(path)
        return path
    }

    private static func launch() -> Result<EmbeddedPostgres, EmbeddedPostgresError> {
        reapLeftovers()
        let directory = "/tmp/\(prefix)\(getpid())"
        let postgres = EmbeddedPostgres(stateDirectory: directory, settings: fastSettings)
        do throws(EmbeddedPostgresError) {
            try postgres.stop()  // a leftover of an earlier run that had the same process id
            do {
                try makeFreshDirectory(directory)
            } catch {
                throw EmbeddedPostgresError(.fileSystem, "cannot create \(directory): \(error)")
            }
            Registry.shared.set(postgres)
            atexit { TestCluster.shutDown() }
            try postgres.start()
            return .success(postgres)
        } catch {
            report("TestCluster: cannot start the test cluster: \(error)")
            return .failure(error)
        }
    }

    /// Runs one statement on the cluster's `driftwatch` database, on a connection of its own.
    private static func administer(_ sql: String, purpose: String, on postgres: EmbeddedPostgres) throws {
        let admin = try PostgresConnection(configuration: PostgresConfiguration(url: postgres.url))
        try admin.execute(script: sql, purpose: purpose)
    }

    /// Removes `path` if it exists and creates it again, empty, with mode 0755 (the server's account
    /// must reach it when the tests run as root).
    private static func makeFreshDirectory(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    /// Stops the cluster and removes its directory (run by `atexit`; a process that never started the
    /// cluster has nothing to stop).
    private static func shutDown() {
        if let postgres = Registry.shared.take() { stopAndRemove(postgres) }
    }

    private static func stopAndRemove(_ postgres: EmbeddedPostgres) {
        do {
            try postgres.stop()
            try FileManager.default.removeItem(atPath: postgres.stateDirectory)
        } catch {
            report("TestCluster: cannot clean up \(postgres.stateDirectory): \(error)")
        }
    }

    /// Stops and removes the clusters and directories of earlier test runs whose process is gone (killed
    /// before its `atexit` ran).
    private static func reapLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = Int32(digits), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = "/tmp/" + name
            do {
                try EmbeddedPostgres(stateDirectory: path).stop()
                try FileManager.default.removeItem(atPath: path)
            } catch {
                report("TestCluster: cannot remove the leftover \(path): \(error)")
            }
        }
    }

    private static func report(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// The launcher to stop at exit, readable by the `atexit` handler without touching `shared` (whose
    /// initialisation may still be running on another thread).
    private final class Registry: Sendable {
        static let shared = Registry()
        private let postgres = Mutex<EmbeddedPostgres?>(nil)

        func set(_ value: EmbeddedPostgres) { postgres.withLock { $0 = value } }

        func take() -> EmbeddedPostgres? {
            postgres.withLock { value in
                defer { value = nil }
                return value
            }
        }
    }
}
