/// How to reach PostgreSQL: a libpq connection URL or key/value settings, handed to
/// `PQconnectdbParams` as keywords and values (nothing is spliced into a connection string).
package struct PostgresConfiguration: Sendable, Equatable {
    /// libpq keywords and values, in order. A URL is passed as `dbname` with `expand_dbname = 1`,
    /// so libpq parses it; later pairs override what the URL says.
    package var parameters: [(String, String)]

    package static func == (a: PostgresConfiguration, b: PostgresConfiguration) -> Bool {
        a.parameters.map(\.0) == b.parameters.map(\.0) && a.parameters.map(\.1) == b.parameters.map(\.1)
    }

    /// A `postgresql://…` URL (or a `key=value …` string), as libpq accepts it.
    package init(url: String, applicationName: String = "driftwatch") {
        parameters = [("dbname", url), ("application_name", applicationName), ("connect_timeout", "10")]
    }

    /// Explicit settings (`host`, `port`, `dbname`, `user`, `password`, `sslmode`, …).
    package init(settings: [(String, String)]) {
        parameters = settings
    }

    /// The URL in `parameters`, if the configuration was built from one (for messages: the password is
    /// masked).
    package var redactedDescription: String {
        parameters.map { key, value in
            key == "password" ? "\(key)=***" : key == "dbname" ? "\(key)=\(Self.redact(value))" : "\(key)=\(value)"
        }.joined(separator: " ")
    }

    static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex)
        else { return url }
        let credentials = url[scheme.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return url.replacingCharacters(in: colon..<at.lowerBound, with: ":***")
    }
}

extension String {
    fileprivate func replacingCharacters(in range: Range<String.Index>, with replacement: String) -> String {
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
