import ArgumentParser
import DriftSystem
import DriftTables

/// `driftwatch bench drift`'s end-to-end runs: the real command in a child process, JSON output and the HTML
/// report interleaved so that load from other processes falls on both alike; wall and CPU seconds and peak
/// memory from the kernel.
struct EndToEndRuns {
    /// Wall seconds per JSON run, and per HTML run.
    var endToEnd: [Double] = []
    var withReport: [Double] = []
    /// User + system CPU seconds per JSON run, and per HTML run.
    var cpu: [Double] = []
    var reportCPU: [Double] = []
    /// Peak resident bytes of the JSON runs, and of the HTML runs.
    var peakBytes = 0
    var reportPeakBytes = 0
    /// Size of the last HTML report.
    var reportBytes = 0

    /// Runs `arguments` `repeats` times with `--format json` and with `--format html`, writing into `dir`.
    init(arguments: [String], dir: String, repeats: Int) throws {
        for _ in 0..<repeats {
            for html in [false, true] {
                let output = dir + (html ? "/report.html" : "/result.json")
                let before = DriftBenchCommand.childrenCPUSeconds()
                let run = try ChildProcess.run(arguments + ["--format", html ? "html" : "json", "--output", output])
                let used = DriftBenchCommand.childrenCPUSeconds() - before
                guard run.status == 0 || run.status == 1 else {
                    throw ValidationError("driftwatch drift failed with status \(run.status)")
                }
                if html {
                    withReport.append(run.seconds)
                    reportCPU.append(used)
                    reportPeakBytes = max(reportPeakBytes, run.peakResidentBytes)
                    reportBytes = (try? FileBytes.read(output).count) ?? 0
                } else {
                    endToEnd.append(run.seconds)
                    cpu.append(used)
                    peakBytes = max(peakBytes, run.peakResidentBytes)
                }
            }
        }
    }

    /// The report's overhead on CPU time (user + system, medians): on a shared machine wall time is noisy.
    var overhead: Double { median(reportCPU) / median(cpu) - 1 }

    /// The report's overhead on the fastest wall-clock runs.
    var wallOverhead: Double { (withReport.min() ?? .nan) / (endToEnd.min() ?? .nan) - 1 }
}
