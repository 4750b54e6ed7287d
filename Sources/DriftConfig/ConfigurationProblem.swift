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
    /// The kind of failure; a closed set. `yaml_syntax`: the text is not YAML (or JSON); `invalid_settings`: keys or
    /// values that are unknown, missing, mistyped or out of range.
    package enum Code: String, Sendable, CustomStringConvertible {
        case yamlSyntax = "yaml_syntax", invalidSettings = "invalid_settings"
        package var description: String { rawValue }
    }

    package let code: Code
    /// Every problem, in the order found (at least one).
    package let problems: [ConfigurationProblem]
    /// The YAML parser's error, for `yaml_syntax`.
    package let underlying: (any Error)?

    package init(_ code: Code, problems: [ConfigurationProblem], underlying: (any Error)? = nil) {
        self.code = code
        self.problems = problems
        self.underlying = underlying
    }

    /// The problems, one a line.
    package var message: String { problems.map(\.description).joined(separator: "\n") }
    package var description: String { message }
}
