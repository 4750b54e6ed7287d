import DriftCore
import DriftStore
import DriftWire
import Logging
import PostgresDriver
import ServiceLifecycle

/// Finishes CloudEvent pairs that `POST /v1/cloudevents` could not: a half whose partner has not come
/// within the model's `cloudevents.pair_timeout` is stored alone (a request as a prediction without
/// outputs, a response as one without features), and a pair an agent began storing but did not finish
/// (it stopped in between) is stored again — idempotently, so nothing is stored twice. Stored pairs stay as
/// tombstones for a day so retried halves are answered as duplicates. Runs every `interval`.
package struct CloudEventSweeper: Service {
    let environment: AgentEnvironment
    let interval: Duration
    let logger: Logger
    /// A joining/sweeping claim older than this was left by an agent that stopped.
    static let staleClaimSeconds = 60
    /// How long stored pairs are remembered for duplicate detection.
    static let tombstoneSeconds = 86_400
    static let batch = 500

    package init(environment: AgentEnvironment, interval: Duration, logger: Logger) {
        self.environment = environment
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await PeriodicWork.run(every: interval, logger: logger, failure: "sweeping CloudEvent halves failed") {
            try await sweep()
        }
    }

    /// What one pass did.
    package struct Report: Sendable, Equatable {
        /// Events stored from pairs completed or halves stored alone.
        package var events = 0
        /// Halves stored without their partner.
        package var alone = 0
        /// Kept halves that no longer decode (e.g. the model's features changed), dropped and logged.
        package var discarded = 0

        package init(events: Int = 0, alone: Int = 0, discarded: Int = 0) {
            self.events = events
            self.alone = alone
            self.discarded = discarded
        }
    }

    /// One pass. `pairTimeoutSeconds` overrides every model's timeout (tests).
    @discardableResult
    package func sweep(pairTimeoutSeconds: Int? = nil) async throws -> Report {
        var report = Report()
        for model in await environment.models.all() {
            let name = model.name
            guard
                let modelID = try await environment.pool.withConnection(
                    purpose: "sweep CloudEvent halves", { try ModelStore.find(name: name, on: $0)?.id })
            else { continue }
            let timeout = pairTimeoutSeconds ?? model.cloudEvents.pairTimeoutSeconds
            while true {
                let pass = try await sweep(model, modelID: modelID, timeout: timeout)
                report.events += pass.events
                report.alone += pass.alone
                report.discarded += pass.discarded
                if pass.claimed < Self.batch { break }
            }
        }
        _ = try await environment.pool.withConnection(purpose: "drop stored CloudEvent halves") {
            try CloudEventHalfStore.purgeStored(olderThanSeconds: Self.tombstoneSeconds, on: $0)
        }
        return report
    }

    struct Pass: Sendable {
        var claimed = 0
        var events = 0
        var alone = 0
        var discarded = 0
    }

    func sweep(_ model: ModelConfiguration, modelID: Int64, timeout: Int) async throws -> Pass {
        // Claim (in one transaction), then store, then mark stored: a crash in between leaves claims the next
        // pass takes over, and storing again is a no-op.
        let (pass, events, eventIDs) = try await environment.pool.withConnection(purpose: "sweep CloudEvent halves") {
            connection in
            try connection.transaction(purpose: "sweep CloudEvent halves") {
                try claim(model, modelID: modelID, timeout: timeout, on: connection)
            }
        }
        guard !eventIDs.isEmpty else { return pass }
        if events.isEmpty {
            try await environment.pool.withConnection(purpose: "mark CloudEvent pairs stored") {
                try CloudEventHalfStore.markStored(modelID: modelID, eventIDs: eventIDs, on: $0)
            }
        } else {
            _ = try await CloudEventPairs.store(
                events, eventIDs: eventIDs, model: model.name, modelID: modelID, environment)
        }
        environment.metrics.countCloudEvent(type: "sweep", outcome: "swept", pass.alone)
        environment.metrics.countCloudEvent(type: "sweep", outcome: "discarded", pass.discarded)
        if pass.claimed > 0 {
            logger.info(
                "CloudEvent halves swept",
                metadata: [
                    "model": "\(model.name)", "pairs": "\(pass.claimed)", "alone": "\(pass.alone)",
                    "events": "\(pass.events)", "discarded": "\(pass.discarded)",
                ])
        }
        return pass
    }

    /// Claims the model's halves waiting longer than `timeout` (and stale claims), and pairs what each
    /// event id has kept — a half alone is stored alone; a half that no longer decodes is dropped and logged.
    /// Returns the pass's counts, the events to store and the event ids claimed.
    func claim(
        _ model: ModelConfiguration, modelID: Int64, timeout: Int, on connection: PostgresConnection
    ) throws -> (Pass, [PredictionEvent], [String]) {
        let decoder = InferencePayloadDecoder(model: model)
        let halves = try CloudEventHalfStore.claimWaiting(
            modelID: modelID, timeoutSeconds: timeout, staleClaimSeconds: Self.staleClaimSeconds,
            limit: Self.batch, on: connection)
        var pass = Pass()
        var events: [PredictionEvent] = []
        var ids: [String] = []
        let groups = Dictionary(grouping: halves, by: \.eventID)
        pass.claimed = groups.count
        for id in groups.keys.sorted() {
            let group = groups[id] ?? []
            let alone = group.count == 1
            try CloudEventHalfStore.claim(
                modelID: modelID, eventID: id, state: alone ? "sweeping" : "joining", on: connection)
            ids.append(id)
            switch CloudEventPairs.pair(group.first, group.dropFirst().first, decoder: decoder) {
            case .success(let e):
                events += e
                if alone { pass.alone += 1 }
            case .failure(let problem):
                pass.discarded += 1
                logger.error(
                    "a kept CloudEvent half no longer decodes; dropped",
                    metadata: [
                        "model": "\(model.name)", "event_id": "\(id.prefix(100))",
                        "field": "\(problem.field ?? "")", "problem": "\(problem.message)",
                    ])
            }
        }
        pass.events = events.count
        return (pass, events, ids)
    }
}
