import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The steps of `start()`, each run while holding the cluster lock.
extension EmbeddedPostgres {
    /// Settings the launcher manages itself.
    static let reservedSettings: Set<String> = ["listen_addresses", "unix_socket_directories", "port"]
    /// `server.log` is moved to `server.log.1` at start when larger than this.
    static let logRotationBytes = 16 << 20

    /// `settings` checked (names, values without line breaks) and sorted, or `.invalidConfiguration`.
    func validatedSettings() throws(EmbeddedPostgresError) -> [(String, String)] {
        guard (1...65535).contains(port) else {
            throw EmbeddedPostgresError(.invalidConfiguration, "port \(port) is not between 1 and 65535")
        }
        for (name, value) in settings {
            let validName =
                name.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }
            guard validName else {
                throw EmbeddedPostgresError(.invalidConfiguration, "'\(name)' is not a PostgreSQL setting name")
            }
            guard !Self.reservedSettings.contains(name.lowercased()) else {
                throw EmbeddedPostgresError(
                    .invalidConfiguration,
                    "the setting \(name) is managed by the embedded launcher (Unix socket only; choose the port "
                        + "with the port parameter)")
            }
            guard !value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
                throw EmbeddedPostgresError(.invalidConfiguration, "the value of \(name) contains a line break")
            }
        }
        return settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Gives the cluster directory to the server's user (mode 0700), checks that user can reach it, and
    /// prepares the socket directory.
    func prepareDirectories(account: EmbeddedServerAccount?) throws(EmbeddedPostgresError) {
        try EmbeddedFiles.setOwner(clusterDirectory, to: account)
        try EmbeddedFiles.setMode(clusterDirectory, 0o700)
        try account?.checkCanReach(clusterDirectory, stateDirectory: stateDirectory)
        if usesFallbackSocketDirectory {
            logger.info(
                "the state directory's path is too long for a Unix socket; using a socket directory under /tmp",
                metadata: ["socket_directory": "\(socketDirectory)", "state_directory": "\(stateDirectory)"])
        }
        try EmbeddedSocketDirectory.prepare(socketDirectory, isFallback: usesFallbackSocketDirectory, account: account)
    }

    /// Runs `initdb` into `data.initdb` and renames it to `data` when complete, so an interrupted
    /// initialisation never leaves a half-made `data`.
    func initialize(binaries: PostgresBinaries, account: EmbeddedServerAccount?) throws(EmbeddedPostgresError) {
        if EmbeddedFiles.exists(dataDirectory) {
            guard EmbeddedFiles.isDirectory(dataDirectory), EmbeddedFiles.entries(of: dataDirectory).isEmpty else {
                throw EmbeddedPostgresError(
                    .invalidConfiguration,
                    "\(dataDirectory) exists but is not a PostgreSQL data directory (it has no PG_VERSION); "
                        + "move it away or choose another state directory")
            }
            rmdir(dataDirectory)
        }
        let staging = clusterDirectory + "/data.initdb"
        try EmbeddedFiles.removeRecursively(staging)
        var arguments = [
            binaries.initdb, "-D", staging, "-U", Self.userName, "--auth-local=trust", "--auth-host=reject",
            "--encoding=UTF8", Self.localeArgument,
        ]
        if settings["fsync"]?.lowercased() == "off" { arguments.append("--no-sync") }
        logger.info(
            "initialising the embedded PostgreSQL cluster",
            metadata: ["data": "\(dataDirectory)", "user": "\(account?.name ?? "current user")"])
        let outcome = try EmbeddedCommand.run(arguments, as: account)
        guard outcome.status == 0 else {
            try? EmbeddedFiles.removeRecursively(staging)
            throw EmbeddedPostgresError(
                .initFailed, "initdb failed (status \(outcome.status)) for \(dataDirectory)", output: outcome.output)
        }
        try EmbeddedFiles.append(
            staging + "/postgresql.conf",
            "\n# Added by Driftwatch: the embedded launcher rewrites this file at every start.\n"
                + "include 'driftwatch.conf'\n")
        if rename(staging, dataDirectory) != 0 {
            throw EmbeddedPostgresError(
                .fileSystem, "cannot rename \(staging) to \(dataDirectory): \(EmbeddedFiles.errnoText())")
        }
    }

    /// `--locale=C.UTF-8` when this machine has that locale, else `--no-locale` (the C locale).
    static var localeArgument: String {
        guard let locale = newlocale(LC_CTYPE_MASK | LC_COLLATE_MASK, "C.UTF-8", nil) else { return "--no-locale" }
        freelocale(locale)
        return "--locale=C.UTF-8"
    }

    /// Writes `data/driftwatch.conf`: Unix socket only, the port, then the extra settings.
    func writeSettings(_ extra: [(String, String)], account: EmbeddedServerAccount?) throws(EmbeddedPostgresError) {
        let lines =
            [
                "# Written by Driftwatch's embedded launcher at every start; changes here are overwritten.",
                "listen_addresses = ''",
                "unix_socket_directories = \(Self.quotedSetting(socketDirectory))",
                "unix_socket_permissions = 0700",
                "port = \(port)",
            ] + extra.map { "\($0.0) = \(Self.quotedSetting($0.1))" }
        try EmbeddedFiles.writeAtomically(
            dataDirectory + "/driftwatch.conf", lines.joined(separator: "\n") + "\n", owner: account)
    }

    /// A value quoted for postgresql.conf.
    static func quotedSetting(_ value: String) -> String {
        var quoted = "'"
        for character in value {
            switch character {
            case "'": quoted += "''"
            case "\\": quoted += "\\\\"
            default: quoted.append(character)
            }
        }
        return quoted + "'"
    }

    /// `pg_ctl start -w`; on failure the error carries pg_ctl's output and the server log's new lines.
    func startServer(binaries: PostgresBinaries, account: EmbeddedServerAccount?) throws(EmbeddedPostgresError) {
        if EmbeddedFiles.size(serverLogPath) > Self.logRotationBytes {
            rename(serverLogPath, serverLogPath + ".1")
        }
        let logOffset = EmbeddedFiles.size(serverLogPath)
        logger.info("starting PostgreSQL", metadata: ["data": "\(dataDirectory)", "socket": "\(socketDirectory)"])
        let outcome = try EmbeddedCommand.run(
            [binaries.pgCtl, "start", "-D", dataDirectory, "-l", serverLogPath, "-w", "-t", "60", "-s"], as: account)
        guard outcome.status == 0 else {
            throw EmbeddedPostgresError(
                .startFailed,
                "PostgreSQL did not start (pg_ctl exited with status \(outcome.status)); its log is \(serverLogPath)",
                output: EmbeddedFiles.trimmingTrailingNewlines(outcome.output) + "\nlast lines of \(serverLogPath):\n"
                    + EmbeddedFiles.tail(serverLogPath, from: logOffset))
        }
    }

    /// Connects to the `postgres` database over the socket and creates `driftwatch` when missing.
    func createDatabaseIfMissing() throws(EmbeddedPostgresError) {
        let parameters = [
            ("host", socketDirectory), ("port", "\(port)"), ("user", Self.userName), ("dbname", "postgres"),
            ("connect_timeout", "10"), ("application_name", "driftwatch-embedded"),
        ]
        try EmbeddedLibPQ.withConnection(parameters, retrySeconds: 10) { connection throws(EmbeddedPostgresError) in
            let exists = "SELECT 1 FROM pg_database WHERE datname = '\(Self.databaseName)'"
            guard try EmbeddedLibPQ.query(connection, exists).isEmpty else { return }
            do throws(EmbeddedPostgresError) {
                try EmbeddedLibPQ.query(connection, "CREATE DATABASE \(Self.databaseName)")
                logger.info("created database \(Self.databaseName)")
            } catch {
                // Created meanwhile by someone else connected to the server: fine.
                guard try EmbeddedLibPQ.query(connection, exists).isEmpty else { return }
                throw error
            }
        }
    }

    /// Removes the fallback socket directory under /tmp once the server is stopped (only when empty).
    func removeFallbackSocketDirectory() {
        if usesFallbackSocketDirectory { rmdir(socketDirectory) }
    }
}
