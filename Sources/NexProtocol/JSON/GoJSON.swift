import Foundation

/// The one entry point for JSON on the nex wire.
///
/// Encoding produces the bytes Go's `encoding/json` would produce for the same value: struct keys in
/// declaration order (the wire types declare them alphabetically, like the generated Go types), map keys
/// sorted byte-wise, no escaping of `/`, HTML characters and U+2028/U+2029 escaped as `\u003c` etc.,
/// numbers formatted like Go's `float64`/`int`. Decoding uses Foundation's parser and the Go rules of
/// ``GoJSONObject`` (required keys, `null` as zero value, enum checks, unknown keys ignored).
public enum GoJSON {
    /// Encodes `value` exactly as Go's `json.Marshal` would (no trailing newline).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let node = try GoJSONTreeEncoder.node(for: value, codingPath: [])
        var writer = GoJSONWriter()
        writer.write(node)
        return Data(writer.bytes)
    }

    /// Encodes `value` and returns the JSON text.
    public static func encodeString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Decodes a `T` from `data`. Foundation decoding failures are reported as ``GoJSONError/malformed(_:)``;
    /// Go-rule violations (missing required key, bad enum value, bad duration...) keep their own error type.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw GoJSONError.malformed(GoJSONError.describe(error))
        }
    }

    /// Decodes a `T` from JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(type, from: Data(text.utf8))
    }
}
