import ArgumentParser

/// The options of the benchmarks that load a `driftwatch serve` over HTTP (`bench ingest`, `bench window`).
struct AgentBenchOptions: ParsableArguments {
    @Option(help: "Concurrent HTTP connections.")
    var connections = 8
    @Option(help: "Events (or labels) per request.")
    var batch = 1000
    @Option(help: "State directory for the benchmark's cluster and agent (removed afterwards unless --keep).")
    var stateDir: String?
    @Flag(help: "Keep the cluster and the agent's log.")
    var keep = false
}
