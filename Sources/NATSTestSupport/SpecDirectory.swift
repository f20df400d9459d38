import Foundation

/// Locates the shared specification (for tests that check against it): `$NEX_SPEC_DIR`, else `<package root>/../shared/spec`.
public enum SpecDirectory {
    public static var url: URL {
        if let override = ProcessInfo.processInfo.environment["NEX_SPEC_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        // #filePath = <root>/Sources/NATSTestSupport/SpecDirectory.swift
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/spec", isDirectory: true)
    }

    public static var schemaURL: URL { url.appendingPathComponent("schema", isDirectory: true) }

    public static func read(_ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }
}

extension SpecDirectory {
    /// The schema files (`*.json`) of the specification, sorted by name.
    public static func schemaFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: schemaURL, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
