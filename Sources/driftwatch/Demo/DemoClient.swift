import DriftCore
import DriftTables
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo's HTTP client of the agent (what a model server or a user's script would do).
struct DemoClient: Sendable {
    let base: String

    struct Reply: Sendable {
        let status: Int
        let body: Data
        var json: JSONValue { (try? JSONValue.parse(String(decoding: body, as: UTF8.self))) ?? .null }
        /// The agent's error message, or the status.
        var problem: String {
            if case .string(let m)? = json["error"]?["message"] { return "HTTP \(status): \(m)" }
            return "HTTP \(status)"
        }
    }

    func send(
        _ method: String, _ path: String, body: String? = nil, contentType: String = "application/json"
    )
        async throws -> Reply
    {
        guard let url = URL(string: base + path) else {
            throw DemoError(.requestFailed, "cannot build a URL from \(base + path)")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 300
        if let body {
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    /// Sends and expects a 2xx answer.
    func expect(
        _ method: String, _ path: String, body: String? = nil, contentType: String = "application/json"
    )
        async throws -> Reply
    {
        let reply = try await send(method, path, body: body, contentType: contentType)
        guard (200..<300).contains(reply.status) else {
            throw DemoError(.requestFailed, "\(method) \(path): \(reply.problem)")
        }
        return reply
    }

    /// Waits (10 s at most) for `/readyz` to answer 200.
    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if let reply = try? await send("GET", "/readyz"), reply.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DemoError(.agentNotReady, "the demo agent did not become ready at \(base)")
    }
}
