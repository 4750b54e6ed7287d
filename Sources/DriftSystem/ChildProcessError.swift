/// A program that could not be started, named as the user gave it.
package struct ChildProcessError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure; a closed set. `pipe_failed`: a pipe to the program could not be made; `spawn_failed`:
    /// `posix_spawn` refused the program.
    package enum Code: String, Sendable, CustomStringConvertible {
        case pipeFailed = "pipe_failed", spawnFailed = "spawn_failed"
        package var description: String { rawValue }
    }

    package let code: Code
    /// The program as the user gave it.
    package let program: String
    package let message: String

    package init(_ code: Code, program: String, _ message: String) {
        self.code = code
        self.program = program
        self.message = message
    }

    /// `program: message`, as `TableError` prints a file.
    package var description: String { "\(program): \(message)" }
}
