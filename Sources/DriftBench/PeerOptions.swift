import ArgumentParser

/// How a benchmark repeats its timings and runs its Python peers (`--repeats`, `--no-peers`, `--python`).
struct PeerOptions: ParsableArguments {
    @Option(help: "Repetitions of each timing (the median is reported).")
    var repeats = 3

    @Flag(help: "Skip the Python peers.")
    var noPeers = false

    @Option(help: "Python interpreter for the peers.")
    var python = "python3"
}

/// Where the drift benchmark's tables are and how many rows they have (`--rows`, `--dir`).
struct BenchTableOptions: ParsableArguments {
    @Option(help: "Rows per file.")
    var rows = 1_000_000

    @Option(help: "Folder of the two tables (written when absent or of another size).")
    var dir = "Benchmarks/drift/data"
}
