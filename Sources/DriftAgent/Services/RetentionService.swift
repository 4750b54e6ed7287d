import DriftCore
import DriftStore
import DriftSystem
import Logging
import ServiceLifecycle

/// Keeps each model's raw data for its `retention` (whole UTC days, counted back from today): daily
/// partitions older than every model's retention are dropped whole; a model with a shorter retention than
/// the longest has its older events deleted; labels and CloudEvent halves older than the model's retention
/// are deleted. Every pass first reads the registered models from the database, so a model registered
/// through the API (on any agent) keeps its own retention. Window figures and profiles are kept. Runs at
/// start and then every hour, on every agent (each pass is idempotent).
package struct RetentionService: Service {
    let environment: AgentEnvironment
    let logger: Logger
    static let day: Int64 = 86_400_000_000

    package init(environment: AgentEnvironment, logger: Logger) {
        self.environment = environment
        self.logger = logger
    }

    package func run() async throws {
        await PeriodicWork.run(every: .seconds(3600), logger: logger, failure: "applying retention failed") {
            try await enforce(now: WallClock.microseconds())
        }
    }

    /// What one pass removed.
    package struct Report: Sendable, Equatable {
        package var droppedPartitions: [String] = []
        package var deletedEvents = 0
        package var deletedLabels = 0
        package var deletedCloudEventHalves = 0
    }

    /// One pass at wall time `now` (µs).
    @discardableResult
    package func enforce(now: Int64) async throws -> Report {
        for problem in try await environment.models.refresh(pool: environment.pool) {
            logger.warning("a registered model's stored settings cannot be read", metadata: ["problem": "\(problem)"])
        }
        let models = await environment.models.all()
        guard let longest = models.map(\.retentionDays).max() else { return Report() }
        let today = now >= 0 ? now / Self.day : (now - Self.day + 1) / Self.day
        let cutoff = { @Sendable (days: Int) -> Int64 in EventAdmission.startOfDay(today, minusDays: days) }
        var report = Report()
        report.droppedPartitions = try await environment.pool.withConnection(purpose: "apply retention") {
            try PartitionManager.dropPartitions(before: cutoff(longest) / Self.day, on: $0)
        }
        environment.partitions.forget(before: cutoff(longest) / Self.day)
        for model in models {
            let cutoff = cutoff(model.retentionDays)
            let name = model.name
            let shorter = model.retentionDays < longest
            let deleted = try await environment.pool.withConnection(purpose: "apply retention") {
                connection -> (events: Int, labels: Int, halves: Int) in
                guard let id = try ModelStore.find(name: name, on: connection)?.id else { return (0, 0, 0) }
                return (
                    shorter ? try RetentionStore.delete(.events, modelID: id, before: cutoff, on: connection) : 0,
                    try RetentionStore.delete(.labels, modelID: id, before: cutoff, on: connection),
                    try RetentionStore.delete(.cloudEventHalves, modelID: id, before: cutoff, on: connection)
                )
            }
            report.deletedEvents += deleted.events
            report.deletedLabels += deleted.labels
            report.deletedCloudEventHalves += deleted.halves
        }
        if report != Report() {
            logger.info(
                "retention applied",
                metadata: [
                    "dropped_partitions": "\(report.droppedPartitions.joined(separator: ","))",
                    "deleted_events": "\(report.deletedEvents)", "deleted_labels": "\(report.deletedLabels)",
                    "deleted_cloudevent_halves": "\(report.deletedCloudEventHalves)",
                ])
        }
        return report
    }
}
