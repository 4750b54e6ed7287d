import DriftAlerts
import DriftCore
import DriftStats
import DriftTables
import Testing

/// The receivers' payload formats, the request built for each, and the retry policy.
@Suite struct AlertPayloadTests {
    static let notification = AlertNotification(
        event: .firing, model: "credit", rule: "psi_drift", fingerprint: "0123456789abcdef", severity: .critical,
        labels: ["alertname": "psi_drift", "model": "credit", "feature": "inc\"ome\n€"],
        annotations: ["summary": "PSI \"high\"\nline two"], startsAt: 1_795_420_800_000_000, endsAt: nil,
        value: 0.31, threshold: 0.2, comparison: ">", windowStart: 1_795_420_800_000_000,
        windowEnd: 1_795_424_400_000_000, externalURL: "http://agent:8080/")

    func parse(_ text: String) -> JSONValue? { try? JSONValue.parse(text) }

    @Test func everyFormatIsValidJSONWithItsRequiredFields() throws {
        let am = try #require(
            parse(
                PayloadFormatter.payload(
                    Self.notification, receiver: .init(name: "am", url: "http://x", format: .alertmanager))))
        #expect(am["version"] == .string("4"))
        #expect(am["status"] == .string("firing"))
        #expect(am["groupLabels"]?["model"] == .string("credit"))
        guard case .array(let alerts)? = am["alerts"], let first = alerts.first else {
            Issue.record("no alerts")
            return
        }
        #expect(first["fingerprint"] == .string("0123456789abcdef"))
        #expect(first["labels"]?["feature"] == .string("inc\"ome\n€"))
        #expect(first["endsAt"] == .string("0001-01-01T00:00:00Z"))
        #expect(first["generatorURL"] == .string("http://agent:8080/v1/models/credit/status"))

        let slack = try #require(
            parse(
                PayloadFormatter.payload(Self.notification, receiver: .init(name: "s", url: "http://x", format: .slack))
            ))
        guard case .string(let text)? = slack["text"], case .array(let blocks)? = slack["blocks"] else {
            Issue.record("no text or blocks")
            return
        }
        #expect(text.contains("FIRING") && text.contains("PSI \"high\""))
        #expect(blocks.count == 2)

        var resolved = Self.notification
        resolved.event = .resolved
        resolved.endsAt = resolved.startsAt + 7_200_000_000
        let pd = try #require(
            parse(PayloadFormatter.payload(resolved, receiver: .init(name: "p", url: "http://x", format: .pagerduty))))
        #expect(pd["event_action"] == .string("resolve"))
        #expect(pd["dedup_key"] == .string("0123456789abcdef"))
        #expect(pd["payload"]?["severity"] == .string("critical"))
        #expect(pd["routing_key"] == nil)  // added when sent, never stored

        let own = try #require(
            parse(
                PayloadFormatter.payload(Self.notification, receiver: .init(name: "j", url: "http://x", format: .json)))
        )
        #expect(own["type"] == .string("alert.firing"))
        #expect(own["data"]?["figure"]?["value"] == .number(0.31))
    }

    @Test func thePagerDutyRoutingKeyAndTheSignatureAreAddedWhenSent() throws {
        var pd = ReceiverConfiguration(name: "p", url: "http://x", format: .pagerduty)
        pd.routingKeyEnvironment = "PD_KEY"
        let body = PayloadFormatter.payload(Self.notification, receiver: pd)
        guard
            case .success(let request) = WebhookRequest.build(
                payload: body, webhookID: "id1", receiver: pd, environment: ["PD_KEY": "R\"K"], now: 0)
        else {
            Issue.record("not built")
            return
        }
        #expect(parse(request.body)?["routing_key"] == .string("R\"K"))
        #expect(parse(request.body)?["dedup_key"] == .string("0123456789abcdef"))
        let missing = WebhookRequest.build(payload: body, webhookID: "id1", receiver: pd, environment: [:], now: 0)
        guard case .failure = missing else {
            Issue.record("a missing routing key must fail")
            return
        }
        // Standard Webhooks' documented example (standardwebhooks.com, the reference libraries' test vector).
        #expect(
            WebhookSigner.standardSignature(
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                timestamp: 1_614_265_330,
                body: #"{"test": 2432232314}"#) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func retriesFollowTheStatusAndRetryAfter() {
        #expect(RetryPolicy.verdict(statusCode: 204) == .delivered)
        #expect(RetryPolicy.verdict(statusCode: 400) == .failed)
        #expect(RetryPolicy.verdict(statusCode: 429) == .retry)
        #expect(RetryPolicy.verdict(statusCode: 503) == .retry)
        #expect(RetryPolicy.verdict(statusCode: nil) == .retry)
        var random = SplitMix64(seed: 1)
        #expect(RetryPolicy.delay(afterAttempt: 3, retryAfter: "7", now: 0, random: &random) == 7_000_000)
        let now: Int64 = 1_445_412_480_000_000  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(
            RetryPolicy.delay(afterAttempt: 1, retryAfter: "Wed, 21 Oct 2015 07:28:30 GMT", now: now, random: &random)
                == 30_000_000)
        for attempt in 1...12 {
            let d = RetryPolicy.delay(afterAttempt: attempt, retryAfter: nil, now: 0, random: &random)
            let base = min(Double(1 << (attempt - 1)), 300) * 1_000_000
            #expect(Double(d) >= base * 0.5 && Double(d) < base * 1.5)
        }
    }
}
