import DriftCore
import DriftStats
import DriftStore
import DriftSystem
import DriftTables
import Foundation
import ServiceLifecycle

/// The demo's script, run as the last service of the demo's `ServiceGroup` (so Ctrl-C stops it first, then
/// the agent's services in reverse order): trains and promotes the first champion, replays the monitored
/// period, waits for the agent to finish what the replay started (windows, retraining, notifications), writes
/// the report and prints the summary; with `--keep-running` it then waits for Ctrl-C.
struct DemoDriver: Service {
    /// What `driftwatch demo` was asked for.
    struct Settings: Sendable {
        /// The agent's configuration file and the demo's data directory.
        var configPath: String, dataDir: String
        /// Where the HTML report is written.
        var output: String
        /// Simulated days per second, and days between an event and its label.
        var speed: Double, labelDelayDays: Double
        var keepRunning: Bool
        var receiverURL: String
        var agentURL: String
    }

    let settings: Settings
    let model: ModelConfiguration
    let data: DemoData
    let client: DemoClient
    let monitor: DemoMonitor
    let console: DemoConsole
    let inbox: DemoInbox
    let outcome: DemoOutcome

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await script() }
        } catch is CancellationError {
            await outcome.set(.interrupted)
            return
        } catch {
            await outcome.set(.failed("\(error)"))
            return
        }
        if Task.isCancelled {
            await outcome.set(.interrupted)
            return
        }
        await outcome.set(.finished)
        if settings.keepRunning {
            // Until Ctrl-C (SIGINT) or SIGTERM starts the group's graceful shutdown.
            try? await gracefulShutdown()
        }
    }

    func script() async throws {
        let started = ContinuousClock.now
        try await client.waitUntilReady()
        try await uploadChampion()
        let tracker = DemoTracker()
        let delay = Int64(clampingFinite: settings.labelDelayDays * 86_400_000_000)
        let first = data.events.first?.time ?? 0
        let last = data.events.last?.time ?? 0
        await console.line(
            "\nReplaying \(Self.count(data.events.count)) loan applications, \(Self.day(first)) → \(Self.day(last)), at \(Self.format(settings.speed)) simulated day\(settings.speed == 1 ? "" : "s") per second; each label arrives \(Self.format(settings.labelDelayDays)) days after its prediction.\n"
        )
        let replay = DemoReplay(
            data: data, client: client, model: model.name, speed: settings.speed, labelDelay: delay)
        let monitor = monitor
        let console = console
        let progress = try await replay.run { progress in
            guard let snapshot = try? await monitor.snapshot() else { return }
            for line in await tracker.milestones(snapshot, clock: progress.clock) { await console.line(line) }
            await console.status(Self.status(progress, snapshot))
        }
        // Let the agent finish: the last window closes after its allowed lateness of quiet, labels sent last
        // are counted and judged, a job the last windows queued runs, and the outbox empties.
        let expected = expectedWindows(first: first, last: last)
        var settledSince: ContinuousClock.Instant?
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            let snapshot = try await monitor.snapshot()
            for line in await tracker.milestones(snapshot, clock: nil) { await console.line(line) }
            let busy = snapshot.jobs.contains { $0.status == "queued" || $0.status == "running" }
            let done = snapshot.windowsClosed >= expected && !busy
            let waiting =
                snapshot.windowsClosed < expected
                ? "the last window" : busy ? "retraining job \(snapshot.jobs.last?.jobID ?? 0)" : "the notifications"
            await console.status("Replay done; waiting for \(waiting) · " + Self.agentSummary(snapshot))
            if done, try await monitor.outboxSettled() {
                if let since = settledSince, ContinuousClock.now - since >= .seconds(3) { break }
                settledSince = settledSince ?? ContinuousClock.now
            } else {
                settledSince = nil
            }
        }
        let final = try await monitor.snapshot()
        await console.finishStatus(
            "Replay done in \(Self.duration(ContinuousClock.now - started)) · " + Self.agentSummary(final))
        let report = try await client.expect("GET", "/v1/models/\(model.name)/report")
        try OutputWriter.write(String(decoding: report.body, as: UTF8.self), to: settings.output)
        try await printSummary(progress: progress, snapshot: final)
    }

    /// Trains the first champion on the reference period and uploads it as version 1, promoted.
    func uploadChampion() async throws {
        await console.line(
            "Training the first champion (built-in trainer, MLP) on the reference period with its labels…")
        let (dataDir, model) = (settings.dataDir, self.model)
        let (trained, period) = try await BlockingExecutor.shared.run {
            let (set, period) = try DemoData.reference(dataDir: dataDir, model: model)
            return (try DemoChampion.train(set, period: period, task: model.task), period)
        }
        let reply = try await client.expect(
            "POST", "/v1/models/\(model.name)/versions?promote=true",
            body: String(decoding: trained.artifactJSON, as: UTF8.self))
        let version = DemoNotification.number(reply.json["version"]).map { String(Int($0)) } ?? "1"
        let e = trained.evaluation
        await console.line(
            "Champion v\(version): trained on \(Self.count(trained.trainingRows)) reference rows"
                + (period.map { " (\(Self.day($0.lowerBound)) → \(Self.day($0.upperBound)))" } ?? "")
                + "; on \(Self.count(e.rows)) held-out reference rows F1 \(e.f1.map(Self.format) ?? "-"), ROC AUC \(e.rocAUC.map(Self.format) ?? "-"). Promoted: POST /v1/models/\(model.name)/predict answers with it."
        )
    }

    /// How many windows the replayed period spans (they close one after the other, empty ones too).
    func expectedWindows(first: Int64, last: Int64) -> Int {
        guard case .duration(let seconds) = model.window, seconds > 0 else { return 0 }
        let size = Int64(seconds) * 1_000_000
        return Int(last / size - first / size) + 1
    }

    /// Prints what happened: what was sent, the notifications, the retraining jobs, the realized F1 by
    /// version, and where to look next.
    func printSummary(progress: DemoReplay.Progress, snapshot: DemoMonitor.Snapshot) async throws {
        var text = "\n== What happened ==\n\n"
        text +=
            "Sent \(Self.count(progress.predictions)) predictions (made by the champion through /predict) and \(Self.count(progress.labels)) labels; the agent closed \(snapshot.windowsClosed) weekly windows.\n"
        let byVersion = progress.byVersion.keys.sorted().map { "v\($0) \(Self.count(progress.byVersion[$0] ?? 0))" }
        text += "Predictions by champion version: \(byVersion.joined(separator: ", "))\n"
        text += await notificationSummary()
        let (jobs, promoted) = jobSummary(snapshot)
        text += jobs
        text += try await scoreSummary(promoted: promoted)
        text += links()
        await console.line(text)
    }

    /// The notifications the demo's receiver got, one a line.
    func notificationSummary() async -> String {
        let notifications = await inbox.notifications
        let alerts = notifications.filter { $0.type.hasPrefix("alert.") }
        var text =
            "\nNotifications delivered to the demo's receiver (\(settings.receiverURL)): \(alerts.count) alert\(alerts.count == 1 ? "" : "s"), \(notifications.count - alerts.count) retraining\n"
        for n in notifications { text += "  " + n.line.replacingOccurrences(of: "webhook ◂ ", with: "") + "\n" }
        if notifications.isEmpty { text += "  none\n" }
        return text
    }

    /// The retraining jobs and their decisions, and how many promoted their challenger.
    func jobSummary(_ snapshot: DemoMonitor.Snapshot) -> (text: String, promoted: Int) {
        var text = "\nRetraining jobs (policy: \(retrainPolicy())):\n"
        if snapshot.jobs.isEmpty { text += "  none was queued (no rule with retrain: true fired)\n" }
        var promoted = 0
        for job in snapshot.jobs {
            var line = "  job \(job.jobID) (queued by \(job.reason)): \(job.status)"
            if let result = job.resultJSON.flatMap({ try? JSONValue.parse($0) }) {
                line += " — " + DemoNotification.decision(result)
                if DemoNotification.string(result["decision"]) == "promoted" { promoted += 1 }
            } else if let error = job.error {
                line += " — \(error)"
            }
            text += line + "\n"
        }
        if !snapshot.jobs.isEmpty && promoted == 0 {
            text +=
                "  On this run the challenger did not beat the champion by the margin, so the champion kept serving: retraining on recent rows does not help every time, and the agent says so rather than promote a model that is not better.\n"
        }
        return (text, promoted)
    }

    /// The realized F1 of the labelled predictions by the version that made them, before and after the shift;
    /// empty when there is none.
    func scoreSummary(promoted: Int) async throws -> String {
        let shift = try await monitor.firstDriftedWindow(feature: "car_value", method: "psi")
        let scores = try await monitor.scoresByVersion(shift: shift)
        guard !scores.isEmpty else { return "" }
        var text =
            "\nRealized F1 (class 1) of the labelled predictions, by the version that made them"
            + (shift.map { " (the shift: car_value drifted from the week of \(Self.day($0)))" } ?? "") + ":\n"
        for s in scores {
            text +=
                "  v\(s.version) \(s.afterShift ? "after the shift " : "before the shift")  F1 \(String(format: "%.3f", s.f1)) on \(Self.count(s.rows)) predictions\n"
        }
        if promoted > 0 {
            text +=
                "  (different weeks; the jobs above compare champion and challenger on the same held-out rows)\n"
        }
        return text
    }

    /// Where to look next: the report file, the agent's endpoints and the dashboards.
    func links() -> String {
        let path =
            settings.output.hasPrefix("/")
            ? settings.output : FileManager.default.currentDirectoryPath + "/" + settings.output
        var text = "\nReport: \(path) — the agent's model report over the whole period (open it in a browser).\n"
        let base = settings.agentURL
        let m = "/v1/models/\(model.name)"
        let links = [
            ("/metrics", "Prometheus metrics"), ("\(m)/report", "the same report, live"),
            ("\(m)/status", "latest window, open alerts"),
            ("\(m)/versions", "champion, retired and rejected versions"),
            ("\(m)/retrain-jobs", "jobs with both scores and the decision"),
        ]
        let width = links.map(\.0.count).max() ?? 0
        text += "\nLook at (while the agent runs; see --keep-running):\n"
        for (path, what) in links {
            text += "  \(base)\(path)" + String(repeating: " ", count: width - path.count + 2) + what + "\n"
        }
        text +=
            "  Dashboards/ (Grafana: driftwatch-model.json, driftwatch-fleet.json; set-up in Dashboards/README.md)\n"
        if settings.keepRunning {
            text +=
                "The agent keeps running at \(base) (configuration \(settings.configPath)); press Ctrl-C to stop it (or kill -TERM \(getpid())).\n"
        }
        return text
    }

    func retrainPolicy() -> String {
        let p = model.retrain
        return
            "\(p.modelKind?.rawValue ?? "default") on the last \(p.trainingWindowSeconds / 86_400) days of labelled predictions, \(Self.format(p.holdoutFraction * 100)) % newest held out, promoted when \(p.metric) is better by ≥ \(Self.format(p.margin))"
    }

    // MARK: Formatting

    static func status(_ p: DemoReplay.Progress, _ s: DemoMonitor.Snapshot) -> String {
        "▶ \(day(p.clock)) · \(count(p.predictions)) predictions · \(count(p.labels)) labels · \(count(Int(clampingFinite: p.rate)))/s · "
            + agentSummary(s)
    }

    static func agentSummary(_ s: DemoMonitor.Snapshot) -> String {
        var parts = ["\(s.windowsClosed) week\(s.windowsClosed == 1 ? "" : "s") closed"]
        if let f1 = s.latestF1 { parts.append("F1 \(String(format: "%.3f", f1.value)) (week \(f1.week.suffix(5)))") }
        parts.append(s.firing.isEmpty ? "no alert firing" : "firing: " + s.firing.joined(separator: ", "))
        parts.append("champion v\(s.championVersion.map(String.init) ?? "-")")
        if let job = s.jobs.last {
            let decision = job.resultJSON.flatMap { try? JSONValue.parse($0) }.flatMap {
                DemoNotification.string($0["decision"])
            }
            parts.append("job \(job.jobID) \(decision ?? job.status)")
        }
        return parts.joined(separator: " · ")
    }

    static func day(_ t: Int64) -> String { String(RFC3339.text(microseconds: t).prefix(10)) }

    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    static func format(_ v: Double) -> String { DemoNotification.format(v) }

    static func duration(_ d: Duration) -> String {
        let s = Int(d.components.seconds)
        return s >= 60 ? "\(s / 60) min \(s % 60) s" : "\(s) s"
    }
}

/// How the demo's script ended.
actor DemoOutcome {
    enum State: Sendable {
        case running
        case finished
        case interrupted
        case failed(String)
    }
    private(set) var state = State.running
    func set(_ s: State) { state = s }
}

/// Turns changes between two snapshots into lines: a job queued or started, a new champion.
actor DemoTracker {
    var jobs: [Int64: String] = [:]
    var champion: Int?

    /// `clock`: the replay's simulated time (µs), nil once the replay is over.
    func milestones(_ s: DemoMonitor.Snapshot, clock: Int64?) -> [String] {
        var lines: [String] = []
        let when = clock.map { "simulated \(DemoDriver.day($0))" } ?? "after the replay"
        for job in s.jobs where jobs[job.jobID] != job.status {
            let before = jobs[job.jobID]
            jobs[job.jobID] = job.status
            if before == nil {
                lines.append("agent   ▸ retraining job \(job.jobID) queued by rule \(job.reason) (\(when))")
            }
            if job.status == "running" {
                lines.append(
                    "agent   ▸ retraining job \(job.jobID) running: training a challenger on recent labelled predictions"
                )
            }
        }
        if let v = s.championVersion, v != champion {
            if champion != nil {
                lines.append("agent   ▸ champion is now v\(v): /predict answers with it from here on (\(when))")
            }
            champion = v
        }
        return lines
    }
}
