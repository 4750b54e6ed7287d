import DriftCore
import DriftTables
import Foundation
import Hummingbird
import Logging

/// The demo's webhook receiver: a second small HTTP server on loopback, at the URL of the configuration's
/// `demo` receiver, that takes the agent's `json` notifications (alerts firing and resolved, retraining jobs
/// completed or failed), prints each in one line and keeps them for the summary.
struct DemoReceiver {
    let host: String
    let port: Int
    let path: String
    let inbox: DemoInbox
    let console: DemoConsole

    init(url: String, inbox: DemoInbox, console: DemoConsole) throws {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host, let port = parsed.port
        else {
            throw DemoError(.invalidSetup, "the demo receiver's url must be http://HOST:PORT/PATH, not \(url)")
        }
        self.host = host
        self.port = port
        path = parsed.path.isEmpty ? "/" : parsed.path
        self.inbox = inbox
        self.console = console
    }

    func application(logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let inbox = inbox
        let console = console
        router.post(RouterPath(path)) { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let value = try? JSONValue.parse(String(buffer: body)) else { return .badRequest }
            let notification = DemoNotification(value)
            let id = request.headers.first { $0.name.canonicalName == "webhook-id" }?.value
            if await inbox.add(notification, webhookID: id) { await console.line(notification.line) }
            return .noContent
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "driftwatch-demo-receiver"),
            logger: logger)
    }
}

/// A demo step that cannot go on (printed, exit code 1).
struct DemoError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; a closed set. `invalid_setup`: the demo's configuration, data or receiver URL do not fit;
    /// `request_failed`: a request to the demo agent failed or was refused; `agent_not_ready`: the demo agent did not
    /// become ready.
    enum Code: String, Sendable, CustomStringConvertible {
        case invalidSetup = "invalid_setup", requestFailed = "request_failed", agentNotReady = "agent_not_ready"
        var description: String { rawValue }
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
