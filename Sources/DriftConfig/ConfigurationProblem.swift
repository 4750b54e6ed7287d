/// One thing wrong in a configuration file, with its place.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based line and column (nil when the problem concerns the whole file).
    public let line: Int?
    public let column: Int?
    /// The key path, e.g. `models.car_loan.window`.
    public let path: String
    public let message: String

    /// `file:line:column: path: message`, as compilers print places.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}

/// Every problem found in a configuration file (the loader reports them all at once).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let problems: [ConfigurationProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
