/// A program that could not be started, named as the user gave it.
package struct ChildProcessError: Error, CustomStringConvertible, Sendable, Equatable {
    package let program: String
    package let message: String

    package init(program: String, _ message: String) {
        self.program = program
        self.message = message
    }

    /// `program: message`, as `TableError` prints a file.
    package var description: String { "\(program): \(message)" }
}
