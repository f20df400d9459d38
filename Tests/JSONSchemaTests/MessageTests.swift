import Foundation
import Testing
@testable import JSONSchema

/// The exact wording and locations operators see.
@Suite struct MessageTests {
    let native = #"""
    {"type":"object","properties":{"uri":{"type":"string"},"argv":{"type":"array","items":{"type":"string"}},
     "environment":{"type":"object","additionalProperties":{"type":"string"}},
     "expose_ports":{"type":"array","items":{"type":"integer"}}},"required":["uri"]}
    """#

    @Test func typeAndRequiredMessages() throws {
        let schema = try TestSupport.schema(native)
        #expect(try TestSupport.messages(schema, #"{"argv":[1,"x",true]}"#) == [
            #"/: missing required property "uri""#,
            "/argv/0: expected string, got integer",
            "/argv/2: expected string, got boolean",
        ])
        #expect(try TestSupport.messages(schema, #"{"uri":"file:///bin/sleep","expose_ports":[80,1.5],"environment":{"A":1}}"#) == [
            "/environment/A: expected string, got integer",
            "/expose_ports/1: expected integer, got number",
        ])
        #expect(try TestSupport.messages(schema, "[]") == ["/: expected object, got array"])
    }

    @Test func errorCarriesLocationsAndKeyword() throws {
        let schema = try TestSupport.schema(native)
        let errors = schema.validate(try TestSupport.json(#"{"uri":"x","argv":["a",{}]}"#))
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.instanceLocation == "/argv/1")
        #expect(error.keyword == "type")
        #expect(error.schemaLocation == "#/properties/argv/items/type")
        #expect(error.message == "expected string, got object")
    }

    @Test func errorsAreSortedWithNumericIndices() throws {
        let schema = try TestSupport.schema(#"{"items":{"type":"string"}}"#)
        let instance = "[" + (0..<12).map(String.init).joined(separator: ",") + "]"
        let locations = schema.validate(try TestSupport.json(instance)).map(\.instanceLocation)
        #expect(locations == (0..<12).map { "/\($0)" })
    }

    @Test(arguments: [
        (#"{"type":["string","null"]}"#, "1", "/: expected string or null, got integer"),
        (#"{"type":["string","integer","null"]}"#, "{}", "/: expected string, integer or null, got object"),
        (#"{"enum":["service","job","function"]}"#, #""daemon""#,
         #"/: "daemon" is not one of the allowed values: "service", "job", "function""#),
        (#"{"const":"io.synadia.nex.event.nexnode_started"}"#, #""x""#,
         #"/: value must be "io.synadia.nex.event.nexnode_started", got "x""#),
        (#"{"minimum":10}"#, "5", "/: 5 is less than the minimum 10"),
        (#"{"exclusiveMinimum":10}"#, "10", "/: 10 must be greater than 10"),
        (#"{"maximum":1.5}"#, "2", "/: 2 is greater than the maximum 1.5"),
        (#"{"exclusiveMaximum":0}"#, "0.5", "/: 0.5 must be less than 0"),
        (#"{"multipleOf":2}"#, "7", "/: 7 is not a multiple of 2"),
        (#"{"minLength":3}"#, #""ab""#, "/: string is too short: 2 characters, at least 3 required"),
        (#"{"maxLength":1}"#, #""ab""#, "/: string is too long: 2 characters, at most 1 allowed"),
        (#"{"pattern":"^[0-9]+$"}"#, #""12a""#, #"/: "12a" does not match the pattern "^[0-9]+$""#),
        (#"{"minItems":2}"#, "[1]", "/: array has 1 item, at least 2 required"),
        (#"{"maxItems":1}"#, "[1,2]", "/: array has 2 items, at most 1 allowed"),
        (#"{"uniqueItems":true}"#, "[1,2,1.0]", "/: items 0 and 2 are equal, but items must be unique"),
        (#"{"minProperties":1}"#, "{}", "/: object has 0 properties, at least 1 required"),
        (#"{"maxProperties":1}"#, #"{"a":1,"b":2}"#, "/: object has 2 properties, at most 1 allowed"),
        (#"{"properties":{"a":true},"additionalProperties":false}"#, #"{"a":1,"b":2}"#, #"/: property "b" is not allowed"#),
        (#"{"not":{"type":"string"}}"#, #""x""#, #"/: value must not match the schema in "not""#),
        (#"{"contains":{"type":"string"}}"#, "[1]", #"/: no item matches the "contains" schema"#),
        (#"{"prefixItems":[true],"items":false}"#, "[1,2,3]", "/: array has 3 items, at most 1 allowed"),
        (#"{"dependentRequired":{"a":["b"]}}"#, #"{"a":1}"#, #"/: property "a" requires property "b", which is missing"#),
        (#"{"propertyNames":{"maxLength":2}}"#, #"{"abc":1}"#,
         #"/: property name "abc" is not allowed: string is too long: 3 characters, at most 2 allowed"#),
        (#"{"anyOf":[{"type":"string"},{"type":"null"}]}"#, "1",
         "/: value does not match any of the allowed schemas (anyOf): [0] expected string, got integer; [1] expected null, got integer"),
        (#"{"oneOf":[{"type":"integer"},{"minimum":0}]}"#, "1",
         "/: value matches 2 of the schemas in oneOf (0 and 1), but must match exactly one"),
        (#"{"properties":{"a":false}}"#, #"{"a":1}"#, "/a: no value is allowed here"),
        ("false", "null", "/: no value is allowed here"),
    ])
    func wording(schema: String, instance: String, expected: String) throws {
        #expect(try TestSupport.messages(TestSupport.schema(schema), instance) == [expected])
    }

    @Test func anyOfKeepsCauses() throws {
        let schema = try TestSupport.schema(#"{"anyOf":[{"required":["a"]},{"properties":{"b":{"type":"string"}}, "required":["b"]}]}"#)
        let errors = schema.validate(try TestSupport.json(#"{"b":1}"#))
        let error = try #require(errors.first)
        #expect(error.keyword == "anyOf")
        #expect(error.causes.map(\.description) == [#"/: missing required property "a""#, "/b: expected string, got integer"])
        #expect(error.message.contains(#"[0] missing required property "a"; [1] /b: expected string, got integer"#))
    }

    @Test func checkThrowsAFailureWithEveryProblem() throws {
        let schema = try TestSupport.schema(native)
        let instance = try TestSupport.json(#"{"argv":[1]}"#)
        do {
            try schema.check(instance)
            Issue.record("expected a failure")
        } catch {
            #expect(error.errors.count == 2)
            #expect(error.description == #"/: missing required property "uri"; /argv/0: expected string, got integer"#)
            #expect(error.summary() == "/: missing required property \"uri\"\n/argv/0: expected string, got integer")
        }
        #expect(throws: Never.self) { try schema.check(TestSupport.json(#"{"uri":"x"}"#)) }
    }

    @Test func validateDataReportsUnparsableText() throws {
        let schema = try TestSupport.schema(native)
        #expect(throws: InstanceParseError.self) { try schema.validate(data: Data("{nope".utf8)) }
        #expect(try schema.validate(data: Data(#"{"uri":"x"}"#.utf8)).isEmpty)
    }
}
