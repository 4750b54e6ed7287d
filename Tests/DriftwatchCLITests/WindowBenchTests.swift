import Foundation
import Testing

/// `driftwatch bench window` at a small size: every phase runs and reports (no time is asserted).
@Suite struct WindowBenchTests {
    @Test func aSmallWindowBenchClosesTheWindowAndCountsEveryLabel() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("bench-window-\(UUID().uuidString)")
        let out = try CLIRunner.run([
            "bench", "window", "--events", "2000", "--connections", "2", "--batch", "500", "--state-dir", state.path,
            "--timeout", "300",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("2000 events in the window"))
        #expect(out.stdout.contains("labelled = 2000"))
        #expect(out.stdout.contains("GROUP BY confusion"))
    }
}
