import DriftCore
import Hummingbird
import Logging
import PostgresDriver
import ServiceLifecycle

/// The agent's long-running services, one list for `serve` and `demo`. A `ServiceGroup` starts them in
/// order and shuts them down in reverse: the HTTP server (last) stops accepting and finishes, and
/// commits, the requests in flight first; then the window closer, the retraining worker, the tailer, the
/// CloudEvent sweeper, retention and the webhook sender stop; the database pool (first) closes last.
package struct AgentServices {
    /// How often the periodic services look for work.
    package struct Timing: Sendable {
        /// The window closer's pass interval (`server.window_check_interval`).
        package var windowCheck: Duration
        /// The retraining worker's pass interval.
        package var retrainCheck: Duration = .seconds(2)
        /// The pass interval of the sweeper that stores CloudEvent halves whose partner never came.
        package var cloudEventSweep: Duration = .seconds(30)
        /// Take the leader lock before closing windows (several agents on one database).
        package var electLeader = true

        package init(windowCheck: Duration) { self.windowCheck = windowCheck }

        /// The intervals a configuration sets, the defaults elsewhere.
        package static func configured(_ configuration: DriftwatchConfiguration) -> Timing {
            Timing(windowCheck: .seconds(configuration.server.windowCheckSeconds))
        }
    }

    package let environment: AgentEnvironment
    /// The process environment: webhook secrets and the variables a `command` trainer may be given.
    package let processEnvironment: [String: String]
    package let timing: Timing
    package let logger: Logger

    package init(
        environment: AgentEnvironment, processEnvironment: [String: String], timing: Timing, logger: Logger
    ) {
        self.environment = environment
        self.processEnvironment = processEnvironment
        self.timing = timing
        self.logger = logger
    }

    /// Threads of the blocking executor an agent with `configuration` needs so that no kind of blocking
    /// work waits behind another: one per pooled connection, the window closer's session, the webhook sends
    /// (`alerting.concurrency`), the retraining job (one at a time), the tailer (one file call at a time),
    /// and 4 for the requests' own (large `/predict` batches, reference uploads) and start-up work.
    package static func blockingThreads(_ configuration: DriftwatchConfiguration) -> Int {
        configuration.database.poolSize + 1 + configuration.alerting.concurrency + 1 + 1 + 4
    }

    /// The services in start order, the database pool first, the HTTP application last.
    package var list: [ServiceGroupConfiguration.ServiceConfiguration] {
        let configuration = environment.configuration
        return [
            .init(service: environment.pool),
            .init(
                service: WebhookSender(
                    pool: environment.pool, alerting: configuration.alerting, environment: processEnvironment,
                    logger: logger, metrics: environment.metrics)),
            .init(service: RetentionService(environment: environment, logger: logger)),
            .init(
                service: CloudEventSweeper(environment: environment, interval: timing.cloudEventSweep, logger: logger)),
            .init(service: TailService(environment: environment, logger: logger)),
            .init(
                service: RetrainWorker(
                    environment: environment, interval: timing.retrainCheck, logger: logger,
                    processEnvironment: processEnvironment)),
            .init(
                service: WindowCloser(
                    environment: environment, interval: timing.windowCheck, logger: logger,
                    electLeader: timing.electLeader)),
            .init(service: buildApplication(environment, logger: logger)),
        ]
    }
}
