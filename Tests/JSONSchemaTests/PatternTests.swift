import Testing
@testable import JSONSchema

/// `pattern` follows ECMA-262 where it differs from ICU.
@Suite struct PatternTests {
    private func matches(_ pattern: String, _ text: String) throws -> Bool {
        try ECMAPattern(pattern).matches(text)
    }

    @Test func searchIsUnanchored() throws {
        #expect(try matches("b", "abc"))
        #expect(try !matches("^b", "abc"))
    }

    @Test func dollarMatchesOnlyAtTheEnd() throws {
        #expect(try matches("^a$", "a"))
        #expect(try !matches("^a$", "a\n"))
        #expect(try matches("a$|x", "x\n"))
    }

    @Test func digitAndWordClassesAreASCII() throws {
        #expect(try matches(#"^\d+$"#, "0123456789"))
        #expect(try !matches(#"^\d$"#, "٣"))  // Arabic-Indic digit three
        #expect(try !matches(#"^\w$"#, "é"))
        #expect(try matches(#"^\w+$"#, "snake_case1"))
        #expect(try matches(#"^[\d.]+$"#, "1.2.3"))
        #expect(try !matches(#"^[\d]$"#, "٣"))
        #expect(try matches(#"^\D$"#, "x"))
        #expect(try matches(#"^\W$"#, "-"))
    }

    @Test func literalBracesAndBracketsInClasses() throws {
        #expect(try matches("^{foo}$", "{foo}"))
        #expect(try matches("^a{2,3}$", "aaa"))
        #expect(try !matches("^a{2,3}$", "aaaa"))
        #expect(try matches("^a{2,}$", "aaaaa"))
        #expect(try matches("^[[]$", "["))
        #expect(try matches("^[a&&b]+$", "a&b"))
    }

    @Test func emptyClasses() throws {
        #expect(try !matches("[]", "anything"))
        #expect(try matches("^[^]$", "\n"))
    }

    @Test func escapesAndUnicode() throws {
        #expect(try matches(#"^\u00e9$"#, "é"))
        #expect(try matches(#"^\p{L}+$"#, "Ωmega"))
        #expect(try matches(#"^\P{L}$"#, "1"))
        #expect(try matches(#"^\u{1F4A9}$"#, "💩"))
        #expect(try matches(#"^\/path$"#, "/path"))
        #expect(try matches("^.$", "💩"))
        #expect(try !matches("^.$", "\n"))
        #expect(try matches(#"^(?<year>[0-9]{4})-\k<year>$"#, "2024-2024"))
    }

    @Test func invalidPatternsThrow() {
        for source in ["(", "[a", "*a", "a**", #"\"#] {
            #expect(throws: PatternSyntaxError.self, "\(source)") { _ = try ECMAPattern(source) }
        }
    }
}
