import DriftCore
import Logging
import ServiceLifecycle

/// Follows the log files named by the models' `tail` settings (see `LogTailer`): every `interval` each
/// source is read up to its files' ends and what was complete is stored exactly once. A failing pass (the
/// database away, a file unreadable) is logged when its error changes and retried on the next one; the
/// service never stops for it. With no `tail` settings it only waits for shutdown.
package struct TailService: Service {
    let environment: AgentEnvironment
    let logger: Logger
    let interval: Duration
    let graceIdlePasses: Int

    /// - Parameters:
    ///   - interval: the pause between passes.
    ///   - graceIdlePasses: passes a file the glob no longer matches (rotated away) stays followed once it
    ///     has nothing new, so a writer still holding it can finish its last line.
    package init(
        environment: AgentEnvironment, logger: Logger, interval: Duration = .milliseconds(250),
        graceIdlePasses: Int = 8
    ) {
        self.environment = environment
        self.logger = logger
        self.interval = interval
        self.graceIdlePasses = graceIdlePasses
    }

    package func run() async throws {
        let tailers = environment.configuration.models.flatMap { model in
            model.tail.map {
                LogTailer(
                    model: model.name, source: $0, environment: environment, logger: logger,
                    graceIdlePasses: graceIdlePasses)
            }
        }
        guard !tailers.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        do {
            try await cancelWhenGracefulShutdown {
                var lastError: [String?] = Array(repeating: nil, count: tailers.count)
                while !Task.isCancelled {
                    for (i, tailer) in tailers.enumerated() {
                        do {
                            try await tailer.pass()
                            if lastError[i] != nil {
                                logger.info("following log files again", metadata: ["model": "\(tailer.model)"])
                                lastError[i] = nil
                            }
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            let text = "\(error)"
                            if text != lastError[i] {
                                logger.error(
                                    "following log files failed; retrying",
                                    metadata: [
                                        "model": "\(tailer.model)", "path": "\(tailer.source.path)", "error": "\(text)",
                                    ])
                                lastError[i] = text
                            }
                        }
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
