import DriftStats

/// Seeded row splits: hold-out (validation or test) and k folds, stratified by class when rows have classes.
enum Splitter {
    /// Row indices grouped by class label (in first-appearance order), or one group of all rows.
    static func groups(of target: TrainingSet.Target?, count: Int) -> [[Int]] {
        guard case .classes(let labels) = target else { return [Array(0..<count)] }
        var position = [ExactString: Int]()
        var groups = [[Int]]()
        for (row, label) in labels.enumerated() {
            let key = ExactString(label)
            if let k = position[key] {
                groups[k].append(row)
            } else {
                position[key] = groups.count
                groups.append([row])
            }
        }
        return groups
    }

    /// Groups of class indices `classIndex[i] ∈ 0..<classCount` (empty groups dropped), or one group.
    static func groups(classIndex: [Int]?, count: Int, classCount: Int) -> [[Int]] {
        guard let classIndex else { return [Array(0..<count)] }
        var groups = [[Int]](repeating: [], count: classCount)
        for (row, k) in classIndex.enumerated() { groups[k].append(row) }
        return groups.filter { !$0.isEmpty }
    }

    /// Fisher–Yates shuffle driven by SplitMix64 (deterministic for a given generator state).
    static func shuffle(_ values: inout [Int], _ rng: inout SplitMix64) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            values.swapAt(i, j)
        }
    }

    /// Each group is shuffled and `round(fraction × size)` of its rows (at most size − 1) go to the held-out part.
    static func holdOut(count: Int, groups: [[Int]], fraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        guard fraction > 0, count > 1 else { return (Array(0..<count), []) }
        var rng = SplitMix64(seed: seed ^ 0x5EED_0F_7E57)
        var train = [Int]()
        var test = [Int]()
        for group in groups {
            var rows = group
            shuffle(&rows, &rng)
            let take = min(Int((fraction * Double(rows.count)).rounded()), rows.count - 1)
            test.append(contentsOf: rows[0..<max(0, take)])
            train.append(contentsOf: rows[max(0, take)...])
        }
        return (train.sorted(), test.sorted())
    }

    /// `k` folds: each group is shuffled and dealt round-robin (continuing across groups), so fold sizes differ
    /// by at most one and classes spread evenly. Each fold's indices are ascending.
    static func folds(count: Int, groups: [[Int]], k: Int, seed: UInt64) -> [[Int]] {
        var rng = SplitMix64(seed: seed ^ 0xF01D_5EED)
        var folds = [[Int]](repeating: [], count: k)
        var next = 0
        for group in groups {
            var rows = group
            shuffle(&rows, &rng)
            for row in rows {
                folds[next].append(row)
                next = (next + 1) % k
            }
        }
        return folds.map { $0.sorted() }
    }
}
