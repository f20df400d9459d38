import Foundation

extension JSONSchema {
    /// Worst-case schema nesting evaluated on the caller's stack; deeper work moves to a large stack.
    static let inlineNestingLimit = 128

    /// Every way `instance` fails the schema, sorted by instance location; empty when it is valid.
    public func validate(_ instance: JSONValue) -> [ValidationError] {
        let depth = instance.nestingDepth
        if depth > maxInstanceDepth {
            return [ValidationError(
                path: [], keyword: "maxDepth", schemaLocation: "#",
                message: "value is nested too deeply (more than \(maxInstanceDepth) levels)"
            )]
        }
        let (schemas, root) = (self.schemas, self.root)
        let evaluate: @Sendable () -> [ValidationError] = {
            Evaluator(schemas: schemas).evaluate(root, instance, at: []).errors.sorted(by: ValidationError.precedes)
        }
        // Each instance level (and each property name, for `propertyNames`) applies every schema at
        // most once in place, so nesting is at most (2 × depth + 2) × schema count. Small bounds run
        // on the caller's stack; larger ones on a thread whose stack is known to be large enough.
        let worstNesting = (2 * depth + 2).multipliedReportingOverflow(by: schemas.nodes.count)
        if !worstNesting.overflow && worstNesting.partialValue <= Self.inlineNestingLimit {
            return evaluate()
        }
        return LargeStack.run(evaluate)
    }

    /// Parses JSON text and validates it.
    /// - Throws: `InstanceParseError` when `data` is not JSON.
    public func validate(data: Data) throws(InstanceParseError) -> [ValidationError] {
        let parse: @Sendable () -> Result<JSONValue, InstanceParseError> = {
            do {
                return .success(try JSONValue(parsing: data))
            } catch {
                return .failure(InstanceParseError(reason: JSONParseFailure.describe(error)))
            }
        }
        // The parser recurses once per nesting level: shallow documents (all real start requests) parse on
        // the caller's stack; only deep ones pay for a large-stack thread.
        let parsed = Self.bracketDepth(of: data) <= Self.inlineNestingLimit ? parse() : LargeStack.run(parse)
        return validate(try parsed.get())
    }

    /// The deepest nesting of `[`/`{` in JSON text, ignoring brackets inside strings (an upper bound of
    /// the parser's recursion even for malformed text).
    static func bracketDepth(of data: Data) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return deepest
    }

    /// True when `instance` satisfies the schema.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).isEmpty
    }

    /// Throws `SchemaValidationFailure` listing every problem when `instance` is not valid.
    public func check(_ instance: JSONValue) throws(SchemaValidationFailure) {
        let errors = validate(instance)
        if !errors.isEmpty { throw SchemaValidationFailure(errors: errors) }
    }
}
