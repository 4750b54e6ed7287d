import DriftTables
import DriftTestSupport
import DriftWire
import Testing

@testable import DriftCore
@testable import DriftTables
@testable import DriftWire

/// Seeded mutation fuzzing of the CloudEvents and inference-payload decoders (what `POST /v1/cloudevents`
/// runs on untrusted bytes): every mutated input decodes or fails with an `EventProblem`; nothing
/// crashes or hangs.
@Suite struct CloudEventFuzzTests {
    static let structuredSeed = Array(
        #"{"specversion":"1.0","id":"r-1","source":"/isvc/iris","type":"org.kubeflow.serving.inference.request","time":"2026-11-23T08:00:00Z","datacontenttype":"application/json","data":{"instances":[[5.1,3.5,1.4,0.2],[6.2,2.9,4.3,1.3]]}}"#
            .utf8)
    static let v2Seed = Array(
        #"{"inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2,6.2,2.9,4.3,1.3]}]}"#
            .utf8)
    static let outputsSeed = Array(
        #"{"model_version":"3","outputs":[{"name":"output-0","shape":[2],"datatype":"INT64","data":[0,1]}],"predictions":[0,1],"data":{"names":["p"],"ndarray":[[0.1],[0.9]]}}"#
            .utf8)

    static func model() -> ModelConfiguration {
        ModelConfiguration(
            name: "iris", task: .binary,
            features: ["a", "b", "c", "d"].map { FeatureConfiguration(name: $0, type: .numeric) },
            defaults: ModelDefaults())
    }

    @Test func mutatedInferenceInputsDecodeOrFailWithoutTrapping() {
        var mutator = ByteMutator(state: 0x00C1_0DEE_5EED)
        let decoder = InferencePayloadDecoder(model: Self.model())
        var decoded = 0
        var rejected = 0
        for round in 0..<30_000 {
            let seed = [Self.structuredSeed, Self.v2Seed, Self.outputsSeed][round % 3]
            let bytes = mutator.mutate(seed)
            switch round % 3 {
            case 0:
                let result = bytes.withUnsafeBufferPointer { CloudEvent.structured($0) }
                if case .success = result { decoded += 1 } else { rejected += 1 }
                let binary = CloudEvent.binary(
                    headers: [
                        ("ce-specversion", "1.0"), ("ce-id", String(decoding: bytes.prefix(12), as: UTF8.self)),
                        ("ce-source", "/x"), ("ce-type", "org.kubeflow.serving.inference.response"),
                        ("ce-time", String(decoding: bytes.suffix(20), as: UTF8.self)),
                    ], contentType: "application/json", body: bytes)
                if case .success = binary { decoded += 1 } else { rejected += 1 }
            default:
                guard let json = try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)) else {
                    rejected += 1
                    continue
                }
                if case .success = decoder.instances(json) { decoded += 1 } else { rejected += 1 }
                if case .success = decoder.outputs(json) { decoded += 1 } else { rejected += 1 }
            }
        }
        #expect(decoded > 1000)
        #expect(rejected > 1000)
    }
}
