import Foundation
@testable import JSONSchema

/// Helpers shared by the JSONSchema tests.
enum TestSupport {
    /// The shared specification directory: `NEX_SPEC_DIR`, else `<package root>/../shared/spec`.
    static var specDirectory: URL {
        if let configured = ProcessInfo.processInfo.environment["NEX_SPEC_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // JSONSchemaTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/spec")
    }

    static var schemaDirectory: URL { specDirectory.appendingPathComponent("schema") }

    /// Every `*.json` file in the spec's schema directory, sorted by name.
    static func specSchemaFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: schemaDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

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
