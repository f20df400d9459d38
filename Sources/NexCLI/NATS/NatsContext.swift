import Foundation
import JSONSchema

/// A NATS CLI context (`<config dir>/nats/context/<name>.json`): the subset of its fields that decide how to
/// connect.
struct NatsContext: Sendable, Equatable {
    var url: String = ""
    var user: String = ""
    var password: String = ""
    var token: String = ""
    /// Path of a .creds file.
    var creds: String = ""
    /// Path of a file holding a user nkey seed.
    var nkey: String = ""
    var cert: String = ""
    var key: String = ""
    var ca: String = ""
    var tlsFirst = false

    /// The context file of `name`.
    static func file(named name: String) -> URL {
        UserDirectories.config.appendingPathComponent("nats/context/\(name).json")
    }

    /// Loads context `name`; nil when no such context exists (the Go CLI then ignores `--nats.context`).
    static func load(named name: String) throws(CLIError) -> NatsContext? {
        let url = file(named: name)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = try? Data(contentsOf: url), case .object(let members)? = try? JSONValue(parsing: data) else {
            throw CLIError("NATS context \"\(name)\" (\(url.path)) is not a valid JSON object", hint: "fix it with \"nats context edit \(name)\"", exitCode: ExitStatus.usage)
        }
        func text(_ key: String) -> String {
            if case .string(let value)? = members[key] { return value }
            return ""
        }
        var context = NatsContext()
        context.url = text("url")
        context.user = text("user")
        context.password = text("password")
        context.token = text("token")
        context.creds = text("creds")
        context.nkey = text("nkey")
        context.cert = text("cert")
        context.key = text("key")
        context.ca = text("ca")
        if case .bool(let first)? = members["tls_first"] { context.tlsFirst = first }
        return context
    }

    /// The server URLs (a context holds them comma-separated).
    var servers: [String] {
        url.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
