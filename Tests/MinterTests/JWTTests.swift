import Foundation
import Testing
@testable import Minter

@Suite struct JWTTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func keys() throws -> (operator: KeyPair, account: KeyPair, signing: KeyPair, user: KeyPair) {
        try (KeyPair.generate(.operator), KeyPair.generate(.account), KeyPair.generate(.account), KeyPair.generate(.user))
    }

    @Test func userRoundTripWithEveryField() throws {
        let (_, account, signing, user) = try Self.keys()
        var claims = UserClaims(subject: user.publicKey, name: "worker <1> & co", permissions: Permissions(
            pub: Permission(allow: ["a.>"], deny: ["a.secret"]),
            sub: Permission(allow: ["b.*", "q.> workers"]),
            resp: ResponsePermission(maxMessages: 3, ttlNanoseconds: 5_000_000_000)))
        claims.expires = 1_800_000_000
        claims.notBefore = 1_600_000_000
        claims.audience = "nex"
        claims.sourceNetworks = ["10.0.0.0/8"]
        claims.times = [TimeRange(start: "08:00:00", end: "17:00:00")]
        claims.timesLocation = "Europe/Berlin"
        claims.limits = NatsLimits(subs: 10, data: 1024, payload: 512)
        claims.bearerToken = true
        claims.allowedConnectionTypes = ["STANDARD"]
        claims.issuerAccount = account.publicKey
        claims.tags = ["nex"]
        let token = try claims.encode(signedBy: signing, issuedAt: Self.t0)
        let decoded = try UserClaims.decode(token, now: Self.t0)
        var expected = claims
        expected.issuer = signing.publicKey
        expected.issuedAt = 1_700_000_000
        expected.id = decoded.id
        #expect(decoded == expected)
        #expect(decoded.id.count == 52)
    }

    @Test func userPayloadFieldOrderAndOmissions() throws {
        let (_, account, _, user) = try Self.keys()
        var claims = UserClaims(subject: user.publicKey)
        claims.sourceNetworks = ["10.0.0.0/8"]
        claims.bearerToken = true
        claims.tags = ["t"]
        let token = try claims.encode(signedBy: account, issuedAt: Self.t0)
        let payload = try #require(Base64.urlDecode(String(token.split(separator: ".")[1])))
        let text = String(decoding: payload, as: UTF8.self)
        let jti = try UserClaims.decode(token, now: nil).id
        #expect(text == #"{"jti":"\#(jti)","iat":1700000000,"iss":"\#(account.publicKey)","sub":"\#(user.publicKey)","nats":{"pub":{},"sub":{},"src":["10.0.0.0/8"],"subs":-1,"data":-1,"payload":-1,"bearer_token":true,"tags":["t"],"type":"user","version":2}}"#)
    }

    @Test func goStringEscaping() {
        #expect(GoJSONObject.quote("_INBOX.>") == #""_INBOX.\u003e""#)
        #expect(GoJSONObject.quote("<a&b>") == #""\u003ca\u0026b\u003e""#)
        #expect(GoJSONObject.quote("q\"\\\n\r\t\u{08}\u{0C}\u{01}\u{1F}") == #""q\"\\\n\r\t\b\f\u0001\u001f""#)
        #expect(GoJSONObject.quote("\u{2028}\u{2029}é✓") == "\"\\u2028\\u2029é✓\"")
        #expect(GoJSONObject.stringMap(["b": "1", "B": "2", "a": "<"]) == #"{"B":"2","a":"\u003c","b":"1"}"#)
    }

    @Test func accountAndOperatorRoundTrip() throws {
        let (op, account, signing, _) = try Self.keys()
        let system = try KeyPair.generate(.account)
        var operatorClaims = OperatorClaims(subject: op.publicKey, name: "nex-op")
        operatorClaims.systemAccount = system.publicKey
        operatorClaims.signingKeys = [try KeyPair.generate(.operator).publicKey]
        let operatorJWT = try operatorClaims.encode(signedBy: op, issuedAt: Self.t0)
        let decodedOperator = try OperatorClaims.decode(operatorJWT, now: Self.t0)
        #expect(decodedOperator.systemAccount == system.publicKey)
        #expect(decodedOperator.signingKeys == operatorClaims.signingKeys)
        #expect(decodedOperator.issuer == op.publicKey)

        var accountClaims = AccountClaims(subject: account.publicKey, name: "APP")
        accountClaims.limits.jetStream = .unlimited
        accountClaims.signingKeys = [signing.publicKey]
        accountClaims.defaultPermissions = Permissions(pub: Permission(deny: [">"]))
        accountClaims.revocations = ["*": 1_600_000_000]
        let accountJWT = try accountClaims.encode(signedBy: op, issuedAt: Self.t0)
        let decodedAccount = try AccountClaims.decode(accountJWT, now: Self.t0)
        var expected = accountClaims
        expected.issuer = op.publicKey
        expected.issuedAt = 1_700_000_000
        expected.id = decodedAccount.id
        #expect(decodedAccount == expected)
        let payload = String(decoding: try #require(Base64.urlDecode(String(accountJWT.split(separator: ".")[1]))), as: UTF8.self)
        #expect(payload.contains(#""nats":{"limits":{"subs":-1,"data":-1,"payload":-1,"imports":-1,"exports":-1,"wildcards":true,"conn":-1,"leaf":-1,"mem_storage":-1,"disk_storage":-1,"streams":-1,"consumer":-1},"signing_keys":["\#(signing.publicKey)"],"revocations":{"*":1600000000},"default_permissions":{"pub":{"deny":["\u003e"]},"sub":{}},"authorization":{},"type":"account","version":2}"#))
    }

    @Test func issuerAndSubjectTypesAreEnforcedWhenEncoding() throws {
        let (op, account, _, user) = try Self.keys()
        #expect {
            try UserClaims(subject: user.publicKey).encode(signedBy: op)
        } throws: { error in
            "\(error)" == "invalid JWT issuer: user claims must be signed by an account key, got an operator key"
        }
        #expect {
            try UserClaims(subject: account.publicKey).encode(signedBy: account)
        } throws: { error in
            if case JWTError.invalidSubject = error { return true } else { return false }
        }
        #expect(throws: JWTError.signerCannotSign) {
            try UserClaims(subject: user.publicKey).encode(signedBy: account.publicOnly)
        }
        #expect {
            try OperatorClaims(subject: op.publicKey).encode(signedBy: account)
        } throws: { error in
            if case JWTError.invalidIssuer = error { return true } else { return false }
        }
    }

    @Test func expiryAndNotBeforeUseTheInjectedClock() throws {
        let (_, account, _, user) = try Self.keys()
        var claims = UserClaims(subject: user.publicKey)
        claims.expires = 1_700_000_100
        claims.notBefore = 1_700_000_010
        let token = try claims.encode(signedBy: account, issuedAt: Self.t0)
        #expect(throws: JWTError.notYetValid(notBefore: 1_700_000_010, now: 1_700_000_000)) {
            try UserClaims.decode(token, now: Self.t0)
        }
        #expect(try UserClaims.decode(token, now: Date(timeIntervalSince1970: 1_700_000_100)).expires == 1_700_000_100)
        #expect(throws: JWTError.expired(expires: 1_700_000_100, now: 1_700_000_101)) {
            try UserClaims.decode(token, now: Date(timeIntervalSince1970: 1_700_000_101))
        }
        #expect(try UserClaims.decode(token, now: nil).expires == 1_700_000_100)
    }

    @Test func tamperingIsDetected() throws {
        let (_, account, _, user) = try Self.keys()
        let claims = UserClaims(subject: user.publicKey, name: "alice",
                                permissions: Permissions(pub: Permission(allow: ["alice.>"])))
        let token = try claims.encode(signedBy: account, issuedAt: Self.t0)
        let parts = token.split(separator: ".").map(String.init)

        // Payload edited (wider permission), signature kept.
        let payload = String(decoding: try #require(Base64.urlDecode(parts[1])), as: UTF8.self)
        let widened = Base64.urlEncode(payload.replacingOccurrences(of: "alice.\\u003e", with: "\\u003e").utf8)
        #expect(throws: JWTError.signatureMismatch) { try UserClaims.decode(parts[0] + "." + widened + "." + parts[2], now: nil) }

        // Signature bytes flipped.
        var signature = try #require(Base64.urlDecode(parts[2]))
        signature[0] ^= 0x01
        #expect(throws: JWTError.signatureMismatch) {
            try UserClaims.decode(parts[0] + "." + parts[1] + "." + Base64.urlEncode(signature), now: nil)
        }

        // Re-signed by an account that is not `iss`: still a mismatch with the stated issuer.
        let other = try KeyPair.generate(.account)
        let forgedSignature = try other.sign((parts[0] + "." + parts[1]).utf8)
        #expect(throws: JWTError.signatureMismatch) {
            try UserClaims.decode(parts[0] + "." + parts[1] + "." + Base64.urlEncode(forgedSignature), now: nil)
        }

        // Header alg changed: the header is part of the signed input, and the alg is checked first.
        let noneHeader = Base64.urlEncode(#"{"typ":"JWT","alg":"none"}"#.utf8)
        #expect(throws: JWTError.invalidHeader("unexpected algorithm \"none\"")) {
            try UserClaims.decode(noneHeader + "." + parts[1] + "." + parts[2], now: nil)
        }
        let legacyHeader = Base64.urlEncode(#"{"typ":"jwt","alg":"ed25519"}"#.utf8)
        #expect(throws: JWTError.signatureMismatch) {
            try UserClaims.decode(legacyHeader + "." + parts[1] + "." + parts[2], now: nil)
        }
    }

    @Test func malformedTokens() throws {
        let (_, account, _, user) = try Self.keys()
        let token = try UserClaims(subject: user.publicKey).encode(signedBy: account, issuedAt: Self.t0)
        let parts = token.split(separator: ".").map(String.init)
        #expect(throws: JWTError.malformed(segments: 2)) { try UserClaims.decode(parts[0] + "." + parts[1]) }
        #expect(throws: JWTError.malformed(segments: 1)) { try UserClaims.decode("") }
        #expect(throws: JWTError.invalidBase64(segment: "header")) { try UserClaims.decode("!!." + parts[1] + "." + parts[2]) }
        #expect(throws: JWTError.invalidBase64(segment: "payload")) { try UserClaims.decode(parts[0] + ".a+b." + parts[2]) }
        #expect(throws: JWTError.invalidBase64(segment: "signature")) { try UserClaims.decode(parts[0] + "." + parts[1] + ".x=") }
        #expect(throws: JWTError.invalidHeader("not a JSON object")) {
            try UserClaims.decode(Base64.urlEncode("nope".utf8) + "." + parts[1] + "." + parts[2])
        }
        #expect(throws: JWTError.invalidHeader("unsupported type \"JWS\"")) {
            try UserClaims.decode(Base64.urlEncode(#"{"typ":"JWS","alg":"ed25519-nkey"}"#.utf8) + "." + parts[1] + "." + parts[2])
        }
        #expect {
            try UserClaims.decode(parts[0] + "." + Base64.urlEncode("[1]".utf8) + "." + parts[2])
        } throws: { error in
            if case JWTError.invalidClaimsJSON = error { return true } else { return false }
        }
    }

    @Test func claimTypeAndVersionChecks() throws {
        let (op, account, _, user) = try Self.keys()
        let userJWT = try UserClaims(subject: user.publicKey).encode(signedBy: account, issuedAt: Self.t0)
        #expect(throws: JWTError.wrongClaimType(expected: "account", actual: "user")) {
            try AccountClaims.decode(userJWT, now: nil)
        }
        #expect(try NATSJWT.verify(userJWT, now: nil).claimType == "user")
        // A v1 token (top-level "type") and a future version are refused.
        for (body, version) in [(#"{"iss":"\#(account.publicKey)","sub":"x","type":"user","nats":{}}"#, 1),
                                (#"{"iss":"\#(account.publicKey)","sub":"x","nats":{"type":"user","version":3}}"#, 3)] {
            let input = NATSJWT.encodedHeader + "." + Base64.urlEncode(body.utf8)
            let token = input + "." + Base64.urlEncode(try account.sign(input.utf8))
            #expect(throws: JWTError.unsupportedVersion(version)) { try UserClaims.decode(token, now: nil) }
        }
        // A user JWT whose issuer is an operator key verifies but is not acceptable user claims.
        let body = #"{"iss":"\#(op.publicKey)","sub":"\#(user.publicKey)","nats":{"type":"user","version":2}}"#
        let input = NATSJWT.encodedHeader + "." + Base64.urlEncode(body.utf8)
        let token = input + "." + Base64.urlEncode(try op.sign(input.utf8))
        #expect {
            try UserClaims.decode(token, now: nil)
        } throws: { error in
            "\(error)" == "invalid JWT issuer: user claims must be signed by an account key, got an operator key"
        }
        // An issuer that is no key at all.
        let badIssuer = Base64.urlEncode(#"{"iss":"AXXX","sub":"x","nats":{"type":"user","version":2}}"#.utf8)
        #expect {
            try UserClaims.decode(NATSJWT.encodedHeader + "." + badIssuer + ".AAAA", now: nil)
        } throws: { error in
            if case JWTError.invalidIssuer = error { return true } else { return false }
        }
    }
}

extension NATSJWT {
    static var encodedHeader: String { Base64.urlEncode(headerJSON.utf8) }
}
