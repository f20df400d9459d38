/// RFC 6901 JSON Pointer helpers.
enum JSONPointer {
    /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Builds a pointer from reference tokens; the empty list is the root pointer `""`.
    static func string(from tokens: [String]) -> String {
        tokens.map { "/" + escape($0) }.joined()
    }

    /// Splits a pointer into unescaped reference tokens, or nil when it is malformed
    /// (not starting with `/`, or a `~` not followed by `0` or `1`).
    static func tokens(of pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        var result: [String] = []
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = unescape(String(raw)) else { return nil }
            result.append(token)
        }
        return result
    }

    private static func unescape(_ raw: String) -> String? {
        guard raw.contains("~") else { return raw }
        var output = ""
        var iterator = raw.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                output.append(character)
                continue
            }
            switch iterator.next() {
            case "0": output.append("~")
            case "1": output.append("/")
            default: return nil
            }
        }
        return output
    }

    /// The value at `tokens` inside `root`, or nil when a step does not exist. Array steps must be
    /// canonical decimal indices (no sign, no leading zeros).
    static func resolve(_ tokens: [String], in root: JSONValue) -> JSONValue? {
        var current = root
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = arrayIndex(token), index < items.count else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    private static func arrayIndex(_ token: String) -> Int? {
        guard let first = token.first, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber) else { return nil }
        if first == "0" && token.count > 1 { return nil }
        return Int(token)
    }
}
