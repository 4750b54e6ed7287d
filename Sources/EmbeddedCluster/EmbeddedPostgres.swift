import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Driftwatch's private PostgreSQL cluster, used when no database URL is configured and by the tests:
/// `initdb` and `pg_ctl` on the installed server programs, data under the state directory, reachable only
/// through a Unix socket. Every method blocks (run it off the cooperative pool); launchers on one state
/// directory serialize on a file lock. Layout, running as root and locking: ARCHITECTURE.md, "The
/// embedded cluster".
package struct EmbeddedPostgres: Sendable {
    /// Whether the cluster exists and its server runs.
    package enum Status: Sendable, Equatable {
        /// No cluster under the state directory yet (`start()` creates it).
        case notInitialized
        /// The cluster exists and its server is not running.
        case stopped
        /// The server runs with this process id (its postmaster).
        case running(pid: Int32)
    }

    /// The database `start()` creates and `url` names.
    package static let databaseName = "driftwatch"
    /// The cluster's superuser (`initdb -U`).
    package static let userName = "driftwatch"

    /// The state directory, absolute.
    package let stateDirectory: String
    /// The port; it only names the socket file (`.s.PGSQL.<port>`), since there is no TCP listener.
    package let port: Int
    /// Extra server settings (e.g. `fsync: off`, `shared_buffers: 128MB`, `max_connections: 200`).
    package let settings: [String: String]
    /// Where the server programs are looked for.
    package let binarySearch: PostgresBinaries.Search
    /// The directory of the server's Unix socket.
    package let socketDirectory: String
    /// `true` when the socket directory is the short fallback under /tmp.
    package let usesFallbackSocketDirectory: Bool
    let logger: Logger

    /// A launcher for the cluster under `stateDirectory` (made absolute; nothing is touched until
    /// `start()`). `port` only names the socket file. `settings` are added to the server's
    /// configuration. Without a `logger`, nothing is logged.
    package init(
        stateDirectory: String, port: Int = 5432, settings: [String: String] = [:],
        binarySearch: PostgresBinaries.Search = .standard, logger: Logger? = nil
    ) {
        self.stateDirectory = EmbeddedFiles.absolutePath(stateDirectory)
        self.port = port
        self.settings = settings
        self.binarySearch = binarySearch
        self.logger =
            logger ?? Logger(label: "driftwatch.embedded-postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let socket = EmbeddedSocketDirectory.choose(
            clusterDirectory: self.stateDirectory + "/postgres", stateDirectory: self.stateDirectory, port: port)
        socketDirectory = socket.path
        usesFallbackSocketDirectory = socket.isFallback
    }

    /// `<state>/postgres`.
    package var clusterDirectory: String { stateDirectory + "/postgres" }
    /// `<state>/postgres/data`.
    package var dataDirectory: String { clusterDirectory + "/data" }
    /// `<state>/postgres/server.log`.
    package var serverLogPath: String { clusterDirectory + "/server.log" }
    var lockPath: String { clusterDirectory + "/.lock" }

    /// The libpq URL of the `driftwatch` database:
    /// `postgresql:///driftwatch?host=<socket directory>&port=<port>&user=driftwatch`.
    package var url: String { url(database: Self.databaseName) }

    /// The libpq URL of another database of the cluster.
    package func url(database: String) -> String {
        "postgresql:///\(Self.percentEncoded(database))?host=\(Self.percentEncoded(socketDirectory))"
            + "&port=\(port)&user=\(Self.userName)"
    }

    /// Initialises the cluster on first use, starts the server unless it runs, creates the `driftwatch`
    /// database when missing, and returns `url`. Blocks (about 1–2 s for a first `initdb`).
    @discardableResult
    package func start() throws(EmbeddedPostgresError) -> String {
        let serverSettings = try validatedSettings()
        let binaries = try PostgresBinaries.locate(binarySearch)
        // As root, check before creating anything that the server's user can reach the state directory.
        try EmbeddedServerAccount.forCluster(dataDirectory: dataDirectory)?
            .checkCanReach(clusterDirectory, stateDirectory: stateDirectory)
        try EmbeddedFiles.makeDirectories(stateDirectory)
        try EmbeddedFiles.makeDirectories(clusterDirectory, mode: 0o700)
        return try EmbeddedClusterLock.withLock(lockPath) { () throws(EmbeddedPostgresError) -> String in
            let account = try EmbeddedServerAccount.forCluster(dataDirectory: dataDirectory)
            try prepareDirectories(account: account)
            if status() == .notInitialized { try initialize(binaries: binaries, account: account) }
            if case .running(let pid) = status() {
                logger.debug("PostgreSQL already running", metadata: ["pid": "\(pid)", "data": "\(dataDirectory)"])
            } else {
                try writeSettings(serverSettings, account: account)
                try startServer(binaries: binaries, account: account)
            }
            try createDatabaseIfMissing()
            return url
        }
    }

    /// Stops the server (fast shutdown: sessions are ended, then a checkpoint) and waits until it has
    /// exited. Does nothing when it is not running. Blocks.
    package func stop() throws(EmbeddedPostgresError) {
        guard EmbeddedFiles.isDirectory(clusterDirectory) else { return }
        try EmbeddedClusterLock.withLock(lockPath) { () throws(EmbeddedPostgresError) in
            guard case .running(let pid) = status() else { return removeFallbackSocketDirectory() }
            let binaries = try PostgresBinaries.locate(binarySearch)
            let account = try EmbeddedServerAccount.forCluster(dataDirectory: dataDirectory)
            logger.info("stopping PostgreSQL", metadata: ["pid": "\(pid)", "data": "\(dataDirectory)"])
            let outcome = try EmbeddedCommand.run(
                [binaries.pgCtl, "stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "-s"], as: account)
            if outcome.status != 0, case .running = status() {
                throw EmbeddedPostgresError(
                    .stopFailed,
                    "PostgreSQL (pid \(pid), data \(dataDirectory)) did not stop: pg_ctl exited with "
                        + "status \(outcome.status)",
                    output: outcome.output + "\nlast lines of \(serverLogPath):\n" + EmbeddedFiles.tail(serverLogPath))
            }
            removeFallbackSocketDirectory()
        }
    }

    /// Whether the cluster exists and its server runs (reads `data/postmaster.pid` and checks that its
    /// process is alive and, where /proc tells, is this cluster's server). Does not take the lock.
    package func status() -> Status {
        guard EmbeddedFiles.exists(dataDirectory + "/PG_VERSION") else { return .notInitialized }
        guard let text = EmbeddedFiles.readText(dataDirectory + "/postmaster.pid"),
            let firstLine = text.split(separator: "\n").first,
            let pid = Int32(firstLine.filter { !$0.isWhitespace }), pid > 0,
            isServerProcess(pid)
        else { return .stopped }
        return .running(pid: pid)
    }

    private func isServerProcess(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
            // The postmaster's working directory is its data directory.
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink("/proc/\(pid)/cwd", &buffer, buffer.count - 1)
            guard length > 0, let resolved = realpath(dataDirectory, nil) else { return true }
            defer { free(resolved) }
            let cwd = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return cwd == String(cString: resolved)
        #else
            return true
        #endif
    }

    /// Percent-encodes everything but unreserved characters and `/` (for a URL's path and query).
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}
