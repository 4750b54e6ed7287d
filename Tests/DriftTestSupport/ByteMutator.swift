/// Seeded byte mutations for fuzz tests: a small xorshift generator drives byte changes, insertions,
/// deletions, truncations and repeats (the same mutations every run).
package struct ByteMutator {
    package var state: UInt64

    package init(state: UInt64) { self.state = state }

    package mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

    package static let interesting: [UInt8] =
        Array(",\"\n\r\t{}[]:\\ -+.eE0123456789NnAa".utf8) + [0x00, 0xFF, 0xC3, 0xEF]

    package mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + below(4)) {
            switch below(5) {
            case 0 where !bytes.isEmpty: bytes[below(bytes.count)] = Self.interesting[below(Self.interesting.count)]
            case 1: bytes.insert(Self.interesting[below(Self.interesting.count)], at: below(bytes.count + 1))
            case 2 where !bytes.isEmpty: bytes.remove(at: below(bytes.count))
            case 3 where bytes.count > 2:
                let cut = below(bytes.count)
                bytes = Array(bytes[..<cut])
            default:
                let from = below(bytes.count + 1)
                let to = min(bytes.count, from + below(8))
                bytes.insert(contentsOf: bytes[from..<to], at: below(bytes.count + 1))
            }
        }
        return bytes
    }
}
