/// A string enum the Go types check on decode: any value outside the set, including `""` and `null`, is
/// rejected with ``GoJSONError/invalidEnumValue(type:value:allowed:)``.
public protocol GoJSONEnum: GoJSONField, RawRepresentable<String>, CaseIterable, Hashable {}

extension GoJSONEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = container.decodeNil() ? "" : try container.decode(String.self)
        self = try Self.parse(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Converts a wire string, with a clear error for values outside the set.
    public static func parse(_ raw: String) throws -> Self {
        guard let value = Self(rawValue: raw) else {
            throw GoJSONError.invalidEnumValue(
                type: String(describing: Self.self), value: raw, allowed: allCases.map(\.rawValue))
        }
        return value
    }

    public static func goValueForNull() throws -> Self {
        try parse("")
    }

    public var goIsEmpty: Bool { false }
}
