import Foundation
import Testing
@testable import JSONSchema

/// `$ref` resolution: pointers, escapes, `$id`, anchors, other documents and cycles.
@Suite struct ReferenceTests {
    private func verdicts(_ schemaText: String, _ instances: [String], options: JSONSchema.Options = .init()) throws -> [Bool] {
        let schema = try JSONSchema(string: schemaText, options: options)
        return try instances.map { schema.isValid(try JSONValue(parsing: $0)) }
    }

    @Test func pointerEscapesAndPercentEncoding() throws {
        let schema = ##"""
        {"$defs":{"a/b":{"type":"integer"},"c~d":{"type":"string"},"e f":{"type":"boolean"},"g%h":{"type":"null"}},
         "properties":{
           "slash":{"$ref":"#/$defs/a~1b"},
           "tilde":{"$ref":"#/$defs/c~0d"},
           "space":{"$ref":"#/$defs/e%20f"},
           "percent":{"$ref":"#/$defs/g%25h"}}}
        """##
        #expect(try verdicts(schema, [
            #"{"slash":1,"tilde":"x","space":true,"percent":null}"#,
            #"{"slash":"1"}"#, #"{"tilde":1}"#, #"{"space":1}"#, #"{"percent":1}"#,
        ]) == [true, false, false, false, false])
    }

    @Test func pointerIntoArraysAndNestedSchemas() throws {
        let schema = ##"""
        {"prefixItems":[{"type":"string"},{"properties":{"x":{"minimum":5}}}],
         "properties":{"first":{"$ref":"#/prefixItems/0"},"x":{"$ref":"#/prefixItems/1/properties/x"}}}
        """##
        #expect(try verdicts(schema, [#"{"first":"a","x":6}"#, #"{"first":1}"#, #"{"x":4}"#]) == [true, false, false])
    }

    @Test func idChangesTheBaseOfRelativeReferences() throws {
        let schema = ##"""
        {"$id":"https://example.com/root.json",
         "$defs":{
           "inner":{"$id":"nested/inner.json","$defs":{"leaf":{"type":"integer"}},"$ref":"#/$defs/leaf"},
           "byURI":{"$ref":"https://example.com/nested/inner.json"}},
         "properties":{"a":{"$ref":"nested/inner.json"},"b":{"$ref":"#/$defs/byURI"},"c":{"$ref":"root.json#/$defs/inner"}}}
        """##
        #expect(try verdicts(schema, [#"{"a":1,"b":2,"c":3}"#, #"{"a":"1"}"#, #"{"b":"2"}"#, #"{"c":"3"}"#]) == [true, false, false, false])
    }

    @Test func anchors() throws {
        let modern = ##"{"$defs":{"p":{"$anchor":"port","type":"integer"}},"items":{"$ref":"#port"}}"##
        #expect(try verdicts(modern, ["[1]", #"["x"]"#]) == [true, false])
        let draft7 = ##"{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"p":{"$id":"#port","type":"integer"}},"items":{"$ref":"#port"}}"##
        #expect(try verdicts(draft7, ["[1]", #"["x"]"#]) == [true, false])
    }

    @Test func suppliedResources() throws {
        let options = JSONSchema.Options(
            baseURI: "https://nex.example/schemas/start.json",
            resources: ["tags.json": try JSONValue(parsing: #"{"type":"object","additionalProperties":{"type":"string"}}"#)]
        )
        let schema = ##"{"properties":{"tags":{"$ref":"./tags.json"}}}"##
        #expect(try verdicts(schema, [#"{"tags":{"a":"b"}}"#, #"{"tags":{"a":1}}"#], options: options) == [true, false])
    }

    @Test func referenceCyclesTerminate() throws {
        // A linked list: compiling the cycle must end, and validating walks the list.
        let list = ##"{"$defs":{"node":{"type":"object","properties":{"next":{"$ref":"#/$defs/node"},"v":{"type":"integer"}}}},"$ref":"#/$defs/node"}"##
        #expect(try verdicts(list, [#"{"v":1,"next":{"v":2,"next":{"v":3}}}"#, #"{"v":1,"next":{"v":"x"}}"#]) == [true, false])
        // Mutual references between definitions.
        let mutual = ##"{"$defs":{"a":{"items":{"$ref":"#/$defs/b"}},"b":{"items":{"$ref":"#/$defs/a"},"type":"array"}},"$ref":"#/$defs/a"}"##
        #expect(try verdicts(mutual, ["[[[]]]", "[[1]]", "[1]"]) == [true, true, false])
    }

    @Test func loopsThatNeverConsumeTheInstanceAreReported() throws {
        for text in [##"{"$ref":"#"}"##, ##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}"##] {
            let schema = try JSONSchema(string: text)
            let errors = schema.validate(.integer(1))
            #expect(errors.count == 1)
            #expect(errors.first?.keyword == "$ref")
            #expect(errors.first?.message.contains("refers back to itself") == true)
        }
    }

    @Test func unresolvableReferencesAreSchemaErrors() throws {
        let cases: [(String, String)] = [
            (##"{"$ref":"#/$defs/missing"}"##, "/$ref"),
            (##"{"properties":{"a":{"$ref":"other.json"}}}"##, "/properties/a/$ref"),
            (##"{"$ref":"#nowhere"}"##, "/$ref"),
            (##"{"$ref":"#/$defs/%zz"}"##, "/$ref"),
            (##"{"$ref":"#/$defs/a~2"}"##, "/$ref"),
            (##"{"$ref":"https://example.com/schema.json"}"##, "/$ref"),
        ]
        for (text, location) in cases {
            #expect {
                _ = try JSONSchema(string: text)
            } throws: { error in
                guard let schemaError = error as? SchemaError else { return false }
                return schemaError.kind == .unresolvedReference && schemaError.location == location
            }
        }
    }

    @Test func referenceToANonSchemaIsRejected() throws {
        #expect(throws: SchemaError.self) { _ = try JSONSchema(string: ##"{"$defs":{"n":5},"$ref":"#/$defs/n"}"##) }
    }

    @Test func fileSchemasLoadSiblingDocuments() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jsonschema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(##"{"$id":"main","properties":{"n":{"$ref":"./sub dir/name.json"}}}"##.utf8)
            .write(to: directory.appendingPathComponent("main.json"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub dir"), withIntermediateDirectories: true)
        try Data(#"{"type":"string"}"#.utf8).write(to: directory.appendingPathComponent("sub dir/name.json"))
        let schema = try JSONSchema(contentsOf: directory.appendingPathComponent("main.json"))
        #expect(schema.isValid(try JSONValue(parsing: #"{"n":"x"}"#)))
        #expect(!schema.isValid(try JSONValue(parsing: #"{"n":1}"#)))
        // The same text compiled from a string must not touch the disk.
        #expect(throws: SchemaError.self) {
            _ = try JSONSchema(string: ##"{"properties":{"n":{"$ref":"./sub dir/name.json"}}}"##,
                               options: .init(baseURI: directory.appendingPathComponent("main.json").absoluteString))
        }
    }

    @Test func uriResolution() {
        let base = URIReference(parsing: "http://a/b/c/d;p?q")
        let expectations = [
            "g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/", "/g": "http://a/g",
            "//g": "http://g", "?y": "http://a/b/c/d;p?y", "#s": "http://a/b/c/d;p?q#s", "../g": "http://a/b/g",
            "../../g": "http://a/g", "../../../g": "http://a/g", ".": "http://a/b/c/", "": "http://a/b/c/d;p?q",
            "g;x?y#s": "http://a/b/c/g;x?y#s", "urn:x:y": "urn:x:y",
        ]
        for (reference, expected) in expectations {
            #expect(base.resolving(URIReference(parsing: reference)).description == expected, "\(reference)")
        }
    }
}
