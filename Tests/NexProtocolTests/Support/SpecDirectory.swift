import Foundation

/// Locates the shared specification: `$NEX_SPEC_DIR`, else `<package root>/../shared/spec`.
enum SpecDirectory {
    static var url: URL {
        if let override = ProcessInfo.processInfo.environment["NEX_SPEC_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        // #filePath = <root>/Tests/NexProtocolTests/Support/SpecDirectory.swift
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/spec", isDirectory: true)
    }

    static var schemaURL: URL { url.appendingPathComponent("schema", isDirectory: true) }

    static func read(_ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }
}
