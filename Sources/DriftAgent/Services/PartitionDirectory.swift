import DriftStore
import PostgresDriver
import Synchronization

/// The days whose `predictions` partition this agent knows to exist: read from the database when a day
/// is not known yet, added as batches are stored, dropped with retention. It lets an ingest request count
/// the partitions it would create (`server.max_new_partitions_per_request`).
package final class PartitionDirectory: Sendable {
    let days = Mutex(Set<Int64>())

    package init() {}

    /// Whether day `day` (days since 1970-01-01) has a partition, as far as this agent knows.
    func contains(_ day: Int64) -> Bool { days.withLock { $0.contains(day) } }

    /// Records days that have partitions now.
    func insert<S: Sequence<Int64>>(_ new: S) { days.withLock { $0.formUnion(new) } }

    /// Forgets days before `day` (their partitions were dropped).
    func forget(before day: Int64) { days.withLock { $0 = $0.filter { $0 >= day } } }

    /// Reads the existing partitions from the database; a failure leaves what is known as it is.
    func refresh(pool: PostgresPool) async {
        guard
            let stored = try? await pool.withConnection(
                purpose: "list prediction partitions", { try PartitionManager.partitions(on: $0) })
        else { return }
        insert(stored.map(\.day))
    }
}
