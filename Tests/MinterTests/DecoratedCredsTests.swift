import Testing
@testable import Minter

@Suite struct DecoratedCredsTests {
    static let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVIn0.c2ln-_"
    static let seed = "SUAMFX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU"

    @Test func exactLayout() {
        let text = DecoratedCreds(jwt: Self.jwt, seed: Self.seed).text
        let expected = "-----BEGIN NATS USER JWT-----\n\(Self.jwt)\n------END NATS USER JWT------\n\n"
            + "************************* IMPORTANT *************************\n"
            + "NKEY Seed printed below can be used to sign and prove identity.\n"
            + "NKEYs are sensitive and should be treated as secrets.\n\n"
            + "-----BEGIN USER NKEY SEED-----\n\(Self.seed)\n------END USER NKEY SEED------\n\n"
            + "*************************************************************\n"
        #expect(text == expected)
    }

    @Test func roundTrip() throws {
        let creds = DecoratedCreds(jwt: Self.jwt, seed: Self.seed)
        #expect(try DecoratedCreds.parse(creds.text) == creds)
    }

    @Test func tolerantParsing() throws {
        // CRLF line ends, indentation, other marker texts, no warning block.
        let crlf = "  ---BEGIN X---\r\n\(Self.jwt)\r\n---END X---\r\n\r\n  ------ seed ------\r\n  \(Self.seed)  \r\n------\r\n"
        #expect(try DecoratedCreds.parse(crlf) == DecoratedCreds(jwt: Self.jwt, seed: Self.seed))
        // The closing marker may be the last line without newline.
        let noTrailingNewline = "---a---\n\(Self.jwt)\n---b---\n---c---\n\(Self.seed)\n---d---"
        #expect(try DecoratedCreds.parse(noTrailingNewline).seed == Self.seed)
        // Only a JWT block: the seed is the first line starting with SO, SA or SU.
        let looseSeed = "-----BEGIN NATS USER JWT-----\n\(Self.jwt)\n------END NATS USER JWT------\nsome text\n   \(Self.seed)\n"
        #expect(try DecoratedCreds.parse(looseSeed) == DecoratedCreds(jwt: Self.jwt, seed: Self.seed))
        // No blocks at all: the text is the JWT.
        #expect(throws: CredsError.missingSeed) { try DecoratedCreds.parse("  \(Self.jwt)\n") }
    }

    @Test func errors() {
        #expect(throws: CredsError.missingJWT) { try DecoratedCreds.parse(" \n ") }
        let accountSeed = "SAAO4BQQIG6ESCYGHXTBEEF4TWX7XI545EAYZPXZMR5JCIRUZLRWUONGD4"
        #expect {
            try DecoratedCreds.parse(DecoratedCreds(jwt: Self.jwt, seed: accountSeed).text)
        } throws: { error in
            "\(error)" == "creds file seed is invalid: creds seed must be a user seed (SU…), got an account seed"
        }
        let broken = String(Self.seed.dropLast(3)) + "AAA"
        #expect {
            try DecoratedCreds.parse(DecoratedCreds(jwt: Self.jwt, seed: broken).text)
        } throws: { error in
            guard case CredsError.invalidSeed(.checksumMismatch) = error else { return false }
            return true
        }
    }
}
