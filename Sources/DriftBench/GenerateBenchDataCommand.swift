import ArgumentParser
import Dispatch
import DriftCore
import DriftStats
import DriftTables

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch bench generate`: writes the seeded reference and current CSVs of the drift benchmark.
struct GenerateBenchDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the seeded benchmark tables (20 numeric + 5 categorical columns).")

    @OptionGroup var tables: BenchTableOptions

    @Option(help: "Random seed.")
    var seed: UInt64 = 20_261_123

    func run() throws {
        try BenchData.write(rows: tables.rows, dir: tables.dir, seed: seed)
    }
}

/// The drift benchmark's data: 20 numeric columns (normal, log-normal, uniform, integer counts; columns
/// 0–4 shifted in the current file) and 5 categorical ones (5–40 categories; two shifted), written with
/// shortest round-trip numbers as pandas would. Deterministic for a seed whatever the thread count.
enum BenchData {
    static let numericColumns = 20
    static let categoricalColumns = 5
    static let parts = 16

    static func paths(dir: String) -> (reference: String, current: String) {
        (dir + "/reference.csv", dir + "/current.csv")
    }

    static func write(rows: Int, dir: String, seed: UInt64) throws {
        mkdir(dir, 0o755)
        let (ref, cur) = paths(dir: dir)
        try writeFile(ref, rows: rows, seed: seed, shifted: false)
        try writeFile(cur, rows: rows, seed: seed &+ 1, shifted: true)
    }

    static func header() -> String {
        ((0..<numericColumns).map { "num_\($0)" } + (0..<categoricalColumns).map { "cat_\($0)" })
            .joined(separator: ",") + "\n"
    }

    static func writeFile(_ path: String, rows: Int, seed: UInt64, shifted: Bool) throws {
        let slots = ResultSlots<String>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let lo = rows * part / parts
            let hi = rows * (part + 1) / parts
            var rng = SplitMix64(seed: seed &* 1_000_003 &+ UInt64(part))
            var text = ""
            text.reserveCapacity((hi - lo) * 260)
            for _ in lo..<hi {
                for k in 0..<numericColumns {
                    text += value(column: k, shifted: shifted, rng: &rng).description
                    text += ","
                }
                for k in 0..<categoricalColumns {
                    text += category(column: k, shifted: shifted, rng: &rng)
                    text += k == categoricalColumns - 1 ? "\n" : ","
                }
            }
            slots[part] = text
        }
        guard let file = fopen(path, "wb") else { throw ValidationError("cannot write \(path)") }
        defer { fclose(file) }
        var all = [header()] + slots.values.map { $0 ?? "" }
        for i in all.indices {
            all[i].withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        }
    }

    static func value(column k: Int, shifted: Bool, rng: inout SplitMix64) -> Double {
        let shift = shifted && k < 5 ? 0.05 * Double(k + 1) : 0
        let scale = shifted && (k == 5 || k == 6) ? 1.15 : 1
        switch k % 4 {
        case 0: return (rng.nextGaussian() * scale + shift) * 3 + 10
        case 1: return exp(rng.nextGaussian() * 0.5 * scale + shift)
        case 2: return rng.nextUniform() * 100 * scale + shift * 100
        default:
            // Integer-valued counts (written as 3.0, as pandas writes float columns).
            return (rng.nextUniform() * 20 * scale + shift * 20).rounded(.down)
        }
    }

    static func category(column k: Int, shifted: Bool, rng: inout SplitMix64) -> String {
        let sizes = [5, 8, 12, 20, 40]
        let n = sizes[k]
        var u = rng.nextUniform()
        if shifted && k < 2 { u = u * u }  // skews towards the first categories
        let index = min(n - 1, Int(u * Double(n)))
        return "c\(k)_\(index)"
    }
}
