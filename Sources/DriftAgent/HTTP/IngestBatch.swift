import DriftCore
import PostgresDriver

/// A request's good records with their line numbers, stored in batches of `size` (one transaction each,
/// through `store`, which returns the batch's duplicates and late events). When the database refuses a
/// batch's data, each record is stored alone and those it refuses are rejected with their line: the good
/// lines of the request are kept.
///
/// One batch is stored while the next is decoded: a full batch is handed to a task, and the following one
/// waits for it before it is handed over, so at most one batch per request is in flight and batches commit
/// in order. `finish` waits for the last; its outcome is in the tally only then.
struct IngestBatch<Record: Sendable> {
    typealias Store = @Sendable ([Record]) async throws -> (duplicates: Int, late: Int)

    let size: Int
    private let store: Store
    private var records: [Record] = []
    private var lines: [Int] = []
    private var inFlight: Task<Outcome, any Error>?

    /// What storing one batch gave.
    struct Outcome: Sendable {
        var accepted = 0
        var duplicates = 0
        var late = 0
        var refused: [(line: Int, problem: EventProblem)] = []
    }

    init(size: Int, store: @escaping Store) {
        self.size = size
        self.store = store
    }

    /// Adds `record` (from `line`), handing the batch over once it is full.
    mutating func append(_ record: Record, line: Int, tally: inout IngestTally) async throws {
        records.append(record)
        lines.append(line)
        if records.count >= size { try await handOver(into: &tally) }
    }

    /// Stores what is collected and waits until every batch is stored.
    mutating func flush(into tally: inout IngestTally) async throws {
        try await handOver(into: &tally)
        try await settle(into: &tally)
    }

    /// Waits for the batch in flight, then starts storing the collected records.
    private mutating func handOver(into tally: inout IngestTally) async throws {
        try await settle(into: &tally)
        guard !records.isEmpty else { return }
        let (batch, numbers, store) = (records, lines, store)
        records = []
        lines = []
        records.reserveCapacity(size)
        lines.reserveCapacity(size)
        inFlight = Task { try await Self.store(batch, lines: numbers, with: store) }
    }

    /// Waits for the batch in flight, if any, and counts its outcome.
    private mutating func settle(into tally: inout IngestTally) async throws {
        guard let task = inFlight else { return }
        inFlight = nil
        let outcome = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
        tally.accepted += outcome.accepted
        tally.duplicates += outcome.duplicates
        tally.late += outcome.late
        for (line, problem) in outcome.refused { tally.reject(line, problem) }
    }

    /// Stores `batch` in one transaction, or record by record when the database refuses its data.
    private static func store(_ batch: [Record], lines: [Int], with store: Store) async throws -> Outcome {
        var outcome = Outcome()
        do {
            let (duplicates, late) = try await store(batch)
            outcome.accepted = batch.count
            outcome.duplicates = duplicates
            outcome.late = late
        } catch let error as PostgresError where error.refusesData {
            for (record, line) in zip(batch, lines) {
                do {
                    let (duplicates, late) = try await store([record])
                    outcome.accepted += 1
                    outcome.duplicates += duplicates
                    outcome.late += late
                } catch let error as PostgresError where error.refusesData {
                    outcome.refused.append((line, .refused(by: error)))
                }
            }
        }
        return outcome
    }
}
