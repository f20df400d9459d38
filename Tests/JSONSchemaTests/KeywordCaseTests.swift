import Testing
@testable import JSONSchema

/// One keyword scenario: a schema, instances it must accept and instances it must reject.
struct KeywordCase: Sendable, CustomTestStringConvertible {
    let name: String
    let schema: String
    let valid: [String]
    let invalid: [String]

    var testDescription: String { name }

    init(_ name: String, _ schema: String, valid: [String], invalid: [String]) {
        self.name = name
        self.schema = schema
        self.valid = valid
        self.invalid = invalid
    }
}

/// Every supported keyword, with accepted and rejected instances.
@Suite struct KeywordCaseTests {
    static let cases: [KeywordCase] = [
        KeywordCase("true schema", "true", valid: ["1", "null", #"{"a":[]}"#], invalid: []),
        KeywordCase("false schema", "false", valid: [], invalid: ["1", "null", "{}"]),
        KeywordCase("empty schema", "{}", valid: ["1", #""x""#, "[]"], invalid: []),
        KeywordCase("type string", #"{"type":"string"}"#, valid: [#""""#, #""x""#], invalid: ["1", "null", "[]", "{}", "true"]),
        KeywordCase("type integer", #"{"type":"integer"}"#,
                    valid: ["1", "-5", "1.0", "1e3", "9223372036854775807", "1e20"], invalid: ["1.5", #""1""#, "null"]),
        KeywordCase("type number", #"{"type":"number"}"#, valid: ["1", "1.5", "-0", "1e300"], invalid: [#""1""#, "true"]),
        KeywordCase("type boolean", #"{"type":"boolean"}"#, valid: ["true", "false"], invalid: ["0", #""true""#, "null"]),
        KeywordCase("type null", #"{"type":"null"}"#, valid: ["null"], invalid: ["0", "false", #""""#]),
        KeywordCase("type array", #"{"type":"array"}"#, valid: ["[]", "[1]"], invalid: ["{}", #""[]""#]),
        KeywordCase("type object", #"{"type":"object"}"#, valid: ["{}", #"{"a":1}"#], invalid: ["[]", "null"]),
        KeywordCase("type list", #"{"type":["string","null"]}"#, valid: [#""a""#, "null"], invalid: ["1", "[]"]),
        KeywordCase("properties", #"{"properties":{"a":{"type":"integer"},"b":{"type":"string"}}}"#,
                    valid: ["{}", #"{"a":1}"#, #"{"a":1,"b":"x","c":null}"#, "[]", "3"],
                    invalid: [#"{"a":"1"}"#, #"{"b":2}"#]),
        KeywordCase("additionalProperties false", #"{"properties":{"a":true},"additionalProperties":false}"#,
                    valid: ["{}", #"{"a":1}"#, "[1]"], invalid: [#"{"b":1}"#, #"{"a":1,"b":2}"#]),
        KeywordCase("additionalProperties schema", #"{"properties":{"a":true},"additionalProperties":{"type":"string"}}"#,
                    valid: [#"{"a":1,"b":"x"}"#], invalid: [#"{"b":1}"#]),
        KeywordCase("patternProperties", #"{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}"#,
                    valid: ["{}", #"{"x-a":"1"}"#], invalid: [#"{"x-a":1}"#, #"{"y":"1"}"#]),
        KeywordCase("patternProperties unanchored", #"{"patternProperties":{"id":{"type":"integer"}}}"#,
                    valid: [#"{"my_id_x":1,"other":"x"}"#], invalid: [#"{"my_id_x":"1"}"#]),
        KeywordCase("required", #"{"required":["a","b"]}"#,
                    valid: [#"{"a":1,"b":null}"#, "[]", #""a""#], invalid: ["{}", #"{"a":1}"#]),
        KeywordCase("items", #"{"items":{"type":"string"}}"#,
                    valid: ["[]", #"["a","b"]"#, "{}"], invalid: ["[1]", #"["a",1]"#]),
        KeywordCase("items false", #"{"items":false}"#, valid: ["[]"], invalid: ["[1]"]),
        KeywordCase("prefixItems", #"{"prefixItems":[{"type":"string"},{"type":"integer"}]}"#,
                    valid: ["[]", #"["a"]"#, #"["a",1]"#, #"["a",1,null]"#], invalid: ["[1]", #"["a","b"]"#]),
        KeywordCase("prefixItems with items", #"{"prefixItems":[{"type":"string"}],"items":{"type":"integer"}}"#,
                    valid: [#"["a",1,2]"#], invalid: [#"["a","b"]"#, "[1]"]),
        KeywordCase("draft-07 items array", #"{"$schema":"http://json-schema.org/draft-07/schema#","items":[{"type":"string"}],"additionalItems":false}"#,
                    valid: ["[]", #"["a"]"#], invalid: ["[1]", #"["a",1]"#]),
        KeywordCase("draft-07 additionalItems ignored without array items", #"{"$schema":"http://json-schema.org/draft-07/schema#","items":{"type":"string"},"additionalItems":false}"#,
                    valid: [#"["a","b"]"#], invalid: ["[1]"]),
        KeywordCase("minItems maxItems", #"{"minItems":1,"maxItems":2}"#, valid: ["[1]", "[1,2]", "{}"], invalid: ["[]", "[1,2,3]"]),
        KeywordCase("uniqueItems", #"{"uniqueItems":true}"#,
                    valid: ["[]", "[1,2]", #"[{"a":1},{"a":2}]"#, "[[1],[1,1]]", "[0,false]", "[1,true]"],
                    invalid: ["[1,1]", "[1,1.0]", #"[{"a":1,"b":2},{"b":2,"a":1}]"#, #"["x","x"]"#, "[null,null]"]),
        KeywordCase("uniqueItems false", #"{"uniqueItems":false}"#, valid: ["[1,1]"], invalid: []),
        KeywordCase("contains", #"{"contains":{"type":"integer"}}"#, valid: [#"["a",1]"#, "{}"], invalid: ["[]", #"["a"]"#]),
        KeywordCase("minContains maxContains", #"{"contains":{"const":1},"minContains":2,"maxContains":3}"#,
                    valid: ["[1,1]", "[1,2,1,1]"], invalid: ["[1]", "[1,1,1,1]"]),
        KeywordCase("minContains zero", #"{"contains":{"const":1},"minContains":0}"#, valid: ["[]", "[2]"], invalid: []),
        KeywordCase("enum", #"{"enum":["service","job","function",null,1]}"#,
                    valid: [#""job""#, "null", "1", "1.0"], invalid: [#""daemon""#, "2", #""1""#]),
        KeywordCase("enum of structures", #"{"enum":[[1,2],{"a":1}]}"#,
                    valid: ["[1,2]", #"{"a":1.0}"#], invalid: ["[2,1]", #"{"a":1,"b":2}"#]),
        KeywordCase("const", #"{"const":{"a":[1,"x"]}}"#, valid: [#"{"a":[1.0,"x"]}"#], invalid: [#"{"a":[1]}"#, "null"]),
        KeywordCase("const null", #"{"const":null}"#, valid: ["null"], invalid: ["0", #""""#]),
        KeywordCase("const false is not 0", #"{"const":false}"#, valid: ["false"], invalid: ["0"]),
        KeywordCase("minimum", #"{"minimum":1.5}"#, valid: ["1.5", "2", #""x""#], invalid: ["1", "1.49"]),
        KeywordCase("maximum", #"{"maximum":3}"#, valid: ["3", "-1", "2.9"], invalid: ["3.01", "4"]),
        KeywordCase("exclusiveMinimum", #"{"exclusiveMinimum":1}"#, valid: ["1.0001", "2"], invalid: ["1", "0"]),
        KeywordCase("exclusiveMaximum", #"{"exclusiveMaximum":1}"#, valid: ["0.999"], invalid: ["1", "1.0", "2"]),
        KeywordCase("draft-04 boolean exclusiveMinimum",
                    #"{"$schema":"http://json-schema.org/draft-04/schema#","minimum":1,"exclusiveMinimum":true}"#,
                    valid: ["1.1"], invalid: ["1"]),
        KeywordCase("draft-04 boolean exclusiveMaximum",
                    #"{"$schema":"http://json-schema.org/draft-04/schema#","maximum":1,"exclusiveMaximum":true}"#,
                    valid: ["0.9"], invalid: ["1"]),
        KeywordCase("big integer bounds", #"{"maximum":9007199254740992}"#,
                    valid: ["9007199254740992"], invalid: ["9007199254740993"]),
        KeywordCase("multipleOf integer", #"{"multipleOf":3}"#, valid: ["0", "9", "-3", "3.0"], invalid: ["4", "4.5"]),
        KeywordCase("multipleOf decimal", #"{"multipleOf":0.1}"#, valid: ["0.3", "1", "12.7", "0"], invalid: ["0.35", "0.01"]),
        KeywordCase("multipleOf small", #"{"multipleOf":0.0001}"#, valid: ["0.0075", "19.99"], invalid: ["0.00001"]),
        KeywordCase("minLength maxLength", #"{"minLength":2,"maxLength":3}"#,
                    valid: [#""ab""#, #""abc""#, "1"], invalid: [#""a""#, #""abcd""#]),
        KeywordCase("length counts code points", #"{"minLength":2,"maxLength":2}"#,
                    valid: [#""💩💩""#, #""\u00e9\u00e9""#, #""e\u0301""#], invalid: [#""💩""#, #""💩💩💩""#]),
        KeywordCase("pattern", #"{"pattern":"^[a-z]+$"}"#, valid: [#""abc""#, "12"], invalid: [#""abc1""#, #""""#, "\"abc\\n\""]),
        KeywordCase("pattern unanchored", #"{"pattern":"b+"}"#, valid: [#""abbbc""#], invalid: [#""ac""#]),
        KeywordCase("minProperties maxProperties", #"{"minProperties":1,"maxProperties":2}"#,
                    valid: [#"{"a":1}"#, #"{"a":1,"b":2}"#, "[]"], invalid: ["{}", #"{"a":1,"b":2,"c":3}"#]),
        KeywordCase("propertyNames", #"{"propertyNames":{"pattern":"^[a-z_]+$"}}"#,
                    valid: [#"{"ok_name":1}"#], invalid: [#"{"Bad":1}"#]),
        KeywordCase("dependentRequired", #"{"dependentRequired":{"a":["b","c"]}}"#,
                    valid: ["{}", #"{"b":1}"#, #"{"a":1,"b":1,"c":1}"#], invalid: [#"{"a":1,"b":1}"#]),
        KeywordCase("dependentSchemas", #"{"dependentSchemas":{"a":{"required":["b"]}}}"#,
                    valid: [#"{"a":1,"b":2}"#, #"{"c":1}"#], invalid: [#"{"a":1}"#]),
        KeywordCase("draft-07 dependencies", #"{"$schema":"http://json-schema.org/draft-07/schema#","dependencies":{"a":["b"],"c":{"required":["d"]}}}"#,
                    valid: [#"{"a":1,"b":1}"#, #"{"c":1,"d":1}"#], invalid: [#"{"a":1}"#, #"{"c":1}"#]),
        KeywordCase("allOf", #"{"allOf":[{"type":"integer"},{"minimum":2}]}"#, valid: ["2", "5"], invalid: ["1", "2.5"]),
        KeywordCase("anyOf", #"{"anyOf":[{"type":"string"},{"minimum":2}]}"#, valid: [#""x""#, "3"], invalid: ["1"]),
        KeywordCase("oneOf", #"{"oneOf":[{"type":"integer"},{"minimum":2}]}"#, valid: ["1", "2.5"], invalid: ["3", "1.5"]),
        KeywordCase("not", #"{"not":{"type":"null"}}"#, valid: ["1", "{}"], invalid: ["null"]),
        KeywordCase("if then else", #"{"if":{"properties":{"kind":{"const":"file"}}},"then":{"required":["path"]},"else":{"required":["url"]}}"#,
                    valid: [#"{"kind":"file","path":"/"}"#, #"{"kind":"net","url":"x"}"#, #"{"path":"/"}"#],
                    invalid: [#"{"kind":"file"}"#, #"{"kind":"net","path":"/"}"#]),
        KeywordCase("if without then or else", #"{"if":{"type":"string"}}"#, valid: ["1", #""x""#], invalid: []),
        KeywordCase("then without if is ignored", #"{"then":false}"#, valid: ["1"], invalid: []),
        KeywordCase("$ref to $defs", ##"{"$defs":{"name":{"type":"string","minLength":1}},"properties":{"n":{"$ref":"#/$defs/name"}}}"##,
                    valid: [#"{"n":"x"}"#], invalid: [#"{"n":""}"#, #"{"n":1}"#]),
        KeywordCase("$ref to definitions", ##"{"definitions":{"port":{"type":"integer","maximum":65535}},"items":{"$ref":"#/definitions/port"}}"##,
                    valid: ["[80,443]"], invalid: ["[70000]"]),
        KeywordCase("$ref siblings apply in 2020-12", ##"{"$defs":{"s":{"type":"string"}},"$ref":"#/$defs/s","maxLength":2}"##,
                    valid: [#""ab""#], invalid: [#""abc""#, "1"]),
        KeywordCase("$ref siblings ignored in draft-07",
                    ##"{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"s":{"type":"string"}},"$ref":"#/definitions/s","maxLength":2}"##,
                    valid: [#""abc""#], invalid: ["1"]),
        KeywordCase("recursive $ref to root", ##"{"type":"object","properties":{"child":{"$ref":"#"}},"additionalProperties":false}"##,
                    valid: ["{}", #"{"child":{"child":{}}}"#], invalid: [#"{"child":{"x":1}}"#, #"{"child":1}"#]),
        KeywordCase("unevaluatedProperties", #"{"properties":{"a":true},"allOf":[{"properties":{"b":true}}],"unevaluatedProperties":false}"#,
                    valid: [#"{"a":1,"b":2}"#], invalid: [#"{"a":1,"c":2}"#]),
        KeywordCase("unevaluatedProperties sees successful anyOf branches only",
                    #"{"anyOf":[{"properties":{"a":{"type":"string"}}},{"properties":{"b":true}}],"unevaluatedProperties":false}"#,
                    valid: [#"{"a":"x"}"#, #"{"b":1}"#], invalid: [#"{"a":1}"#]),
        KeywordCase("unevaluatedItems", #"{"prefixItems":[{"type":"string"}],"unevaluatedItems":false}"#,
                    valid: ["[]", #"["a"]"#], invalid: [#"["a",1]"#]),
        KeywordCase("unevaluatedItems with contains", #"{"contains":{"type":"string"},"unevaluatedItems":{"type":"integer"}}"#,
                    valid: [#"["a",1]"#, #"["a","b"]"#], invalid: [#"["a",null]"#]),
        KeywordCase("format is an annotation", #"{"format":"date-time","title":"t","description":"d","examples":[1],"default":2}"#,
                    valid: [#""not a date""#, "1"], invalid: []),
        KeywordCase("unknown keywords are ignored", #"{"x-custom":{"type":"string"},"contentEncoding":"base64"}"#,
                    valid: ["1", #""!!""#], invalid: []),
    ]

    @Test(arguments: cases)
    func keywordCase(_ entry: KeywordCase) throws {
        let schema = try JSONSchema(string: entry.schema)
        for text in entry.valid {
            let errors = schema.validate(try JSONValue(parsing: text))
            #expect(errors.isEmpty, "\(entry.name): \(text) should be valid, got \(errors.map(\.description))")
        }
        for text in entry.invalid {
            let errors = schema.validate(try JSONValue(parsing: text))
            #expect(!errors.isEmpty, "\(entry.name): \(text) should be invalid")
            #expect(errors.allSatisfy { !$0.message.isEmpty && !$0.keyword.isEmpty })
        }
    }
}
