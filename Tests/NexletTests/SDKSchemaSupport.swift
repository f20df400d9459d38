import NATSTestSupport
import Testing

extension SchemaCheck {
    /// Validates everything queued; records one issue listing the violations, if any.
    func validate(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let problems = try violations()
        #expect(problems.isEmpty, "schema violations:\n\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
