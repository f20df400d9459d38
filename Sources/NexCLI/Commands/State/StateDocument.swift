import Foundation
import JSONSchema
import NexNode
import NexProtocol

/// The file `nex state export` writes and `nex state import` reads:
/// `{"node_id": …, "exported_at": RFC 3339, "entries": [{"workload_id", "workload_type", "request"}]}`,
/// where `request` is the stored `StartWorkloadRequest` as JSON.
struct StateDocument: Sendable {
    var nodeID: String
    var exportedAt: String
    var entries: [StoredWorkload]

    /// The document as JSON (requests in their stored Go form, parsed back into values).
    func json() throws -> JSONValue {
        let items = try entries.map { entry -> JSONValue in
            let request = try JSONValue(parsing: GoJSON.encode(entry.request))
            return .object([
                "workload_id": .string(entry.workloadID),
                "workload_type": .string(entry.workloadType),
                "request": request,
            ])
        }
        return .object(["node_id": .string(nodeID), "exported_at": .string(exportedAt), "entries": .array(items)])
    }

    /// Parses and validates a document; the error names the entry and what is wrong with it.
    static func parse(_ data: Data, file: String) throws(CLIError) -> StateDocument {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: data)
        } catch {
            throw CLIError("\(file) is not valid JSON: \(JSONOutput.syntaxError(in: data))", exitCode: ExitStatus.usage)
        }
        guard case .object(let members) = root else {
            throw CLIError("\(file): expected a JSON object with node_id, exported_at and entries", exitCode: ExitStatus.usage)
        }
        guard case .array(let items)? = members["entries"] else {
            throw CLIError("\(file): \"entries\" is missing or not an array", exitCode: ExitStatus.usage)
        }
        var entries: [StoredWorkload] = []
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            let entry = try parseEntry(item, index: index, file: file)
            guard seen.insert(entry.workloadID).inserted else {
                throw CLIError("\(file): entry \(index) (\(entry.workloadID)): workload id appears twice in the file", exitCode: ExitStatus.usage)
            }
            entries.append(entry)
        }
        return StateDocument(nodeID: text(members["node_id"]) ?? "", exportedAt: text(members["exported_at"]) ?? "", entries: entries)
    }

    private static func parseEntry(_ item: JSONValue, index: Int, file: String) throws(CLIError) -> StoredWorkload {
        func problem(_ id: String?, _ message: String) -> CLIError {
            let label = id.map { "entry \(index) (\($0))" } ?? "entry \(index)"
            return CLIError("\(file): \(label): \(message)", exitCode: ExitStatus.usage)
        }
        guard case .object(let fields) = item else { throw problem(nil, "not a JSON object") }
        guard let id = text(fields["workload_id"]), !id.isEmpty else { throw problem(nil, "\"workload_id\" is missing or not a string") }
        guard isWorkloadID(id) else {
            throw problem(id, "workload_id must be letters and digits only (a NUID such as the node generates)")
        }
        guard let type = text(fields["workload_type"]), !type.isEmpty else { throw problem(id, "\"workload_type\" is missing or not a string") }
        guard let requestValue = fields["request"], case .object = requestValue else {
            throw problem(id, "\"request\" is missing or not a JSON object")
        }
        let request: StartWorkloadRequest
        do {
            request = try GoJSON.decode(StartWorkloadRequest.self, from: requestValue.compactText)
        } catch {
            throw problem(id, "request is not a valid StartWorkloadRequest: \(CLIError.singleLine("\(error)"))")
        }
        guard request.workloadType == type else {
            throw problem(id, "workload_type \"\(type)\" differs from the request's workload_type \"\(request.workloadType)\"")
        }
        return StoredWorkload(workloadID: id, workloadType: type, request: request)
    }

    private static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// Workload ids are NUIDs: ASCII letters and digits (never `_`, which separates type and id in keys).
    static func isWorkloadID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
    }
}
