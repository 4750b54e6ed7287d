extension Array {
    /// Calls `body` with the address of the first element; an empty array lends a scratch address that must
    /// not be read (every caller passes a count of 0 with it).
    @inline(__always)
    func withBaseAddress<R>(_ body: (UnsafePointer<Element>) -> R) -> R {
        withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { return body(base) }
            let scratch = UnsafeMutablePointer<Element>.allocate(capacity: 1)
            defer { scratch.deallocate() }
            return body(UnsafePointer(scratch))
        }
    }

    /// Mutable form of `withBaseAddress`.
    @inline(__always)
    mutating func withMutableBaseAddress<R>(_ body: (UnsafeMutablePointer<Element>) -> R) -> R {
        withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { return body(base) }
            let scratch = UnsafeMutablePointer<Element>.allocate(capacity: 1)
            defer { scratch.deallocate() }
            return body(scratch)
        }
    }
}
