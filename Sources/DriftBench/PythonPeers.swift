import DriftCore
import DriftStore
import DriftSystem

/// Runs Benchmarks/drift/peers.py (pandas.read_csv + scipy.stats.ks_2samp) and reads its timings.
enum PythonPeers {
    struct Timings {
        let read: Double
        let ks: Double
    }

    /// nil when the peers' packages are not installed.
    static func run(python: String, reference: String, current: String, repeats: Int) throws -> Timings? {
        let outcome = try ChildProcess.run(
            [python, "Benchmarks/drift/peers.py", reference, current, String(repeats)], captureOutput: true)
        guard outcome.status == 0 else { return nil }
        var read: Double?
        var ks: Double?
        for line in outcome.output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let v = Double(parts[1]) else { continue }
            if parts[0] == "read_seconds" { read = v }
            if parts[0] == "ks_seconds" { ks = v }
        }
        guard let read, let ks else { return nil }
        return Timings(read: read, ks: ks)
    }
}
