import Foundation
import NATSKit
import Synchronization

/// Collects wire messages and validates them against the specification's JSON schemas with Python's
/// `jsonschema` (an independent checker). The schema bugs of protocol.md §8.5 that real messages hit
/// (required, non-existent `capabilities` and `node_agent_summary` keys) are patched; every file is
/// registered under its own URI because several share an `$id`.
public final class SchemaCheck: Sendable {
    private let instances = Mutex<[(schema: String, label: String, json: Data)]>([])

    public init() {}

    /// Queues `message`'s payload for validation against `schema` (a file name in `schema/`).
    public func add(_ schema: String, _ message: NatsMessage, label: String? = nil) {
        add(schema, json: message.payload, label: label ?? message.subject)
    }

    public func add(_ schema: String, json: Data, label: String) {
        instances.withLock { $0.append((schema, label, json)) }
    }

    public var count: Int { instances.withLock { $0.count } }

    /// Validates everything queued in one Python run; returns one line per violation (empty: all valid).
    public func violations() throws -> [String] {
        let all = instances.withLock { $0 }
        guard !all.isEmpty else { return [] }
        var documents: [[String: Any]] = []
        for item in all {
            let instance = try JSONSerialization.jsonObject(with: item.json, options: [.fragmentsAllowed])
            documents.append(["schema": item.schema, "label": item.label, "instance": instance])
        }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("nex-schema-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: documents).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let output = try PythonRunner.run(script: Self.script, arguments: [SpecDirectory.schemaURL.path, input.path], timeout: 60)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        guard lines.last == "checked \(all.count)" else {
            return ["schema check did not complete (status \(output.status)): \(output.stdout) \(output.stderr)"]
        }
        return Array(lines.dropLast())
    }

    static let script = #"""
import json, os, sys
from jsonschema import FormatChecker
from jsonschema.validators import validator_for, Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

schema_dir, input_path = sys.argv[1:3]
BASE = "https://nex.invalid/schema/"
schemas = {}
for name in sorted(os.listdir(schema_dir)):
    if not name.endswith(".json"):
        continue
    with open(os.path.join(schema_dir, name)) as f:
        schema = json.load(f)
    schema["$id"] = BASE + name
    # The documented schema bugs of protocol.md §8.5: required keys that do not exist.
    if name == "register-agent-request.json":
        schema["required"] = [k for k in schema["required"] if k != "capabilities"]
    if name == "node-info-response.json":
        schema["required"] = [k for k in schema["required"] if k != "node_agent_summary"]
    schemas[name] = schema
registry = Registry().with_resources(
    (BASE + name, Resource.from_contents(s, default_specification=DRAFT7)) for name, s in schemas.items())

with open(input_path) as f:
    documents = json.load(f)
failures = 0
for doc in documents:
    name = doc["schema"]
    cls = validator_for(schemas[name], default=Draft7Validator)
    validator = cls({"$ref": BASE + name}, registry=registry, format_checker=FormatChecker())
    for error in validator.iter_errors(doc["instance"]):
        failures += 1
        print(f"{doc['label']} against {name}: {error.message} at {list(error.absolute_path)}")
print(f"checked {len(documents)}")
sys.exit(1 if failures else 0)
"""#
}
