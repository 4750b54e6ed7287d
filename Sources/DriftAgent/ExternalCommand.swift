import Foundation

/// Runs an external trainer's command (blocking: call it from `BlockingThread`): the program is looked up
/// on `PATH` when it has no slash, `input` is written to its standard input, and the last 4 KB of its
/// standard output and error are kept.
enum ExternalCommand {
    struct Outcome: Sendable {
        let status: Int32
        let output: String
        let errorOutput: String
    }

    struct LaunchError: Error, CustomStringConvertible {
        let command: String
        let cause: String
        var description: String { "cannot run '\(command)': \(cause)" }
    }

    static let keptBytes = 4096

    static func run(_ command: [String], input: String, environment: [String: String]) throws -> Outcome {
        guard let program = command.first else { throw LaunchError(command: "", cause: "the command is empty") }
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(command.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw LaunchError(command: command.joined(separator: " "), cause: "\(error)")
        }
        // Read both outputs while the program runs, so a chatty one never blocks on a full pipe.
        let collected = OutputTails()
        let group = DispatchGroup()
        for (pipe, isError) in [(stdout, false), (stderr, true)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(String(decoding: data.suffix(keptBytes), as: UTF8.self), isError: isError)
                group.leave()
            }
        }
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        let (output, errorOutput) = collected.values
        return Outcome(
            status: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus,
            output: output, errorOutput: errorOutput)
    }

    /// The two outputs, filled by two reader threads (a lock: plain shared state between threads).
    final class OutputTails: @unchecked Sendable {
        private let lock = NSLock()
        private var output = ""
        private var errorOutput = ""
        func set(_ text: String, isError: Bool) {
            lock.lock()
            defer { lock.unlock() }
            if isError { errorOutput = text } else { output = text }
        }
        var values: (String, String) {
            lock.lock()
            defer { lock.unlock() }
            return (output, errorOutput)
        }
    }
}
