import DriftCore
import DriftStore
import PostgresDriver

/// What one ingest request (or one tailer pass) admits of its events' times: within the model's
/// `EventAdmission` bounds, and on at most `server.max_new_partitions_per_request` days whose partition
/// does not exist yet (the rest are refused per line, saying why).
struct IngestAdmission {
    let bounds: EventAdmission
    let directory: PartitionDirectory
    let environment: AgentEnvironment
    let budget: Int
    var newDays: Set<Int64> = []
    /// Days this request found with a partition (asked of the shared directory once each).
    var knownDays: Set<Int64> = []
    var refreshed = false

    init(_ environment: AgentEnvironment, model: ModelConfiguration, now: Int64? = nil) {
        let now = now ?? environment.clock()
        self.environment = environment
        directory = environment.partitions
        budget = environment.configuration.server.maxNewPartitionsPerRequest
        bounds = EventAdmission(
            now: now, maxFutureSkewSeconds: environment.configuration.server.maxFutureSkewSeconds,
            retentionDays: model.retentionDays)
    }

    /// Why a prediction dated `time` (µs) is refused, or nil.
    mutating func problem(eventTime time: Int64) async -> EventProblem? {
        if let problem = bounds.problem(eventTime: time) { return problem }
        let day = PostgresTimestamp.day(microseconds: time)
        if knownDays.contains(day) || newDays.contains(day) { return nil }
        if !directory.contains(day), !refreshed {
            refreshed = true
            await directory.refresh(pool: environment.pool)
        }
        if directory.contains(day) {
            knownDays.insert(day)
            return nil
        }
        guard newDays.count < budget else {
            return EventProblem(
                .tooManyPartitions, field: "timestamp",
                "this request already creates \(budget) new daily partitions (server.max_new_partitions_per_request); send events of other days in another request"
            )
        }
        newDays.insert(day)
        return nil
    }

    /// Why a label dated `time` (µs) is refused, or nil (labels create no partitions).
    func problem(labelTime time: Int64) -> EventProblem? { bounds.problem(eventTime: time) }
}
