import Logging
import ServiceLifecycle

/// The loop every periodic background service of the agent runs: `pass` now and then every `interval`
/// until graceful shutdown (or cancellation), a failed pass logged with `failure` and retried at the next.
enum PeriodicWork {
    static func run(
        every interval: Duration, logger: Logger, failure: String, _ pass: @escaping @Sendable () async throws -> Void
    ) async {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        try await pass()
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.error("\(failure)", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch {
            return  // cancelled while sleeping: shutting down
        }
    }
}
