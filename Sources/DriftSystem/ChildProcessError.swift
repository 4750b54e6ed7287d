/// A program that could not be started, named as the user gave it.
package struct ChildProcessError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure; a closed set.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case pipeFailed = "pipe_failed"
            case spawnFailed = "spawn_failed"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A pipe to the program could not be made.
        package static let pipeFailed = Code(.pipeFailed)
        /// `posix_spawn` refused the program.
        package static let spawnFailed = Code(.spawnFailed)

        /// The code as written, e.g. `spawn_failed`.
        package var description: String { base.rawValue }
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
