import DriftCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the accepted bearer tokens from the configured sources (environment variables and token files).
package enum TokenLoader {
    /// A token source that could not be read.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        /// The kind of failure; a closed set. `empty_variable`: the environment variable is unset or blank;
        /// `unreadable_file`: the token file cannot be opened; `empty_file`: the token file holds no token.
        package enum Code: String, Sendable, CustomStringConvertible {
            case emptyVariable = "empty_variable", unreadableFile = "unreadable_file", emptyFile = "empty_file"
            package var description: String { rawValue }
        }

        package let code: Code
        /// What is wrong and how to fix it, starting `auth:`.
        package let message: String
        package var description: String { message }
    }

    /// Every token of `sources`; a missing or empty variable, or an unreadable or empty file, is an error.
    package static func load(_ sources: [TokenSource], environment: [String: String]) throws -> Set<String> {
        var tokens = Set<String>()
        for source in sources {
            switch source {
            case .environment(let name):
                guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else {
                    throw Failure(
                        code: .emptyVariable,
                        message:
                            "auth: the environment variable \(name) holds no token (set it, or change auth.tokens)")
                }
                tokens.insert(value)
            case .file(let path):
                guard let file = fopen(path, "r") else {
                    throw Failure(
                        code: .unreadableFile,
                        message: "auth: cannot read token file \(path): \(String(cString: strerror(errno)))")
                }
                defer { fclose(file) }
                var text = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = fread(&buffer, 1, buffer.count, file)
                    if n <= 0 { break }
                    text.append(contentsOf: buffer[0..<n])
                }
                let lines = String(decoding: text, as: UTF8.self).split(whereSeparator: \.isNewline)
                let found = lines.map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
                guard !found.isEmpty else {
                    throw Failure(code: .emptyFile, message: "auth: token file \(path) holds no token")
                }
                tokens.formUnion(found)
            }
        }
        return tokens
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
