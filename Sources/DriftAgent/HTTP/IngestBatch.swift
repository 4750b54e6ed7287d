import DriftCore
import PostgresDriver

/// A request's good records with their line numbers, stored in batches of `size` (one transaction each,
/// through `store`, which returns the batch's duplicates and late events). When the database refuses a
/// batch's data, each record is stored alone and those it refuses are rejected with their line: the good
/// lines of the request are kept.
struct IngestBatch<Record: Sendable> {
    typealias Store = ([Record]) async throws -> (duplicates: Int, late: Int)

    let size: Int
    private let store: Store
    private var records: [Record] = []
    private var lines: [Int] = []

    init(size: Int, store: @escaping Store) {
        self.size = size
        self.store = store
    }

    /// Adds `record` (from `line`), storing the batch once it is full.
    mutating func append(_ record: Record, line: Int, tally: inout IngestTally) async throws {
        records.append(record)
        lines.append(line)
        if records.count >= size { try await flush(into: &tally) }
    }

    /// Stores what is collected.
    mutating func flush(into tally: inout IngestTally) async throws {
        guard !records.isEmpty else { return }
        let (batch, numbers) = (records, lines)
        records.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        do {
            let (duplicates, late) = try await store(batch)
            tally.accepted += batch.count
            tally.duplicates += duplicates
            tally.late += late
        } catch let error as PostgresError where error.refusesData {
            for (record, line) in zip(batch, numbers) {
                do {
                    let (duplicates, late) = try await store([record])
                    tally.accepted += 1
                    tally.duplicates += duplicates
                    tally.late += late
                } catch let error as PostgresError where error.refusesData {
                    tally.reject(line, .refused(by: error))
                }
            }
        }
    }
}
