import DriftTables
import DriftWire
import Testing

@testable import DriftCore
@testable import DriftTables
@testable import DriftWire

@Suite struct CloudEventDecodingTests {
    static func model(
        _ task: ModelTask = .multiclass, _ configure: (inout CloudEventMapping) -> Void = { _ in }
    ) -> ModelConfiguration {
        var m = ModelConfiguration(
            name: "iris", task: task,
            features: [
                FeatureConfiguration(name: "sepal_length", type: .numeric),
                FeatureConfiguration(name: "sepal_width", type: .numeric),
                FeatureConfiguration(name: "colour", type: .categorical),
            ], defaults: ModelDefaults())
        configure(&m.cloudEvents)
        return m
    }

    static func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    static let headers: [(name: String, value: String)] = [
        ("Ce-Specversion", "1.0"), ("Ce-Id", "0009174a"), ("Ce-Source", "http://localhost:9081/"),
        ("Ce-Type", "org.kubeflow.serving.inference.request"), ("Ce-Time", "2021-04-10T00:23:26.0789529Z"),
        ("Ce-Inferenceservicename", "sklearn%20iris"), ("Ce-Namespace", "default"), ("Content-Length", "10"),
    ]

    @Test func binaryModeReadsAttributesAndExtensions() throws {
        let event = try CloudEvent.binary(
            headers: Self.headers, contentType: "application/json", body: Array("{}".utf8)
        )
        .get()
        #expect(event.id == "0009174a")
        #expect(event.type == "org.kubeflow.serving.inference.request")
        #expect(event.time == 1_618_014_206_078_952)
        #expect(event.extensions["inferenceservicename"] == "sklearn iris")
        #expect(event.extensions["namespace"] == "default")
        #expect(event.dataContentType == "application/json")
        #expect(InferenceEventType(event.type) == InferenceEventType("org.kubeflow.serving.inference.request"))
        #expect(InferenceEventType("io.seldon.serving.feedback")?.label == "seldon.feedback")
        #expect(InferenceEventType("com.example.other") == nil)
    }

    @Test func binaryModeNamesTheMissingOrBadHeader() {
        for (dropped, field) in [("Ce-Id", "ce-id"), ("Ce-Source", "ce-source"), ("Ce-Specversion", "ce-specversion")] {
            let headers = Self.headers.filter { $0.name != dropped }
            guard case .failure(let p) = CloudEvent.binary(headers: headers, contentType: nil, body: []) else {
                Issue.record("accepted without \(dropped)")
                continue
            }
            #expect(p.field == field)
        }
        var bad = Self.headers
        bad[4] = ("ce-time", "yesterday")
        guard case .failure(let p) = CloudEvent.binary(headers: bad, contentType: nil, body: []) else {
            Issue.record("a bad time was accepted")
            return
        }
        #expect(p.field == "ce-time")
        bad = Self.headers
        bad[0] = ("ce-specversion", "2.0")
        #expect((try? CloudEvent.binary(headers: bad, contentType: nil, body: []).get()) == nil)
    }

    @Test func structuredModeReadsDataAndBase64() throws {
        let text = #"""
            {"specversion": "1.0", "id": "e1", "source": "s", "type": "io.seldon.serving.inference.request",
             "inferenceservicename": "iris", "data": {"data": {"ndarray": [[1, 2, "red"]]}}}
            """#
        let event = try Array(text.utf8).withUnsafeBufferPointer { CloudEvent.structured($0) }.get()
        #expect(event.extensions["inferenceservicename"] == "iris")
        #expect(String(decoding: event.data, as: UTF8.self) == #"{"data":{"ndarray":[[1.0,2.0,"red"]]}}"#)
        let b64 = #"{"specversion": "1.0", "id": "e", "source": "s", "type": "t", "data_base64": "eyJhIjogMX0="}"#
        let decoded = try Array(b64.utf8).withUnsafeBufferPointer { CloudEvent.structured($0) }.get()
        #expect(String(decoding: decoded.data, as: UTF8.self) == #"{"a": 1}"#)
        let missing = #"{"specversion": "1.0", "source": "s", "type": "t"}"#
        let result = Array(missing.utf8).withUnsafeBufferPointer { CloudEvent.structured($0) }
        guard case .failure(let p) = result else {
            Issue.record("an event without id was accepted")
            return
        }
        #expect(p.field == "id")
    }

    @Test func kserveV1InstancesMapByColumnOrderOrByKey() throws {
        let decoder = InferencePayloadDecoder(model: Self.model())
        let rows = try decoder.instances(
            Self.json(#"{"instances": [[6.8, 2.8, "red"], {"sepal_width": 3.4, "colour": "blue"}]}"#)
        ).get()
        #expect(rows.count == 2)
        #expect(rows[0].features.map(\.0) == ["sepal_length", "sepal_width", "colour"])
        #expect(rows[0].features.map(\.1) == [.number(6.8), .number(2.8), .string("red")])
        #expect(rows[1].features.map(\.0) == ["sepal_width", "colour"])
        guard case .failure(let p) = decoder.instances(try Self.json(#"{"instances": [[1, 2, "a"], [1, 2]]}"#)) else {
            Issue.record("a short instance was accepted")
            return
        }
        #expect(p.field == "instances[1]")
        #expect(p.message.contains("2 values but 3 columns"))
    }

    @Test func configuredColumnsSkipAndReorder() throws {
        let decoder = InferencePayloadDecoder(
            model: Self.model { $0.inputs.columns = ["colour", nil, "sepal_length"] })
        let rows = try decoder.instances(Self.json(#"{"instances": [["red", 99, 5.1]]}"#)).get()
        #expect(rows[0].features.map(\.0) == ["colour", "sepal_length"])
        #expect(rows[0].features.map(\.1) == [.string("red"), .number(5.1)])
    }

    @Test func openInferenceProtocolTensors() throws {
        let decoder = InferencePayloadDecoder(model: Self.model())
        // One matrix [2, 3] (BYTES would not fit numbers: a mixed matrix is sent as one tensor per feature).
        let matrix = try decoder.instances(
            Self.json(
                #"{"inputs": [{"name": "input-0", "shape": [2, 2], "datatype": "FP32", "data": [[6.8, 2.8], [6.0, 3.4]]}]}"#
            ))
        guard case .failure(let p) = matrix else {
            Issue.record("a 2-column matrix was mapped to 3 features")
            return
        }
        #expect(p.field == "inputs[0] row 0")
        let two = InferencePayloadDecoder(model: Self.model { $0.inputs.columns = ["sepal_length", "sepal_width"] })
        let rows = try two.instances(
            Self.json(
                #"{"inputs": [{"name": "input-0", "shape": [2, 2], "datatype": "FP32", "data": [6.8, 2.8, 6.0, 3.4]}]}"#
            )
        ).get()
        #expect(rows.map { $0.features.map(\.1) } == [[.number(6.8), .number(2.8)], [.number(6.0), .number(3.4)]])
        // One tensor per feature.
        let named = try decoder.instances(
            Self.json(
                #"""
                {"inputs": [{"name": "sepal_length", "shape": [2], "datatype": "FP64", "data": [1, 2]},
                            {"name": "colour", "shape": [2, 1], "datatype": "BYTES", "data": ["red", "blue"]}]}
                """#)
        ).get()
        #expect(named[1].features.map(\.0) == ["sepal_length", "colour"])
        #expect(named[1].features.map(\.1) == [.number(2), .string("blue")])
        // Shape and datatype are checked.
        let cases: [(String, String)] = [
            (#"{"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [1, 2, 3]}]}"#, "inputs[0].data"),
            (#"{"inputs": [{"name": "x", "shape": [1, 2], "datatype": "INT64", "data": [1, 2.5]}]}"#, "inputs[0].data"),
            (
                #"{"inputs": [{"name": "x", "shape": [1, 2], "datatype": "FLOAT", "data": [1, 2]}]}"#,
                "inputs[0].datatype"
            ),
            (#"{"inputs": [{"name": "x", "datatype": "FP32", "data": [1, 2]}]}"#, "inputs[0].shape"),
            (
                #"{"inputs": [{"name": "x", "shape": [1, 1, 2], "datatype": "FP32", "data": [1, 2]}]}"#,
                "inputs[0].shape"
            ),
            (#"{"rows": []}"#, "data"),
        ]
        for (text, field) in cases {
            guard case .failure(let p) = two.instances(try Self.json(text)) else {
                Issue.record("accepted: \(text)")
                continue
            }
            #expect(p.field == field, "\(text)")
        }
    }

    @Test func aTensorOfManyRowsWithoutColumnsIsRefusedNotExpanded() throws {
        let decoder = InferencePayloadDecoder(model: Self.model { $0.inputs.columns = ["sepal_length"] })
        let result = decoder.instances(
            try Self.json(#"{"inputs": [{"name": "x", "shape": [100000000000, 0], "datatype": "FP32", "data": []}]}"#))
        let problem = #expect(throws: EventProblem.self) { try result.get() }
        #expect(problem?.field == "inputs[0].shape")
    }

    @Test func seldonNamesMapColumns() throws {
        let decoder = InferencePayloadDecoder(model: Self.model())
        let rows = try decoder.instances(
            Self.json(#"{"data": {"names": ["colour", "sepal_length"], "ndarray": [["red", 5.1], ["blue", 4.9]]}}"#)
        ).get()
        #expect(rows[1].features.map(\.0) == ["colour", "sepal_length"])
        let tensor = try decoder.instances(
            Self.json(#"{"data": {"tensor": {"shape": [1, 3], "values": [1, 2, 3]}}}"#)
        ).get()
        #expect(tensor[0].features.map(\.0) == ["sepal_length", "sepal_width", "colour"])
    }

    @Test func outputsAsPredictionsProbabilitiesAndScores() throws {
        let multi = InferencePayloadDecoder(
            model: Self.model { $0.outputs.classes = ["setosa", "versicolor", "virginica"] })
        let v1 = try multi.outputs(Self.json(#"{"predictions": [1, [0.1, 0.2, 0.7]]}"#)).get()
        #expect(v1.rows[0].prediction == "versicolor")
        #expect(v1.rows[1].prediction == "virginica")
        #expect(v1.rows[1].scoreLabels == ["setosa", "versicolor", "virginica"])
        let binary = InferencePayloadDecoder(model: Self.model(.binary))
        let v2 = try binary.outputs(
            Self.json(
                #"{"model_name": "m", "model_version": "v3", "outputs": [{"name": "p", "shape": [2, 2], "datatype": "FP64", "data": [0.9, 0.1, 0.2, 0.8]}]}"#
            )
        ).get()
        #expect(v2.modelVersion == "v3")
        #expect(v2.rows.map(\.prediction) == ["0", "1"])
        #expect(v2.rows.map(\.score) == [0.1, 0.8])
        let seldon = try InferencePayloadDecoder(model: Self.model()).outputs(
            Self.json(#"{"data": {"names": ["a", "b"], "ndarray": [[0.3, 0.7]]}}"#)
        ).get()
        #expect(seldon.rows[0].prediction == "b")
        #expect(seldon.rows[0].scoreLabels == ["a", "b"])
        let scored = InferencePayloadDecoder(model: Self.model(.binary) { $0.outputs.kind = .score })
        let s = try scored.outputs(Self.json(#"{"predictions": [0.25, 0.75]}"#)).get()
        #expect(s.rows.map(\.score) == [0.25, 0.75])
        #expect(s.rows.map(\.prediction) == ["0", "1"])
        let regression = InferencePayloadDecoder(model: Self.model(.regression))
        #expect(try regression.outputs(Self.json(#"{"predictions": [3.25]}"#)).get().rows[0].prediction == "3.25")
        #expect((try? regression.outputs(Self.json(#"{"predictions": ["x"]}"#)).get()) == nil)
        let twoTensors = InferencePayloadDecoder(model: Self.model { $0.outputs.scores = "proba" })
        let t = try twoTensors.outputs(
            Self.json(
                #"""
                {"outputs": [{"name": "label", "shape": [1], "datatype": "BYTES", "data": ["b"]},
                             {"name": "proba", "shape": [1, 2], "datatype": "FP32", "data": [0.4, 0.6]}]}
                """#)
        ).get()
        #expect(t.rows[0].prediction == "b")
        #expect(t.rows[0].scores == [0.4, 0.6])
    }

    @Test func pairingMakesOneEventPerInstance() throws {
        let decoder = InferencePayloadDecoder(model: Self.model())
        let request = InferenceHalf(
            kind: .request, data: try Self.json(#"{"instances": [[6.8, 2.8, "red"], [6.0, 3.4, null]]}"#),
            time: 1_000_000, arrival: 5_000_000)
        let response = InferenceHalf(
            kind: .response, data: try Self.json(#"{"predictions": [1, 2]}"#), time: 1_012_500, arrival: 4_000_000)
        let events = try InferencePairing.events(eventID: "e", request: request, response: response, decoder: decoder)
            .get()
        #expect(events.map(\.id) == ["e-0", "e-1"])
        #expect(events.map(\.timestamp) == [1_000_000, 1_000_000])
        #expect(events[0].numeric == [6.8, 2.8])
        #expect(events[1].categorical == [nil])
        #expect(events.map(\.prediction) == ["1", "2"])
        #expect(events[0].latencyMilliseconds == 12.5)
        // Alone: a request without outputs; a response without features (its own time).
        let alone = try InferencePairing.events(eventID: "e", request: nil, response: response, decoder: decoder).get()
        #expect(alone.map(\.timestamp) == [1_012_500, 1_012_500])
        #expect(alone[0].numeric == [nil, nil])
        #expect(alone[0].latencyMilliseconds == nil)
        let one = InferenceHalf(kind: .response, data: try Self.json(#"{"predictions": [1]}"#), time: nil, arrival: 0)
        guard
            case .failure(let p) = InferencePairing.events(
                eventID: "e", request: request, response: one, decoder: decoder)
        else {
            Issue.record("1 prediction for 2 instances was accepted")
            return
        }
        #expect(p.field == "predictions")
        let wrongType = InferenceHalf(
            kind: .request, data: try Self.json(#"{"instances": [["x", 2.8, "red"]]}"#), time: nil, arrival: 0)
        guard
            case .failure(let q) = InferencePairing.events(
                eventID: "e", request: wrongType, response: nil, decoder: decoder)
        else {
            Issue.record("a string for a numeric feature was accepted")
            return
        }
        #expect(q.field == "instances[0]")
        #expect(q.message.contains("sepal_length"))
    }

    @Test func seldonFeedbackBecomesLabels() throws {
        let decoder = InferencePayloadDecoder(model: Self.model { $0.outputs.classes = ["a", "b", "c"] })
        let labels = try InferencePairing.labels(
            eventID: "fb", requestID: nil,
            feedback: Self.json(
                #"{"response": {"meta": {"puid": "p-1"}, "data": {"ndarray": [[0.1, 0.9, 0]]}}, "truth": {"data": {"ndarray": [[2]]}}, "reward": 0}"#
            ), time: 7, decoder: decoder
        ).get()
        #expect(labels == [LabelEvent(id: "p-1", label: "c", value: nil, timestamp: 7)])
        let regression = InferencePayloadDecoder(model: Self.model(.regression))
        let values = try InferencePairing.labels(
            eventID: "fb", requestID: "r", feedback: Self.json(#"{"truth": {"data": {"ndarray": [1.5, 2.5]}}}"#),
            time: 7,
            decoder: regression
        ).get()
        #expect(values.map(\.id) == ["r-0", "r-1"])
        #expect(values.map(\.value) == [1.5, 2.5])
        #expect(
            (try? InferencePairing.labels(
                eventID: "x", requestID: nil, feedback: Self.json("{}"), time: 0, decoder: decoder
            ).get()) == nil)
    }
}
