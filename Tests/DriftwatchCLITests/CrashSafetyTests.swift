import DriftCore
import DriftStats
import DriftTables
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An agent killed with SIGKILL at any moment of ingest loses no acknowledged event and, restarted,
/// stores the window figures an agent that never stopped stores.
///
/// The allowed lateness (2 min) is longer than a restart or an outage takes even on a loaded machine (30 s was
/// not, with the whole suite running on two cores): a model idle for its allowed lateness has its open window
/// closed (that is what closes a stream's last window), and a restart is a pause in traffic like any other.
@Suite struct CrashSafetyTests {
    static func models(latenessSeconds: Int = 120) -> String {
        """
          loans:
            task: binary
            features: {amount: numeric, term: numeric, grade: categorical}
            window: 1h
            allowed_lateness: \(latenessSeconds)s
            reference: {file: reference.csv}
        """
    }

    /// Requests of 200 events covering four hours of event time, in order.
    static func batches() -> [String] {
        let rows = AgentWindowsTests.rows(4_000, seed: 21, shift: 0)
        var batches: [String] = []
        for start in stride(from: 0, to: rows.count, by: 200) {
            let lines = (start..<start + 200).map { i -> String in
                let r = rows[i]
                let second = i * 4 * 3600 / rows.count
                let stamp = String(format: "2026-11-20T%02d:%02d:%02dZ", second / 3600, second / 60 % 60, second % 60)
                let amount = r.0 + Double(i / 1000) * 900  // a drift that grows hour by hour
                return
                    #"{"id":"e\#(i)","timestamp":"\#(stamp)","features":{"amount":\#(amount),"term":\#(r.1),"grade":"\#(r.2)"},"prediction":"\#(r.3)","score":\#(r.4)}"#
            }
            batches.append(lines.joined(separator: "\n"))
        }
        return batches
    }

    /// POSTs one request; the status, or nil when the connection failed.
    static func post(_ base: String, _ body: String) async -> Int? {
        guard let url = URL(string: base + "/v1/models/loans/predictions") else { return nil }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-ndjson", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 30
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    static func referenceCSV() -> String {
        "amount,term,grade,prediction,score\n"
            + AgentWindowsTests.rows(2_000, seed: 22, shift: 0).map { "\($0.0),\($0.1),\($0.2),\($0.3),\($0.4)" }
            .joined(separator: "\n") + "\n"
    }

    /// The stored series of `metric` over the test's hours, as comparable lines.
    static func series(_ agent: AgentProcess, _ metric: String) async -> [String] {
        let body =
            await agent.get(
                "/v1/models/loans/metrics?metric=\(metric)&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")?
            .1 ?? ""
        guard case .array(let items)? = (try? JSONValue.parse(body))?["points"] else { return [] }
        return items.map { item in
            ["window_start", "feature", "method", "value", "drift"].map { key in
                switch item[key] {
                case .string(let s)?: return s
                case .number(let n)?: return "\(n)"
                case .bool(let b)?: return "\(b)"
                default: return "-"
                }
            }.joined(separator: " ")
        }
    }

    @Test func anAgentKilledAtAnyMomentDuringIngestEndsWithTheFiguresOfOneNeverKilled() async throws {
        let batches = Self.batches()
        let files = ["reference.csv": Self.referenceCSV()]
        let agent = try await AgentProcess(name: "crash", models: Self.models(), files: files)
        defer { agent.stop() }
        var rng = SplitMix64(seed: 5)
        var kills = 0
        var acknowledged = 0
        for (i, body) in batches.enumerated() {
            var done = false
            if i % 4 == 1 {
                // Kill the agent while this request is in flight (anywhere from before it is read to after
                // its commit), restart it, and retry until acknowledged.
                let base = agent.base
                async let status = Self.post(base, body)
                try await Task.sleep(for: .milliseconds(Int(rng.next() % 40)))
                agent.kill()
                kills += 1
                done = await status == 200
                try await agent.start()
            }
            // Retried until acknowledged (bounded, generously: a restart on a loaded machine is slow).
            var attempts = 0
            while !done && attempts < 1200 {
                attempts += 1
                done = await Self.post(agent.base, body) == 200
                if !done { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(done, "batch \(i) was never acknowledged:\n\(agent.log)")
            if done { acknowledged += 1 }
        }
        #expect(kills == batches.count / 4)
        #expect(acknowledged == batches.count)
        // The same stream to an agent that never stops.
        let calm = try await AgentProcess(name: "calm", models: Self.models(), files: files)
        defer { calm.stop() }
        for body in batches { #expect(await Self.post(calm.base, body) == 200) }
        // Traffic stops; after the allowed lateness of idle time every window closes, in both.
        for a in [agent, calm] {
            let status = try await a.wait("/v1/models/loans/status", seconds: 600) {
                $0.contains(#""last_closed_window":{"start":"2026-11-20T03:00:00Z""#)
            }
            #expect(status != nil)
        }
        // Every acknowledged event is stored exactly once, none late: 4 windows of 1,000.
        let volume = await Self.series(agent, "volume")
        #expect(volume.map { $0.split(separator: " ")[3] } == ["1000.0", "1000.0", "1000.0", "1000.0"])
        for metric in ["volume", "drift_statistic", "p_value", "missing_rate", "drifted_feature_ratio", "late_events"] {
            let killed = await Self.series(agent, metric)
            let steady = await Self.series(calm, metric)
            #expect(killed == steady, "\(metric)")
        }
        #expect(await Self.series(agent, "drift_statistic").count >= 4 * 5)
    }
}
