import ArgumentParser

/// `driftwatch bench`: the project's benchmarks.
package struct BenchCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (see Benchmarks/README.md).",
        subcommands: [
            DriftBenchCommand.self, StoreBenchCommand.self, GenerateBenchDataCommand.self, TrainBenchCommand.self,
            IngestBenchCommand.self, WindowBenchCommand.self,
        ])

    package init() {}
}
