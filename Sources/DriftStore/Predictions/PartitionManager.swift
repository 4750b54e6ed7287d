import PostgresDriver

/// Creates and drops the daily partitions of `predictions` (UTC days).
package enum PartitionManager {
    /// Creates the partitions for `days` (days since 1970-01-01) that do not exist yet.
    package static func ensurePartitions(days: Set<Int64>, on connection: PostgresConnection) throws {
        for day in days.sorted() {
            try connection.query(
                "SELECT driftwatch_ensure_prediction_partition($1::date)",
                [.string(PostgresTimestamp.dateText(day: day))], purpose: "create prediction partition")
        }
    }

    /// The existing daily partitions as (name, day), oldest first.
    package static func partitions(on connection: PostgresConnection) throws -> [(name: String, day: Int64)] {
        let rows = try connection.query(
            """
            SELECT c.relname, (to_date(substr(c.relname, 13), 'YYYYMMDD') - date '1970-01-01')
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'predictions'::regclass AND c.relname ~ '^predictions_[0-9]{8}$'
            ORDER BY 2
            """, purpose: "list prediction partitions")
        return rows.rows.compactMap { row in
            guard let name = row[0], let day = row[1].flatMap({ Int64($0) }) else { return nil }
            return (name, day)
        }
    }

    /// Drops every partition whose whole day is before `keepFromDay`; returns the dropped names.
    @discardableResult
    package static func dropPartitions(before keepFromDay: Int64, on connection: PostgresConnection) throws -> [String]
    {
        var dropped: [String] = []
        for (name, day) in try partitions(on: connection) where day < keepFromDay {
            // The name comes from pg_class and matched ^predictions_[0-9]{8}$ above; quote it anyway.
            try connection.execute(script: "DROP TABLE IF EXISTS \"\(name)\"", purpose: "drop prediction partition")
            dropped.append(name)
        }
        return dropped
    }
}
