/// A read-only view of bytes handed to parallel parsing iterations.
/// `@unchecked Sendable`: the bytes are never written while any view exists, and every view is used
/// only inside `DispatchQueue.concurrentPerform`, which returns before the owner releases the memory.
struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
}
