import CCurl
import DriftCore
import DriftStats
import DriftStore
import DriftSystem
import DriftTables
import Foundation
import Synchronization

/// The ingest benchmark's load generator: `connections` threads, each with its own libcurl easy handle
/// (a kept-alive HTTP/1.1 connection), POSTing NDJSON requests of `batch` events to the agent, paced to
/// `rate` events/s when given. Events have 20 numeric and 5 categorical features, unique ids and event
/// times walking forward (48 h over 2,000,000 events), so windows close during the run.
final class IngestLoadClient: Sendable {
    let url: String
    let connections: Int
    let batch: Int
    /// The first event's index (so two phases never repeat an id).
    let firstEvent: Int
    let events: Int
    let rate: Double?
    /// Event time between two consecutive events.
    let step: Int64
    /// Send each event's ground-truth label (`{"id", "label", "timestamp"}`) instead of the event.
    let labels: Bool
    /// Precomputed `"features": {...}` fragments, combined with unique ids and times.
    let fragments: [String]
    let next = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let latencies = Mutex<[Double]>([])

    static let start: Int64 = 1_795_392_000_000_000  // 2026-11-23T00:00:00Z
    static let stepMicroseconds: Int64 = 86_400

    init(
        url: String, connections: Int, batch: Int, firstEvent: Int, events: Int, rate: Double?,
        step: Int64 = stepMicroseconds, labels: Bool = false
    ) {
        self.url = url
        self.step = step
        self.labels = labels
        self.connections = connections
        self.batch = batch
        self.firstEvent = firstEvent
        self.events = events
        self.rate = rate
        var rng = SplitMix64(seed: 7)
        fragments = (0..<1024).map { _ in
            var parts: [String] = []
            for f in 0..<20 {
                parts.append("\"n\(f)\":\(NumberFormatting.label((rng.nextGaussian() * 1000).rounded() / 100))")
            }
            for f in 0..<5 { parts.append("\"c\(f)\":\"v\(rng.next() % 12)\"") }
            return "{" + parts.joined(separator: ",") + "}"
        }
    }

    /// Features of the benchmark's model, as its configuration lists them.
    static var featuresYAML: String {
        ((0..<20).map { "n\($0): numeric" } + (0..<5).map { "c\($0): categorical" }).joined(separator: ", ")
    }

    /// The NDJSON body of request `k`.
    func body(_ k: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(batch * 420)
        let lo = firstEvent + k * batch
        for i in lo..<min(lo + batch, firstEvent + events) {
            let time = RFC3339.text(microseconds: Self.start + Int64(i) * step)
            let score = Double(i % 1000) / 1000
            if labels {
                out.append(contentsOf: "{\"id\":\"e\(i)\",\"label\":\"\(Self.truth(i))\"}\n".utf8)
                continue
            }
            let line =
                "{\"id\":\"e\(i)\",\"timestamp\":\"\(time)\",\"features\":\(fragments[i % fragments.count]),\"prediction\":\"\(score > 0.5 ? 1 : 0)\",\"score\":\(score),\"latency_ms\":\(5 + i % 40)}\n"
            out.append(contentsOf: line.utf8)
        }
        return out
    }

    /// Event `i`'s true class: its prediction (`score > 0.5`) for 17 events in 20, the other class else.
    static func truth(_ i: Int) -> Int {
        let predicted = Double(i % 1000) / 1000 > 0.5 ? 1 : 0
        return i % 20 < 17 ? predicted : 1 - predicted
    }

    /// Runs the load to its end; returns the wall time in seconds.
    func run() -> Double {
        _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        let requests = (events + batch - 1) / batch
        let started = monotonicSeconds()
        let group = DispatchGroup()
        for _ in 0..<connections {
            group.enter()
            Thread.detachNewThread {
                self.connection(requests: requests, started: started)
                group.leave()
            }
        }
        group.wait()
        return monotonicSeconds() - started
    }

    func connection(requests: Int, started: Double) {
        guard let handle = curl_easy_init() else {
            failures.add(1, ordering: .relaxed)
            return
        }
        defer { curl_easy_cleanup(handle) }
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = curl_slist_append(headers, "Content-Type: application/x-ndjson")
        headers = curl_slist_append(headers, "Expect:")
        defer { curl_slist_free_all(headers) }
        let discard: dw_curl_write_callback = { _, size, count, _ in size * count }
        var mine: [Double] = []
        while true {
            let k = next.add(1, ordering: .relaxed).oldValue
            guard k < requests else { break }
            if let rate {
                // Open loop: request k is due at k × batch / rate seconds.
                let due = started + Double(k * batch) / rate
                let wait = due - monotonicSeconds()
                if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
            }
            let payload = body(k)
            let sent = monotonicSeconds()
            var status = 0
            let result = payload.withUnsafeBytes { bytes -> CURLcode in
                _ = dw_curl_setopt_string(handle, CURLOPT_URL, url)
                _ = dw_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                _ = dw_curl_setopt_long(handle, CURLOPT_POST, 1)
                _ = dw_curl_setopt_pointer(
                    handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                _ = dw_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count)
                _ = dw_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
                _ = dw_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, 120_000)
                _ = dw_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, discard)
                return curl_easy_perform(handle)
            }
            var code = 0
            _ = dw_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
            status = code
            if result != CURLE_OK || status != 200 { failures.add(1, ordering: .relaxed) }
            mine.append(monotonicSeconds() - sent)
        }
        latencies.withLock { $0 += mine }
    }

    /// The p-quantile (0…1) of the acknowledgement latencies, in milliseconds.
    func latency(_ p: Double) -> Double {
        let sorted = latencies.withLock { $0 }.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] * 1000
    }
}
