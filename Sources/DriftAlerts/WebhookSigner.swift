import Crypto
import Foundation

/// Signatures of a webhook body (HMAC-SHA256 from swift-crypto):
/// - Standard Webhooks (standardwebhooks.com): `webhook-signature: v1,<base64 HMAC(secret, "<id>.<timestamp>.<body>")>`,
///   where a secret written `whsec_<base64>` is the base64-decoded bytes, any other secret its UTF-8 bytes;
/// - GitHub's `X-Hub-Signature-256: sha256=<hex HMAC(secret, body)>`.
package enum WebhookSigner {
    static func key(_ secret: String) -> SymmetricKey {
        if secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))) {
            return SymmetricKey(data: data)
        }
        return SymmetricKey(data: Data(secret.utf8))
    }

    /// The `webhook-signature` header value.
    package static func standardSignature(secret: String, id: String, timestamp: Int64, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: key(secret))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The `X-Hub-Signature-256` header value.
    package static func hubSignature(secret: String, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key(secret))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
