import CCurl
import DriftSystem
import Foundation

/// One HTTP POST through libcurl: a fresh easy handle per request (never shared between tasks), run on the
/// `BlockingExecutor` (never on Swift's cooperative pool), with a connect timeout and a whole-transfer
/// timeout, and no signals (`CURLOPT_NOSIGNAL`).
package enum CurlTransport {
    /// What came back: the status code and `Retry-After`, or the transport error.
    package struct Response: Sendable, Equatable {
        package let statusCode: Int
        package let retryAfter: String?
        package let body: String
    }

    /// Why a POST got no response: libcurl's error code and text.
    package struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The kind of failure; a closed set. `init_failed`: libcurl could not be initialized (or gave no handle);
        /// `transfer_failed`: the transfer failed (connect, TLS, timeout, …); `curlCode` says how.
        package enum Code: String, Sendable, CustomStringConvertible {
            case initFailed = "init_failed", transferFailed = "transfer_failed"
            package var description: String { rawValue }
        }

        package let code: Code
        /// libcurl's `CURLcode` (-1 when libcurl could not be initialized).
        package let curlCode: Int
        package let message: String
        /// `curl error <curlCode>: message`.
        package var description: String { "curl error \(curlCode): \(message)" }
    }

    /// `curl_global_init` exactly once per process.
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Sends `body` to `url` on the blocking executor and returns the response. Throws only
    /// `CancellationError`: the task was cancelled before the send started, and nothing was sent.
    package static func post(
        url: String, headers: [(String, String)], body: String, connectTimeoutSeconds: Int, timeoutSeconds: Int
    ) async throws -> Result<Response, TransportError> {
        try await BlockingExecutor.shared.run {
            postBlocking(
                url: url, headers: headers, body: body, connectTimeoutSeconds: connectTimeoutSeconds,
                timeoutSeconds: timeoutSeconds)
        }
    }

    final class Collected {
        var body = [UInt8]()
        var headers: [String] = []
    }

    static func postBlocking(
        url: String, headers: [(String, String)], body: String, connectTimeoutSeconds: Int, timeoutSeconds: Int
    ) -> Result<Response, TransportError> {
        guard initialized, let handle = curl_easy_init() else {
            return .failure(
                TransportError(code: .initFailed, curlCode: -1, message: "libcurl could not be initialized"))
        }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers + [("Content-Type", "application/json"), ("Expect", "")] {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        defer { curl_slist_free_all(list) }
        let collected = Collected()
        let unmanaged = Unmanaged.passRetained(collected)
        defer { unmanaged.release() }
        let payload = Array(body.utf8)
        return payload.withUnsafeBufferPointer { bytes -> Result<Response, TransportError> in
            _ = dw_curl_setopt_string(handle, CURLOPT_URL, url)
            _ = dw_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = dw_curl_setopt_long(handle, CURLOPT_POST, 1)
            _ = dw_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            _ = dw_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count)
            _ = dw_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
            _ = dw_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutSeconds * 1000)
            _ = dw_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutSeconds * 1000)
            _ = dw_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            _ = dw_curl_setopt_string(handle, CURLOPT_USERAGENT, "driftwatch")
            _ = dw_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
            _ = dw_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, Self.collectBody)
            _ = dw_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, unmanaged.toOpaque())
            _ = dw_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, Self.collectHeader)
            let result = curl_easy_perform(handle)
            guard result == CURLE_OK else {
                return .failure(
                    TransportError(
                        code: .transferFailed, curlCode: Int(result.rawValue),
                        message: String(cString: curl_easy_strerror(result))))
            }
            var status = 0
            _ = dw_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(
                Response(
                    statusCode: status, retryAfter: Self.retryAfter(in: collected.headers),
                    body: String(decoding: collected.body, as: UTF8.self)))
        }
    }

    /// libcurl's body callback: keeps the first 64 KiB of the answer in the `Collected` box.
    static let collectBody: dw_curl_write_callback = { pointer, size, count, userdata in
        guard let pointer, let userdata else { return 0 }
        let box = Unmanaged<Collected>.fromOpaque(userdata).takeUnretainedValue()
        let n = size * count
        if box.body.count < 65_536 {
            box.body.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: n).prefix(65_536))
        }
        return n
    }

    /// libcurl's header callback: keeps every header line in the `Collected` box.
    static let collectHeader: dw_curl_write_callback = { pointer, size, count, userdata in
        guard let pointer, let userdata else { return 0 }
        let box = Unmanaged<Collected>.fromOpaque(userdata).takeUnretainedValue()
        let n = size * count
        box.headers.append(String(decoding: UnsafeRawBufferPointer(start: pointer, count: n), as: UTF8.self))
        return n
    }

    /// The value of the last `Retry-After` header among `headers` (raw header lines), if any.
    static func retryAfter(in headers: [String]) -> String? {
        headers.lazy.compactMap { line -> String? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "retry-after" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespacesAndNewlines)
        }.last
    }
}
