import DriftCore
import DriftStore
import DriftTables
import Logging
import PostgresDriver
import ServiceLifecycle

/// The background service that closes windows (ARCHITECTURE.md: an event's step 5, a label's step 3).
///
/// Every `interval`, for each configured model:
/// 1. a reference taken from logged traffic (`first_events`, `time_range`) is built once enough traffic is
///    stored;
/// 2. windows are closed in event-time order, one after the other without gaps (an empty window is
///    closed too, up to 1,000 in a row). A window [start, end) closes when the newest stored event
///    time passes `end + allowed lateness`, or when the model has received nothing for `allowed lateness`
///    of wall time (so the last window of a finished stream closes too). Count windows close when they
///    hold their N events (and the same lateness has passed). Closing reads the window's stored events into
///    a `WindowProfile` (streamed), computes its figures against the current reference and its realized
///    performance from the labels so far, and stores figures and profile;
/// 3. closed windows whose predictions received labels since the last pass get their realized performance
///    recomputed, so a window's F1 converges as labels arrive;
/// 4. the model's alert rules are judged on each newly closed window (`AlertEngine`).
///
/// Everything is derived from the database, so a restarted agent continues where it stopped, and closing
/// a window again (after a crash between its two writes) gives the same rows.
package struct WindowCloser: Service {
    let environment: AgentEnvironment
    let interval: Duration
    let logger: Logger
    /// How far back label arrival times are re-examined (covers label transactions that were still open
    /// at the previous pass).
    static let labelMarginMicroseconds: Int64 = 60_000_000
    /// Empty windows closed in a row at most; a longer pause in traffic is skipped over.
    static let maxEmptyWindows: Int64 = 1000
    /// Passes that may fail to close a window before it is closed with an error figure.
    static let maxCloseAttempts = 3
    /// Failed attempts at each model's next window.
    let failures = WindowFailures()

    /// Its own database session: the leader lock and the window watermark (`WindowCloserSession`).
    let session: WindowCloserSession

    /// Whether a model that received nothing for its allowed lateness (at least a second, on the wall
    /// clock) has its open window closed before the event-time watermark passes its end.
    let closesIdleModels: Bool

    /// `electLeader`: several agents share the database and only the one holding the leader lock closes
    /// windows (false: this closer always does, e.g. a single agent or a test). `closesIdleModels` false:
    /// windows close on event time only (a test that must not depend on how fast it runs).
    package init(
        environment: AgentEnvironment, interval: Duration, logger: Logger, electLeader: Bool = false,
        closesIdleModels: Bool = true
    ) {
        self.environment = environment
        self.interval = interval
        self.logger = logger
        self.closesIdleModels = closesIdleModels
        session = WindowCloserSession(pool: environment.pool, electLeader: electLeader, logger: logger)
    }

    /// Whether this agent closes windows now (it holds the leader lock, or agents do not elect one).
    package func leads() async -> Bool { await session.lead() }

    /// Gives up leadership at once (closes the session; another agent takes over at its next pass).
    package func resign() async { await session.connection.close() }

    package func run() async throws {
        await PeriodicWork.run(every: interval, logger: logger, failure: "closing windows failed") { await tick() }
        await resign()
    }

    /// A window closed (or recomputed) by a pass.
    package struct ClosedWindow: Sendable, Equatable {
        package let model: String
        package let start: Int64
        package let end: Int64
        package let events: Int
    }

    /// One pass over every configured model; returns the windows it closed. Errors are logged per model
    /// and retried at the next pass.
    @discardableResult
    package func tick() async -> [ClosedWindow] {
        var closed: [ClosedWindow] = []
        guard await session.lead() else {
            // Not (or no longer) the leader: the leader's gauges speak for the models' windows.
            for model in await environment.models.all() {
                environment.metrics.publishWindowDue(model: model.name, false)
            }
            return []
        }
        do {
            for problem in try await environment.models.refresh(pool: environment.pool) {
                logger.error("a registered model's settings are unreadable", metadata: ["problem": "\(problem)"])
            }
        } catch is CancellationError {
            return closed
        } catch {
            logger.error("reading registered models failed", metadata: ["error": "\(error)"])
        }
        for model in await environment.models.all() {
            do {
                closed += try await pass(model)
            } catch is CancellationError {
                return closed  // shutting down: the pass ends where it was
            } catch {
                logger.error("closing windows failed", metadata: ["model": "\(model.name)", "error": "\(error)"])
            }
        }
        return closed
    }

    func pass(_ model: ModelConfiguration) async throws -> [ClosedWindow] {
        let pool = environment.pool
        let name = model.name
        guard
            let modelID = try await pool.withConnection(
                purpose: "find model", { try ModelStore.find(name: name, on: $0)?.id })
        else { return [] }
        try await buildTrafficReference(model, modelID)
        let closed = try await closeDueWindows(model, modelID)
        // Late events, whichever agent stored them, are counted into their closed windows.
        _ = try await environment.pool.withConnection(purpose: "count late events") { connection in
            try connection.transaction(purpose: "count late events") {
                let late = try WindowWatermark.takeLateMarks(modelID: modelID, on: connection)
                guard !late.isEmpty else { return }
                try WindowStore.refreshLateCounts(times: late, modelID: modelID, on: connection)
                try LabelCounts.lock(modelID: modelID, on: connection)
                _ = try LabelCounts.recount(times: late, modelID: modelID, on: connection)
            }
        }
        try await refreshPerformance(model, modelID)
        try await judgeRules(model, modelID, closed: closed)
        return closed
    }

    /// Builds a `first_events` or `time_range` reference once the traffic it needs is stored.
    func buildTrafficReference(_ model: ModelConfiguration, _ modelID: Int64) async throws {
        let source: String
        let selection: PredictionScan.Selection
        switch model.reference {
        case .firstEvents(let n):
            source = "first_events:\(n)"
            selection = .first(n)
        case .timeRange(let from, let to):
            source = "time_range:\(from)/\(to)"
            guard let lo = RFC3339.microseconds(from), let hi = RFC3339.microseconds(to) else { return }
            selection = .timeRange(from: lo, to: hi)
        case .file, .none:
            return
        }
        let lateness = Int64(model.allowedLatenessSeconds) * 1_000_000
        let idle = await isIdle(model)
        let schema = ProfileSchema(model: model)
        let bins = model.drift.bins
        let built = try await environment.pool.withConnection(purpose: "build reference from traffic") {
            connection -> Bool in
            guard try ReferenceStore.currentSource(modelID: modelID, on: connection) != source else { return false }
            switch selection {
            case .first(let n):
                guard try WindowStore.nthEventTime(n, from: nil, modelID: modelID, on: connection) != nil else {
                    return false
                }
            case .timeRange(_, let to):
                let latest = try WindowStore.eventTimes(from: nil, modelID: modelID, on: connection).latest
                guard let latest, latest >= to + lateness || (idle && latest >= to) else { return false }
            }
            let profile = try ProfileReader.reference(
                modelID: modelID, selection, schema: schema, bins: bins, on: connection)
            try ReferenceStore.save(profile, source: source, modelID: modelID, on: connection)
            return true
        }
        if built {
            logger.info("reference built from traffic", metadata: ["model": "\(model.name)", "source": "\(source)"])
        }
    }

    func isIdle(_ model: ModelConfiguration) async -> Bool {
        guard closesIdleModels else { return false }
        // At least a second: with no lateness at all, a model would otherwise count as idle between two requests.
        return await environment.windows.idleTime(model.name) >= .seconds(max(model.allowedLatenessSeconds, 1))
    }

    func closeDueWindows(_ model: ModelConfiguration, _ modelID: Int64) async throws -> [ClosedWindow] {
        var closedEnd = try await environment.pool.withConnection(purpose: "read closed windows") {
            try WindowStore.lastClosed(modelID: modelID, on: $0)?.end
        }
        if let closedEnd { await environment.windows.close(model.name, through: closedEnd) }
        let idle = await isIdle(model)
        let horizon = EventAdmission(
            now: environment.clock(), maxFutureSkewSeconds: environment.configuration.server.maxFutureSkewSeconds,
            retentionDays: model.retentionDays
        ).latest
        var closed: [ClosedWindow] = []
        while true {
            guard let bounds = try await dueWindow(model, modelID, after: closedEnd, through: horizon, idle: idle)
            else {
                environment.metrics.publishWindowDue(model: model.name, false)
                break
            }
            environment.metrics.publishWindowDue(model: model.name, true)
            guard let events = try await closeOrGiveUp(model, modelID, start: bounds.start, end: bounds.end) else {
                break
            }
            closed.append(ClosedWindow(model: model.name, start: bounds.start, end: bounds.end, events: events))
            closedEnd = bounds.end
        }
        return closed
    }

    /// The next window to close after `from` (the last closed window's end), or nil when none is due: its
    /// end plus the allowed lateness is behind the latest event time (up to `horizon`), or the model is idle.
    func dueWindow(
        _ model: ModelConfiguration, _ modelID: Int64, after from: Int64?, through horizon: Int64, idle: Bool
    ) async throws -> (start: Int64, end: Int64)? {
        let lateness = Int64(model.allowedLatenessSeconds) * 1_000_000
        return try await environment.pool.withConnection(purpose: "find due window") { connection in
            let (next, latest) = try WindowStore.eventTimes(
                from: from, through: horizon, modelID: modelID, on: connection)
            guard let next, let latest else { return nil }
            switch model.window {
            case .duration(let seconds):
                // Windows follow each other without gaps (an empty one is closed too, so events arriving
                // late for it are counted there), unless the gap is over `maxEmptyWindows` windows.
                let size = Int64(seconds) * 1_000_000
                var start = Self.floor(next, size)
                if let from, start > from, (start - from) / size <= Self.maxEmptyWindows { start = from }
                guard start + size + lateness <= latest || idle else { return nil }
                return (start, start + size)
            case .events(let n):
                guard
                    let nth = try WindowStore.nthEventTime(
                        n, from: from, through: horizon, modelID: modelID, on: connection),
                    nth + lateness <= latest || idle
                else { return nil }
                // Each count window starts where the previous one ended (the first at its first event).
                return (from ?? next, nth + 1)
            }
        }
    }

    /// Closes [start, end) and returns its event count; nil when its figures could not be computed and it
    /// is tried again at the next pass. A window whose figures cannot be computed (not a database that is
    /// away) is retried a few passes, then closed with an error figure so the model's later windows still close.
    func closeOrGiveUp(_ model: ModelConfiguration, _ modelID: Int64, start: Int64, end: Int64) async throws -> Int? {
        do {
            let events = try await close(model, modelID, start: start, end: end)
            failures.clear(model.name)
            return events
        } catch {
            if let postgres = error as? PostgresError, postgres.isTransient { throw error }
            if error is CancellationError { throw error }
            let attempts = failures.record(model.name, start: start)
            var metadata: Logger.Metadata = [
                "model": "\(model.name)", "start": "\(RFC3339.text(microseconds: start))",
                "attempts": "\(attempts)", "error": "\(error)",
            ]
            guard attempts >= Self.maxCloseAttempts else {
                logger.error("closing a window failed; it is tried again at the next pass", metadata: metadata)
                return nil
            }
            metadata["end"] = "\(RFC3339.text(microseconds: end))"
            logger.error("window closed with an error: its figures cannot be computed", metadata: metadata)
            let events = try await close(model, modelID, start: start, end: end, failed: true)
            failures.clear(model.name)
            return events
        }
    }

    /// Closes the window [start, end): profile, figures, performance; returns its event count. `failed`:
    /// its figures could not be computed, so it is closed with the one figure `window_error` = 1 (and its
    /// event count, so later events in it are still counted late).
    func close(
        _ model: ModelConfiguration, _ modelID: Int64, start: Int64, end: Int64, failed: Bool = false
    ) async throws -> Int {
        let schema = ProfileSchema(model: model)
        let windows = environment.windows
        let name = model.name
        // The hand-over (see `WindowRegistry` and `WindowWatermark`): this agent's batches in flight commit,
        // every agent's batches in flight commit while the watermark moves to the window's end, and ingest
        // resumes once the window's read has its snapshot.
        await windows.beginClose(name, through: end)
        let reference: ReferenceProfile?
        do {
            reference =
                failed
                ? nil
                : try await environment.pool.withConnection(purpose: "read reference") {
                    try ReferenceStore.current(modelID: modelID, on: $0)?.profile
                }
            try await session.advanceWatermark(modelID: modelID, to: end)
        } catch {
            await windows.endClose(name)
            throw error
        }
        let session = self.session
        let usable = reference.flatMap { $0.matches(schema) ? $0 : nil }
        let closing: (figures: [WindowFigure], count: Int)
        do {
            closing = try await environment.pool.withConnection(purpose: "close window") { connection in
                // Ingest resumes once this read has its snapshot (or at once for a failed window).
                let resume: @Sendable () throws -> Void = {
                    try session.commitBlocking()
                    Task { await windows.endClose(name) }
                }
                let window = ClosingWindow(model: model, modelID: modelID, schema: schema, start: start, end: end)
                return failed
                    ? try window.storeFailed(on: connection, resume: resume)
                    : try window.store(reference: usable, on: connection, resume: resume)
            }
        } catch {
            await session.rollback()
            await windows.endClose(name)
            throw error
        }
        await windows.endClose(name)
        let (figures, count) = closing
        environment.metrics.publish(model: model.name, windowEnd: end, figures: figures)
        logger.info(
            "window closed",
            metadata: [
                "model": "\(model.name)", "start": "\(RFC3339.text(microseconds: start))",
                "end": "\(RFC3339.text(microseconds: end))", "events": "\(count)",
            ])
        return count
    }

    /// Runs the model's alert rules on each window closed by this pass, in order — or, when none closed,
    /// on the latest closed window (judging a window again changes nothing; this catches up after a restart).
    func judgeRules(_ model: ModelConfiguration, _ modelID: Int64, closed: [ClosedWindow]) async throws {
        guard !model.rules.isEmpty else { return }
        let engine = AlertEngine(environment: environment, logger: logger)
        var windows = closed.map { ($0.start, $0.end) }
        if windows.isEmpty {
            let last = try await environment.pool.withConnection(purpose: "read closed windows") {
                try WindowStore.lastClosed(modelID: modelID, on: $0)
            }
            if let last { windows = [(last.start, last.end)] }
        }
        for (start, end) in windows {
            try await engine.evaluate(model, modelID: modelID, windowStart: start, windowEnd: end)
        }
    }

    static func rows(_ figures: [WindowFigure], start: Int64, end: Int64) -> [WindowMetricsStore.Row] {
        figures.map { WindowMetricsStore.Row(windowStart: start, windowEnd: end, figure: $0) }
    }

    /// Floor division toward −∞ (window starts before 1970 stay aligned).
    static func floor(_ t: Int64, _ size: Int64) -> Int64 {
        let q = t / size
        return (t % size != 0 && t < 0) ? (q - 1) * size : q * size
    }
}
