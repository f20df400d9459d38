import Foundation

/// A compiled `pattern`: ECMA-262 regular-expression syntax run on ICU (`NSRegularExpression`),
/// matched as an unanchored search like JSON Schema requires.
///
/// The source is first rewritten where ECMA-262 and ICU disagree: `\d` and `\w` are ASCII-only, `$`
/// matches only at the very end, `[` and `&` are literal inside a class, a `{` that does not start
/// a quantifier is literal, `\u{…}` is a code point, `[]` never matches and `[^]` matches any character.
struct ECMAPattern: Sendable {
    let source: String
    private let expression: NSRegularExpression

    /// Compiles `source`; throws when it is not a valid expression.
    init(_ source: String) throws(PatternSyntaxError) {
        self.source = source
        do {
            expression = try NSRegularExpression(pattern: Self.translate(source), options: [])
        } catch {
            throw PatternSyntaxError(pattern: source)
        }
    }

    /// True when the expression matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func translate(_ source: String) -> String {
        let characters = Array(source)
        var output = ""
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count {
                let escaped = characters[index + 1]
                // `\p{…}`, `\P{…}` and `\u{…}` carry a braced argument that is not a quantifier.
                if "pPu".contains(escaped), index + 2 < characters.count, characters[index + 2] == "{",
                   let close = characters[(index + 2)...].firstIndex(of: "}") {
                    output += "\\" + (escaped == "u" ? "x" : String(escaped)) + String(characters[(index + 2)...close])
                    index = close + 1
                    continue
                }
                output += translateEscape(escaped, inClass: inClass)
                index += 2
                continue
            }
            if inClass {
                switch character {
                case "]": inClass = false; output.append("]")
                case "[", "&": output += "\\" + String(character)
                default: output.append(character)
                }
                index += 1
                continue
            }
            switch character {
            case "[":
                let rest = characters[(index + 1)...]
                if rest.first == "]" {
                    output += "(?!)"
                    index += 2
                    continue
                }
                if rest.starts(with: ["^", "]"]) {
                    output += "(?s:.)"
                    index += 3
                    continue
                }
                inClass = true
                output.append("[")
                if rest.first == "^" {
                    output.append("^")
                    index += 1
                }
            case "$":
                output += "\\z"
            case "{":
                if let end = quantifierEnd(characters, from: index) {
                    output += String(characters[index...end])
                    index = end + 1
                    continue
                }
                output += "\\{"
            case "}":
                output += "\\}"
            default:
                output.append(character)
            }
            index += 1
        }
        return output
    }

    private static func translateEscape(_ escaped: Character, inClass: Bool) -> String {
        switch escaped {
        case "d": return inClass ? "0-9" : "[0-9]"
        case "D": return inClass ? "\\D" : "[^0-9]"
        case "w": return inClass ? "A-Za-z0-9_" : "[A-Za-z0-9_]"
        case "W": return inClass ? "\\W" : "[^A-Za-z0-9_]"
        default: return "\\" + String(escaped)
        }
    }

    /// When the `{` at `index` begins `{n}`, `{n,}` or `{n,m}`, the index of its closing `}`.
    private static func quantifierEnd(_ characters: [Character], from index: Int) -> Int? {
        var position = index + 1
        var sawDigit = false
        while position < characters.count, characters[position].isASCII, characters[position].isNumber {
            sawDigit = true
            position += 1
        }
        guard sawDigit, position < characters.count else { return nil }
        if characters[position] == "}" { return position }
        guard characters[position] == "," else { return nil }
        position += 1
        while position < characters.count, characters[position].isASCII, characters[position].isNumber {
            position += 1
        }
        return position < characters.count && characters[position] == "}" ? position : nil
    }
}

/// A pattern the regular-expression engine does not accept.
struct PatternSyntaxError: Error, Sendable {
    let pattern: String
}
