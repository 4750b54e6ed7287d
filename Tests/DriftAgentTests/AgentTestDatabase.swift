import DriftStore
import DriftSystem
import EmbeddedCluster
import Foundation
import PostgresDriver

#if canImport(Glibc)
    import Glibc
#endif

/// One private PostgreSQL cluster for this test process (public launcher API only), stopped and removed
/// at exit; each test takes a fresh database in it.
enum AgentTestDatabase {
    static let directory = "/tmp/driftwatch-agent-test-\(getpid())"
    static let cluster = EmbeddedPostgres(
        stateDirectory: directory, settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"])
    static let started: Result<String, EmbeddedPostgresError> = {
        let result = Result { () throws(EmbeddedPostgresError) -> String in try cluster.start() }
        atexit {
            try? AgentTestDatabase.cluster.stop()
            _ = try? ChildProcess.run(["rm", "-rf", AgentTestDatabase.directory])
        }
        return result
    }()

    /// A fresh, empty database; its URL.
    static func fresh(_ prefix: String) throws -> String {
        let url = try started.get()
        let name = "agent_\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try PostgresConnection(configuration: PostgresConfiguration(url: url))
        try admin.execute(script: "CREATE DATABASE \(name)", purpose: "create test database")
        return cluster.url(database: name)
    }
}
