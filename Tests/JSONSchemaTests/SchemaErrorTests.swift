import Foundation
import Testing
@testable import JSONSchema

/// Invalid schemas are rejected with a specific kind, location and reason.
@Suite struct SchemaErrorTests {
    struct BadSchema: Sendable, CustomTestStringConvertible {
        let schema: String
        let kind: SchemaError.Kind
        let location: String
        let reasonContains: String
        var testDescription: String { schema }
    }

    static let cases: [BadSchema] = [
        BadSchema(schema: "5", kind: .notASchema, location: "", reasonContains: "object or a boolean, got integer"),
        BadSchema(schema: #""string""#, kind: .notASchema, location: "", reasonContains: "got string"),
        BadSchema(schema: "null", kind: .notASchema, location: "", reasonContains: "got null"),
        BadSchema(schema: #"{"properties":{"a":[]}}"#, kind: .notASchema, location: "/properties/a", reasonContains: "got array"),
        BadSchema(schema: #"{"type":"strin"}"#, kind: .unknownType, location: "/type", reasonContains: #"unknown type "strin""#),
        BadSchema(schema: #"{"type":["string","int"]}"#, kind: .unknownType, location: "/type", reasonContains: #""int""#),
        BadSchema(schema: #"{"type":[]}"#, kind: .invalidKeyword, location: "/type", reasonContains: "non-empty array"),
        BadSchema(schema: #"{"type":5}"#, kind: .invalidKeyword, location: "/type", reasonContains: "type name"),
        BadSchema(schema: #"{"type":["string","string"]}"#, kind: .invalidKeyword, location: "/type", reasonContains: "more than once"),
        BadSchema(schema: #"{"pattern":5}"#, kind: .invalidKeyword, location: "/pattern", reasonContains: "must be a string"),
        BadSchema(schema: #"{"pattern":"(unclosed"}"#, kind: .invalidPattern, location: "/pattern", reasonContains: "(unclosed"),
        BadSchema(schema: #"{"pattern":"a**"}"#, kind: .invalidPattern, location: "/pattern", reasonContains: "invalid regular expression"),
        BadSchema(schema: #"{"patternProperties":{"[":true}}"#, kind: .invalidPattern, location: "/patternProperties", reasonContains: "\"[\""),
        BadSchema(schema: #"{"required":"uri"}"#, kind: .invalidKeyword, location: "/required", reasonContains: "array of strings"),
        BadSchema(schema: #"{"required":["uri",1]}"#, kind: .invalidKeyword, location: "/required", reasonContains: "contains 1"),
        BadSchema(schema: #"{"required":["a","a"]}"#, kind: .invalidKeyword, location: "/required", reasonContains: "more than once"),
        BadSchema(schema: #"{"minLength":-1}"#, kind: .invalidKeyword, location: "/minLength", reasonContains: "non-negative integer"),
        BadSchema(schema: #"{"maxItems":1.5}"#, kind: .invalidKeyword, location: "/maxItems", reasonContains: "non-negative integer"),
        BadSchema(schema: #"{"minProperties":"1"}"#, kind: .invalidKeyword, location: "/minProperties", reasonContains: "non-negative integer"),
        BadSchema(schema: #"{"minimum":"1"}"#, kind: .invalidKeyword, location: "/minimum", reasonContains: "must be a number"),
        BadSchema(schema: #"{"exclusiveMaximum":true}"#, kind: .invalidKeyword, location: "/exclusiveMaximum", reasonContains: "must be a number"),
        BadSchema(schema: #"{"multipleOf":0}"#, kind: .invalidKeyword, location: "/multipleOf", reasonContains: "greater than 0"),
        BadSchema(schema: #"{"multipleOf":-2}"#, kind: .invalidKeyword, location: "/multipleOf", reasonContains: "greater than 0"),
        BadSchema(schema: #"{"uniqueItems":1}"#, kind: .invalidKeyword, location: "/uniqueItems", reasonContains: "true or false"),
        BadSchema(schema: #"{"enum":"a"}"#, kind: .invalidKeyword, location: "/enum", reasonContains: "must be an array"),
        BadSchema(schema: #"{"allOf":[]}"#, kind: .invalidKeyword, location: "/allOf", reasonContains: "non-empty array"),
        BadSchema(schema: #"{"anyOf":{}}"#, kind: .invalidKeyword, location: "/anyOf", reasonContains: "non-empty array"),
        BadSchema(schema: #"{"oneOf":[true,3]}"#, kind: .notASchema, location: "/oneOf/1", reasonContains: "got integer"),
        BadSchema(schema: #"{"properties":[]}"#, kind: .invalidKeyword, location: "/properties", reasonContains: "must be an object"),
        BadSchema(schema: #"{"items":[{}]}"#, kind: .invalidKeyword, location: "/items", reasonContains: "prefixItems"),
        BadSchema(schema: #"{"additionalProperties":"no"}"#, kind: .notASchema, location: "/additionalProperties", reasonContains: "got string"),
        BadSchema(schema: #"{"$defs":{"bad":{"minLength":"x"}}}"#, kind: .invalidKeyword, location: "/$defs/bad/minLength", reasonContains: "non-negative"),
        BadSchema(schema: #"{"dependentRequired":{"a":"b"}}"#, kind: .invalidKeyword, location: "/dependentRequired", reasonContains: "array of strings"),
        BadSchema(schema: #"{"$ref":5}"#, kind: .invalidKeyword, location: "/$ref", reasonContains: "must be a string"),
        BadSchema(schema: #"{"$schema":"http://example.com/custom"}"#, kind: .unsupportedDraft, location: "/$schema", reasonContains: "unsupported meta-schema"),
        BadSchema(schema: #"{"$schema":3}"#, kind: .invalidKeyword, location: "/$schema", reasonContains: "must be a string"),
        BadSchema(schema: #"{"$id":5}"#, kind: .invalidKeyword, location: "/$id", reasonContains: "must be a string"),
        BadSchema(schema: #"{"$id":"http://x/y#frag"}"#, kind: .invalidKeyword, location: "/$id", reasonContains: "fragment"),
        BadSchema(schema: #"{"$anchor":"1bad"}"#, kind: .invalidKeyword, location: "/$anchor", reasonContains: "letters"),
        BadSchema(schema: #"{"type":"object""#, kind: .invalidJSON, location: "", reasonContains: "not valid JSON"),
    ]

    @Test(arguments: cases)
    func rejected(_ entry: BadSchema) {
        do {
            _ = try JSONSchema(string: entry.schema)
            Issue.record("\(entry.schema) compiled")
        } catch {
            #expect(error.kind == entry.kind)
            #expect(error.location == entry.location)
            #expect(error.reason.contains(entry.reasonContains), "\(error.reason)")
            #expect(error.description.hasPrefix("invalid schema at "))
        }
    }

    @Test func errorsInOtherDocumentsNameTheDocument() {
        let options = JSONSchema.Options(baseURI: "https://x.example/a.json", resources: ["b.json": .object(["minLength": .string("1")])])
        do {
            _ = try JSONSchema(string: ##"{"$ref":"b.json"}"##, options: options)
            Issue.record("compiled")
        } catch {
            #expect(error.location == "https://x.example/b.json#/minLength")
        }
    }

    @Test func keywordsFromOtherDraftsAreUnknownAndIgnored() throws {
        let draft7 = try JSONSchema(string: #"{"$schema":"http://json-schema.org/draft-07/schema#","prefixItems":[{"type":"strin"}],"unevaluatedProperties":false}"#)
        #expect(draft7.isValid(.array([.integer(1)])))
        #expect(draft7.isValid(.object(["extra": .null])))
        let modern = try JSONSchema(string: #"{"additionalItems":5,"dependencies":{"a":["b"]}}"#)
        #expect(modern.isValid(.object(["a": .null])))
    }

    @Test func draft04AcceptsBooleanExclusiveBounds() throws {
        _ = try JSONSchema(string: #"{"$schema":"http://json-schema.org/draft-04/schema#","minimum":1,"exclusiveMinimum":true}"#)
        let draft7 = try JSONSchema(string: #"{"$schema":"https://json-schema.org/draft-07/schema"}"#)
        #expect(draft7.draft == .draft7)
        #expect(try JSONSchema(string: "{}").draft == .draft2020_12)
        #expect(try JSONSchema(string: "{}", options: .init(defaultDraft: .draft7)).draft == .draft7)
    }
}
