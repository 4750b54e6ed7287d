import ArgumentParser

/// The `driftwatch` command line.
@main
struct Driftwatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftwatch",
        abstract: "Drift detection and model monitoring.",
        subcommands: [])
}
