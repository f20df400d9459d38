import Foundation
import Minter

/// What a key string is, decoded.
enum KeyText {
    /// The key type names `keys create --type` accepts (`curve` is also spelled `xkey`).
    static let typeNames = ["server", "curve", "account", "user", "operator", "cluster"]

    static func type(named name: String) -> NKeyType? {
        switch name.lowercased() {
        case "server", "node": .server
        case "curve", "xkey": .curve
        case "account": .account
        case "user": .user
        case "operator": .operator
        case "cluster": .cluster
        default: nil
        }
    }

    /// Reads a value given on the command line, or from stdin when it is `-` (so seeds stay out of the
    /// shell history).
    static func read(_ argument: String, what: String) throws(CLIError) -> String {
        guard argument == "-" else { return argument.trimmingCharacters(in: .whitespacesAndNewlines) }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CLIError("no \(what) on stdin", exitCode: ExitStatus.usage) }
        return text
    }
}
