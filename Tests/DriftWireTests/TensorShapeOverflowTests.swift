import DriftTables
import DriftTestSupport
import DriftWire
import Testing

@testable import DriftWire

/// A tensor shape from a peer reaches integer arithmetic: a defined result, never a trap.
@Suite struct TensorShapeOverflowTests {
    @Test func aTensorShapeWhoseProductOverflowsIsAShapeMismatch() throws {
        let decoder = InferencePayloadDecoder(
            model: CloudEventDecodingTests.model { $0.inputs.columns = ["sepal_length", "sepal_width"] })
        let text =
            #"{"inputs": [{"name": "x", "shape": [999999999999, 999999999999], "datatype": "FP32", "data": [1, 2]}]}"#
        let p = try #require(decoder.instances(try JSONValue.parse(text)).failure, "an overflowing shape was accepted")
        #expect(p.field == "inputs[0].data")
    }
}
