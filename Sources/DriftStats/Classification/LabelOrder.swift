/// The order of class labels used by every classification metric: scikit-learn's
/// `unique_labels` order.
public enum LabelOrder {
    /// The distinct labels of `labels`, ordered as scikit-learn orders `unique_labels(y_true, y_pred)`.
    ///
    /// * If **every** label is a decimal number (`-1`, `2`, `0.5`, `1e3`; only the characters
    ///   `0-9 + - . e E` and accepted by `Double(String)`), labels sort **numerically**
    ///   (`"2" < "10"`), ties between spellings of one number (`"1"`, `"1.0"`) by code point.
    /// * Otherwise they sort by **Unicode code point** (Python's `str` order): the UTF-8 bytes
    ///   compared lexicographically, which is code-point order. (Swift's `String <` compares
    ///   canonically equivalent forms and is not code-point order for all inputs.)
    ///
    /// Distinctness is by exact scalars too (`"é"` and `"e\u{301}"` are two labels).
    /// Complexity O(n + k log k) for n labels of which k are distinct. Empty input gives `[]`.
    public static func sorted(_ labels: [String]) -> [String] {
        var seen = Set<ExactLabel>()
        var distinct = [String]()
        for label in labels where seen.insert(ExactLabel(label)).inserted {
            distinct.append(label)
        }
        return sortedDistinct(distinct)
    }

    /// Sorts labels that are already distinct.
    static func sortedDistinct(_ labels: [String]) -> [String] {
        let numbers = labels.map(numericValue)
        if numbers.allSatisfy({ $0 != nil }) {
            let keyed = zip(labels, numbers.map { $0 ?? 0 })
            return keyed.sorted { a, b in
                a.1 != b.1 ? a.1 < b.1 : codePointPrecedes(a.0, b.0)
            }.map(\.0)
        }
        return labels.sorted(by: codePointPrecedes)
    }

    /// `true` when `a` precedes `b` in Unicode code-point order.
    public static func codePointPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The value of a label spelled as a finite decimal number, else `nil`
    /// (rejects `"nan"`, `"inf"`, hexadecimal and surrounding spaces).
    static func numericValue(_ label: String) -> Double? {
        guard !label.isEmpty,
            label.utf8.allSatisfy({ byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                    || byte == UInt8(ascii: "E")
            }),
            let value = Double(label), value.isFinite
        else { return nil }
        return value
    }
}
