import DriftTables
import DriftTestSupport
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

    @Test func binaryModeReadsTheAttributes() throws {
        let event = try CloudEvent.binary(
            headers: Self.headers, contentType: "application/json", body: Array("{}".utf8)
        )
        .get()
        #expect(event.id == "0009174a")
        #expect(event.type == "org.kubeflow.serving.inference.request")
        #expect(event.time == 1_618_014_206_078_952)
        #expect(event.dataContentType == "application/json")
    }

    @Test func binaryModeReadsPercentEncodedExtensions() throws {
        let event = try CloudEvent.binary(
            headers: Self.headers, contentType: "application/json", body: Array("{}".utf8)
        )
        .get()
        #expect(event.extensions["inferenceservicename"] == "sklearn iris")
        #expect(event.extensions["namespace"] == "default")
    }

    @Test func onlyInferenceEventTypesAreRecognised() {
        #expect(
            InferenceEventType("org.kubeflow.serving.inference.request")
                == InferenceEventType("org.kubeflow.serving.inference.request"))
        #expect(InferenceEventType("org.kubeflow.serving.inference.request") != nil)
        #expect(InferenceEventType("io.seldon.serving.feedback")?.label == "seldon.feedback")
        #expect(InferenceEventType("com.example.other") == nil)
    }

    @Test func binaryModeNamesTheMissingOrBadHeader() throws {
        for (dropped, field) in [("Ce-Id", "ce-id"), ("Ce-Source", "ce-source"), ("Ce-Specversion", "ce-specversion")] {
            let headers = Self.headers.filter { $0.name != dropped }
            let p = try #require(
                CloudEvent.binary(headers: headers, contentType: nil, body: []).failure, "accepted without \(dropped)")
            #expect(p.field == field)
        }
        var bad = Self.headers
        bad[4] = ("ce-time", "yesterday")
        let p = try #require(
            CloudEvent.binary(headers: bad, contentType: nil, body: []).failure, "a bad time was accepted")
        #expect(p.field == "ce-time")
        bad = Self.headers
        bad[0] = ("ce-specversion", "2.0")
        #expect((try? CloudEvent.binary(headers: bad, contentType: nil, body: []).get()) == nil)
    }

    @Test func structuredModeReadsTheWholeEvent() throws {
        let text = #"""
            {"specversion": "1.0", "id": "e1", "source": "s", "type": "io.seldon.serving.inference.request",
             "inferenceservicename": "iris", "data": {"data": {"ndarray": [[1, 2, "red"]]}}}
            """#
        let event = try Array(text.utf8).withUnsafeBufferPointer { CloudEvent.structured($0) }.get()
        #expect(event.extensions["inferenceservicename"] == "iris")
        #expect(String(decoding: event.data, as: UTF8.self) == #"{"data":{"ndarray":[[1.0,2.0,"red"]]}}"#)
    }

    @Test func structuredModeDecodesBase64Data() throws {
        let b64 = #"{"specversion": "1.0", "id": "e", "source": "s", "type": "t", "data_base64": "eyJhIjogMX0="}"#
        let decoded = try Array(b64.utf8).withUnsafeBufferPointer { CloudEvent.structured($0) }.get()
        #expect(String(decoding: decoded.data, as: UTF8.self) == #"{"a": 1}"#)
    }

    @Test func aStructuredEventWithoutAnIdIsRefused() throws {
        let missing = #"{"specversion": "1.0", "source": "s", "type": "t"}"#
        let result = Array(missing.utf8).withUnsafeBufferPointer { CloudEvent.structured($0) }
        let p = try #require(result.failure, "an event without id was accepted")
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
        let p = try #require(
            decoder.instances(try Self.json(#"{"instances": [[1, 2, "a"], [1, 2]]}"#)).failure,
            "a short instance was accepted")
        #expect(p.field == "instances[1]")
        #expect(p.message.contains("2 values but 3 columns"))
    }

    @Test func configuredColumnsMapPositionsToFeatures() throws {
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
        let p = try #require(matrix.failure, "a 2-column matrix was mapped to 3 features")
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
            let p = try #require(two.instances(try Self.json(text)).failure, "accepted: \(text)")
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

    @Test func kserveV1OutputsAreClassIndicesOrProbabilities() throws {
        let multi = InferencePayloadDecoder(
            model: Self.model { $0.outputs.classes = ["setosa", "versicolor", "virginica"] })
        let v1 = try multi.outputs(Self.json(#"{"predictions": [1, [0.1, 0.2, 0.7]]}"#)).get()
        try #require(v1.rows.count == 2)
        #expect(v1.rows[0].prediction == "versicolor")
        #expect(v1.rows[1].prediction == "virginica")
        #expect(v1.rows[1].scoreLabels == ["setosa", "versicolor", "virginica"])
    }

    @Test func openInferenceOutputsOfABinaryModelAreProbabilities() throws {
        let binary = InferencePayloadDecoder(model: Self.model(.binary))
        let v2 = try binary.outputs(
            Self.json(
                #"{"model_name": "m", "model_version": "v3", "outputs": [{"name": "p", "shape": [2, 2], "datatype": "FP64", "data": [0.9, 0.1, 0.2, 0.8]}]}"#
            )
        ).get()
        #expect(v2.modelVersion == "v3")
        #expect(v2.rows.map(\.prediction) == ["0", "1"])
        #expect(v2.rows.map(\.score) == [0.1, 0.8])
    }

    @Test func seldonOutputsAreNamedProbabilities() throws {
        let seldon = try InferencePayloadDecoder(model: Self.model()).outputs(
            Self.json(#"{"data": {"names": ["a", "b"], "ndarray": [[0.3, 0.7]]}}"#)
        ).get()
        let row = try #require(seldon.rows.first)
        #expect(row.prediction == "b")
        #expect(row.scoreLabels == ["a", "b"])
    }

    @Test func scoreOutputsOfABinaryModelAreThresholdedAtOneHalf() throws {
        let scored = InferencePayloadDecoder(model: Self.model(.binary) { $0.outputs.kind = .score })
        let s = try scored.outputs(Self.json(#"{"predictions": [0.25, 0.75]}"#)).get()
        #expect(s.rows.map(\.score) == [0.25, 0.75])
        #expect(s.rows.map(\.prediction) == ["0", "1"])
    }

    @Test func regressionOutputsMustBeNumbers() throws {
        let regression = InferencePayloadDecoder(model: Self.model(.regression))
        #expect(try regression.outputs(Self.json(#"{"predictions": [3.25]}"#)).get().rows.first?.prediction == "3.25")
        #expect((try? regression.outputs(Self.json(#"{"predictions": ["x"]}"#)).get()) == nil)
    }

    @Test func aLabelTensorIsReadWithItsProbabilityTensor() throws {
        let twoTensors = InferencePayloadDecoder(model: Self.model { $0.outputs.scores = "proba" })
        let t = try twoTensors.outputs(
            Self.json(
                #"""
                {"outputs": [{"name": "label", "shape": [1], "datatype": "BYTES", "data": ["b"]},
                             {"name": "proba", "shape": [1, 2], "datatype": "FP32", "data": [0.4, 0.6]}]}
                """#)
        ).get()
        let row = try #require(t.rows.first)
        #expect(row.prediction == "b")
        #expect(row.scores == [0.4, 0.6])
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
        let p = try #require(
            InferencePairing.events(
                eventID: "e", request: request, response: one, decoder: decoder
            ).failure, "1 prediction for 2 instances was accepted")
        #expect(p.field == "predictions")
        let wrongType = InferenceHalf(
            kind: .request, data: try Self.json(#"{"instances": [["x", 2.8, "red"]]}"#), time: nil, arrival: 0)
        let q = try #require(
            InferencePairing.events(
                eventID: "e", request: wrongType, response: nil, decoder: decoder
            ).failure, "a string for a numeric feature was accepted")
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
