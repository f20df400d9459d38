import Foundation
import NATSTestSupport
@testable import JSONSchema

/// Helpers shared by the JSONSchema tests.
enum TestSupport {
    static var schemaDirectory: URL { SpecDirectory.schemaURL }

    /// Every `*.json` file in the spec's schema directory, sorted by name.
    static func specSchemaFiles() throws -> [URL] { try SpecDirectory.schemaFiles() }

    static func json(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: text)
    }

    static func schema(_ text: String) throws -> JSONSchema {
        try JSONSchema(string: text)
    }

    /// Validation messages as `location: message` lines.
    static func messages(_ schema: JSONSchema, _ instance: String) throws -> [String] {
        try schema.validate(json(instance)).map(\.description)
    }
}
