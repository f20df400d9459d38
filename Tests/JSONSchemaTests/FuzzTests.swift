import Foundation
import Testing
@testable import JSONSchema

/// Random inputs never crash the validator, and what it reports is well formed.
@Suite struct FuzzTests {
    /// Checks the invariants every validation result must satisfy.
    private func checkInvariants(_ errors: [ValidationError], for instance: JSONValue, schema: String) {
        #expect(errors == errors.sorted(by: ValidationError.precedes), "\(schema): unsorted")
        for error in errors {
            #expect(!error.message.isEmpty && !error.keyword.isEmpty)
            let tokens = JSONPointer.tokens(of: error.instanceLocation)
            #expect(tokens.flatMap { JSONPointer.resolve($0, in: instance) } != nil,
                    "\(schema): \(error.instanceLocation) is not in the instance")
        }
    }

    @Test func randomInstancesAgainstSpecSchemas() throws {
        let files = try TestSupport.specSchemaFiles()
        var validations = 0
        var rejections = 0
        for (fileIndex, file) in files.enumerated() {
            let schema = try JSONSchema(contentsOf: file)
            let document = try JSONValue(parsing: Data(contentsOf: file))
            var random = RandomJSON(seed: UInt64(fileIndex) &+ 0x5EED, keys: document.declaredPropertyNames.sorted())
            for round in 0..<80 {
                let instance = round % 2 == 0 ? random.object() : random.value()
                let errors = schema.validate(instance)
                #expect(schema.validate(instance) == errors, "validation must be deterministic")
                checkInvariants(errors, for: instance, schema: file.lastPathComponent)
                validations += 1
                if !errors.isEmpty { rejections += 1 }
            }
        }
        #expect(validations >= 3000)
        #expect(rejections > 0 && rejections < validations)
    }

    @Test func randomTextNeverCrashesCompilationOrValidation() throws {
        var random = RandomJSON(seed: 42, keys: ["type", "properties", "items", "$ref", "required", "enum", "anyOf", "not", "pattern"])
        let schema = try JSONSchema(string: #"{"type":"object","properties":{"uri":{"type":"string"}},"required":["uri"]}"#)
        var compiled = 0
        for _ in 0..<1500 {
            let candidate = random.value(maxDepth: 4)
            let text = candidate.compactText
            // Chop the text at a random point half of the time, to feed broken JSON too.
            let fed = random.chance(50) ? String(text.prefix(random.int(0...max(text.count, 1)))) : text
            if (try? JSONSchema(string: fed)) != nil { compiled += 1 }
            if let errors = try? schema.validate(data: Data(fed.utf8)), let value = try? JSONValue(parsing: fed) {
                checkInvariants(errors, for: value, schema: "uri schema")
            }
        }
        #expect(compiled > 0)
    }

    @Test func randomSchemasCompileOrFailCleanly() throws {
        var generator = RandomSchema(seed: 7)
        var compiled = 0
        for _ in 0..<1500 {
            let schemaValue = generator.schema(depth: 0)
            guard let schema = try? JSONSchema(value: schemaValue) else { continue }
            compiled += 1
            for _ in 0..<3 {
                let instance = generator.instance()
                checkInvariants(schema.validate(instance), for: instance, schema: schemaValue.compactText)
            }
        }
        #expect(compiled > 500)
    }
}
