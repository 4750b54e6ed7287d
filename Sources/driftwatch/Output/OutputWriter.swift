import DriftCore
import DriftTables

#if canImport(Glibc)
    import Glibc
#endif

/// Writes command output to a file or to standard output. A regular file (or a new one) is written
/// atomically — a temporary file renamed into place — so a reader never sees half of it; anything else
/// (`/dev/null`, a FIFO, `/dev/stdout`) is written in place, never replaced.
enum OutputWriter {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandleOutput.standardOutput(text)
            return
        }
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists && (status.st_mode & S_IFMT) != S_IFREG {
            try write(text, directlyTo: path)
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

    static func write(_ text: String, directlyTo path: String) throws {
        guard let file = fopen(path, "wb") else {
            throw TableError(.unreadable, file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        guard fclose(file) == 0, written == text.utf8.count else {
            throw TableError(.unreadable, file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
