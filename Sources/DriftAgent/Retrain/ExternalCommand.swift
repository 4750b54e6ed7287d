import DriftStore
import DriftSystem
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs an external trainer's command (blocking: run it on the `BlockingExecutor`) in a process group of
/// its own, with only the environment it is given: the program is looked up on the given `PATH` when it
/// has no slash, `input` is written to its standard input, and the last 4 KB of its standard output and
/// error are kept. When the timeout passes or `Control.cancel()` is called, the whole group gets SIGTERM
/// and, `grace` seconds later, SIGKILL.
enum ExternalCommand {
    /// How the run ended.
    enum Ending: Sendable, Equatable {
        /// The program exited (or was killed by someone else).
        case exited
        /// The timeout passed: the group was killed.
        case timedOut
        /// `Control.cancel()` was called: the group was killed.
        case cancelled
    }

    struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended the program.
        let status: Int32
        let output: String
        let errorOutput: String
        let ending: Ending
        /// The program's process id (also its process group id).
        let pid: Int32
    }

    /// Why a command could not be started.
    struct LaunchError: Error, Sendable, CustomStringConvertible {
        /// The kind of failure; a closed set. `empty_command`: the command has no program; `pipe_failed`: a pipe to
        /// the program could not be made; `spawn_failed`: `posix_spawn` refused the program.
        enum Code: String, Sendable, CustomStringConvertible {
            case emptyCommand = "empty_command", pipeFailed = "pipe_failed", spawnFailed = "spawn_failed"
            var description: String { rawValue }
        }

        let code: Code
        /// The command as configured, joined by spaces.
        let command: String
        let message: String
        /// `cannot run 'command': message`.
        var description: String { "cannot run '\(command)': \(message)" }
    }

    /// Lets another thread stop a running command (task cancellation).
    final class Control: Sendable {
        private let cancelled = Mutex(false)

        func cancel() { cancelled.withLock { $0 = true } }
        var isCancelled: Bool { cancelled.withLock { $0 } }
    }

    static let keptBytes = 4096
    /// Seconds between SIGTERM and SIGKILL.
    static let defaultGrace = 5.0

    /// The variables of `inherited` named in `allowed`, plus `extra` (which wins).
    static func environment(
        allowing allowed: [String], from inherited: [String: String], adding extra: [String: String]
    ) -> [String: String] {
        var result: [String: String] = [:]
        for name in allowed { if let value = inherited[name] { result[name] = value } }
        for (name, value) in extra { result[name] = value }
        return result
    }

    static func run(
        _ command: [String], input: String, environment: [String: String], timeoutSeconds: Int,
        control: Control = Control(), grace: Double = defaultGrace
    ) throws -> Outcome {
        guard let program = command.first, !program.isEmpty else {
            throw LaunchError(code: .emptyCommand, command: "", message: "the command is empty")
        }
        let described = command.joined(separator: " ")
        // Without a slash the program is looked up on the PATH it is given, by env(1).
        let arguments = program.contains("/") ? command : ["/usr/bin/env", "--"] + command
        var pipes = Pipes()
        defer { pipes.closeAll() }
        try pipes.open(described)
        let pid = try spawn(arguments, environment: environment, pipes: &pipes, described: described)
        return supervise(
            pid: pid, pipes: &pipes, input: Array(input.utf8), timeoutSeconds: timeoutSeconds, control: control,
            grace: grace)
    }

    /// The three pipes: the parent's ends and the child's (closed in the parent once it is started).
    struct Pipes {
        var stdinRead: Int32 = -1
        var stdinWrite: Int32 = -1
        var stdoutRead: Int32 = -1
        var stdoutWrite: Int32 = -1
        var stderrRead: Int32 = -1
        var stderrWrite: Int32 = -1

        mutating func open(_ described: String) throws {
            for kind in 0..<3 {
                var fds: [Int32] = [-1, -1]
                guard pipe(&fds) == 0 else {
                    throw LaunchError(
                        code: .pipeFailed, command: described,
                        message: "pipe failed: \(String(cString: strerror(errno)))")
                }
                // Close-on-exec: other programs this process starts do not inherit them (the child gets
                // copies on 0, 1 and 2).
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                switch kind {
                case 0: (stdinRead, stdinWrite) = (fds[0], fds[1])
                case 1: (stdoutRead, stdoutWrite) = (fds[0], fds[1])
                default: (stderrRead, stderrWrite) = (fds[0], fds[1])
                }
            }
        }

        mutating func closeChildEnds() {
            Self.close(&stdinRead)
            Self.close(&stdoutWrite)
            Self.close(&stderrWrite)
        }

        mutating func closeAll() {
            for fd in [\Pipes.stdinRead, \.stdinWrite, \.stdoutRead, \.stdoutWrite, \.stderrRead, \.stderrWrite] {
                Self.close(&self[keyPath: fd])
            }
        }

        static func close(_ fd: inout Int32) {
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }

    /// Starts the program in a process group of its own (its pid is the group id), with default signal
    /// dispositions and an empty signal mask, whatever the agent's are.
    static func spawn(
        _ arguments: [String], environment: [String: String], pipes: inout Pipes, described: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes.stdinRead, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes.stdoutWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.stderrWrite, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] =
            environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, &envp)
        guard spawned == 0 else {
            throw LaunchError(code: .spawnFailed, command: described, message: String(cString: strerror(spawned)))
        }
        pipes.closeChildEnds()
        for fd in [pipes.stdinWrite, pipes.stdoutRead, pipes.stderrRead] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return pid
    }

    /// Feeds the input, collects the outputs and reaps the program; kills its group on timeout or
    /// cancellation. Returns once the program has exited and its outputs are closed (or, a `grace` after
    /// it exited, are held open only by processes it left behind).
    static func supervise(
        pid: pid_t, pipes: inout Pipes, input: [UInt8], timeoutSeconds: Int, control: Control, grace: Double
    ) -> Outcome {
        // A write to a closed standard input raises SIGPIPE on this thread: keep it blocked here and take
        // a pending one away before unblocking.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previousMask)
        defer {
            var none = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &none) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        }
        if input.isEmpty { Pipes.close(&pipes.stdinWrite) }
        var run = Supervision(pid: pid, deadline: monotonicSeconds() + Double(max(0, timeoutSeconds)), grace: grace)
        while true {
            waitForPipes(pipes)
            run.feed(input, pipes: &pipes)
            drain(&pipes.stdoutRead, into: &run.output)
            drain(&pipes.stderrRead, into: &run.errorOutput)
            run.reap()
            let now = monotonicSeconds()
            run.signal(now: now, control: control)
            if run.isDone(now: now, outputsClosed: pipes.stdoutRead < 0 && pipes.stderrRead < 0) { break }
        }
        return Outcome(
            status: run.status ?? 128 + SIGKILL, output: run.output.text, errorOutput: run.errorOutput.text,
            ending: run.ending, pid: pid)
    }

    /// Waits up to 100 ms for a pipe to be ready (50 ms when every pipe is closed).
    static func waitForPipes(_ pipes: Pipes) {
        var watched: [pollfd] = []
        for (fd, events) in [(pipes.stdinWrite, POLLOUT), (pipes.stdoutRead, POLLIN), (pipes.stderrRead, POLLIN)]
        where fd >= 0 {
            watched.append(pollfd(fd: fd, events: Int16(events), revents: 0))
        }
        if watched.isEmpty {
            usleep(50_000)
        } else {
            _ = poll(&watched, nfds_t(watched.count), 100)
        }
    }

    /// The state of one supervised run: what was written and read, and when the program exited or was
    /// sent SIGTERM and SIGKILL.
    struct Supervision {
        let pid: pid_t
        let deadline: Double
        let grace: Double
        var written = 0
        var output = Tail()
        var errorOutput = Tail()
        var status: Int32?
        var ending = Ending.exited
        var terminatedAt: Double?
        var killedAt: Double?
        var exitedAt: Double?

        init(pid: pid_t, deadline: Double, grace: Double) {
            self.pid = pid
            self.deadline = deadline
            self.grace = grace
        }

        /// Writes what the standard input takes; closes it when all is written or the program closed it.
        mutating func feed(_ input: [UInt8], pipes: inout Pipes) {
            guard pipes.stdinWrite >= 0 else { return }
            let fd = pipes.stdinWrite
            let n = input[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n > 0 { written += n }
            if written >= input.count || (n < 0 && errno != EAGAIN && errno != EINTR) {
                Pipes.close(&pipes.stdinWrite)  // all written, or the program closed its input
            }
        }

        /// Notes the exit status once the program has exited.
        mutating func reap() {
            guard status == nil else { return }
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
                exitedAt = monotonicSeconds()
            }
        }

        /// SIGTERM to the group on cancellation or timeout; SIGKILL a grace later.
        mutating func signal(now: Double, control: Control) {
            if terminatedAt == nil, status == nil {
                if control.isCancelled {
                    ending = .cancelled
                } else if now >= deadline {
                    ending = .timedOut
                }
                if ending != .exited {
                    _ = kill(-pid, SIGTERM)
                    terminatedAt = now
                }
            } else if killedAt == nil, let terminatedAt, now >= terminatedAt + grace {
                _ = kill(-pid, SIGKILL)
                killedAt = now
            }
        }

        /// Whether supervision is over.
        func isDone(now: Double, outputsClosed: Bool) -> Bool {
            guard let exitedAt else { return false }
            if terminatedAt == nil {
                // Done; or the program exited and something it left behind still holds its outputs: stop
                // reading a grace later (what it left behind is its own business).
                return outputsClosed || now >= exitedAt + grace
            } else if killedAt != nil || groupIsGone(pid) {
                // Being killed: only once the whole group is gone (or has been sent SIGKILL).
                return outputsClosed || now >= max(exitedAt, killedAt ?? 0) + grace
            }
            return false
        }
    }

    /// Whether no process is left in the process group `pgid`.
    static func groupIsGone(_ pgid: pid_t) -> Bool {
        kill(-pgid, 0) != 0 && errno == ESRCH
    }

    /// Reads what is there; closes `fd` at end of file or on an error.
    static func drain(_ fd: inout Int32, into tail: inout Tail) {
        guard fd >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 {
                tail.append(buffer[0..<n])
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                return
            } else {
                Pipes.close(&fd)
                return
            }
        }
    }

    /// The last `keptBytes` of an output.
    struct Tail {
        var bytes: [UInt8] = []

        mutating func append(_ chunk: ArraySlice<UInt8>) {
            bytes.append(contentsOf: chunk)
            if bytes.count > 2 * ExternalCommand.keptBytes {
                bytes.removeFirst(bytes.count - ExternalCommand.keptBytes)
            }
        }

        var text: String { String(decoding: bytes.suffix(ExternalCommand.keptBytes), as: UTF8.self) }
    }
}
