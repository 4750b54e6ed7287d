import DriftCore
import DriftStats
import DriftTables
import Foundation

/// Streams the monitored period to the agent in event time, accelerated: a simulated clock runs `speed`
/// days per wall-clock second from the first event; every tick the events whose time has come are sent to
/// `POST /v1/models/{m}/predict` (the champion answers and the agent logs the prediction, so a promoted
/// challenger makes the later predictions), and the labels of events `labelDelay` older than the clock to
/// `POST /v1/models/{m}/labels`. Requests are sent one at a time, at most 10,000 events each; when the agent
/// is slower than the clock, batches grow.
struct DemoReplay: Sendable {
    let data: DemoData
    /// The agent's HTTP client, and the model the data is sent to.
    let client: DemoClient, model: String
    /// Simulated days per second.
    let speed: Double
    /// µs between an event and its label.
    let labelDelay: Int64
    static let tick: Duration = .milliseconds(100)
    static let maxBatch = 10_000

    struct Progress: Sendable {
        /// The simulated clock (µs): the time of the newest event sent (the clock itself runs ahead of it when
        /// the agent is slower than the replay).
        var clock: Int64 = 0
        var predictions = 0
        var labels = 0
        /// Events (or labels) sent per wall second over the last second.
        var rate = 0.0
        /// Predictions made by each champion version.
        var byVersion: [Int: Int] = [:]
        var done = false
    }

    /// Runs until every event and label is sent; `report` gets the progress about once a second.
    func run(report: @Sendable (Progress) async -> Void) async throws -> Progress {
        let events = data.events
        let labelled = events.filter { $0.label != nil }
        var progress = Progress()
        guard let first = events.first?.time else {
            progress.done = true
            return progress
        }
        let started = ContinuousClock.now
        var lastReport = started
        var sentAtLastReport = 0
        // The newest event sent: a label never goes before its prediction.
        var sentThrough = Int64.min
        while progress.predictions < events.count || progress.labels < labelled.count {
            try Task.checkCancellation()
            let seconds = Self.seconds(ContinuousClock.now - started)
            let clock = first.addingSaturating(Int64(clampingFinite: seconds * speed * 86_400_000_000))
            if let newest = try await sendPredictions(events, upTo: clock, progress: &progress) {
                sentThrough = newest
            }
            try await sendLabels(labelled, upTo: clock, sentThrough: sentThrough, progress: &progress)
            let now = ContinuousClock.now
            if now - lastReport >= .seconds(1) {
                let sent = progress.predictions + progress.labels
                progress.rate = Double(sent - sentAtLastReport) / Self.seconds(now - lastReport)
                sentAtLastReport = sent
                lastReport = now
                await report(progress)
            }
            try await Task.sleep(for: Self.tick)
        }
        progress.done = true
        progress.clock = max(progress.clock, (labelled.last?.time ?? first) + labelDelay)
        await report(progress)
        return progress
    }

    /// A duration in seconds.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Sends the next events due by `clock` (at most `maxBatch`) to `/predict`, counting them by the champion
    /// version that answered; returns the newest event's time, nil when none was due.
    func sendPredictions(
        _ events: [DemoData.Event], upTo clock: Int64, progress: inout Progress
    ) async throws -> Int64? {
        var end = progress.predictions
        while end < events.count && events[end].time <= clock && end - progress.predictions < Self.maxBatch {
            end += 1
        }
        guard end > progress.predictions else { return nil }
        let batch = events[progress.predictions..<end]
        let reply = try await client.expect(
            "POST", "/v1/models/\(model)/predict",
            body: "{\"instances\":[" + batch.map(\.json).joined(separator: ",") + "]}")
        if case .number(let v)? = reply.json["model_version"] {
            progress.byVersion[Int(v), default: 0] += batch.count
        }
        progress.predictions = end
        progress.clock = events[end - 1].time
        return events[end - 1].time
    }

    /// Sends the next labels due by `clock` (`labelDelay` after their event, never before its prediction was
    /// sent, at most `maxBatch`) to `/labels` as NDJSON.
    func sendLabels(
        _ labelled: [DemoData.Event], upTo clock: Int64, sentThrough: Int64, progress: inout Progress
    ) async throws {
        var end = progress.labels
        while end < labelled.count && labelled[end].time + labelDelay <= clock
            && labelled[end].time <= sentThrough && end - progress.labels < Self.maxBatch
        {
            end += 1
        }
        guard end > progress.labels else { return }
        let lines = labelled[progress.labels..<end].map { e in
            var w = JSONWriter(pretty: false)
            w.beginObject()
            w.string("id", e.id)
            w.string("label", e.label)
            w.endObject()
            return w.text
        }
        _ = try await client.expect(
            "POST", "/v1/models/\(model)/labels", body: lines.joined(separator: "\n"),
            contentType: "application/x-ndjson")
        progress.labels = end
    }
}
