import Foundation

/// An array of doubles that encodes as one base64 string of their little-endian IEEE 754 bits.
///
/// Profiles are stored as JSON; going through decimal text would cost 20 bytes per value and, with some
/// JSON decoders, the last bit. This form is exact and about 11 bytes per value.
package struct PackedDoubles: Sendable, Equatable, Codable {
    package var values: [Double]

    package init(_ values: [Double]) { self.values = values }

    package func encode(to encoder: any Encoder) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for v in values {
            var bits = v.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % 8 == 0 else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a base64 string of 8-byte doubles")
        }
        var out = [Double]()
        out.reserveCapacity(data.count / 8)
        data.withUnsafeBytes { raw in
            for i in stride(from: 0, to: raw.count, by: 8) {
                let bits = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                out.append(Double(bitPattern: UInt64(littleEndian: bits)))
            }
        }
        values = out
    }
}
