import DriftCore
import PostgresDriver

/// Builds profiles from stored events: a window's `WindowProfile`, or a `ReferenceProfile` of logged
/// traffic. Streams the rows (`PredictionScan`), so memory is bounded by the profile, not by the window
/// (blocking calls: run them inside `PostgresPool.withConnection`).
package enum ProfileReader {
    /// The profile of the events of `modelID` with event time in [from, to), read in one snapshot;
    /// `onSnapshot` is called once the snapshot is taken (before the rows are read).
    package static func window(
        modelID: Int64, from: Int64, to: Int64, schema: ProfileSchema, grids: ProfileGrids,
        on connection: PostgresConnection, onSnapshot: () throws -> Void = {}
    ) throws -> WindowProfile {
        var profile = WindowProfile(schema: schema)
        try PredictionScan.forEach(
            modelID: modelID, .timeRange(from: from, to: to), on: connection, onSnapshot: onSnapshot
        ) { rows in
            for row in rows {
                profile.add(
                    numeric: row.numeric, categorical: row.categorical, predictedClass: predictedClass(row, schema),
                    predictedValue: predictedValue(row, schema), latencyMilliseconds: row.latencyMilliseconds,
                    grids: grids)
            }
        }
        return profile
    }

    /// The reference profile of the selected events of `modelID`.
    package static func reference(
        modelID: Int64, _ selection: PredictionScan.Selection, schema: ProfileSchema, bins: Int,
        on connection: PostgresConnection
    ) throws -> ReferenceProfile {
        var builder = ReferenceBuilder(schema: schema, bins: bins)
        try PredictionScan.forEach(modelID: modelID, selection, on: connection) { rows in
            for row in rows {
                builder.add(
                    numeric: row.numeric, categorical: row.categorical, predictedClass: predictedClass(row, schema),
                    predictedValue: predictedValue(row, schema))
            }
        }
        return builder.build()
    }

    static func predictedClass(_ row: PredictionScan.Row, _ schema: ProfileSchema) -> String? {
        schema.predictedClassColumn == nil ? nil : row.prediction
    }

    static func predictedValue(_ row: PredictionScan.Row, _ schema: ProfileSchema) -> Double? {
        switch schema.task {
        case .binary: return row.score
        case .regression: return row.prediction.flatMap { Double($0) }
        case .multiclass: return nil
        }
    }
}
