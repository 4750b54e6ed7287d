#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX file operations the embedded launcher needs (blocking; no Foundation).
enum EmbeddedFiles {
    static let directoryType: mode_t = 0o040000
    static let symlinkType: mode_t = 0o120000
    static let typeMask: mode_t = 0o170000

    /// The text of `errno` (or of `code`).
    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// `path` made absolute (against the working directory) with `.` components, repeated and trailing
    /// slashes removed. `..` is kept (resolving it needs the file system).
    static func absolutePath(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/") {
            let current = getcwd(nil, 0)
            defer { free(current) }
            let cwd = current.map { String(cString: $0) } ?? "/"
            full = cwd + "/" + path
        }
        let parts = full.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }

    /// The parent directory of an absolute path ("/" for "/a").
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// `lstat`, or nil when the path does not exist (or cannot be examined).
    static func status(_ path: String, followLinks: Bool = true) -> stat? {
        var info = stat()
        let result = followLinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 ? info : nil
    }

    static func exists(_ path: String) -> Bool { status(path, followLinks: false) != nil }

    static func isDirectory(_ path: String) -> Bool {
        status(path).map { $0.st_mode & typeMask == directoryType } ?? false
    }

    /// Creates `path` and its missing parents (`mkdir -p`); new directories get `mode` (less the umask).
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(EmbeddedPostgresError) {
        if isDirectory(path) { return }
        let parentPath = parent(of: path)
        if parentPath != path { try makeDirectories(parentPath, mode: mode) }
        if mkdir(path, mode) != 0 && !(errno == EEXIST && isDirectory(path)) {
            throw EmbeddedPostgresError(.fileSystem, "cannot create directory \(path): \(errnoText())")
        }
    }

    /// Sets the owner of `path` (no-op when `account` is nil).
    static func setOwner(_ path: String, to account: EmbeddedServerAccount?) throws(EmbeddedPostgresError) {
        guard let account else { return }
        if lchown(path, account.uid, account.gid) != 0 {
            throw EmbeddedPostgresError(
                .fileSystem, "cannot give \(path) to user '\(account.name)': \(errnoText())")
        }
    }

    /// Sets the permission bits of `path`.
    static func setMode(_ path: String, _ mode: mode_t) throws(EmbeddedPostgresError) {
        if chmod(path, mode) != 0 {
            throw EmbeddedPostgresError(.fileSystem, "cannot change the mode of \(path): \(errnoText())")
        }
    }

    /// The file from byte `offset` on, or nil when it cannot be read.
    static func read(_ path: String, from offset: Int = 0) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if offset > 0 && lseek(fd, off_t(offset), SEEK_SET) < 0 { return nil }
        return read(descriptor: fd)
    }

    /// Everything left to read from `fd` (what was read before an error).
    static func read(descriptor fd: Int32) -> [UInt8] {
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = systemRead(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    static func readText(_ path: String) -> String? { read(path).map { String(decoding: $0, as: UTF8.self) } }

    /// The last `count` lines of the file from byte `offset` on ("" when it cannot be read).
    static func tail(_ path: String, from offset: Int = 0, lines count: Int = 20) -> String {
        guard let bytes = read(path, from: offset) else { return "" }
        let text = trimmingTrailingNewlines(String(decoding: bytes, as: UTF8.self))
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    static func size(_ path: String) -> Int { status(path).map { Int($0.st_size) } ?? 0 }

    /// Writes `text` to a temporary file beside `path`, gives it to `account`, and renames it over `path`.
    static func writeAtomically(
        _ path: String, _ text: String, mode: mode_t = 0o600, owner account: EmbeddedServerAccount?
    ) throws(EmbeddedPostgresError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw EmbeddedPostgresError(.fileSystem, "cannot write \(temporary): \(errnoText())") }
        let written = writeAll(fd, Array(text.utf8))
        close(fd)
        guard written else { throw EmbeddedPostgresError(.fileSystem, "cannot write \(temporary): \(errnoText())") }
        try setOwner(temporary, to: account)
        if rename(temporary, path) != 0 {
            throw EmbeddedPostgresError(.fileSystem, "cannot rename \(temporary) to \(path): \(errnoText())")
        }
    }

    /// Appends `text` to an existing file (its owner and mode stay).
    static func append(_ path: String, _ text: String) throws(EmbeddedPostgresError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw EmbeddedPostgresError(.fileSystem, "cannot open \(path): \(errnoText())") }
        let written = writeAll(fd, Array(text.utf8))
        close(fd)
        guard written else { throw EmbeddedPostgresError(.fileSystem, "cannot write \(path): \(errnoText())") }
    }

    /// Writes all of `bytes` (retrying short writes and EINTR); false on an error (`errno` says which).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                systemWrite(fd, raw.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            written += n
        }
        return true
    }

    /// Removes `path` and everything below it, without following symbolic links (`rm -rf`).
    static func removeRecursively(_ path: String) throws(EmbeddedPostgresError) {
        guard let info = status(path, followLinks: false) else { return }
        if info.st_mode & typeMask == directoryType {
            for name in entries(of: path) { try removeRecursively(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT {
                throw EmbeddedPostgresError(.fileSystem, "cannot remove \(path): \(errnoText())")
            }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw EmbeddedPostgresError(.fileSystem, "cannot remove \(path): \(errnoText())")
        }
    }

    /// The names in a directory, without `.` and `..` (empty when it cannot be read).
    static func entries(of path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names = [String]()
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func trimmingTrailingNewlines(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == "\r" || last == " " { text.removeLast() }
        return String(text)
    }
}

/// `read(2)` and `write(2)`, under names that do not clash with `EmbeddedFiles.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
