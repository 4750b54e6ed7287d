#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a cluster's lock file, so that launchers in different processes (or threads)
/// never initialise, start or stop the same cluster at the same time.
enum EmbeddedClusterLock {
    /// Runs `body` while holding the lock on `path` (created when missing), waiting for other holders.
    static func withLock<T>(
        _ path: String, _ body: () throws(EmbeddedPostgresError) -> T
    ) throws(EmbeddedPostgresError) -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EmbeddedPostgresError(.fileSystem, "cannot open the lock file \(path): \(EmbeddedFiles.errnoText())")
        }
        defer { close(fd) }  // closing releases the lock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw EmbeddedPostgresError(.fileSystem, "cannot lock \(path): \(EmbeddedFiles.errnoText())")
            }
        }
        return try body()
    }
}
