import NATSKit
import Testing

/// The one semantic-version rule (semver.org 2.0.0) that micro services and nexlet registrations share.
@Suite struct SemanticVersionTests {
    @Test(arguments: ["0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x-y.7.z.92",
                      "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0-rc.1+build.5", "1.0.0-0a"])
    func valid(_ version: String) {
        #expect(SemanticVersion.isValid(version))
    }

    @Test(arguments: ["", "1", "1.0", "1.0.0.0", "01.0.0", "1.00.0", "1.0.0-", "1.0.0+", "1.0.0-01", "1.0.0-a..b",
                      "1.0.0+a..b", "1.0.0-a_b", "1.0.0+ü", "v1.0.0", "1.0.0 ", "١.0.0", "1.0.0-+b"])
    func invalid(_ version: String) {
        #expect(!SemanticVersion.isValid(version))
    }
}
