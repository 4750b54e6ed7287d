/// A read-only sequence of doubles held in one or more contiguous runs: an array, or the buffers a
/// parser filled chunk by chunk (kept alive by their owner), so that a column can be read where it was
/// parsed instead of being copied into one array first.
///
/// `@unchecked Sendable`: the runs are never written after the value is made, and `owner` (an immutable
/// reference the memory belongs to) keeps them alive for as long as any copy of the value exists.
public struct DoubleRuns: @unchecked Sendable {
    enum Storage {
        case array([Double])
        case runs([UnsafeBufferPointer<Double>], owner: AnyObject)
    }

    let storage: Storage
    /// Number of values over all runs.
    public let count: Int

    /// The values of an array (not copied).
    public init(_ values: [Double]) {
        storage = .array(values)
        count = values.count
    }

    /// Runs of memory that `owner` keeps alive and that nothing writes to any more.
    public init(runs: [UnsafeBufferPointer<Double>], owner: AnyObject) {
        storage = .runs(runs, owner: owner)
        count = runs.reduce(0) { $0 + $1.count }
    }

    /// Calls `body` with the runs in order (an array is one run).
    @inline(__always)
    public func withRuns<R>(_ body: ([UnsafeBufferPointer<Double>]) throws -> R) rethrows -> R {
        switch storage {
        case .array(let values): return try values.withUnsafeBufferPointer { try body([$0]) }
        case .runs(let runs, let owner): return try withExtendedLifetime(owner) { try body(runs) }
        }
    }

    /// All values in one array (a copy, unless they already are one).
    public var array: [Double] {
        switch storage {
        case .array(let values): return values
        case .runs(let runs, let owner):
            return withExtendedLifetime(owner) { runs.flatMap { Array($0) } }
        }
    }

    /// Whether `predicate` holds for every value.
    public func allSatisfy(_ predicate: (Double) -> Bool) -> Bool {
        withRuns { runs in runs.allSatisfy { $0.allSatisfy(predicate) } }
    }
}
