import NIOPosix
import Synchronization

/// Where blocking work runs, never on Swift's cooperative pool: libpq calls, libcurl sends, training,
/// file reads, child processes, the embedded cluster's start and stop. A fixed set of threads (NIOPosix's
/// `NIOThreadPool`) takes the work in FIFO order; work beyond the threads waits for one.
///
/// Cancellation is `NIOThreadPool`'s: work whose task is cancelled before a thread takes it is not run
/// and throws `CancellationError`; work already running runs to its end.
package final class BlockingExecutor: Sendable {
    /// Threads of `shared` when `configureShared` was not called before its first use.
    package static let defaultThreads = 64

    private static let sharedThreads = Mutex<(threads: Int, used: Bool)>((defaultThreads, false))

    /// The process's executor, with `defaultThreads` threads or those `configureShared` asked for; started
    /// on first use and never stopped.
    package static let shared = BlockingExecutor(
        threads: sharedThreads.withLock { state in
            state.used = true
            return state.threads
        })

    /// Sets the number of threads of `shared` (at least 1); false, and nothing changes, once it is in use.
    @discardableResult
    package static func configureShared(threads: Int) -> Bool {
        sharedThreads.withLock { state in
            guard !state.used else { return false }
            state.threads = max(1, threads)
            return true
        }
    }

    /// The number of threads.
    package let threads: Int
    let pool: NIOThreadPool

    /// An executor of its own with `threads` threads (at least 1), started now; stopped by `shutdown()` or
    /// when it is released.
    package init(threads: Int) {
        self.threads = max(1, threads)
        pool = NIOThreadPool(numberOfThreads: self.threads)
        pool.start()
    }

    deinit { pool.shutdownGracefully { _ in } }

    /// Runs `body` on one of the threads and returns its result (or its error). Not run, and
    /// `CancellationError` thrown, when the calling task is cancelled before a thread takes it.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// `run` for work that must happen even in a cancelled task (closing a session, rolling back, stopping
    /// the embedded cluster): it waits for a thread whatever the task's state.
    package func runEvenIfCancelled<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pool.submit { state in
                switch state {
                case .active: continuation.resume(with: Result(catching: body))
                case .cancelled: continuation.resume(throwing: CancellationError())  // the executor was shut down
                }
            }
        }
    }

    /// Stops the threads: work running now ends first, work still waiting and later work throw
    /// `CancellationError`.
    package func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
