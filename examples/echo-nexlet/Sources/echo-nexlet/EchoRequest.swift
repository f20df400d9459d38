import Foundation

/// The start request of an echo workload (the `run_request` JSON): `{"text": "...", "count": N}`. Both keys
/// are optional: without `text` the raw `run_request` is echoed; `count` only matters for jobs (default 3).
struct EchoRequest: Decodable, Sendable {
    var text: String?
    var count: Int?

    /// The JSON Schema the node validates start requests against.
    static let schema = """
    {"$schema":"http://json-schema.org/draft-07/schema#","title":"EchoRequest","type":"object",\
    "properties":{"text":{"type":"string","description":"The line to log every second"},\
    "count":{"type":"integer","minimum":1,"description":"How many lines a job logs before it ends"}}}
    """

    /// Parses `runRequest`; anything that is not such an object echoes the raw text.
    init(runRequest: String) {
        let parsed = try? JSONDecoder().decode(EchoRequest.self, from: Data(runRequest.utf8))
        text = parsed?.text ?? (runRequest.isEmpty ? "echo" : runRequest)
        count = parsed?.count
    }
}
