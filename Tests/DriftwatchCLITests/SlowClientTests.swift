import DriftTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Clients that open a connection and never finish a request: the agent closes them
/// (`server.idle_timeout`, `server.read_timeout`) instead of holding them for ever.
@Suite struct SlowClientTests {
    /// A loopback TCP connection with a one-minute receive timeout.
    final class Connection {
        let fd: Int32
        init(port: Int) throws {
            fd = try #require(LoopbackSocket.connect(port: port))
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// Sends `text`; false once the agent has closed the connection.
        @discardableResult
        func send(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                == bytes.count
        }

        /// Reads until the agent closes the connection (true) or a minute passes without it (false).
        func closedByPeer() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return true }
                if n < 0 { return errno == ECONNRESET }
            }
        }

        deinit { close(fd) }
    }

    static let chunkedHead =
        "POST /v1/models/m/predictions HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n"

    func agent(_ name: String) async throws -> AgentProcess {
        try await AgentProcess(
            name: name, models: "  m: {task: binary, features: {x: numeric}}",
            server: "idle_timeout: 1s, read_timeout: 3s",
            environment: [
                "AGENT_TEST_NO_DATABASE_URL": try TestCluster.createDatabase(
                    prefix:
                        name.replacingOccurrences(of: "-", with: "_"))
            ])
    }

    @Test func halfARequestLineIsClosedAfterTheIdleTimeout() async throws {
        let agent = try await agent("slow-line")
        defer { agent.stop() }
        let connection = try Connection(port: agent.port)
        connection.send("POST /v1/mod")
        #expect(connection.closedByPeer())
        #expect(await agent.get("/readyz")?.0 == 200)
    }

    @Test func aChunkedBodyThatNeverComesIsClosed() async throws {
        let agent = try await agent("slow-empty")
        defer { agent.stop() }
        let connection = try Connection(port: agent.port)
        connection.send(Self.chunkedHead)
        #expect(connection.closedByPeer())
    }

    @Test func aBodyTrickledSlowerThanTheReadTimeoutIsCutOff() async throws {
        let agent = try await agent("slow-trickle")
        defer { agent.stop() }
        let connection = try Connection(port: agent.port)
        connection.send(Self.chunkedHead)
        // A byte every half second keeps the connection from being idle; the read timeout still ends it.
        var open = true
        for _ in 0..<240 where open {
            open = connection.send("1\r\n \r\n")
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(!open || connection.closedByPeer())
        #expect(await agent.get("/readyz")?.0 == 200)
    }
}
