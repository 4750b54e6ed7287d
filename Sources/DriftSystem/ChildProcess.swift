#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion (blocking the calling thread) and reports its exit status, wall time,
/// peak memory (from `wait4`) and, when asked, its standard output and error.
package enum ChildProcess {
    /// How a run ended.
    package struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it.
        package let status: Int32
        package let seconds: Double
        package let peakResidentBytes: Int
        /// Standard output and standard error together (when captured).
        package let output: String
    }

    /// Runs `arguments[0]` (searched on PATH) with the rest as its arguments. With `captureOutput`,
    /// standard output and error are returned; otherwise output goes to /dev/null and errors to ours.
    /// Not for programs that leave a daemon behind holding the output (e.g. `pg_ctl start`): reading
    /// the output then waits for the daemon.
    package static func run(_ arguments: [String], captureOutput: Bool = false) throws -> Outcome {
        var pipeFDs: [Int32] = [-1, -1]
        // Close-on-exec: the pipe's own descriptors do not leak into this child (which gets copies on
        // 1 and 2) nor into programs other threads start later.
        if captureOutput {
            guard pipe(&pipeFDs) == 0 else {
                throw ChildProcessError(.pipeFailed, program: arguments[0], "pipe failed")
            }
            _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let start = monotonicSeconds()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw ChildProcessError(
                .spawnFailed, program: arguments[0], "cannot start: \(String(cString: strerror(spawned)))")
        }
        var output = [UInt8]()
        if captureOutput {
            close(pipeFDs[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(pipeFDs[0], &buffer, buffer.count)
                if n <= 0 { break }
                output.append(contentsOf: buffer[0..<n])
            }
            close(pipeFDs[0])
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = monotonicSeconds() - start
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(
            status: exitStatus, seconds: seconds, peakResidentBytes: Int(usage.ru_maxrss) * 1024,
            output: String(decoding: output, as: UTF8.self))
    }
}
