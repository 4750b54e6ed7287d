import DriftCore
import DriftTables
import PostgresDriver

/// Reads stored prediction events back in batches through a server-side cursor, so a window of any size is
/// profiled in bounded memory (blocking calls: run them inside `PostgresPool.withConnection`).
package enum PredictionScan {
    /// The values of one stored event that profiles need.
    package struct Row: Sendable {
        package var eventTime: Int64
        package var numeric: [Double?]
        package var categorical: [String?]
        package var prediction: String?
        package var score: Double?
        package var latencyMilliseconds: Double?
    }

    /// Which events to read.
    package enum Selection: Sendable {
        /// Event time in [from, to).
        case timeRange(from: Int64, to: Int64)
        /// The first `count` events by (event time, id).
        case first(Int)
    }

    static let batch = 5000

    /// Calls `body` with every selected event of `modelID`, in batches (ordered by event time for
    /// `.first`), all from one REPEATABLE READ snapshot; `onSnapshot` runs once that snapshot is taken.
    package static func forEach(
        modelID: Int64, _ selection: Selection, on connection: PostgresConnection, onSnapshot: () throws -> Void = {},
        _ body: ([Row]) throws -> Void
    ) throws {
        let purpose = "scan predictions"
        let select = """
            SELECT (extract(epoch FROM event_time) * 1000000)::int8, array_to_json(numeric_features)::text,
                   array_to_json(category_features)::text, prediction, score, latency_ms
            FROM predictions WHERE model_id = $1
            """
        let sql: String
        var parameters: [PostgresParameter] = [.int(Int(modelID))]
        switch selection {
        case .timeRange(let from, let to):
            sql = select + " AND event_time >= $2::timestamptz AND event_time < $3::timestamptz"
            parameters += [
                .string(PostgresTimestamp.text(microseconds: from)), .string(PostgresTimestamp.text(microseconds: to)),
            ]
        case .first(let count):
            sql = select + " ORDER BY event_time, prediction_id LIMIT $2"
            parameters.append(.int(count))
        }
        try connection.forEachBatch(
            of: sql, parameters, batch: batch, repeatableRead: true, purpose: purpose, onSnapshot: onSnapshot
        ) { rows in
            var out: [Row] = []
            out.reserveCapacity(rows.count)
            for r in 0..<rows.count {
                out.append(
                    Row(
                        eventTime: try rows.value(r, 0, purpose: purpose) ?? 0,
                        numeric: try numbers(rows.value(r, 1, as: String.self, purpose: purpose), purpose),
                        categorical: try strings(rows.value(r, 2, as: String.self, purpose: purpose), purpose),
                        prediction: try rows.value(r, 3, purpose: purpose),
                        score: try rows.value(r, 4, purpose: purpose),
                        latencyMilliseconds: try rows.value(r, 5, purpose: purpose)))
            }
            try body(out)
        }
    }

    /// A float8[] read as JSON (exact: PostgreSQL prints the shortest round-tripping digits).
    static func numbers(_ text: String?, _ purpose: String) throws -> [Double?] {
        guard let text, case .array(let items) = try parse(text, purpose) else { return [] }
        return items.map { item in
            switch item {
            case .number(let v): return v
            case .string("NaN"): return .nan
            case .string("Infinity"): return .infinity
            case .string("-Infinity"): return -.infinity
            default: return nil
            }
        }
    }

    static func strings(_ text: String?, _ purpose: String) throws -> [String?] {
        guard let text, case .array(let items) = try parse(text, purpose) else { return [] }
        return items.map { item in
            if case .string(let s) = item { return s }
            return nil
        }
    }

    static func parse(_ text: String, _ purpose: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            throw PostgresError(.decoding, purpose: purpose, message: "unreadable array: \(error)")
        }
    }
}
