import DriftCore

#if canImport(Glibc)
    import Glibc
#endif

/// Writes command output to a file (atomically: a temporary file renamed into place) or to standard output.
enum OutputWriter {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandleOutput.standardOutput(text)
            return
        }
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else {
            throw TableError(.unreadable, file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == text.utf8.count, closed == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TableError(.unreadable, file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
