import Dispatch
import DriftSystem
import Synchronization
import Testing

@Suite struct BlockingExecutorTests {
    /// Work still waiting for a thread when its task is cancelled is never run: the task gets
    /// `CancellationError`.
    @Test func workNotStartedWhenItsTaskIsCancelledIsNotRun() async throws {
        let executor = BlockingExecutor(threads: 1)
        let gate = DispatchSemaphore(value: 0)
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        // The executor's only thread is held until the test opens the gate.
        let holder = Task {
            try await executor.run {
                signal.yield()
                gate.wait()
            }
        }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        let ran = Mutex(false)
        let waiting = Task { try await executor.run { ran.withLock { $0 = true } } }
        waiting.cancel()
        gate.signal()
        try await holder.value
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // Work submitted after it has run, so the cancelled work had its turn on the thread.
        try await executor.run {}
        #expect(ran.withLock { $0 } == false)
        await executor.shutdown()
    }

    /// Work already running when its task is cancelled runs to its end and returns its result.
    @Test func workStartedBeforeCancellationRunsToItsEnd() async throws {
        let executor = BlockingExecutor(threads: 1)
        let gate = DispatchSemaphore(value: 0)
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let running = Task {
            try await executor.run { () -> Int in
                signal.yield()
                gate.wait()
                return 42
            }
        }
        var iterator = started.makeAsyncIterator()
        _ = await iterator.next()
        running.cancel()
        gate.signal()
        #expect(try await running.value == 42)
        await executor.shutdown()
    }

    /// `runEvenIfCancelled` runs its work in a task that was cancelled before it asked (clean-up work).
    @Test func cleanUpWorkRunsInACancelledTask() async throws {
        let executor = BlockingExecutor(threads: 1)
        let (cancelled, signal) = AsyncStream.makeStream(of: Void.self)
        let task = Task { () async throws -> (cancelled: Bool, value: Int) in
            var iterator = cancelled.makeAsyncIterator()
            _ = await iterator.next()  // the stream ends after the task was cancelled
            return (Task.isCancelled, try await executor.runEvenIfCancelled { 7 })
        }
        task.cancel()
        signal.finish()
        let outcome = try await task.value
        #expect(outcome.cancelled)
        #expect(outcome.value == 7)
        await executor.shutdown()
    }
}
