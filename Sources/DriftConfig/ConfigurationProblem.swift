/// One thing wrong in a configuration file, with its place.
package struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    package let file: String
    /// 1-based line and column (nil when the problem concerns the whole file).
    package let line: Int?
    package let column: Int?
    /// The key path, e.g. `models.car_loan.window`.
    package let path: String
    package let message: String

    /// `file:line:column: path: message`, as compilers print places.
    package var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}

/// Every problem found in a configuration file (the loader reports them all at once).
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    package let problems: [ConfigurationProblem]
    package var description: String { problems.map(\.description).joined(separator: "\n") }
}
