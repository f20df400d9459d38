import Foundation
import Testing
@testable import Minter

/// The user JWT vector of credentials-state-native-cli.md §1.4 (produced by Go nats-io/jwt v2).
@Suite struct JWTVectorTests {
    static let signingSeed = "SAAO4BQQIG6ESCYGHXTBEEF4TWX7XI545EAYZPXZMR5JCIRUZLRWUONGD4"
    static let account = "ABOMDDCH76P5CAEOFEC5AFRMUL3W62Y5SPBNL6R3GBYE5X4N6UDE5QQL"
    static let user = "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS"
    static let payload = #"{"exp":1731536000,"jti":"AGPQENBM6HXJ6IVMCQN5DK6D2DJ3L5OCFA4XNZD3P7BKYGIDAZRQ","iat":1700000000,"iss":"ABOMDDCH76P5CAEOFEC5AFRMUL3W62Y5SPBNL6R3GBYE5X4N6UDE5QQL","name":"wid123","sub":"UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS","nats":{"pub":{"allow":["_INBOX.\u003e"]},"sub":{"allow":["$NEX.FEED.default.logs.\u003e","_INBOX.\u003e"]},"resp":{"max":1,"ttl":0},"subs":-1,"data":-1,"payload":-1,"issuer_account":"ABOMDDCH76P5CAEOFEC5AFRMUL3W62Y5SPBNL6R3GBYE5X4N6UDE5QQL","type":"user","version":2}}"#
    static let signature = "OoLTmvNYRqNX_pzEuFSBTet0zs9EUqtFGtsww6NeIjnjHVW2I9U8MEmWnuaio4iaYvrXkeV4zC_b-u58blLDDA"
    static let header = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ"

    /// The Go reference's workload permission set for namespace `default` (what the vector was made with).
    static func goWorkloadClaims() -> UserClaims {
        var claims = UserClaims(subject: user, name: "wid123", permissions: Permissions(
            pub: Permission(allow: ["_INBOX.>"]),
            sub: Permission(allow: ["$NEX.FEED.default.logs.>", "_INBOX.>"]),
            resp: ResponsePermission(maxMessages: 1)))
        claims.expires = 1_731_536_000
        claims.issuerAccount = account
        return claims
    }

    @Test func signingSeedMatchesAccount() throws {
        let signer = try KeyPair(seed: Self.signingSeed)
        #expect(signer.type == .account)
        #expect(signer.publicKey == Self.account)
    }

    @Test func encodesTheGoTokenByteForByte() throws {
        let signer = try KeyPair(seed: Self.signingSeed)
        let token = try Self.goWorkloadClaims().encode(signedBy: signer, issuedAt: Date(timeIntervalSince1970: 1_700_000_000))
        let parts = token.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        #expect(parts[0] == Self.header)
        #expect(Base64.urlDecode(parts[1]).map { String(decoding: $0, as: UTF8.self) } == Self.payload)
        #expect(parts[2] == Self.signature)
    }

    @Test func jtiIsSHA512_256OfTheBaseClaims() {
        var base = ClaimsData(subject: Self.user, name: "wid123", expires: 1_731_536_000)
        base.issuer = Self.account
        base.issuedAt = 1_700_000_000
        #expect(base.hashID() == "AGPQENBM6HXJ6IVMCQN5DK6D2DJ3L5OCFA4XNZD3P7BKYGIDAZRQ")
    }

    @Test func decodesTheGoToken() throws {
        let token = Self.header + "." + Base64.urlEncode(Self.payload.utf8) + "." + Self.signature
        let claims = try UserClaims.decode(token, now: Date(timeIntervalSince1970: 1_700_000_100))
        var expected = Self.goWorkloadClaims()
        expected.issuer = Self.account
        expected.issuedAt = 1_700_000_000
        expected.id = "AGPQENBM6HXJ6IVMCQN5DK6D2DJ3L5OCFA4XNZD3P7BKYGIDAZRQ"
        #expect(claims == expected)
    }
}
