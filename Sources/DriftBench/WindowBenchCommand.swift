import ArgumentParser
import DriftStore
import DriftSystem
import DriftTables
import Foundation
import PostgresDriver

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch bench window`: one big window end to end — `--events` predictions (20 numeric + 5
/// categorical features) in one 1-hour window sent to a `driftwatch serve` on an embedded PostgreSQL, the
/// window closed, then a label for every event. Prints, in one run: ingest events/s, the time to close the
/// window, labels/s and the time until the window's realized performance counts every label, the agent's
/// peak resident memory per phase — and, on the same database, the time of a raw
/// `COPY (the window's rows) TO '/dev/null'` and of the `GROUP BY` confusion count, the floors the
/// agent's closing and performance are compared with.
struct WindowBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "window",
        abstract: "Benchmark one big window: ingest, closing, labels, and the agent's memory per phase.")

    @Option(help: "Events in the window.")
    var events = 10_000_000
    @OptionGroup var agentOptions: AgentBenchOptions
    @Option(help: "Give up waiting for the window to close or its labels to count after this many seconds.")
    var timeout = 3600.0

    /// The window's start (2026-11-23T00:00:00Z) and its allowed lateness.
    static let windowStart = IngestLoadClient.start
    static let hour: Int64 = 3_600_000_000
    static let lateness: Int64 = 60_000_000

    func validate() throws {
        guard events >= 1, events <= 1_000_000_000 else { throw ValidationError("--events is 1 to 1,000,000,000") }
        guard agentOptions.connections >= 1, agentOptions.batch >= 1 else {
            throw ValidationError("--connections and --batch are at least 1")
        }
    }

    func run() throws {
        let agent = try BenchAgent(stateDirectory: agentOptions.stateDir ?? ".build-bench-window") { port, state in
            """
            server: {host: 127.0.0.1, port: \(port), window_check_interval: 1s, max_future_skew: 3650d}
            auth: {enabled: false}
            database: {url_env: DRIFTWATCH_BENCH_NO_URL, state_dir: \(state)/db, pool_size: 8}
            defaults: {retention: 36500d}  # the synthetic window is 2026-11-23, whatever today is
            models:
              bench:
                task: binary
                features: {\(IngestLoadClient.featuresYAML)}
                window: 1h
                allowed_lateness: 1m
            """
        }
        defer { agent.stop(keep: agentOptions.keep) }
        print(
            "driftwatch bench window: \(events) events in one 1-hour window, \(agentOptions.connections) connections × \(agentOptions.batch)"
        )
        let database = try PostgresConnection(configuration: PostgresConfiguration(url: agent.databaseURL))
        let phases = WindowBenchPhases(agent: agent, database: database, command: self)
        try phases.ingest()
        try phases.close()
        try phases.label()
        try phases.floors()
    }
}

/// The phases of `bench window`, each printing one line.
struct WindowBenchPhases {
    let agent: BenchAgent
    let database: PostgresConnection
    let command: WindowBenchCommand
    var events: Int { command.events }
    var url: String { agent.base + "/v1/models/bench" }

    /// Sends the window's events, spread over its hour.
    func ingest() throws {
        let step = max(1, WindowBenchCommand.hour / Int64(events))
        let client = IngestLoadClient(
            url: url + "/predictions", connections: command.agentOptions.connections, batch: command.agentOptions.batch,
            firstEvent: 0,
            events: events, rate: nil, step: step)
        let (seconds, peak) = measured { client.run() }
        try check(client, "events")
        print(line("ingest", String(format: "%.0f events/s", Double(events) / seconds), seconds, peak))
    }

    /// Sends one event past the window's end and its lateness, and waits until the window is closed.
    func close() throws {
        // Event number `events` at `events × step` ≥ the window's end plus its lateness.
        let step = (WindowBenchCommand.hour + WindowBenchCommand.lateness) / Int64(events) + 1
        let client = IngestLoadClient(
            url: url + "/predictions", connections: 1, batch: 1, firstEvent: events, events: 1, rate: nil,
            step: step)
        let (seconds, peak) = try measuredThrowing {
            _ = client.run()
            try waitFor("the window to close") { try closedEventCount() != nil }
        }
        let count = try closedEventCount() ?? 0
        print(line("close", "\(count) events in the window", seconds, peak))
    }

    /// Sends a label for every event, and waits until the window's `labelled` figure counts them all.
    func label() throws {
        let client = IngestLoadClient(
            url: url + "/labels", connections: command.agentOptions.connections, batch: command.agentOptions.batch,
            firstEvent: 0,
            events: events, rate: nil, labels: true)
        let (seconds, peak) = measured { client.run() }
        try check(client, "labels")
        print(line("labels", String(format: "%.0f labels/s", Double(events) / seconds), seconds, peak))
        let (wait, waitPeak) = try measuredThrowing {
            try waitFor("the labels to count") { try labelledCount() >= Double(events) }
        }
        print(line("performance", "labelled = \(Int(clampingFinite: try labelledCount(), nan: 0))", wait, waitPeak))
    }

    /// The database's own times for the window: its rows streamed out, and its confusion counts.
    func floors() throws {
        let (from, to) = window
        let copy = try timed {
            try database.execute(
                script: """
                    COPY (SELECT * FROM predictions WHERE model_id = \(try modelID())
                        AND event_time >= '\(from)' AND event_time < '\(to)') TO '/dev/null'
                    """, purpose: "bench: copy the window out")
        }
        let groupBy = try timed {
            _ = try LabelStore.confusionCells(
                modelID: try modelID(), from: WindowBenchCommand.windowStart,
                to: WindowBenchCommand.windowStart + WindowBenchCommand.hour, on: database)
        }
        print(String(format: "  floors       COPY … TO '/dev/null' %.2f s   GROUP BY confusion %.2f s", copy, groupBy))
    }

    /// The window's bounds as PostgreSQL timestamps.
    var window: (String, String) {
        (
            PostgresTimestamp.text(microseconds: WindowBenchCommand.windowStart),
            PostgresTimestamp.text(microseconds: WindowBenchCommand.windowStart + WindowBenchCommand.hour)
        )
    }

    func modelID() throws -> Int64 {
        try database.query("SELECT model_id FROM models WHERE name = 'bench'", purpose: "bench: model")
            .scalar(Int64.self, purpose: "bench: model") ?? 0
    }

    /// The closed window's event count, nil while it is open.
    func closedEventCount() throws -> Int? {
        try database.query(
            """
            SELECT max(event_count) FROM window_profiles
            WHERE model_id = $1 AND window_start = $2::timestamptz AND closed
            """,
            [.int(Int(try modelID())), .string(window.0)], purpose: "bench: closed window"
        ).scalar(Int.self, purpose: "bench: closed window")
    }

    /// The window's stored `labelled` figure (0 before it has one).
    func labelledCount() throws -> Double {
        try database.query(
            """
            SELECT value FROM window_metrics WHERE model_id = $1 AND window_start = $2::timestamptz
                AND metric = $3 AND class_label = '' AND feature = '' AND method = ''
            """, [.int(Int(try modelID())), .string(window.0), .string("labelled")],
            purpose: "bench: labelled"
        ).scalar(Double.self, purpose: "bench: labelled") ?? 0
    }

    func check(_ client: IngestLoadClient, _ what: String) throws {
        let failed = client.failures.load(ordering: .relaxed)
        guard failed == 0 else { throw ValidationError("\(failed) requests of \(what) failed") }
    }

    /// Polls `done` every 100 ms until it holds, up to `--timeout`.
    func waitFor(_ what: String, _ done: () throws -> Bool) throws {
        let deadline = monotonicSeconds() + command.timeout
        while try !done() {
            guard monotonicSeconds() < deadline else { throw ValidationError("timed out waiting for \(what)") }
            usleep(100_000)
        }
    }

    func timed(_ body: () throws -> Void) throws -> Double {
        let started = monotonicSeconds()
        try body()
        return monotonicSeconds() - started
    }

    /// The wall time of `body` and the agent's peak resident memory meanwhile (bytes).
    func measured(_ body: () -> Double) -> (Double, Double) {
        let memory = MemorySampler(pid: agent.process.processIdentifier)
        memory.start()
        let seconds = body()
        memory.stop()
        return (seconds, memory.summary().0)
    }

    func measuredThrowing(_ body: () throws -> Void) throws -> (Double, Double) {
        let memory = MemorySampler(pid: agent.process.processIdentifier)
        memory.start()
        defer { memory.stop() }
        let seconds = try timed(body)
        return (seconds, memory.summary().0)
    }

    func line(_ phase: String, _ what: String, _ seconds: Double, _ peak: Double) -> String {
        "  " + phase.padding(toLength: 12, withPad: " ", startingAt: 0) + " "
            + what.padding(toLength: 32, withPad: " ", startingAt: 0)
            + String(format: " %8.2f s   agent peak RSS %5.0f MB", seconds, peak / 1e6)
    }
}
