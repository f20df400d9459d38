import Foundation
import Testing
@testable import JSONSchema

/// The schemas shipped with the specification.
@Suite struct SpecSchemaTests {
    @Test func everySpecSchemaCompiles() throws {
        let files = try TestSupport.specSchemaFiles()
        #expect(files.count >= 40)
        for file in files {
            #expect(throws: Never.self, "\(file.lastPathComponent)") { _ = try JSONSchema(contentsOf: file) }
        }
    }

    @Test func specSchemasDeclareTheirDrafts() throws {
        let draft7 = try JSONSchema(contentsOf: TestSupport.schemaDirectory.appendingPathComponent("start-workload-request.json"))
        #expect(draft7.draft == .draft7)
        let native = try nativeSchema()
        #expect(native.draft == .draft2020_12)
    }

    /// The native nexlet's start-request schema, compiled from text as the node receives it.
    private func nativeSchema() throws -> JSONSchema {
        let text = try String(contentsOf: TestSupport.schemaDirectory.appendingPathComponent("native-start-request.json"), encoding: .utf8)
        return try JSONSchema(string: text)
    }

    @Test(arguments: [
        #"{"uri":"file:///bin/sleep"}"#,
        #"{"uri":"file:///bin/sleep","argv":["1d"]}"#,
        #"{"uri":"nats://bucket/key","argv":[],"environment":{"A":"1","B":""},"description":"demo","expose_ports":[8080,9090]}"#,
        #"{"uri":"","unknown":{"extra":[1,2,3]}}"#,
        #"{"uri":"x","expose_ports":[80.0]}"#,
        #"{"uri":"x","environment":{}}"#,
    ])
    func nativeStartRequestAccepts(_ text: String) throws {
        let errors = try nativeSchema().validate(JSONValue(parsing: text))
        #expect(errors.isEmpty, "\(errors.map(\.description))")
    }

    @Test(arguments: [
        ("{}", [#"/: missing required property "uri""#]),
        (#"{"uri":5}"#, ["/uri: expected string, got integer"]),
        (#"{"uri":"x","argv":"1d"}"#, ["/argv: expected array, got string"]),
        (#"{"uri":"x","argv":["a",2,null]}"#, ["/argv/1: expected string, got integer", "/argv/2: expected string, got null"]),
        (#"{"uri":"x","environment":{"A":1,"B":true}}"#, ["/environment/A: expected string, got integer", "/environment/B: expected string, got boolean"]),
        (#"{"uri":"x","environment":["A=1"]}"#, ["/environment: expected object, got array"]),
        (#"{"uri":"x","expose_ports":[80,"443",8.5]}"#, ["/expose_ports/1: expected integer, got string", "/expose_ports/2: expected integer, got number"]),
        (#"{"uri":"x","description":false}"#, ["/description: expected string, got boolean"]),
        (#"["file:///bin/sleep"]"#, ["/: expected object, got array"]),
        (#""file:///bin/sleep""#, ["/: expected object, got string"]),
        (#"{"argv":[1]}"#, [#"/: missing required property "uri""#, "/argv/0: expected string, got integer"]),
    ])
    func nativeStartRequestRejects(_ text: String, _ expected: [String]) throws {
        let errors = try nativeSchema().validate(JSONValue(parsing: text))
        #expect(errors.map(\.description) == expected)
    }

    @Test func startWorkloadRequestFollowsFileReferences() throws {
        let schema = try JSONSchema(contentsOf: TestSupport.schemaDirectory.appendingPathComponent("start-workload-request.json"))
        let valid = #"{"description":"demo","name":"hello","namespace":"user","run_request":"{}","tags":{},"workload_lifecycle":"service","workload_type":"native"}"#
        #expect(schema.validate(try JSONValue(parsing: valid)).isEmpty)
        let invalid = #"{"description":"demo","name":"hello","namespace":"user","run_request":"{}","tags":{"a":1},"workload_lifecycle":"daemon","workload_type":"native"}"#
        #expect(schema.validate(try JSONValue(parsing: invalid)).map(\.description) == [
            "/tags/a: expected string, got integer",
            #"/workload_lifecycle: "daemon" is not one of the allowed values: "service", "job", "function""#,
        ])
    }

    @Test func eventSchemaConst() throws {
        let schema = try JSONSchema(contentsOf: TestSupport.schemaDirectory.appendingPathComponent("event-nex-started.json"))
        let good = #"{"type":"io.synadia.nex.event.nexnode_started","id":"N","name":"n","nexus":"x","tags":{}}"#
        #expect(schema.isValid(try JSONValue(parsing: good)))
        let bad = #"{"type":"other","id":"N","name":"n","nexus":"x","tags":{}}"#
        #expect(schema.validate(try JSONValue(parsing: bad)).map(\.keyword) == ["const"])
    }
}
