/// A table with rounded borders, like the Go CLI's (go-pretty's rounded style): an optional title row
/// spanning the table, a header row, and the rows, with columns padded to the widest cell.
struct Table: Sendable {
    var title: String?
    var headers: [String]
    var rows: [[String]] = []

    init(title: String? = nil, headers: [String]) {
        self.title = title
        self.headers = headers
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The rendered lines.
    func render() -> String {
        let columns = headers.count
        var widths = headers.map(TextWidth.of)
        for row in rows {
            for (index, cell) in row.prefix(columns).enumerated() {
                widths[index] = max(widths[index], TextWidth.of(cell))
            }
        }
        // Each column is `│ cell │`: content width + 2 spaces, joined by single bars.
        var inner = widths.reduce(0) { $0 + $1 + 2 } + max(columns - 1, 0)
        if let title {
            let needed = TextWidth.of(title) + 2
            if needed > inner, let last = widths.indices.last {
                widths[last] += needed - inner
                inner = needed
            }
        }
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right
        }
        func line(_ cells: [String]) -> String {
            let padded = (0..<columns).map { index -> String in
                let cell = index < cells.count ? cells[index] : ""
                return " " + cell + String(repeating: " ", count: widths[index] - TextWidth.of(cell)) + " "
            }
            return "│" + padded.joined(separator: "│") + "│"
        }
        var lines: [String] = []
        if let title {
            lines.append("╭" + String(repeating: "─", count: inner) + "╮")
            lines.append("│ " + title + String(repeating: " ", count: inner - TextWidth.of(title) - 1) + "│")
            lines.append(rule("├", "┬", "┤"))
        } else {
            lines.append(rule("╭", "┬", "╮"))
        }
        lines.append(line(headers))
        lines.append(rule("├", "┼", "┤"))
        for row in rows { lines.append(line(row)) }
        lines.append(rule("╰", "┴", "╯"))
        return lines.joined(separator: "\n")
    }
}

/// Two aligned columns (`Label  value`) under a title, for single-object views such as `node info`.
struct KeyValueBlock: Sendable {
    var title: String
    var rows: [(String, String)] = []

    init(title: String) {
        self.title = title
    }

    mutating func append(_ label: String, _ value: String) {
        rows.append((label, value))
    }

    func render() -> String {
        let width = rows.map { TextWidth.of($0.0) }.max() ?? 0
        var lines = [title]
        for (label, value) in rows {
            lines.append("  " + label + String(repeating: " ", count: width - TextWidth.of(label)) + "  " + value)
        }
        return lines.joined(separator: "\n")
    }
}

/// Terminal display width: emoji and East Asian wide characters take two cells, combining marks and
/// variation selectors none.
enum TextWidth {
    static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 { return 0 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        if isWide(first.value) { return 2 }
        return 1
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
