import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// The shared specification: `$NEX_SPEC_DIR`, else `<package root>/../shared/spec`.
enum SpecDirectory {
    static var url: URL {
        if let override = ProcessInfo.processInfo.environment["NEX_SPEC_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        // #filePath = <root>/Tests/NexletTests/SDKSchemaSupport.swift
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/spec", isDirectory: true)
    }

    static var schemaURL: URL { url.appendingPathComponent("schema", isDirectory: true) }
}

/// Collects messages the runner sent and validates them against the protocol's JSON schemas with Python's
/// `jsonschema` (an independent checker). The schema bug of protocol.md §8.5 that matters here (a required,
/// non-existent `capabilities` in `register-agent-request.json`) is patched; every file is registered under
/// its own URI because several share an `$id`.
final class SchemaCheck: Sendable {
    private let instances = Recorder<(schema: String, label: String, json: Data)>()

    /// Queues `message`'s payload for validation against `schema` (a file name in `schema/`).
    func add(_ schema: String, _ message: NatsMessage, label: String? = nil) {
        instances.append((schema, label ?? message.subject, message.payload))
    }

    func add(_ schema: String, json: Data, label: String) {
        instances.append((schema, label, json))
    }

    /// Validates everything queued; records one issue per violation.
    func validate(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let all = instances.all
        guard !all.isEmpty else { return }
        var documents: [[String: Any]] = []
        for item in all {
            let instance = try JSONSerialization.jsonObject(with: item.json, options: [.fragmentsAllowed])
            documents.append(["schema": item.schema, "label": item.label, "instance": instance])
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexlet-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input.json")
        let script = directory.appendingPathComponent("check.py")
        try JSONSerialization.data(withJSONObject: documents).write(to: input)
        try Data(Self.script.utf8).write(to: script)

        let output = directory.appendingPathComponent("output.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, SpecDirectory.schemaURL.path, input.path]
        process.standardOutput = handle
        process.standardError = handle
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.finish() }
        try process.run()
        do {
            try await withDeadline(.seconds(60), "python3 schema check") {
                for await _ in exited.stream {}
            }
        } catch {
            process.terminate()
            throw error
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "schema check failed:\n\(text)", sourceLocation: sourceLocation)
        #expect(text.contains("checked \(all.count)"), "unexpected schema check output:\n\(text)", sourceLocation: sourceLocation)
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
    if name == "register-agent-request.json":
        schema["required"] = [k for k in schema["required"] if k != "capabilities"]
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
