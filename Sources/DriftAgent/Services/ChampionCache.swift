import DriftStore
import DriftTrainer
import PostgresDriver

/// The champion model of each model, decoded once and kept while it is the champion: a request looks up
/// the champion's version number (cheap) at most once a second per model, and decodes the artifact only
/// when the version changed (promoted here or by another agent).
package actor ChampionCache {
    struct Entry {
        let version: Int?
        let model: TrainedModel?
        let checked: ContinuousClock.Instant
    }

    var entries: [Int64: Entry] = [:]
    static let recheck: Duration = .seconds(1)

    package init() {}

    /// The champion of `modelID` and its version, or nil when it has none or it is not a built-in model.
    func champion(modelID: Int64, pool: PostgresPool) async throws -> (version: Int, model: TrainedModel)? {
        let now = ContinuousClock.now
        if let e = entries[modelID], now - e.checked < Self.recheck {
            return e.version.flatMap { v in e.model.map { (v, $0) } }
        }
        let version = try await pool.withConnection(purpose: "read champion version") {
            try ModelVersionStore.championVersion(modelID: modelID, on: $0)
        }
        if let e = entries[modelID], e.version == version {
            entries[modelID] = Entry(version: version, model: e.model, checked: now)
            return version.flatMap { v in e.model.map { (v, $0) } }
        }
        var model: TrainedModel?
        if version != nil {
            let stored = try await pool.withConnection(purpose: "read champion") {
                try ModelVersionStore.champion(modelID: modelID, on: $0)
            }
            if let artifact = stored?.artifactJSON {
                // A stored artifact this build cannot read serves nothing (409 no_champion); the reason is
                // in the version's own endpoint when fetched and decoded by a client.
                model = try? TrainedModel.decode(artifact: Array(artifact.utf8))
            }
        }
        entries[modelID] = Entry(version: version, model: model, checked: now)
        return version.flatMap { v in model.map { (v, $0) } }
    }

    /// Forgets a model's champion (after a promotion here).
    func invalidate(modelID: Int64) { entries[modelID] = nil }
}
