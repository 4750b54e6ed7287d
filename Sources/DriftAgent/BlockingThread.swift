import Foundation

/// Runs long blocking work (training on OpenBLAS, a child process) on a thread of its own, never on the
/// cooperative pool, and resumes the caller with its result.
enum BlockingThread {
    static func run<T: Sendable>(
        _ name: String, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
