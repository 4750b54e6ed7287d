import DriftAlerts
import DriftCore
import DriftTables
import Testing

/// The receivers' payload formats, the request built for each, and its signature.
@Suite struct AlertPayloadTests {
    static let notification = AlertNotification(
        event: .firing, model: "credit", rule: "psi_drift", fingerprint: "0123456789abcdef", severity: .critical,
        labels: ["alertname": "psi_drift", "model": "credit", "feature": "inc\"ome\n€"],
        annotations: ["summary": "PSI \"high\"\nline two"], startsAt: 1_795_420_800_000_000, endsAt: nil,
        value: 0.31, threshold: 0.2, comparison: ">", windowStart: 1_795_420_800_000_000,
        windowEnd: 1_795_424_400_000_000, externalURL: "http://agent:8080/")

    /// The payload of `notification` for a receiver of `format`, read back as JSON.
    static func payload(
        _ format: ReceiverFormat, _ notification: AlertNotification = Self.notification
    ) throws -> JSONValue {
        try JSONValue.parse(
            PayloadFormatter.payload(notification, receiver: .init(name: "r", url: "http://x", format: format)))
    }

    @Test func theAlertmanagerPayloadHasItsRequiredFields() throws {
        let am = try Self.payload(.alertmanager)
        #expect(am["version"] == .string("4"))
        #expect(am["status"] == .string("firing"))
        #expect(am["groupLabels"]?["model"] == .string("credit"))
        let first = try #require(am["alerts"]?.elements?.first)
        #expect(first["fingerprint"] == .string("0123456789abcdef"))
        #expect(first["labels"]?["feature"] == .string("inc\"ome\n€"))
        #expect(first["endsAt"] == .string("0001-01-01T00:00:00Z"))
        #expect(first["generatorURL"] == .string("http://agent:8080/v1/models/credit/status"))
    }

    static var alertmanagerAPI: ReceiverConfiguration {
        var am = ReceiverConfiguration(name: "a", url: "http://am:9093/", format: .alertmanagerAPI)
        am.resendIntervalSeconds = 120
        return am
    }

    @Test func anAlertmanagerAPIReceiverIsPostedAtItsAlertsEndpoint() {
        #expect(Self.alertmanagerAPI.postURL == "http://am:9093/api/v2/alerts")
    }

    @Test func theAlertmanagerAPIPayloadIsOneAlertWithLabelsAndAnnotations() throws {
        let alerts = try #require(try Self.payload(.alertmanagerAPI).elements)
        try #require(alerts.count == 1)
        let alert = alerts[0]
        #expect(alert["labels"]?["alertname"] == .string("psi_drift"))
        #expect(alert["labels"]?["model"] == .string("credit"))
        #expect(alert["labels"]?["feature"] == .string("inc\"ome\n€"))
        #expect(alert["labels"]?["severity"] == .string("critical"))
        #expect(alert["annotations"]?["summary"] == .string("PSI \"high\"\nline two"))
        #expect(alert["annotations"]?["description"]?.text?.contains("0.31") == true)
        #expect(alert["startsAt"] == .string("2026-11-23T08:00:00Z"))
        #expect(alert["generatorURL"] == .string("http://agent:8080/v1/models/credit/report"))
    }

    @Test func aFiringAlertIsSentEndingFourResendIntervalsAhead() throws {
        let body = PayloadFormatter.payload(Self.notification, receiver: Self.alertmanagerAPI)
        #expect(try JSONValue.parse(body).elements?.first?["endsAt"] == nil)  // stored without: added when sent
        let request = try WebhookRequest.build(
            payload: body, webhookID: "id1", eventType: "firing", receiver: Self.alertmanagerAPI, environment: [:],
            now: 1_795_420_800_000_000
        ).get()
        let sent = try #require(try JSONValue.parse(request.body).elements?.first)
        #expect(sent["endsAt"] == .string("2026-11-23T08:08:00Z"))
        #expect(sent["labels"]?["alertname"] == .string("psi_drift"))
    }

    @Test func aResolvedAlertIsSentEndingWhenItResolved() throws {
        var resolved = Self.notification
        resolved.event = .resolved
        resolved.endsAt = resolved.startsAt + 7_200_000_000
        let body = PayloadFormatter.payload(resolved, receiver: Self.alertmanagerAPI)
        let request = try WebhookRequest.build(
            payload: body, webhookID: "id1", eventType: "resolved", receiver: Self.alertmanagerAPI, environment: [:],
            now: resolved.startsAt + 9_000_000_000
        ).get()
        let sent = try #require(try JSONValue.parse(request.body).elements?.first)
        #expect(sent["endsAt"] == .string("2026-11-23T10:00:00Z"))
    }

    @Test func theSlackPayloadCarriesTheSummaryInTwoBlocks() throws {
        let slack = try Self.payload(.slack)
        let text = try #require(slack["text"]?.text)
        #expect(text.contains("FIRING") && text.contains("PSI \"high\""))
        #expect(slack["blocks"]?.elements?.count == 2)
    }

    @Test func thePagerDutyPayloadOfAResolvedAlertResolvesItsDedupKey() throws {
        var resolved = Self.notification
        resolved.event = .resolved
        resolved.endsAt = resolved.startsAt + 7_200_000_000
        let pd = try Self.payload(.pagerduty, resolved)
        #expect(pd["event_action"] == .string("resolve"))
        #expect(pd["dedup_key"] == .string("0123456789abcdef"))
        #expect(pd["payload"]?["severity"] == .string("critical"))
    }

    @Test func theStoredPagerDutyPayloadHasNoRoutingKey() throws {
        #expect(try Self.payload(.pagerduty)["routing_key"] == nil)  // added when sent, never stored
    }

    @Test func theOwnJSONPayloadCarriesTheFigure() throws {
        let own = try Self.payload(.json)
        #expect(own["type"] == .string("alert.firing"))
        #expect(own["data"]?["figure"]?["value"] == .number(0.31))
    }

    static var pagerDuty: ReceiverConfiguration {
        var pd = ReceiverConfiguration(name: "p", url: "http://x", format: .pagerduty)
        pd.routingKeyEnvironment = "PD_KEY"
        return pd
    }

    @Test func thePagerDutyRoutingKeyIsAddedWhenSent() throws {
        let body = PayloadFormatter.payload(Self.notification, receiver: Self.pagerDuty)
        let request = try WebhookRequest.build(
            payload: body, webhookID: "id1", eventType: "firing", receiver: Self.pagerDuty,
            environment: ["PD_KEY": "R\"K"], now: 0
        ).get()
        let sent = try JSONValue.parse(request.body)
        #expect(sent["routing_key"] == .string("R\"K"))
        #expect(sent["dedup_key"] == .string("0123456789abcdef"))
    }

    @Test func aMissingPagerDutyRoutingKeyFailsTheRequest() {
        let body = PayloadFormatter.payload(Self.notification, receiver: Self.pagerDuty)
        let missing = WebhookRequest.build(
            payload: body, webhookID: "id1", eventType: "firing", receiver: Self.pagerDuty, environment: [:], now: 0)
        #expect(throws: (any Error).self) { try missing.get() }
    }

    @Test func theStandardWebhooksSignatureMatchesTheReferenceVector() {
        // Standard Webhooks' documented example (standardwebhooks.com, the reference libraries' test vector).
        #expect(
            WebhookSigner.standardSignature(
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                timestamp: 1_614_265_330,
                body: #"{"test": 2432232314}"#) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }
}

extension JSONValue {
    /// The elements of an array (nil for any other value).
    fileprivate var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text of a string (nil for any other value).
    fileprivate var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
