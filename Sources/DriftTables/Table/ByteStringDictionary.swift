/// Interns byte strings to dense integer codes (open addressing, linear probing, FNV-1a hashing),
/// without building a `String` per cell. Used to dictionary-encode categorical columns.
struct ByteStringDictionary {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]  // key i is arena[offsets[i]..<offsets[i+1]]
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Number of distinct keys.
    var count: Int { offsets.count - 1 }

    /// The code of `key`, adding it when new.
    mutating func code(for key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(key)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot < 0 { break }
            if hashes[Int(slot)] == h && equals(Int(slot), key) { return slot }
            i = (i + 1) & mask
        }
        let code = Int32(count)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        hashes.append(h)
        slots[i] = code
        if count * 2 > slots.count { grow() }
        return code
    }

    /// The keys as strings, in code order (invalid UTF-8 is repaired with U+FFFD).
    var strings: [String] {
        (0..<count).map { String(decoding: arena[offsets[$0]..<offsets[$0 + 1]], as: UTF8.self) }
    }

    private func equals(_ code: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[code]
        let end = offsets[code + 1]
        guard end - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var j = 0
            while j < key.count {
                if a[start + j] != key[j] { return false }
                j += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for code in 0..<count {
            var i = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(code)
        }
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h ^ (h >> 29)
    }
}
