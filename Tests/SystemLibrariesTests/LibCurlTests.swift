import CCurl
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// libcurl is linked and makes a real HTTP request to a server on loopback.
@Suite struct LibCurlTests {
    @Test func getsFromALoopbackServer() throws {
        let server = try OneShotHTTPServer(body: "hello from loopback")
        server.start()
        #expect(curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK)
        let handle = try #require(curl_easy_init(), "curl_easy_init returned NULL")
        defer { curl_easy_cleanup(handle) }
        let sink = ResponseSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        #expect(dw_curl_setopt_string(handle, CURLOPT_URL, "http://127.0.0.1:\(server.port)/ping") == CURLE_OK)
        #expect(dw_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) == CURLE_OK)
        #expect(dw_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, 10_000) == CURLE_OK)
        #expect(dw_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque()) == CURLE_OK)
        let write: dw_curl_write_callback = { pointer, size, count, userdata in
            guard let pointer, let userdata else { return 0 }
            let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
            let n = size * count
            sink.data.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: n)
            return n
        }
        #expect(dw_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, write) == CURLE_OK)
        let result = curl_easy_perform(handle)
        #expect(result == CURLE_OK, "\(String(cString: curl_easy_strerror(result)))")
        var status = 0
        #expect(dw_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK)
        #expect(status == 200)
        #expect(String(decoding: sink.data, as: UTF8.self) == "hello from loopback")
        server.wait()
        #expect(server.requestLine.hasPrefix("GET /ping HTTP/1.1"))
    }
}

final class ResponseSink {
    var data = Data()
}

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers one request with 200 and a fixed body.
final class OneShotHTTPServer: @unchecked Sendable {
    // @unchecked Sendable: `requestLine` is written by the server thread before `done` is signalled
    // and read only after `wait()`; the other stored properties are immutable.
    let port: UInt16
    private let listener: Int32
    private let body: String
    private let done = DispatchSemaphore(value: 0)
    private(set) var requestLine = ""

    init(body: String) throws {
        self.body = body
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
    }

    func start() {
        Thread.detachNewThread { [self] in
            defer {
                close(listener)
                done.signal()
            }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            var received = [UInt8]()
            while !received.containsHeaderEnd {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            requestLine = String(decoding: received, as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
            let response =
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = Array(response.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        }
    }

    func wait() { done.wait() }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        count >= 4
            && (0...(count - 4)).contains {
                self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10
            }
    }
}
