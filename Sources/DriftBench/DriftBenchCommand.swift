import ArgumentParser
import Dispatch
import DriftCore
import DriftStats
import DriftStore
import DriftSystem
import DriftTables

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch bench drift`: times `driftwatch drift` end to end (JSON output, and the HTML report) and the
/// statistics alone on the benchmark tables, and the Python peers (pandas + scipy) on the same files, and
/// prints the ratios and the report's overhead.
struct DriftBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Benchmark `driftwatch drift` against pandas + scipy on 1M × 25 tables.")

    @OptionGroup var tables: BenchTableOptions

    @OptionGroup var peerOptions: PeerOptions

    func run() throws {
        let (refPath, curPath) = BenchData.paths(dir: tables.dir)
        if access(refPath, R_OK) != 0 || access(curPath, R_OK) != 0 || lineCount(refPath) != tables.rows + 1 {
            print("generating \(tables.rows) rows × 25 columns in \(tables.dir) …")
            try BenchData.write(rows: tables.rows, dir: tables.dir, seed: 20_261_123)
        }
        let numeric = (0..<BenchData.numericColumns).map { "num_\($0)" }
        let categorical = (0..<BenchData.categoricalColumns).map { "cat_\($0)" }

        // 1. End to end: the real command in a child process, peak memory from the kernel; the same with the
        //    HTML report (distributions drawn from the sorted samples the tests use), runs interleaved so that
        //    load from other processes falls on both alike.
        let arguments = [
            Self.executablePath(), "drift", "--reference", refPath, "--current", curPath, "--categorical",
            categorical.joined(separator: ","), "--methods", "ks,psi,chi_square",
        ]
        let runs = try EndToEndRuns(arguments: arguments, dir: tables.dir, repeats: peerOptions.repeats)

        // 2. Statistics alone, tables already parsed.
        let (ksOnly, allStats) = try statisticsTimes(
            reference: refPath, current: curPath, numeric: numeric, categorical: categorical)

        var lines = summary(runs, ksOnly: ksOnly, allStats: allStats)
        if !peerOptions.noPeers {
            lines += try peerLines(reference: refPath, current: curPath, endToEnd: runs.endToEnd, ksOnly: ksOnly)
        }
        lines.append(
            String(format: "  peak memory target < 1536 MB: %@", runs.peakBytes < 1536 * 1_048_576 ? "met" : "NOT met"))
        print(lines.joined(separator: "\n"))
    }

    /// Seconds of the statistics alone, per repeat, on the tables already parsed: the 20 KS tests, and all
    /// tests on every column.
    func statisticsTimes(
        reference refPath: String, current curPath: String, numeric: [String], categorical: [String]
    ) throws -> (ksOnly: [Double], allStats: [Double]) {
        var options = TableReadOptions()
        options.categorical = Set(categorical)
        let reference = try TableLoader.load(refPath, options: options)
        let current = try TableLoader.load(curPath, options: options)
        let numericColumns = numeric.compactMap { name -> (TableColumn, TableColumn)? in
            guard let r = reference.column(name), let c = current.column(name) else { return nil }
            return (r, c)
        }
        let allColumns = (numeric + categorical).compactMap { name -> (String, TableColumn, TableColumn)? in
            guard let r = reference.column(name), let c = current.column(name) else { return nil }
            return (name, r, c)
        }
        var ksOnly: [Double] = []
        var allStats: [Double] = []
        for _ in 0..<peerOptions.repeats {
            ksOnly.append(Self.time { Self.ksTests(numericColumns) })
            allStats.append(Self.time { Self.allTests(allColumns) })
        }
        return (ksOnly, allStats)
    }

    /// The report's lines on driftwatch's own runs.
    func summary(_ runs: EndToEndRuns, ksOnly: [Double], allStats: [Double]) -> [String] {
        let (overhead, wallOverhead) = (runs.overhead, runs.wallOverhead)
        return [
            "driftwatch bench drift: \(tables.rows) rows × 25 columns per file, \(ChunkInfo.cores) cores, median of \(peerOptions.repeats)",
            String(
                format: "  driftwatch drift end to end (read + KS, PSI, chi-square) %8.3f s   peak memory %6.0f MB",
                median(runs.endToEnd), Double(runs.peakBytes) / 1_048_576),
            String(
                format: "  the same with --format html (the report, %4.0f KB)          %8.3f s   peak memory %6.0f MB",
                Double(runs.reportBytes) / 1024, median(runs.withReport), Double(runs.reportPeakBytes) / 1_048_576),
            String(
                format: "  CPU time (user + system), json / html                      %8.3f s / %.3f s",
                median(runs.cpu), median(runs.reportCPU)),
            String(
                format: "  report overhead: CPU time %+.1f %%, fastest wall-clock run %+.1f %%  (target < 10 %%): %@",
                overhead * 100, wallOverhead * 100, overhead < 0.1 ? "met" : "NOT met"),
            String(format: "  statistics alone: 20 KS tests (bucketing included)        %8.3f s", median(ksOnly)),
            String(format: "  statistics alone: all tests on 25 columns                 %8.3f s", median(allStats)),
        ]
    }

    /// The report's lines on the Python peers (pandas + scipy) and the ratios, or how to install them.
    func peerLines(
        reference refPath: String, current curPath: String, endToEnd: [Double], ksOnly: [Double]
    ) throws -> [String] {
        let peers = try PythonPeers.run(
            python: peerOptions.python, reference: refPath, current: curPath, repeats: peerOptions.repeats)
        guard let peers else {
            return ["  peers skipped: install them with `\(peerOptions.python) -m pip install numpy scipy pandas`"]
        }
        return [
            String(format: "  pandas.read_csv of both files                              %8.3f s", peers.read),
            String(format: "  scipy.stats.ks_2samp on 20 columns (arrays in memory)      %8.3f s", peers.ks),
            String(
                format: "  pandas + scipy end to end                                  %8.3f s",
                peers.read + peers.ks),
            String(
                format: "  ratio end to end (pandas+scipy / driftwatch)               %8.1f×  (target ≥ 5×)",
                (peers.read + peers.ks) / median(endToEnd)),
            String(
                format: "  ratio statistics (scipy 20 KS / driftwatch 20 KS)          %8.1f×  (target ≥ 3×)",
                peers.ks / median(ksOnly)),
        ]
    }

    static func ksTests(_ columns: [(TableColumn, TableColumn)]) {
        let shared = BenchColumns(items: columns.map { ("", $0.0, $0.1) })
        DispatchQueue.concurrentPerform(iterations: columns.count) { i in
            let (_, r, c) = shared.items[i]
            guard case .numeric(let rv, _, _) = r, case .numeric(let cv, _, _) = c else { return }
            // What `driftwatch drift` runs: bucketed samples, sorted only where the statistic can be.
            var (rb, cb) = BucketedSample.pair(reference: rv, current: cv)
            let result = KolmogorovSmirnov.twoSample(&rb, &cb)
            blackHole(result.pValue)
        }
    }

    static func allTests(_ columns: [(String, TableColumn, TableColumn)]) {
        let shared = BenchColumns(items: columns)
        var options = DriftOptions()
        options.methods = [.ks, .psi, .chiSquare]
        let fixed = options
        DispatchQueue.concurrentPerform(iterations: columns.count) { i in
            let (name, r, c) = shared.items[i]
            let type: ColumnType = r.isNumeric ? .numeric : .categorical
            let result: ColumnDrift
            if case .numeric(let rv, let rm, _) = r, case .numeric(let cv, let cm, _) = c {
                result = DriftEvaluator.evaluateNumeric(
                    name: name, reference: rv, referenceMissing: rm, current: cv, currentMissing: cm, options: fixed)
            } else {
                result = DriftEvaluator.evaluate(
                    name: name, type: type, reference: ColumnSample.from(r, as: type),
                    current: ColumnSample.from(c, as: type), options: fixed)
            }
            blackHole(result.tests.count)
        }
    }

    /// User + system CPU seconds of the children waited for so far (`getrusage(RUSAGE_CHILDREN)`).
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_CHILDREN.rawValue, &usage) == 0 else { return .nan }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func time(_ body: () -> Void) -> Double {
        let start = Clock.now()
        body()
        return Clock.now() - start
    }

    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0
            ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    func lineCount(_ path: String) -> Int {
        guard let bytes = try? FileBytes.read(path) else { return 0 }
        return bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}

struct BenchColumns: Sendable {
    let items: [(String, TableColumn, TableColumn)]
}

enum ChunkInfo {
    static var cores: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? .nan : s[s.count / 2]
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Monotonic seconds.
enum Clock {
    static func now() -> Double { monotonicSeconds() }
}
