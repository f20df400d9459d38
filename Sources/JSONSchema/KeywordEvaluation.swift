/// Applies the keywords of one object schema to one instance.
struct KeywordEvaluation {
    let evaluator: Evaluator
    /// The compiled keywords; read fields through it (`set.keywords.items`), which does not copy.
    let set: KeywordSet
    let instance: JSONValue
    let path: [InstancePathToken]
    /// Location of the schema these keywords belong to.
    let location: String
    var result = Evaluation()

    init(evaluator: Evaluator, set: KeywordSet, instance: JSONValue, path: [InstancePathToken], location: String) {
        self.evaluator = evaluator
        self.set = set
        self.instance = instance
        self.path = path
        self.location = location
    }

    mutating func run() -> Evaluation {
        if let ref = set.keywords.ref { result.merge(evaluator.evaluate(ref, instance, at: path)) }
        if let ref = set.keywords.dynamicRef { result.merge(evaluator.evaluate(ref, instance, at: path)) }
        checkAnyType()
        switch instance {
        case .integer, .number: checkNumber()
        case .string(let text): checkString(text)
        case .array(let items): checkArray(items)
        case .object(let members): checkObject(members)
        default: break
        }
        applyLogic()
        switch instance {
        case .array(let items): checkUnevaluatedItems(items)
        case .object(let members): checkUnevaluatedProperties(members)
        default: break
        }
        return result
    }

    // MARK: Reporting

    var instanceLocation: String { JSONPointer.string(from: path.map(\.text)) }

    func keywordLocation(_ keyword: String) -> String {
        location + "/" + JSONPointer.escape(keyword)
    }

    @inline(never)
    mutating func fail(_ keyword: String, _ message: String, causes: [ValidationError] = []) {
        result.errors.append(ValidationError(
            path: path, keyword: keyword, schemaLocation: keywordLocation(keyword), message: message, causes: causes
        ))
    }

    // MARK: Any type

    @inline(never)
    private mutating func checkAnyType() {
        checkType()
        checkEnumAndConst()
    }

    private mutating func checkType() {
        guard let types = set.keywords.types, !types.contains(where: { $0.admits(instance) }) else { return }
        fail("type", "expected \(Wording.alternatives(types.map(\.rawValue))), got \(instance.typeName)")
    }

    private mutating func checkEnumAndConst() {
        if let allowed = set.keywords.enumValues, !allowed.contains(where: { $0.schemaEquals(instance) }) {
            if allowed.count == 1, let only = allowed.first {
                fail("enum", "value must be \(Wording.value(only)), got \(Wording.value(instance))")
            } else if allowed.isEmpty {
                fail("enum", "no value is allowed here (\"enum\" is empty)")
            } else {
                fail("enum", "\(Wording.value(instance)) is not one of the allowed values: \(Wording.values(allowed))")
            }
        }
        if let expected = set.keywords.constValue, !expected.schemaEquals(instance) {
            fail("const", "value must be \(Wording.value(expected)), got \(Wording.value(instance))")
        }
    }

    // MARK: Numbers

    @inline(never)
    private mutating func checkNumber() {
        let shown = Wording.value(instance)
        for bound in set.keywords.lowerBounds {
            guard let order = ExactNumber.compare(instance, bound.limit) else { continue }
            let limit = Wording.value(bound.limit)
            if bound.exclusive && order <= 0 {
                fail(bound.keyword, "\(shown) must be greater than \(limit)")
            } else if order < 0 {
                fail(bound.keyword, "\(shown) is less than the minimum \(limit)")
            }
        }
        for bound in set.keywords.upperBounds {
            guard let order = ExactNumber.compare(instance, bound.limit) else { continue }
            let limit = Wording.value(bound.limit)
            if bound.exclusive && order >= 0 {
                fail(bound.keyword, "\(shown) must be less than \(limit)")
            } else if order > 0 {
                fail(bound.keyword, "\(shown) is greater than the maximum \(limit)")
            }
        }
        if let divisor = set.keywords.multipleOf, !ExactNumber.isMultiple(instance, of: divisor) {
            fail("multipleOf", "\(shown) is not a multiple of \(Wording.value(divisor))")
        }
    }

    // MARK: Strings

    @inline(never)
    private mutating func checkString(_ text: String) {
        if set.keywords.minLength != nil || set.keywords.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = set.keywords.minLength, length < minimum {
                fail("minLength", "string is too short: \(Wording.count(length, "character")), at least \(minimum) required")
            }
            if let maximum = set.keywords.maxLength, length > maximum {
                fail("maxLength", "string is too long: \(Wording.count(length, "character")), at most \(maximum) allowed")
            }
        }
        if let pattern = set.keywords.pattern, !pattern.matches(text) {
            fail("pattern", "\(Wording.value(instance)) does not match the pattern \(JSONValue.string(pattern.source).compactText)")
        }
    }
}
