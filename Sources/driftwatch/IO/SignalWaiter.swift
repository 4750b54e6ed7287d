import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Blocks the calling thread until one of the given signals arrives (their default action is suspended
/// meanwhile, so the process is not killed by them).
enum SignalWaiter {
    static func wait(for signals: [Int32]) throws {
        let arrived = DispatchSemaphore(value: 0)
        let sources = signals.map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { arrived.signal() }
            source.resume()
            return source
        }
        arrived.wait()
        for source in sources { source.cancel() }
    }
}
