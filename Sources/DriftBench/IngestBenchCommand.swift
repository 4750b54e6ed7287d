import ArgumentParser
import DriftStore
import DriftSystem
import EmbeddedCluster
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch bench ingest`: the agent under load, end to end on this machine — an embedded PostgreSQL,
/// a `driftwatch serve` process, and a load generator POSTing NDJSON over `--connections` kept-alive HTTP
/// connections. Phase 1 sends `--events` as fast as the agent acknowledges them (sustained events/s, p50/p99
/// acknowledgement latency); phase 2 sends `--paced-events` at half that rate (p50/p99 there). The agent's
/// resident memory is sampled every half second (peak, and first vs last quarter of the run, to show it
/// flat).
struct IngestBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Benchmark ingest: events/s, acknowledgement latency and agent memory.")

    @Option(help: "Events in the full-speed phase.")
    var events = 2_000_000
    @Option(help: "Events in the half-rate phase (0: skip it).")
    var pacedEvents = 400_000
    @OptionGroup var agentOptions: AgentBenchOptions
    @Flag(help: "Exit 1 unless every request was acknowledged, memory stayed under --max-memory-mb and flat.")
    var check = false
    @Option(help: "With --check: the agent's peak resident memory allowed, in MB.")
    var maxMemoryMb = 500.0

    func run() throws {
        let agent = try BenchAgent(stateDirectory: agentOptions.stateDir ?? ".build-bench-ingest") { port, state in
            Self.configuration(state: state, port: port)
        }
        defer { agent.stop(keep: agentOptions.keep) }
        print(
            "driftwatch bench ingest: \(events) events (20 numeric + 5 categorical features) over \(agentOptions.connections) connections, \(agentOptions.batch) per request"
        )
        let memory = MemorySampler(pid: agent.process.processIdentifier)
        memory.start()
        let failedRequests = sendLoad(to: agent.base + "/v1/models/bench/predictions")
        memory.stop()
        let (peak, early, late) = memory.summary()
        let highWater = Double(Self.highWaterMark(agent.process.processIdentifier) ?? 0)
        let line = String(format: "  agent memory peak %.0f MB (VmHWM %.0f MB)", peak / 1e6, highWater / 1e6)
        print(line + String(format: "; mean RSS first quarter %.0f MB, last quarter %.0f MB", early / 1e6, late / 1e6))
        guard check else { return }
        try checkRun(failedRequests: failedRequests, peak: peak, early: early, late: late)
    }

    /// The agent's configuration (port `port`, database under `state`).
    static func configuration(state: String, port: Int) -> String {
        """
        server: {host: 127.0.0.1, port: \(port), window_check_interval: 2s, max_future_skew: 3650d}
        auth: {enabled: false}
        database: {url_env: DRIFTWATCH_BENCH_NO_URL, state_dir: \(state)/db, pool_size: 8}
        defaults: {retention: 36500d}  # synthetic event times from 2026-11-23 on, whatever today is
        models:
          bench:
            task: binary
            features: {\(IngestLoadClient.featuresYAML)}
            window: 1h
            allowed_lateness: 5m
        """
    }

    /// Sends the full-speed phase, then the half-rate one, to `url`, printing each; returns the failed requests.
    func sendLoad(to url: String) -> Int {
        let full = IngestLoadClient(
            url: url, connections: agentOptions.connections, batch: agentOptions.batch, firstEvent: 0, events: events,
            rate: nil)
        let seconds = full.run()
        let rate = Double(events) / seconds
        var failedRequests = full.failures.load(ordering: .relaxed)
        Self.report("full speed", events: events, seconds: seconds, full)
        if pacedEvents > 0 {
            let paced = IngestLoadClient(
                url: url, connections: agentOptions.connections, batch: agentOptions.batch, firstEvent: events,
                events: pacedEvents,
                rate: rate / 2)
            let pacedSeconds = paced.run()
            Self.report("half rate ", events: pacedEvents, seconds: pacedSeconds, paced)
            failedRequests += paced.failures.load(ordering: .relaxed)
        }
        return failedRequests
    }

    /// `--check`: every request acknowledged, peak memory under `--max-memory-mb`, memory flat (the last
    /// quarter's mean within 25 % + 32 MB of the first quarter's); throws exit code 1 otherwise.
    func checkRun(failedRequests: Int, peak: Double, early: Double, late: Double) throws {
        var problems: [String] = []
        if failedRequests > 0 { problems.append("\(failedRequests) requests failed") }
        if peak / 1e6 > maxMemoryMb {
            problems.append(String(format: "peak %.0f MB over %.0f MB", peak / 1e6, maxMemoryMb))
        }
        if late > early * 1.25 + 32e6 { problems.append("memory grew from the first to the last quarter") }
        if problems.isEmpty {
            print("  check: passed")
        } else {
            print("  check: FAILED (" + problems.joined(separator: "; ") + ")")
            throw ExitCode(1)
        }
    }

    static func report(_ phase: String, events: Int, seconds: Double, _ client: IngestLoadClient) {
        let rate = Double(events) / seconds
        let p50 = client.latency(0.5)
        let p99 = client.latency(0.99)
        let failed = client.failures.load(ordering: .relaxed)
        print("  \(phase)  " + String(format: "%8.0f events/s  (%.2f s)", rate, seconds), terminator: "")
        print(String(format: "   ack p50 %6.1f ms   p99 %6.1f ms   failed requests %d", p50, p99, failed))
    }

    static func highWaterMark(_ pid: Int32) -> Int? { MemorySampler.field("VmHWM:", pid: pid) }
}

/// Samples a process's resident memory (VmRSS) every half second on a thread of its own.
final class MemorySampler: Sendable {
    let pid: Int32
    private let state = Mutex<(samples: [Double], running: Bool)>(([], true))

    init(pid: Int32) { self.pid = pid }

    func start() {
        Thread.detachNewThread {
            while self.state.withLock({ $0.running }) {
                if let rss = Self.field("VmRSS:", pid: self.pid) {
                    self.state.withLock { $0.samples.append(Double(rss)) }
                }
                usleep(500_000)
            }
        }
    }

    func stop() { state.withLock { $0.running = false } }

    /// Peak, and the mean of the first and last quarters of the samples (bytes).
    func summary() -> (Double, Double, Double) {
        let s = state.withLock { $0.samples }
        guard !s.isEmpty else { return (0, 0, 0) }
        let q = max(1, s.count / 4)
        func mean(_ x: ArraySlice<Double>) -> Double { x.reduce(0, +) / Double(x.count) }
        return (s.max() ?? 0, mean(s.prefix(q)), mean(s.suffix(q)))
    }

    /// A `kB` field of /proc/<pid>/status, in bytes.
    static func field(_ name: String, pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }
}
