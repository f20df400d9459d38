import Foundation

/// Locates the shared specification: `NEX_SPEC_DIR`, else `<package root>/../shared/spec`.
enum Spec {
    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["NEX_SPEC_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // #filePath = <root>/Tests/MinterTests/Support/Spec.swift
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/spec")
    }

    /// The text of a spec document, e.g. `credentials-state-native-cli.md`.
    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}

/// Hex helpers for vectors.
extension Array where Element == UInt8 {
    init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        self = bytes
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
