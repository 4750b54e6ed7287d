import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch demo` (the Quick start's first command), run as a user runs it, on a shortened period at a high
/// speed: the agent closes windows, the local receiver gets alerts, a rule starts a retraining job that
/// records its decision, and the model report is written.
@Suite struct DemoCommandTests {
    @Test func theDemoRunsTheWholeLoopOnTheCarLoanData() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let state = "/tmp/driftwatch-demo-test-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: state) }
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let agentPort = Int.random(in: 20_000...40_000)
        let receiverPort = agentPort + 20_000
        let shipped = try String(contentsOfFile: root + "/Config/demo.yaml", encoding: .utf8)
        // The shipped configuration with this test's state directory, ports and paths; the retraining job's
        // default settings (no search) keep the debug build's training short.
        let config = shipped.replacingOccurrences(of: "state_dir: .driftwatch-demo", with: "state_dir: \(state)/db")
            .replacingOccurrences(of: "file: Examples/", with: "file: \(root)/Examples/")
            .replacingOccurrences(of: "127.0.0.1:18081", with: "127.0.0.1:\(receiverPort)")
            .replacingOccurrences(of: "search: grid", with: "search: none")
        #expect(config.contains("search: none") && config.contains("\(receiverPort)/driftwatch"))
        try config.write(toFile: state + "/demo.yaml", atomically: true, encoding: .utf8)
        let run = try CLIRunner.run([
            "demo", "--config", state + "/demo.yaml", "--data-dir", root + "/Examples/car_loan", "--output",
            state + "/report.html", "--port", String(agentPort), "--speed", "15", "--until", "2019-05-16",
        ])
        #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
        let out = run.stdout
        // The champion trained on the reference period and the replay up to the cut.
        #expect(out.contains("Champion v1: trained on 40,000 reference rows"), "\(out)")
        #expect(out.contains("Sent 32,577 predictions"), "\(out)")
        // Windows closed: 2018-10-25 … 2019-05-09, one a week.
        #expect(out.contains("the agent closed 29 weekly windows"), "\(out)")
        // Alerts reached the local receiver: the shift of car_value from April 2019 fires its rule.
        let firing = out.split(separator: "\n").filter { $0.hasPrefix("webhook ◂ alert.firing") }
        #expect(firing.contains { $0.contains("car_value_drift [warning]") }, "\(out)")
        let delivered = out.split(separator: "\n").first { $0.hasPrefix("Notifications delivered") } ?? ""
        #expect(!delivered.contains(": 0 alerts"), "\(delivered)")
        // A rule queued a retraining job, which finished with a recorded decision, sent to the receiver too.
        #expect(out.contains("retraining job 1 queued by rule"), "\(out)")
        let job = out.split(separator: "\n").first { $0.hasPrefix("  job 1 (queued by ") } ?? ""
        #expect(job.contains("succeeded — promoted v2") || job.contains("succeeded — kept v1"), "\(job)")
        #expect(job.contains("(challenger) vs"), "\(job)")
        #expect(out.contains("webhook ◂ retrain.completed"), "\(out)")
        // The report: the agent's model report, a complete, self-contained page.
        let report = try String(contentsOfFile: state + "/report.html", encoding: .utf8)
        #expect(report.hasPrefix("<!DOCTYPE html>") || report.hasPrefix("<!doctype html>"), "\(report.prefix(80))")
        #expect(report.hasSuffix("</html>\n") || report.hasSuffix("</html>"))
        #expect(report.contains("car_loan") && report.contains("<svg"))
        #expect(!report.contains("<script"))
        #expect(out.contains("Report: \(state)/report.html"), "\(out)")
    }
}
