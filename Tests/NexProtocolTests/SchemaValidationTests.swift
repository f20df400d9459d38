import Foundation
import NATSTestSupport
import JSONSchema
import NexProtocol
import Testing

/// Validates encoded samples of every type against the JSON schemas shipped with the reference, using
/// Python's `jsonschema` (with `rfc3339-validator` for `date-time`) as an independent checker.
///
/// The schemas are used as shipped except for the bugs documented in protocol.md §8.5, which the script
/// patches (and the test confirms each patch is still needed):
/// - `register-agent-request.json` requires a non-existent `capabilities`;
/// - `node-info-response.json` requires a non-existent `node_agent_summary`;
/// - `start-workload-request.json` declares `metadata` with `additionalProperties: false`;
/// - several schemas share an `$id` (`shared`, `...nexnode_lameduck`, `...agent_remote_register_request`),
///   so every file is registered under its own URI instead (needed for `$ref` resolution at all).
/// `clone-workload-response.json` describes a wrapper that is never sent; our type of that shape is still
/// validated against it.
@Suite("JSON schema validation")
struct SchemaValidationTests {
    static let script = #"""
import json, os, sys
from jsonschema import FormatChecker
from jsonschema.validators import validator_for, Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

schema_dir, input_path, output_path = sys.argv[1:4]
BASE = "https://nex.invalid/schema/"

def load(patched):
    schemas = {}
    for name in sorted(os.listdir(schema_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(schema_dir, name)) as f:
            schema = json.load(f)
        schema["$id"] = BASE + name
        if patched:
            if name == "register-agent-request.json":
                schema["required"] = [k for k in schema["required"] if k != "capabilities"]
            if name == "node-info-response.json":
                schema["required"] = [k for k in schema["required"] if k != "node_agent_summary"]
            if name == "start-workload-request.json":
                schema["properties"]["metadata"].pop("additionalProperties", None)
        schemas[name] = schema
    registry = Registry().with_resources(
        (BASE + name, Resource.from_contents(s, default_specification=DRAFT7)) for name, s in schemas.items())
    return schemas, registry

def errors(schemas, registry, name, instance):
    # Validate through a reference to the registered URI, so relative $refs resolve against the file's own
    # URI even where draft-07 ignores an $id next to $ref (agent-ping-response.json).
    cls = validator_for(schemas[name], default=Draft7Validator)
    validator = cls({"$ref": BASE + name}, registry=registry, format_checker=FormatChecker())
    return list(validator.iter_errors(instance))

def classify(error):
    if error.validator == "required":
        for missing in ("capabilities", "node_agent_summary"):
            if repr(missing) in error.message:
                return missing
    if error.validator == "additionalProperties" and list(error.absolute_path)[-1:] == ["metadata"]:
        return "metadata"
    return None

patched = load(True)
original = load(False)
with open(input_path) as f:
    cases = json.load(f)
results = []
for case in cases:
    instance = json.loads(case["json"])
    found = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
             for e in errors(*patched, case["schema"], instance)]
    unpatched = [classify(e) for e in errors(*original, case["schema"], instance)]
    results.append({"label": case["label"], "schema": case["schema"], "errors": found,
                    "bugs": sorted({b for b in unpatched if b}),
                    "unexplained": sum(1 for b in unpatched if b is None)})
examples = [{"schema": name, "json": json.dumps(example)}
            for name, schema in patched[0].items() for example in schema.get("examples", [])]
with open(output_path, "w") as f:
    json.dump({"results": results, "schemas": sorted(patched[0]), "examples": examples}, f)
"""#

    struct Result: Decodable, Sendable {
        let label: String
        let schema: String
        let errors: [String]
        let bugs: [String]
        let unexplained: Int
    }

    struct Example: Decodable, Sendable {
        let schema: String
        let json: String
    }

    struct Report: Decodable, Sendable {
        let results: [Result]
        let schemas: [String]
        let examples: [Example]
    }

    struct Case: Encodable {
        let schema: String
        let label: String
        let json: String
    }

    /// One Python run for the whole suite.
    static let report = Swift.Result { try validateAll() }

    /// Runs one Python process over every sample.
    static func validateAll() throws -> Report {
        var cases: [Case] = []
        for wire in WireCatalog.cases {
            let json = String(decoding: try wire.encode(), as: UTF8.self)
            for schema in wire.schemas {
                cases.append(Case(schema: schema, label: wire.typeName, json: json))
            }
        }
        for instance in try WireCatalog.extraInstances() {
            cases.append(Case(schema: instance.schema, label: instance.label,
                              json: String(decoding: instance.json, as: UTF8.self)))
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nexprotocol-schema-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("cases.json")
        let output = directory.appendingPathComponent("report.json")
        try JSONEncoder().encode(cases).write(to: input)
        let run = try PythonRunner.run(
            script: script, arguments: [SpecDirectory.schemaURL.path, input.path, output.path])
        guard run.status == 0 else {
            throw PythonRunner.Failure(description: "schema validation script failed (\(run.status)): \(run.stderr)")
        }
        return try JSONDecoder().decode(Report.self, from: Data(contentsOf: output))
    }

    @Test("every encoded sample satisfies its schema; only the documented schema bugs needed patching")
    func validate() throws {
        let report = try Self.report.get()
        #expect(report.results.count > 50)
        for result in report.results {
            #expect(result.errors.isEmpty, "\(result.label) vs \(result.schema): \(result.errors)")
            #expect(result.unexplained == 0, "\(result.label) vs unpatched \(result.schema): unexplained failures")
        }
        // Each patch is still needed: the unpatched schemas reject our (Go-compatible) samples exactly there.
        let observed = Set(report.results.flatMap(\.bugs))
        #expect(observed == ["capabilities", "node_agent_summary", "metadata"])

        // Every schema is covered by a sample, except the ones owned by other modules.
        let covered = Set(report.results.map(\.schema))
        let uncovered = Set(report.schemas).subtracting(covered).subtracting(WireCatalog.schemasOwnedElsewhere)
        #expect(uncovered.isEmpty, "schemas without a sample: \(uncovered.sorted())")
    }

    @Test("the schemas' own examples (if any) decode and re-encode")
    func schemaExamples() throws {
        let report = try Self.report.get()
        for example in report.examples where !WireCatalog.schemasOwnedElsewhere.contains(example.schema) {
            let decoder = try #require(WireCatalog.decoder(forSchema: example.schema), "no type for \(example.schema)")
            #expect(throws: Never.self) { try decoder(Data(example.json.utf8)) }
        }
    }
}
