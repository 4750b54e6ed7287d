import Hummingbird

/// Splits a streamed request body into lines without holding the body: only the current partial line
/// is kept. A line longer than `maxLineBytes`, or a body longer than `maxBodyBytes`, ends the request
/// with 413 (lines already handed over stay handed over).
struct LineReader {
    let maxLineBytes: Int
    let maxBodyBytes: Int

    /// Calls `line(number, bytes)` for every non-blank line of `body` (numbers from 1, blank lines counted).
    func forEachLine(
        of body: RequestBody, _ line: (Int, UnsafeBufferPointer<UInt8>) async throws -> Void
    ) async throws {
        var carry: [UInt8] = []
        var number = 0
        var total = 0
        for try await chunk in body {
            total += chunk.readableBytes
            guard total <= maxBodyBytes else {
                throw APIError(
                    .contentTooLarge, code: .bodyTooLarge,
                    message: "the request body is larger than server.max_body_bytes (\(maxBodyBytes) bytes)")
            }
            let bytes = chunk.readableBytesView
            var start = bytes.startIndex
            while let newline = bytes[start...].firstIndex(of: 0x0A) {
                carry.append(contentsOf: bytes[start..<newline])
                number += 1
                try await emit(&carry, number: number, line)
                start = bytes.index(after: newline)
            }
            carry.append(contentsOf: bytes[start...])
            guard carry.count <= maxLineBytes else {
                throw APIError(
                    .contentTooLarge, code: .lineTooLarge,
                    message: "line \(number + 1) is longer than server.max_line_bytes (\(maxLineBytes) bytes)",
                    line: number + 1)
            }
        }
        if !carry.isEmpty {
            number += 1
            try await emit(&carry, number: number, line)
        }
    }

    private func emit(
        _ carry: inout [UInt8], number: Int, _ line: (Int, UnsafeBufferPointer<UInt8>) async throws -> Void
    ) async throws {
        guard carry.count <= maxLineBytes else {
            throw APIError(
                .contentTooLarge, code: .lineTooLarge,
                message: "line \(number) is longer than server.max_line_bytes (\(maxLineBytes) bytes)", line: number)
        }
        if carry.last == 0x0D { carry.removeLast() }
        let blank = carry.allSatisfy { $0 == 0x20 || $0 == 0x09 }
        if !blank {
            let copy = carry
            try await copy.withUnsafeBufferPointerAsync { try await line(number, $0) }
        }
        carry.removeAll(keepingCapacity: true)
    }
}

extension Array {
    /// `withUnsafeBufferPointer` for an async body (the array is a local copy, kept alive throughout).
    func withUnsafeBufferPointerAsync<R>(_ body: (UnsafeBufferPointer<Element>) async throws -> R) async rethrows -> R {
        let pointer = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
        _ = pointer.initialize(from: self)
        defer {
            pointer.deinitialize()
            pointer.deallocate()
        }
        return try await body(UnsafeBufferPointer(pointer))
    }
}
