import CZlib

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a whole file; gzip files (by their magic bytes) are decompressed with zlib.
package enum FileBytes {
    /// Calls `body` with the file's bytes: mapped read-only into memory (no copy) for plain files, or
    /// decompressed for gzip files. The buffer is valid only inside `body`.
    package static func withContents<T>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw TableError(.unreadable, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else {
            close(fd)
            // Directories, pipes and empty files take the general path, which reports them.
            let bytes = try read(path)
            return try bytes.withUnsafeBufferPointer(body)
        }
        let size = Int(info.st_size)
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            close(fd)
            let bytes = try read(path)
            return try bytes.withUnsafeBufferPointer(body)
        }
        close(fd)
        defer { munmap(mapped, size) }
        madvise(mapped, size, MADV_SEQUENTIAL)
        let buffer = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size)
        if size >= 2, buffer[0] == 0x1F, buffer[1] == 0x8B {
            let bytes = try gunzip(Array(buffer), path: path)
            return try bytes.withUnsafeBufferPointer(body)
        }
        return try body(buffer)
    }

    package static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw TableError(.unreadable, file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TableError(.unreadable, file: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw TableError(.unreadable, file: path, "is a directory, not a file")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(max(0, Int(info.st_size)))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TableError(.unreadable, file: path, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return try gunzip(bytes, path: path) }
        return bytes
    }

    /// Decompresses gzip data (several members allowed, as `gzip -c a b >` writes).
    package static func gunzip(_ input: [UInt8], path: String) throws -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        var stream = z_stream()
        guard dw_inflate_init2(&stream, 16 + MAX_WBITS) == Z_OK else {
            throw TableError(.unreadable, file: path, "zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let status: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = buffer.count - Int(stream.avail_out)
                output.append(contentsOf: buffer[0..<produced])
                if status == Z_STREAM_END {
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else { break }
                    continue
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw TableError(.unreadable, file: path, "the gzip data is truncated")
                }
                guard status == Z_OK else {
                    throw TableError(.unreadable, file: path, "the gzip data is corrupt (zlib status \(status))")
                }
            }
        }
        return output
    }
}
