import DriftStats
import DriftStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call on a followed file: the call, the file and the error number's text.
package struct TailError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; a closed set. `open_failed`: `open` failed; `stat_failed`: `fstat` failed; `read_failed`:
    /// `pread` failed.
    package enum Code: String, Sendable, CustomStringConvertible {
        case openFailed = "open_failed", statFailed = "stat_failed", readFailed = "read_failed"
        package var description: String { rawValue }
    }

    package let code: Code
    /// The system call, e.g. `pread`.
    package let call: String
    package let path: String
    /// The call's `errno`.
    package let errorNumber: Int32

    package init(_ code: Code, call: String, path: String, errorNumber: Int32) {
        self.code = code
        self.call = call
        self.path = path
        self.errorNumber = errorNumber
    }

    /// The error number's text.
    package var message: String { String(cString: strerror(errorNumber)) }
    /// `call path: message`.
    package var description: String { "\(call) \(path): \(message)" }
}

/// A device and inode: what a file is, whatever it is called now.
struct FileIdentity: Hashable, Sendable, CustomStringConvertible {
    let device: UInt64
    let inode: UInt64
    var description: String { "\(device):\(inode)" }
}

/// One open followed file. Every call blocks: use it only on the tailer's I/O thread. The descriptor stays
/// open while the file is followed, so a file renamed away or unlinked can still be read to its end.
/// Immutable, and `pread`/`fstat` on one descriptor are safe from any thread.
final class TailedFile: Sendable {
    let descriptor: Int32
    /// The path it was opened by (it may have been renamed since).
    let openedPath: String
    let identity: FileIdentity

    init(path: String) throws(TailError) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TailError(.openFailed, call: "open", path: path, errorNumber: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TailError(.statFailed, call: "fstat", path: path, errorNumber: code)
        }
        descriptor = fd
        openedPath = path
        identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    deinit { Glibc.close(descriptor) }

    /// The identity of whatever `path` names now (nil when it names nothing or is not a regular file).
    static func identity(of path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// What `path` names now, its size and when its content last changed (microseconds since the epoch);
    /// nil when it names nothing or is not a regular file.
    static func status(of path: String) -> (identity: FileIdentity, size: Int64, modified: Int64)? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let modified = Int64(st.st_mtim.tv_sec).multipliedSaturating(by: 1_000_000).addingSaturating(
            Int64(st.st_mtim.tv_nsec) / 1000)
        return (FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)), Int64(st.st_size), modified)
    }

    /// The file's size now and whether it still has a name (unlinked files have no links).
    func status() throws(TailError) -> (size: Int64, linked: Bool) {
        var st = stat()
        guard fstat(descriptor, &st) == 0 else {
            throw TailError(.statFailed, call: "fstat", path: openedPath, errorNumber: errno)
        }
        return (Int64(st.st_size), st.st_nlink > 0)
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) throws(TailError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + filled }, count - filled, off_t(offset) + off_t(filled))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw TailError(.readFailed, call: "pread", path: openedPath, errorNumber: errno)
            }
            if n == 0 { break }
            filled += n
        }
        buffer.removeSubrange(filled...)
        return buffer
    }

    /// The fingerprint of the first `length` bytes, or nil when the file is shorter than that.
    func fingerprint(length: Int) throws(TailError) -> UInt64? {
        guard length > 0 else { return Fingerprint.empty }
        let head = try read(at: 0, count: length)
        guard head.count == length else { return nil }
        return head.withUnsafeBytes { Fingerprint.hash($0) }
    }
}

/// Paths matching a glob (`*`, `?`, `[…]`), sorted; none when nothing matches or the pattern is a plain
/// path that does not exist.
enum FileGlob {
    static func paths(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
        }
        return paths
    }

    /// The regular files in `directory` (for finding the copy a copytruncate rotation left).
    static func files(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(directory + "/" + name) }
        }
        return names.sorted()
    }
}
