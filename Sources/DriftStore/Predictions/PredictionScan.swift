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
    /// `.first`), all from one snapshot, streamed by a binary `COPY … TO STDOUT` (no text to parse: every
    /// float8 arrives as its 8 bytes); `onSnapshot` runs once that snapshot is taken.
    package static func forEach(
        modelID: Int64, _ selection: Selection, on connection: PostgresConnection, onSnapshot: () throws -> Void = {},
        _ body: ([Row]) throws -> Void
    ) throws {
        let purpose = "scan predictions"
        var out: [Row] = []
        out.reserveCapacity(batch)
        _ = try connection.copyOutBinary(copy(modelID: modelID, selection), purpose: purpose, onStart: onSnapshot) {
            row in
            out.append(
                Row(
                    eventTime: try row.timestamp() ?? 0, numeric: try row.doubles(), categorical: try row.texts(),
                    prediction: try row.text(), score: try row.double(), latencyMilliseconds: try row.double()))
            if out.count >= batch {
                try body(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try body(out) }
    }

    /// The COPY statement of a selection. COPY takes no parameters: the values are the model's id and
    /// timestamps this code formats itself.
    static func copy(modelID: Int64, _ selection: Selection) -> String {
        let select = """
            SELECT event_time, numeric_features, category_features, prediction, score, latency_ms
            FROM predictions WHERE model_id = \(modelID)
            """
        let query: String
        switch selection {
        case .timeRange(let from, let to):
            query =
                select + " AND event_time >= '\(PostgresTimestamp.text(microseconds: from))'::timestamptz"
                + " AND event_time < '\(PostgresTimestamp.text(microseconds: to))'::timestamptz"
        case .first(let count):
            query = select + " ORDER BY event_time, prediction_id LIMIT \(max(0, count))"
        }
        return "COPY (\(query)) TO STDOUT (FORMAT binary)"
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
