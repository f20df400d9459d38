import Foundation
import NATSTestSupport
import Testing
@testable import JSONSchema

/// Our verdicts must equal the Python `jsonschema` package's (Draft 2020-12 unless the schema says
/// otherwise), for schema/instance pairs chosen to hit the corners of each keyword.
///
/// Pairs avoid the few places where the references themselves disagree: Python's regexes treat
/// `\d` as Unicode and let `$` match before a final newline, and Python divides floats for
/// `multipleOf` while the Go reference uses exact decimals.
@Suite struct PythonCrossCheckTests {
    static let pairs: [(schema: String, instance: String)] = [
        (#"{"type":"integer"}"#, "1.0"),
        (#"{"type":"integer"}"#, "1.5"),
        (#"{"type":"integer"}"#, "1e20"),
        (#"{"type":"number"}"#, "true"),
        (#"{"type":["null","boolean"]}"#, "false"),
        (#"{"type":"string"}"#, "null"),
        (#"{"enum":[1,true]}"#, "true"),
        (#"{"enum":[1]}"#, "true"),
        (#"{"enum":[0]}"#, "false"),
        (#"{"enum":[1.0]}"#, "1"),
        (#"{"const":[1,{"a":null}]}"#, #"[1.0,{"a":null}]"#),
        (#"{"const":{"a":1}}"#, #"{"a":1,"b":1}"#),
        (#"{"uniqueItems":true}"#, "[1,true]"),
        (#"{"uniqueItems":true}"#, "[0,false]"),
        (#"{"uniqueItems":true}"#, "[[1],[true]]"),
        (#"{"uniqueItems":true}"#, #"[{"a":1,"b":[2]},{"b":[2.0],"a":1}]"#),
        (#"{"minimum":-0}"#, "-0.0"),
        (#"{"exclusiveMaximum":9007199254740993}"#, "9007199254740992"),
        (#"{"maximum":9223372036854775807}"#, "9223372036854775807"),
        (#"{"multipleOf":2}"#, "1e300"),
        (#"{"multipleOf":0.5}"#, "4.5"),
        (#"{"multipleOf":1.5}"#, "4"),
        (#"{"minLength":2}"#, #""💩""#),
        (#"{"maxLength":2}"#, #""e\u0301x""#),
        (#"{"maxLength":0}"#, #""""#),
        (#"{"pattern":"^[A-Za-z]+\\.json$"}"#, #""config.json""#),
        (#"{"pattern":"^[A-Za-z]+\\.json$"}"#, #""configXjson""#),
        (#"{"pattern":"a.c"}"#, "\"xa\\ncx\""),
        (#"{"pattern":"^(foo|bar)+$"}"#, #""foobarfoo""#),
        (#"{"pattern":"x{2}"}"#, #""axxb""#),
        (#"{"patternProperties":{"^[0-9]+$":{"type":"integer"}},"additionalProperties":false}"#, #"{"12":1,"x":2}"#),
        (#"{"patternProperties":{"a":{"minimum":5},"b":{"maximum":3}}}"#, #"{"ab":4}"#),
        (#"{"properties":{"a":{"type":"string"}},"additionalProperties":{"type":"integer"}}"#, #"{"a":"x","b":1,"c":"y"}"#),
        (#"{"required":["a"],"properties":{"a":false}}"#, #"{"a":1}"#),
        (#"{"required":[]}"#, "{}"),
        (#"{"prefixItems":[{"type":"integer"}],"items":false}"#, "[1]"),
        (#"{"prefixItems":[{"type":"integer"}],"items":false}"#, "[1,2]"),
        (#"{"items":{"type":"integer"},"minItems":1}"#, "[]"),
        (#"{"contains":{"minimum":5},"minContains":2,"maxContains":2}"#, "[5,6,7]"),
        (#"{"contains":{"minimum":5},"minContains":0}"#, "[]"),
        (#"{"contains":false}"#, "[]"),
        (#"{"maxContains":1}"#, "[1,1]"),
        (#"{"allOf":[true,{"type":"string"}]}"#, "1"),
        (#"{"anyOf":[false,{"type":"string"}]}"#, #""x""#),
        (#"{"oneOf":[{"type":"number"},{"type":"integer"}]}"#, "2"),
        (#"{"oneOf":[{"type":"number"},{"type":"integer"}]}"#, "2.5"),
        (#"{"not":{"not":{"type":"null"}}}"#, "null"),
        (#"{"if":{"minimum":10},"then":{"multipleOf":2},"else":{"multipleOf":3}}"#, "11"),
        (#"{"if":{"minimum":10},"then":{"multipleOf":2},"else":{"multipleOf":3}}"#, "9"),
        (#"{"if":false,"then":false}"#, "1"),
        (#"{"else":false}"#, "1"),
        (#"{"dependentRequired":{"a":["b"]}}"#, #"{"a":1}"#),
        (#"{"dependentSchemas":{"a":{"properties":{"b":{"type":"string"}}}}}"#, #"{"a":1,"b":2}"#),
        (#"{"dependencies":{"a":["b"]}}"#, #"{"a":1}"#),
        (#"{"propertyNames":{"const":"ok"}}"#, #"{"ok":1,"no":2}"#),
        (#"{"propertyNames":false}"#, "{}"),
        (#"{"minProperties":1,"maxProperties":1}"#, #"{"a":1,"b":2}"#),
        (##"{"$defs":{"a/b":{"type":"integer"}},"$ref":"#/$defs/a~1b"}"##, #""x""#),
        (##"{"$defs":{"c~d":{"type":"integer"}},"$ref":"#/$defs/c~0d"}"##, "3"),
        (##"{"$defs":{"e f":{"type":"integer"}},"$ref":"#/$defs/e%20f"}"##, "3.5"),
        (##"{"$defs":{"s":{"type":"string"}},"$ref":"#/$defs/s","minLength":3}"##, #""ab""#),
        (##"{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"s":{"type":"string"}},"$ref":"#/definitions/s","minLength":3}"##, #""ab""#),
        (##"{"$schema":"http://json-schema.org/draft-07/schema#","items":[{"type":"string"}],"additionalItems":{"type":"integer"}}"##, #"["a",1,"b"]"#),
        (##"{"$schema":"http://json-schema.org/draft-04/schema#","maximum":5,"exclusiveMaximum":true}"##, "5"),
        (##"{"type":"object","properties":{"next":{"$ref":"#"}},"required":["v"]}"##, #"{"v":1,"next":{"next":{"v":2}}}"#),
        (##"{"$id":"https://example.com/a","$defs":{"b":{"$id":"b","type":"integer"}},"$ref":"b"}"##, "1.5"),
        (##"{"$defs":{"x":{"$anchor":"here","type":"boolean"}},"items":{"$ref":"#here"}}"##, "[true,0]"),
        (#"{"properties":{"a":true},"unevaluatedProperties":false}"#, #"{"a":1,"b":2}"#),
        (#"{"allOf":[{"properties":{"a":true}}],"unevaluatedProperties":false}"#, #"{"a":1}"#),
        (#"{"anyOf":[{"properties":{"a":{"type":"string"}}},{"properties":{"b":true}}],"unevaluatedProperties":false}"#, #"{"a":1,"b":1}"#),
        (#"{"oneOf":[{"properties":{"a":true},"required":["a"]},{"properties":{"b":true},"required":["b"]}],"unevaluatedProperties":false}"#, #"{"a":1,"c":1}"#),
        (#"{"if":{"properties":{"a":true}},"unevaluatedProperties":false}"#, #"{"a":1}"#),
        (#"{"not":{"properties":{"a":{"type":"string"}}},"unevaluatedProperties":false}"#, #"{"a":1}"#),
        (#"{"prefixItems":[true],"unevaluatedItems":false}"#, "[1,2]"),
        (#"{"allOf":[{"prefixItems":[true,true]}],"unevaluatedItems":false}"#, "[1,2]"),
        (#"{"contains":{"type":"string"},"unevaluatedItems":false}"#, #"["a","b",1]"#),
        (#"{"items":true,"unevaluatedItems":false}"#, "[1,2,3]"),
        (#"{"format":"email"}"#, #""not an email""#),
        (#"{"format":"date-time","type":"string"}"#, #""yesterday""#),
    ]

    @Test func verdictsMatchPythonJsonschema() throws {
        let python = try Self.pythonVerdicts(Self.pairs)
        #expect(python.count == Self.pairs.count)
        var disagreements: [String] = []
        for (index, pair) in Self.pairs.enumerated() where index < python.count {
            let schema = try JSONSchema(string: pair.schema)
            let ours = schema.isValid(try JSONValue(parsing: pair.instance))
            if ours != python[index] {
                disagreements.append("\(pair.schema) with \(pair.instance): ours \(ours), python \(python[index].map(String.init) ?? "looped")")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        #expect(python.contains(true) && python.contains(false))
        #expect(!python.contains(nil))
    }

    /// Runs every pair through Python in one process and returns its verdicts in order.
    /// `nil` marks a pair on which Python ran out of recursion (a `$ref` loop).
    static func pythonVerdicts(_ pairs: [(schema: String, instance: String)]) throws -> [Bool?] {
        let script = """
        import json, sys
        from jsonschema import Draft202012Validator
        from jsonschema.validators import validator_for
        pairs = json.load(open(sys.argv[1]))
        out = []
        for schema_text, instance_text in pairs:
            schema = json.loads(schema_text)
            cls = validator_for(schema, default=Draft202012Validator)
            try:
                out.append(cls(schema).is_valid(json.loads(instance_text)))
            except RecursionError:
                out.append(None)
        json.dump(out, sys.stdout)
        """
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("jsonschema-pairs-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: input) }
        let encoded = JSONValue.array(pairs.map { .array([.string($0.schema), .string($0.instance)]) })
        try Data(encoded.compactText.utf8).write(to: input)

        let run = try PythonRunner.run(script: script, arguments: [input.path], timeout: 120)
        guard run.status == 0 else { throw CrossCheckError("python3 exited with \(run.status): \(run.stderr)") }
        let parsed = try JSONValue(parsing: run.stdout)
        guard case .array(let items) = parsed else { throw CrossCheckError("python printed \(parsed.compactText)") }
        return try items.map { item in
            switch item {
            case .bool(let verdict): return verdict
            case .null: return nil
            default: throw CrossCheckError("python printed \(item.compactText)")
            }
        }
    }
}

struct CrossCheckError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

