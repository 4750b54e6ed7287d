import ArgumentParser
import DriftCore
import DriftStats
import DriftSystem
import DriftTables
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `driftwatch reference set|show`: sets or shows a model's reference on a running agent.
struct ReferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference", abstract: "Set or show a model's reference profile on a running agent.",
        subcommands: [Set.self, Show.self])

    /// Where the agent is and how to authenticate.
    struct AgentOptions: ParsableArguments {
        @Option(help: "The agent's base URL.")
        var url = "http://127.0.0.1:8080"
        @Option(help: "Bearer token (default: $DRIFTWATCH_TOKEN).")
        var token: String?
        @Option(help: "The model.")
        var model: String

        func validate() throws {
            if URL(string: url)?.host == nil {
                throw ValidationError("--url must be an absolute URL, e.g. http://127.0.0.1:8080")
            }
        }

        func request(_ method: String, query: String = "") throws -> URLRequest {
            let encoded = model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? model
            guard let endpoint = URL(string: "\(url)/v1/models/\(encoded)/reference\(query)") else {
                throw ValidationError("cannot build a URL from --url and --model")
            }
            var request = URLRequest(url: endpoint)
            request.httpMethod = method
            request.timeoutInterval = 600
            if let bearer = token ?? ProcessInfo.processInfo.environment["DRIFTWATCH_TOKEN"] {
                request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization")
            }
            return request
        }

        /// Sends `request`; prints the reply's summary, or its error and exits 2.
        func send(_ request: URLRequest) async throws {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let text = String(decoding: data, as: UTF8.self)
            guard status == 200 else {
                let reply = (try? JSONValue.parse(text)) ?? .null
                var message = "HTTP \(status)"
                if case .string(let m)? = reply["error"]?["message"] { message = m }
                if case .number(let line)? = reply["error"]?["line"] {
                    message = "line \(Int(clampingFinite: line)): " + message
                }
                FileHandleOutput.standardError("driftwatch: the agent refused: \(message)\n")
                throw ExitCode(2)
            }
            FileHandleOutput.standardOutput(text + "\n")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a CSV or NDJSON file (optionally gzipped) the model's reference.",
            discussion: """
                The file needs a column per configured feature; `prediction` and `score` columns are profiled \
                when present. Windows closed from now on are compared with it.
                """)

        @OptionGroup var agent: AgentOptions
        @Option(help: "The reference file.")
        var file: String

        func run() async throws {
            let file = self.file
            let body = try await BlockingExecutor.shared.run { try FileBytes.withContents(file) { Data($0) } }
            let name = (file as NSString).lastPathComponent
            let query = "?source=" + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file")
            var request = try agent.request("PUT", query: query)
            request.setValue(
                TableLoader.isNDJSON(file) ? "application/x-ndjson" : "text/csv", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
            try await agent.send(request)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the model's current reference.")
        @OptionGroup var agent: AgentOptions

        func run() async throws { try await agent.send(try agent.request("GET")) }
    }
}
