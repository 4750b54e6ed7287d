import Synchronization

/// Failed attempts at closing each model's next window (in memory: a restart gives every window its
/// attempts again).
final class WindowFailures: Sendable {
    let attempts = Mutex([String: (start: Int64, count: Int)]())

    /// Records a failed attempt at the window of `model` starting at `start`; returns the attempts so far.
    func record(_ model: String, start: Int64) -> Int {
        attempts.withLock { table in
            let count = table[model].map { $0.start == start ? $0.count + 1 : 1 } ?? 1
            table[model] = (start, count)
            return count
        }
    }

    /// Forgets the failures of `model` (its window closed).
    func clear(_ model: String) { _ = attempts.withLock { $0.removeValue(forKey: model) } }
}
