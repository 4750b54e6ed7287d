import DriftTestSupport
import EmbeddedCluster
import Foundation
import Synchronization
import Testing

@testable import DriftStore
@testable import EmbeddedCluster

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded cluster launcher: lifecycle, data kept across restarts, concurrent launchers, the
/// socket-path fallback, clear errors, and the shared test cluster.
struct EmbeddedPostgresTests {
    private static func value(_ url: String, _ sql: String) throws -> String? {
        try EmbeddedLibPQ.query(url: url, sql).first?.first ?? nil
    }

    /// A launcher on a fresh directory `/tmp/driftwatch-test-<pid>-<name>` (port 54329 names its socket);
    /// the directory, to remove.
    private static func launcher(
        _ name: String, settings: [String: String] = TestCluster.fastSettings
    ) throws -> (
        EmbeddedPostgres, String
    ) {
        let directory = try TestCluster.temporaryDirectory(name)
        return (EmbeddedPostgres(stateDirectory: directory, port: 54329, settings: settings), directory)
    }

    @Test func aStartedClusterListensOnlyOnItsSocket() throws {
        let (postgres, directory) = try Self.launcher("lifecycle")
        defer { try? EmbeddedFiles.removeRecursively(directory) }
        #expect(postgres.status() == .notInitialized)
        #expect(!postgres.usesFallbackSocketDirectory)

        let url = try postgres.start()
        defer { try? postgres.stop() }
        #expect(url == "postgresql:///driftwatch?host=\(directory)/postgres/run&port=54329&user=driftwatch")
        #expect(try #require(postgres.status().runningPID, "not running after start") > 0)
        #expect(EmbeddedFiles.exists(directory + "/postgres/run/.s.PGSQL.54329"))
        #expect(try Self.value(url, "SELECT 1") == "1")
        #expect(try Self.value(url, "SHOW listen_addresses") == "")
        #expect(try Self.value(url, "SHOW fsync") == "off")
        #expect(try Self.value(url, "SELECT current_database()") == "driftwatch")
        #expect(try Self.value(url, "SHOW server_encoding") == "UTF8")
    }

    @Test func aStoppedClusterKeepsItsDataForTheNextStart() throws {
        let (postgres, directory) = try Self.launcher("kept")
        defer { try? EmbeddedFiles.removeRecursively(directory) }
        let url = try postgres.start()
        defer { try? postgres.stop() }
        try EmbeddedLibPQ.query(url: url, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)")
        try postgres.stop()
        #expect(postgres.status() == .stopped)
        #expect(throws: EmbeddedPostgresError.self) { try Self.value(url, "SELECT 1") }
        try postgres.stop()  // stopping a stopped cluster is fine
        #expect(try postgres.start() == url)
        #expect(try Self.value(url, "SELECT x FROM kept") == "42")
    }

    /// Two launchers at once on the same directory: the lock lets one start the server, the other finds it
    /// running; a later start finds it running too.
    @Test func launchersOnOneDirectoryShareOneServer() throws {
        let (postgres, directory) = try Self.launcher("concurrent")
        defer { try? EmbeddedFiles.removeRecursively(directory) }
        let urls = try startConcurrently(postgres, count: 2)
        defer { try? postgres.stop() }
        #expect(urls.count == 2 && Set(urls).count == 1)
        let pid = try #require(postgres.status().runningPID, "not running after two starts")
        #expect(try postgres.start() == urls.first)
        #expect(postgres.status() == .running(pid: pid))
    }

    @Test func aServerThatCannotStartReportsTheLastLinesOfItsLog() throws {
        let (postgres, directory) = try Self.launcher("broken", settings: ["shared_buffers": "lots"])
        defer { try? EmbeddedFiles.removeRecursively(directory) }
        let error = #expect(throws: EmbeddedPostgresError.self) { try postgres.start() }
        #expect(error?.code == .startFailed)
        #expect(error?.output.contains("shared_buffers") == true)
        #expect(postgres.status() == .stopped)
    }

    @Test func longStateDirectoryUsesAShortSocketDirectory() throws {
        let base = try TestCluster.temporaryDirectory("long")
        defer { try? EmbeddedFiles.removeRecursively(base) }
        let directory =
            base + "/a state directory with spaces & a name long enough/" + String(repeating: "x", count: 60)
        let postgres = EmbeddedPostgres(stateDirectory: directory, settings: TestCluster.fastSettings)
        #expect(postgres.usesFallbackSocketDirectory)
        #expect(postgres.socketDirectory.hasPrefix("/tmp/driftwatch-pg-"))
        #expect(EmbeddedSocketDirectory.socketPath(in: postgres.socketDirectory, port: 5432).utf8.count <= 107)

        let url = try postgres.start()
        defer { try? postgres.stop() }
        #expect(try Self.value(url, "SELECT 1") == "1")
        #expect(try Self.value(url, "SHOW unix_socket_directories") == postgres.socketDirectory)
        try postgres.stop()
        #expect(!EmbeddedFiles.exists(postgres.socketDirectory))
    }

    @Test func missingBinariesAreAnErrorThatSaysHowToGetThem() throws {
        let directory = try TestCluster.temporaryDirectory("nobinaries")
        defer { try? EmbeddedFiles.removeRecursively(directory) }
        let search = PostgresBinaries.Search(directories: [directory], versionRoots: [directory])
        let postgres = EmbeddedPostgres(stateDirectory: directory + "/state", binarySearch: search)
        let error = #expect(throws: EmbeddedPostgresError.self) { try postgres.start() }
        #expect(error?.code == .binariesNotFound)
        #expect(error?.description.contains("apt-get install postgresql") == true)
        #expect(error?.description.contains("DATABASE_URL") == true)
        #expect(error?.description.contains("database.url") == true)
        #expect(!EmbeddedFiles.exists(directory + "/state"))  // nothing created
        #expect(postgres.status() == .notInitialized)
    }

    @Test func binariesComeFromTheHighestVersion() throws {
        let root = try TestCluster.temporaryDirectory("versions")
        defer { try? EmbeddedFiles.removeRecursively(root) }
        for version in ["9.6", "10", "16", "notaversion"] {
            try EmbeddedFiles.makeDirectories("\(root)/\(version)/bin")
            for program in ["initdb", "pg_ctl"] {
                try EmbeddedFiles.writeAtomically("\(root)/\(version)/bin/\(program)", "", mode: 0o755, owner: nil)
            }
        }
        try EmbeddedFiles.removeRecursively("\(root)/16/bin/pg_ctl")  // incomplete: skipped
        let found = try PostgresBinaries.locate(.init(directories: [], versionRoots: [root]))
        #expect(found.directory == "\(root)/10/bin")
        #expect(found.pgCtl == "\(root)/10/bin/pg_ctl")
    }

    @Test func badSettingsAreRejected() throws {
        let directory = try TestCluster.temporaryDirectory("settings")
        defer { try? EmbeddedFiles.removeRecursively(directory) }
        for settings in [["listen_addresses": "*"], ["bad name": "1"], ["work_mem": "1MB\nfsync = off"]] {
            let error = #expect(throws: EmbeddedPostgresError.self) {
                try EmbeddedPostgres(stateDirectory: directory, settings: settings).start()
            }
            #expect(error?.code == .invalidConfiguration)
        }
        let error = #expect(throws: EmbeddedPostgresError.self) {
            try EmbeddedPostgres(stateDirectory: directory, port: 70000).start()
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(EmbeddedPostgres.quotedSetting(#"it's C:\x"#) == #"'it''s C:\\x'"#)
    }

    @Test(.enabled(if: geteuid() == 0, "only root runs the server as another user"))
    func rootWithAnUnreachableStateDirectoryExplainsTheFix() throws {
        let directory = try TestCluster.temporaryDirectory("private")
        defer { try? EmbeddedFiles.removeRecursively(directory) }
        try EmbeddedFiles.setMode(directory, 0o700)
        let error = #expect(throws: EmbeddedPostgresError.self) {
            try EmbeddedPostgres(stateDirectory: directory + "/state").start()
        }
        #expect(error?.code == .permissionDenied)
        #expect(error?.message.contains("cannot enter \(directory)") == true)
        #expect(error?.message.contains("run Driftwatch as a normal user") == true)
        #expect(!EmbeddedFiles.exists(directory + "/state"))  // nothing created
    }

    @Test func urlsEscapeTheSocketDirectory() {
        let postgres = EmbeddedPostgres(stateDirectory: "/srv/drift watch#1", port: 6000)
        #expect(
            postgres.url
                == "postgresql:///driftwatch?host=/srv/drift%20watch%231/postgres/run&port=6000&user=driftwatch")
        #expect(EmbeddedLibPQ.databaseName(in: postgres.url(database: "t_x")) == "t_x")
    }

    @Test func theSharedClusterGivesATestADatabaseOfItsOwn() throws {
        let url = try TestCluster.createDatabase(prefix: "Embedded Tests!")
        defer { TestCluster.dropDatabase(url: url) }
        #expect(EmbeddedLibPQ.databaseName(in: url)?.hasPrefix("t_embedded_tests__") == true)
        try EmbeddedLibPQ.query(url: url, "CREATE TABLE t (x int)")
        #expect(try Self.value(url, "SELECT count(*) FROM t") == "0")
        #expect(try Self.value(TestCluster.url(), "SHOW synchronous_commit") == "off")
    }

    @Test func theSharedClusterDropsATestDatabase() throws {
        let url = try TestCluster.createDatabase(prefix: "dropped")
        TestCluster.dropDatabase(url: url)
        #expect(throws: EmbeddedPostgresError.self) { try Self.value(url, "SELECT 1") }
    }

    /// Starts `count` copies of `postgres` on separate threads at once and returns their URLs.
    private func startConcurrently(_ postgres: EmbeddedPostgres, count: Int) throws -> [String] {
        let results = Mutex([Result<String, EmbeddedPostgresError>]())
        DispatchQueue.concurrentPerform(iterations: count) { _ in
            let result = Result { () throws(EmbeddedPostgresError) in try postgres.start() }
            results.withLock { $0.append(result) }
        }
        return try results.withLock { $0 }.map { try $0.get() }
    }
}

extension EmbeddedPostgres.Status {
    /// The server's process id when it runs (nil otherwise).
    var runningPID: Int32? {
        if case .running(let pid) = self { return pid }
        return nil
    }
}
