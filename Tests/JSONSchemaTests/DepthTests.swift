import Foundation
import Testing
@testable import JSONSchema

/// Deep instances and schemas end in clear errors, never in a stack overflow.
@Suite struct DepthTests {
    private func nestedArrays(_ depth: Int, leaf: JSONValue = .integer(1)) -> JSONValue {
        var value = leaf
        for _ in 0..<depth { value = .array([value]) }
        return value
    }

    private let recursive = ##"{"anyOf":[{"type":"integer"},{"type":"array","items":{"$ref":"#"}}]}"##

    @Test func deepestAllowedInstanceValidates() throws {
        let schema = try JSONSchema(string: recursive)
        #expect(schema.validate(nestedArrays(256)).isEmpty)
        let errors = schema.validate(nestedArrays(256, leaf: .string("x")))
        #expect(errors.count == 1)
        #expect(errors.first?.keyword == "anyOf")
        #expect(errors.first?.instanceLocation == "")
    }

    @Test func deeperInstancesGetOneClearError() throws {
        let schema = try JSONSchema(string: recursive)
        for depth in [257, 2_000] {
            let errors = schema.validate(nestedArrays(depth))
            #expect(errors.map(\.description) == ["/: value is nested too deeply (more than 256 levels)"])
        }
        let limited = try JSONSchema(string: recursive, options: .init(maxInstanceDepth: 10))
        #expect(limited.validate(nestedArrays(10)).isEmpty)
        #expect(limited.validate(nestedArrays(11)).count == 1)
    }

    @Test func textBeyondTheParserLimitIsAParseError() throws {
        let schema = try JSONSchema(string: recursive)
        let text = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(throws: InstanceParseError.self) { try schema.validate(data: Data(text.utf8)) }
        #expect {
            _ = try JSONSchema(string: text)
        } throws: { error in
            (error as? SchemaError)?.kind == .invalidJSON
        }
    }

    @Test func deepSchemasAreRejected() throws {
        var schema = JSONValue.object([:])
        for _ in 0..<300 { schema = .object(["items": schema]) }
        #expect {
            _ = try JSONSchema(value: schema)
        } throws: { error in
            (error as? SchemaError)?.kind == .tooDeep
        }
        let text = String(repeating: #"{"not":"#, count: 200) + "{}" + String(repeating: "}", count: 200)
        let compiled = try JSONSchema(string: text)
        #expect(compiled.isValid(.null))  // an even number of `not`s
    }

    @Test func longArraysAndWideObjects() throws {
        let schema = try JSONSchema(string: #"{"items":{"type":"integer"},"uniqueItems":true}"#)
        let many = JSONValue.array((0..<20_000).map { .integer(Int64($0)) })
        #expect(schema.validate(many).isEmpty)
        let duplicate = JSONValue.array((0..<20_000).map { .integer(Int64($0 % 19_999)) })
        #expect(schema.validate(duplicate).map(\.message) == ["items 0 and 19999 are equal, but items must be unique"])
        let wide = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<5_000).map { ("k\($0)", JSONValue.string("v")) }))
        let objectSchema = try JSONSchema(string: #"{"additionalProperties":{"type":"integer"}}"#)
        #expect(objectSchema.validate(wide).count == 5_000)
    }

    @Test func longReferenceChainsCompileAndStopWithAnError() throws {
        var definitions: [String: JSONValue] = [:]
        for index in 0..<6_000 {
            definitions["d\(index)"] = .object(["$ref": .string("#/$defs/d\(index + 1)")])
        }
        definitions["d6000"] = .object(["type": .string("integer")])
        let schema = try JSONSchema(value: .object(["$defs": .object(definitions), "$ref": .string("#/$defs/d0")]))
        let errors = schema.validate(.integer(1))
        #expect(errors.map(\.message) == ["schema evaluation nests more than 4096 levels deep"])
        var shortChain = definitions.filter { Int($0.key.dropFirst()).map { $0 < 100 } ?? false }
        shortChain["d100"] = .object(["type": .string("integer")])
        let short = try JSONSchema(value: .object(["$defs": .object(shortChain), "$ref": .string("#/$defs/d0")]))
        #expect(short.isValid(.integer(1)))
        #expect(short.validate(.string("x")).map(\.schemaLocation) == ["#/$defs/d100/type"])
    }

    /// Swift concurrency threads can have stacks as small as 512 KiB; deep work must still fit.
    @Test func deepWorkFitsOnASmallStack() throws {
        let finished = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        let thread = Thread {
            do {
                let schema = try JSONSchema(string: self.recursive)
                outcome.record(schema.validate(self.nestedArrays(256)).isEmpty)
                let text = String(repeating: "[", count: 500) + "1" + String(repeating: "]", count: 500)
                outcome.record((try? JSONSchema(string: text)) == nil)
                outcome.record((try? schema.validate(data: Data(text.utf8)))?.count == 1)
            } catch {
                outcome.record(false)
            }
            finished.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        #expect(finished.wait(timeout: .now() + 60) == .success)
        #expect(outcome.results == [true, true, true])
    }
}

/// Results handed from a helper thread to the test (written before the semaphore is signalled).
final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Bool] = []

    func record(_ value: Bool) {
        lock.lock()
        recorded.append(value)
        lock.unlock()
    }

    var results: [Bool] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
