#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the server's Unix socket lives: `<state>/postgres/run`, or — when `<dir>/.s.PGSQL.<port>` would
/// be longer than the 107 bytes a socket path may have — `/tmp/driftwatch-pg-<hash of the state
/// directory>`.
enum EmbeddedSocketDirectory {
    /// The longest Unix socket path (`sun_path` holds 108 bytes with the terminating zero).
    static let maximumSocketPathBytes = 107

    /// The socket directory for a cluster, and whether it is the short fallback under /tmp.
    static func choose(clusterDirectory: String, stateDirectory: String, port: Int) -> (path: String, isFallback: Bool)
    {
        let preferred = clusterDirectory + "/run"
        if socketPath(in: preferred, port: port).utf8.count <= maximumSocketPathBytes { return (preferred, false) }
        return ("/tmp/driftwatch-pg-" + hash(stateDirectory), true)
    }

    /// The socket file the server creates in `directory`.
    static func socketPath(in directory: String, port: Int) -> String { "\(directory)/.s.PGSQL.\(port)" }

    /// Creates the directory (mode 0700, owned by the server's user). A fallback directory under /tmp
    /// that already exists must be a real directory owned by that user (not someone else's trap).
    static func prepare(_ path: String, isFallback: Bool, account: EmbeddedServerAccount?) throws(EmbeddedPostgresError)
    {
        let ownerUID = account?.uid ?? geteuid()
        if isFallback {
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw EmbeddedPostgresError(.fileSystem, "cannot create \(path): \(EmbeddedFiles.errnoText())")
            }
            guard let info = EmbeddedFiles.status(path, followLinks: false),
                info.st_mode & EmbeddedFiles.typeMask == EmbeddedFiles.directoryType,
                info.st_uid == ownerUID || info.st_uid == geteuid()
            else {
                throw EmbeddedPostgresError(
                    .fileSystem,
                    "\(path) (the socket directory, used because the state directory's path is too long for a "
                        + "Unix socket) exists but is not a directory owned by this user; remove it, or choose a "
                        + "shorter state directory")
            }
        } else {
            try EmbeddedFiles.makeDirectories(path, mode: 0o700)
        }
        try EmbeddedFiles.setOwner(path, to: account)
        try EmbeddedFiles.setMode(path, 0o700)
    }

    /// 16 hexadecimal digits of the 64-bit FNV-1a hash of `text`.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
