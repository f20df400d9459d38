import Foundation
import Testing
@testable import JSONSchema

/// Random schemas and instances: our verdicts must equal Python `jsonschema`'s (Draft 2020-12).
@Suite struct PythonDifferentialTests {
    @Test func randomPairsAgreeWithPython() throws {
        var generator = RandomSchema(seed: 2020)
        var pairs: [(schema: String, instance: String)] = []
        var compiled: [(JSONSchema, JSONValue)] = []
        while pairs.count < 1200 {
            let schemaValue = generator.schema(depth: 0)
            guard !Self.loopsInPlace(schemaValue), let schema = try? JSONSchema(value: schemaValue) else { continue }
            for _ in 0..<3 {
                let instance = generator.instance()
                guard !Self.knownDivergence(schemaValue, instance) else { continue }
                pairs.append((schemaValue.compactText, instance.compactText))
                compiled.append((schema, instance))
            }
        }
        let python = try PythonCrossCheckTests.pythonVerdicts(pairs)
        #expect(python.count == pairs.count)
        var disagreements: [String] = []
        for (index, (schema, instance)) in compiled.enumerated() where index < python.count {
            let errors = schema.validate(instance)
            if errors.isEmpty != python[index] {
                disagreements.append("\(pairs[index].schema) with \(pairs[index].instance): ours \(errors.map(\.description)), python \(python[index].map(String.init) ?? "looped")")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.prefix(15).joined(separator: "\n"))")
        let accepted = python.filter { $0 == true }.count
        #expect(accepted > pairs.count / 5 && accepted < pairs.count * 4 / 5)
    }

    /// True when `$ref` (always `#` here) is reachable from the root without descending into the
    /// instance: an endless loop that we report and Python cannot survive.
    static func loopsInPlace(_ schema: JSONValue) -> Bool {
        var pending = [schema]
        while let next = pending.popLast() {
            guard case .object(let members) = next else { continue }
            if members["$ref"] != nil { return true }
            for keyword in ["allOf", "anyOf", "oneOf"] {
                if case .array(let items)? = members[keyword] { pending.append(contentsOf: items) }
            }
            for keyword in ["not", "if", "then", "else"] {
                if let child = members[keyword] { pending.append(child) }
            }
            if case .object(let entries)? = members["dependentSchemas"] { pending.append(contentsOf: entries.values) }
        }
        return false
    }

    /// Pairs on which the Go reference and Python legitimately differ (we follow Go): `multipleOf`
    /// on non-integers (Go divides exact decimals, Python binary floats) and `$` before a final
    /// newline (Python's `re` matches there, ECMA-262 and Go do not).
    static func knownDivergence(_ schema: JSONValue, _ instance: JSONValue) -> Bool {
        let schemaText = schema.compactText
        let instanceText = instance.compactText
        if schemaText.contains("multipleOf") && containsDouble(instance) { return true }
        if schemaText.contains(#"$""#) && instanceText.contains(#"\n""#) { return true }
        return false
    }

    private static func containsDouble(_ value: JSONValue) -> Bool {
        switch value {
        case .number: return true
        case .array(let items): return items.contains(where: containsDouble)
        case .object(let members): return members.values.contains(where: containsDouble)
        default: return false
        }
    }
}
