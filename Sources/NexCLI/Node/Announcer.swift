import Foundation
import JSONSchema

/// The few lines `node up` prints itself (not through the logger, so they show whatever the log level):
/// plain sentences, or one JSON object per line with `--json`.
struct Announcer: Sendable {
    let json: Bool

    func line(_ text: String, _ fields: [String: String]) {
        if json {
            Console.out(JSONValue.object(fields.mapValues(JSONValue.string)).compactText)
        } else {
            Console.out(text)
        }
    }

    #if os(Linux)
    func started(_ server: LocalNatsServer) {
        var fields = ["msg": "started nats-server", "url": server.url, "log_file": server.logFile.path]
        var text = "Started nats-server at \(server.url)"
        if let store = server.storeDirectory {
            fields["store_dir"] = store.path
            text += " (JetStream data in \(store.path))"
        }
        line(text, fields)
    }
    #endif
}
