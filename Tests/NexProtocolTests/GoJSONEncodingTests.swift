import Foundation
import JSONSchema
import NexProtocol
import Testing

@Suite("Go JSON encoding")
struct GoJSONEncodingTests {
    @Test("HTML characters, line separators and control characters are escaped like Go; / is not")
    func escaping() throws {
        let text = "<a href=\"x/y\">&amp;</a>\u{2028}\u{2029}\t\n\r\u{08}\u{0C}\u{01}\u{1F}\u{7F}é😀\\"
        let expected = #""\u003ca href=\"x/y\"\u003e\u0026amp;\u003c/a\u003e\u2028\u2029\t\n\r\b\f\u0001\u001f"#
            + "\u{7F}é😀" + #"\\""#
        #expect(try GoJSON.encodeString(text) == expected)
        #expect(try GoJSON.decode(String.self, from: expected) == text)
    }

    @Test("map keys are sorted byte-wise and escaped; struct keys keep declaration order")
    func mapOrdering() throws {
        let map: [String: Int] = ["b": 1, "B": 2, "a10": 3, "a9": 4, "é": 5, "z": 6, "<": 7]
        #expect(try GoJSON.encodeString(map) == #"{"\u003c":7,"B":2,"a10":3,"a9":4,"b":1,"z":6,"é":5}"#)
        let nested: JSONValue = .object(["z": .array([.object(["y": .null, "x": .bool(false)])]), "a": .string("")])
        #expect(try GoJSON.encodeString(nested) == #"{"a":"","z":[{"x":false,"y":null}]}"#)
    }

    @Test("floats use Go's shortest formatting", arguments: [
        (0.0, "0"), (-0.0, "-0"), (1.0, "1"), (-2.5, "-2.5"), (100.0, "100"), (0.1, "0.1"), (12.5, "12.5"),
        (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e21, "1.5e+21"), (123456789012345678.0, "123456789012345680"),
        (1e-6, "0.000001"), (1e-7, "1e-7"), (1.2345e-10, "1.2345e-10"), (3e-5, "0.00003"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.000123, "0.000123"),
    ])
    func floats(_ value: Double, _ expected: String) throws {
        #expect(try GoJSON.encodeString(value) == expected)
    }

    @Test("NaN and infinities cannot be encoded")
    func nonFinite() {
        #expect(throws: GoJSONError.self) { try GoJSON.encode(Double.nan) }
        #expect(throws: GoJSONError.self) { try GoJSON.encode(Double.infinity) }
        #expect(throws: GoJSONError.self) { try GoJSON.encode(WorkloadTriggeredEvent(id: "", namespace: "", duration: -.infinity)) }
    }

    @Test("integers, booleans, null, arrays")
    func scalars() throws {
        #expect(try GoJSON.encodeString(Int64.min) == "-9223372036854775808")
        #expect(try GoJSON.encodeString(UInt64.max) == "18446744073709551615")
        #expect(try GoJSON.encodeString([true, false]) == "[true,false]")
        #expect(try GoJSON.encodeString([String]()) == "[]")
        #expect(try GoJSON.encodeString([String: String]()) == "{}")
        #expect(try GoJSON.encodeString(String?.none) == "null")
        #expect(try GoJSON.encodeString(AgentListWorkloadsResponse.none) == "null")
        #expect(try GoJSON.encodeString(JSONValue.array([.integer(1), .number(1.5), .null])) == "[1,1.5,null]")
    }

    @Test("ordinary Codable types keep their CodingKeys order")
    func foreignCodable() throws {
        struct Plain: Codable { let zeta: Int; let alpha: [String: Bool]; let middle: String? }
        #expect(try GoJSON.encodeString(Plain(zeta: 1, alpha: ["y": true, "x": false], middle: nil))
                == #"{"zeta":1,"alpha":{"x":false,"y":true}}"#)
    }

    @Test("large maps stay sorted; a key written twice keeps its first position with the last value")
    func largeMapsAndDuplicates() throws {
        let map = Dictionary(uniqueKeysWithValues: (0..<100).map { ("k\($0)", $0) })
        let expected = "{" + (0..<100).map { "k\($0)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { "\"\($0)\":\($0.dropFirst())" }.joined(separator: ",") + "}"
        #expect(try GoJSON.encodeString(map) == expected)

        struct Twice: Encodable {
            let count: Int
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: GoKey.self)
                for index in 0..<count { try container.encode(index, forKey: GoKey("k\(index)")) }
                try container.encode("first", forKey: GoKey("k0"))
                try container.encode("last", forKey: GoKey("k0"))
            }
        }
        #expect(try GoJSON.encodeString(Twice(count: 2)) == #"{"k0":"last","k1":1}"#)
        let wide = try GoJSON.encodeString(Twice(count: 40))
        #expect(wide.hasPrefix(#"{"k0":"last","k1":1,"#) && wide.hasSuffix(#""k39":39}"#))
    }

    @Test("nested containers and super encoders of the Encoder API")
    func encoderAPI() throws {
        struct Custom: Encodable {
            func encode(to encoder: any Encoder) throws {
                var root = encoder.container(keyedBy: GoKey.self)
                var list = root.nestedUnkeyedContainer(forKey: GoKey("list"))
                try list.encode(1)
                try list.encodeNil()
                var inner = list.nestedContainer(keyedBy: GoKey.self)
                try inner.encode(true, forKey: GoKey("flag"))
                var deeper = list.nestedUnkeyedContainer()
                try deeper.encode("x")
                #expect(list.count == 4)
                var object = root.nestedContainer(keyedBy: GoKey.self, forKey: GoKey("object"))
                try object.encodeNil(forKey: GoKey("none"))
                let parent = root.superEncoder()
                var single = parent.singleValueContainer()
                try single.encode(2.5)
                let keyed = root.superEncoder(forKey: GoKey("sub"))
                var keyedSingle = keyed.singleValueContainer()
                try keyedSingle.encode("s")
                #expect(keyed.codingPath.map(\.stringValue) == ["sub"])
            }
        }
        #expect(try GoJSON.encodeString(Custom())
                == #"{"list":[1,null,{"flag":true},["x"]],"object":{"none":null},"super":2.5,"sub":"s"}"#)
    }

    @Test("decoding failures are reported as GoJSONError.malformed with a location")
    func malformed() {
        #expect {
            try GoJSON.decode(StopWorkloadResponse.self, from: #"{"id":1,"message":"","stopped":false,"workload_type":""}"#)
        } throws: { error in
            guard case GoJSONError.malformed(let text) = error else { return false }
            return text.contains("id")
        }
    }
}
