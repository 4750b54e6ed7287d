import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch demo` (the Quick start's first command) runs the agent on the shipped example and prints
/// its windows, then the offline report.
@Suite struct DemoCommandTests {
    @Test func theDemoStreamsTheExampleThroughTheAgentAndPrintsItsWindows() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let state = "/tmp/driftwatch-demo-test-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let shipped = try String(contentsOfFile: root + "/Examples/car_loan/driftwatch.yaml", encoding: .utf8)
        let config = shipped.replacingOccurrences(of: "state_dir: .driftwatch-demo", with: "state_dir: \(state)/db")
            .replacingOccurrences(of: "file: Examples/", with: "file: \(root)/Examples/")
        try config.write(toFile: state + "/demo.yaml", atomically: true, encoding: .utf8)
        let run = try CLIRunner.run([
            "demo", "--config", state + "/demo.yaml", "--data-dir", root + "/Examples/car_loan", "--output",
            state + "/report.html",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("50000 accepted, 0 already stored, 0 rejected"), "\(run.stdout)")
        // Eleven 30-day windows; the drift of the monitored period's second half shows in car_value.
        #expect(run.stdout.contains("2019-04-14 → 2019-05-14"), "\(run.stdout)")
        let late = run.stdout.split(separator: "\n").first { $0.hasPrefix("2019-06-13") } ?? ""
        #expect(late.contains("car_value"), "\(late)")
        #expect(run.stdout.contains("firing critical car_value_shift"), "\(run.stdout)")
        #expect(run.stdout.contains("== Offline"))
        #expect(FileManager.default.fileExists(atPath: state + "/report.html"))
    }
}
