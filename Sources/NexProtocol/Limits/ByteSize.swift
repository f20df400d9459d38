/// A number of bytes written the way operators write it: `512MiB`, `2GiB`, `64M`, `1.5G`, `4096`.
///
/// Binary units (`KiB`, `MiB`, `GiB`, `TiB`) are powers of 1024; the decimal ones (`kB`/`KB`, `MB`, `GB`, `TB`) powers
/// of 1000; the one-letter forms (`K`, `M`, `G`, `T`, as in `docker --memory 64m`) are binary. A plain number is bytes.
/// One type for every size setting and request field (limits, quotas, node reserve), so they all accept one grammar.
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    /// Why a text is not a size, phrased to follow "<key>: ".
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public init(text: String) { self.text = text }
        public var description: String {
            "\"\(text)\" is not a size (use bytes or a unit: 64MiB, 2GiB, 500MB, 1G)"
        }
    }

    private static let units: [(suffix: String, factor: Double)] = [
        ("kib", 1024), ("mib", 1024 * 1024), ("gib", 1024 * 1024 * 1024), ("tib", 1024 * 1024 * 1024 * 1024),
        ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("tb", 1_000_000_000_000),
        ("k", 1024), ("m", 1024 * 1024), ("g", 1024 * 1024 * 1024), ("t", 1024 * 1024 * 1024 * 1024),
        ("b", 1),
    ]

    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingWhitespace()
        let lower = trimmed.lowercased()
        var number = Substring(lower)
        var factor: Double = 1
        for unit in Self.units where lower.hasSuffix(unit.suffix) {
            number = lower.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        let digits = number.trimmingWhitespaceSubstring()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(digits), value.isFinite, value >= 0
        else { throw ParseError(text: text) }
        let bytes = (value * factor).rounded()
        guard bytes < Double(Int64.max) else { throw ParseError(text: text) }
        self.bytes = Int64(bytes)
    }

    /// The shortest exact binary form (`64MiB`, `1536KiB`), else bytes.
    public var description: String {
        let units: [(String, Int64)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (suffix, factor) in units where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(suffix)"
        }
        return "\(bytes)B"
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(Substring(self).trimmingWhitespaceSubstring())
    }
}

extension Substring {
    fileprivate func trimmingWhitespaceSubstring() -> Substring {
        var slice = self
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }
}
