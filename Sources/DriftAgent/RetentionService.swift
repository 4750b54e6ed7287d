import DriftCore
import DriftStore
import Logging
import ServiceLifecycle

/// Keeps each model's raw events for its `retention` (whole UTC days, counted back from today): daily
/// partitions older than every model's retention are dropped whole; a model with a shorter retention than
/// the longest has its older events deleted. Window figures, profiles and labels are kept. Runs at start
/// and then every hour.
public struct RetentionService: Service {
    let environment: AgentEnvironment
    let logger: Logger
    static let day: Int64 = 86_400_000_000

    public init(environment: AgentEnvironment, logger: Logger) {
        self.environment = environment
        self.logger = logger
    }

    public func run() async throws {
        await PeriodicWork.run(every: .seconds(3600), logger: logger, failure: "applying retention failed") {
            try await enforce(now: WallClock.microseconds())
        }
    }

    /// What one pass removed.
    public struct Report: Sendable, Equatable {
        public var droppedPartitions: [String] = []
        public var deletedEvents = 0
    }

    /// One pass at wall time `now` (µs).
    @discardableResult
    public func enforce(now: Int64) async throws -> Report {
        let models = await environment.models.all()
        guard let longest = models.map(\.retentionDays).max() else { return Report() }
        let today = now >= 0 ? now / Self.day : (now - Self.day + 1) / Self.day
        var report = Report()
        report.droppedPartitions = try await environment.pool.withConnection(purpose: "apply retention") {
            try PartitionManager.dropPartitions(before: today - Int64(longest), on: $0)
        }
        for model in models where model.retentionDays < longest {
            let cutoff = (today - Int64(model.retentionDays)) * Self.day
            let name = model.name
            report.deletedEvents += try await environment.pool.withConnection(purpose: "apply retention") {
                connection -> Int in
                guard let id = try ModelStore.find(name: name, on: connection)?.id else { return 0 }
                return try RetentionStore.deleteEvents(modelID: id, before: cutoff, on: connection)
            }
        }
        if !report.droppedPartitions.isEmpty || report.deletedEvents > 0 {
            logger.info(
                "retention applied",
                metadata: [
                    "dropped_partitions": "\(report.droppedPartitions.joined(separator: ","))",
                    "deleted_events": "\(report.deletedEvents)",
                ])
        }
        return report
    }
}
