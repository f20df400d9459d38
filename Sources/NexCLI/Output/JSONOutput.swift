import Foundation
import JSONSchema
import NexProtocol

/// JSON rendering for `--json` and `--check`.
enum JSONOutput {
    /// Pretty, key-sorted JSON of a value built by this CLI (not a wire object).
    static func pretty(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return value.compactText }
        return String(decoding: data, as: UTF8.self)
    }

    /// A wire object exactly as Go would write it (compact, Go key order and escaping).
    static func wire<T: Encodable>(_ value: T) throws -> String {
        try GoJSON.encodeString(value)
    }
}
