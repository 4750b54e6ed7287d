#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `initdb` / `pg_ctl` (blocking) with their output captured in an unlinked temporary file.
///
/// Unlike `ChildProcess`, the child gets no descriptor but 0, 1 and 2: `pg_ctl start` leaves the server
/// running in the background, and a server holding a pipe or lock file of this process (or of another
/// thread's concurrent spawn) would keep that pipe open, or that lock held, until the server stops.
/// For the same reason the output goes to a file, not a pipe.
enum EmbeddedCommand {
    struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it.
        let status: Int32
        /// Standard output and standard error together.
        let output: String
    }

    /// Runs `arguments` (the first an absolute path) as `account` (through `setpriv` / `runuser`) or as
    /// the current user, with standard input from /dev/null.
    static func run(
        _ arguments: [String], as account: EmbeddedServerAccount?
    ) throws(EmbeddedPostgresError) -> Outcome {
        let command = try (account?.commandPrefix() ?? []) + arguments
        guard let program = command.first else {
            throw EmbeddedPostgresError(.spawnFailed, "no program to run")
        }
        let outputFD = try temporaryFile()
        defer { close(outputFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        var noSignals = sigset_t()
        sigfillset(&allSignals)
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        #if canImport(Darwin)
            flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw EmbeddedPostgresError(
                .spawnFailed, "cannot start \(program): \(EmbeddedFiles.errnoText(spawned))",
                output: command.joined(separator: " "))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw EmbeddedPostgresError(.spawnFailed, "cannot wait for \(program): \(EmbeddedFiles.errnoText())")
            }
        }
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        lseek(outputFD, 0, SEEK_SET)
        let output = EmbeddedFiles.read(descriptor: outputFD)
        return Outcome(status: exitStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// An anonymous file (created, then unlinked) for the child's output.
    private static func temporaryFile() throws(EmbeddedPostgresError) -> Int32 {
        for _ in 0..<16 {
            let path = "/tmp/driftwatch-command-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                unlink(path)
                return fd
            }
            if errno != EEXIST { break }
        }
        throw EmbeddedPostgresError(
            .spawnFailed, "cannot create a temporary file in /tmp: \(EmbeddedFiles.errnoText())")
    }

    /// This process's open descriptors (from /proc/self/fd; else every possible one below a bound).
    private static func openDescriptors() -> [Int32] {
        #if os(Linux)
            let listed = EmbeddedFiles.entries(of: "/proc/self/fd").compactMap { Int32($0) }
            if !listed.isEmpty { return listed }
            var limit = rlimit()
            let bound =
                getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0
                ? min(Int(limit.rlim_cur), 65536) : 1024
            return (0..<Int32(bound)).map { $0 }
        #else
            return []  // POSIX_SPAWN_CLOEXEC_DEFAULT closes them
        #endif
    }
}
