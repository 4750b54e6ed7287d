import DriftCore
import DriftStore
import DriftSystem
import DriftTables
import Logging
import PostgresDriver

/// Makes each model's `reference: {file: …}` its current reference at start: the file is read and
/// profiled (on the blocking executor) only when it differs (by name and SHA-256) from the stored current
/// reference.
package enum ConfiguredReferences {
    package static func apply(_ configuration: DriftwatchConfiguration, pool: PostgresPool, logger: Logger) async throws
    {
        for model in configuration.models {
            guard case .file(let path) = model.reference else { continue }
            let schema = ProfileSchema(model: model)
            let bins = model.drift.bins
            let (source, profile) = try await BlockingExecutor.shared.run {
                try FileBytes.withContents(path) { bytes -> (String, ReferenceProfile) in
                    let source = ReferenceStore.fileSource(path: path, bytes: bytes)
                    let options = ReferenceProfile.readOptions(schema: schema)
                    let table =
                        TableLoader.isNDJSON(path)
                        ? try NDJSONReader.read(bytes: Array(bytes), source: path, options: options)
                        : try CSVReader.read(bytes, source: path, options: options)
                    return (source, try ReferenceProfile(table: table, schema: schema, bins: bins))
                }
            }
            let stored = profile
            // Several agents may start at once with this file: the first stores it, the others find it current.
            let changed = try await pool.withRaceRetry(purpose: "store configured reference") { connection in
                let id =
                    try ModelStore.find(name: model.name, on: connection)?.id
                    ?? ModelStore.register(name: model.name, task: model.task.rawValue, on: connection).id
                return try ReferenceStore.saveUnlessCurrent(stored, source: source, modelID: id, on: connection)
            }
            if changed {
                logger.info(
                    "reference set from file",
                    metadata: ["model": "\(model.name)", "file": "\(path)", "rows": "\(stored.rowCount)"])
            }
        }
    }
}
