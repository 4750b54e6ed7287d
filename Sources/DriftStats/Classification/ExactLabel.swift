/// A label compared by its exact Unicode scalars (UTF-8 bytes), not by Swift's canonical
/// equivalence: `"é"` (U+00E9) and `"e\u{301}"` are **different** labels, as they are in Python and
/// scikit-learn. Used as the dictionary key wherever labels are counted.
struct ExactLabel: Hashable, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    static func == (lhs: ExactLabel, rhs: ExactLabel) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var bytes = string
        bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
