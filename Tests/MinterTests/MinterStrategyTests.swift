import Foundation
import Testing
@testable import Minter

/// The three strategies, mirroring the Go tests of credentials-state-native-cli.md §1.8.
@Suite struct MinterStrategyTests {
    static let signingSeed = "SAAO4BQQIG6ESCYGHXTBEEF4TWX7XI545EAYZPXZMR5JCIRUZLRWUONGD4"
    static let signingAccount = "ABOMDDCH76P5CAEOFEC5AFRMUL3W62Y5SPBNL6R3GBYE5X4N6UDE5QQL"
    static let userSeed = "SUAMFX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU"
    static let userNkey = "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS"
    static let now = Date(timeIntervalSince1970: 1_700_000_000.75)

    static func signingKeyMinter(nodeID: String, validity: Duration? = SigningKeyMinter.defaultValidity) throws -> SigningKeyMinter {
        try SigningKeyMinter(signingSeed: signingSeed, rootAccount: signingAccount, nodeID: nodeID, nexus: "nexus",
                             servers: ["nats://localhost:4222"], validity: validity,
                             workloadExtraAllow: ["user": ExtraAllow(both: ["shared.>"])], clock: { now })
    }

    @Test func signingKeyMintRegister() throws {
        let node = try KeyPair.generate(.server).publicKey
        let minter = try Self.signingKeyMinter(nodeID: node)
        let creds = try minter.mintRegistration(agentID: "agentId", nodeID: "nodeId")
        #expect(creds.servers.first == "nats://localhost:4222")
        #expect(!creds.userSeed.isEmpty)
        #expect(creds.userNkey.isEmpty && creds.userName.isEmpty && creds.password.isEmpty)
        let claims = try UserClaims.decode(creds.userJWT, now: Self.now)
        #expect(claims.permissions == (try PermissionSets.registration(agentID: "agentId", nodeID: "nodeId")))
        #expect(claims.name == "agentId")
        #expect(claims.subject == (try KeyPair(seed: creds.userSeed, expecting: .user)).publicKey)
        #expect(claims.issuer == Self.signingAccount)
        #expect(claims.issuerAccount == Self.signingAccount)
        #expect(claims.issuedAt == 1_700_000_000)
        // Registration credentials are used once: they live 10 minutes, whatever the credential lifetime.
        #expect(claims.expires == 1_700_000_000 + 600)
        #expect(creds.inboxPrefix == "_INBOX_agentId")
        #expect(minter.securityWarning == nil)
        #expect(minter.strategy == .signingKey)
    }

    @Test func signingKeyMintAgentAndWorkload() throws {
        let node = try KeyPair.generate(.server).publicKey
        let minter = try Self.signingKeyMinter(nodeID: node, validity: .seconds(60))
        let agent = try UserClaims.decode(minter.mintAgent(agentID: "agentId", profile: .current).userJWT, now: Self.now)
        #expect(agent.permissions == (try PermissionSets.agent(agentID: "agentId", nodeID: node, nexus: "nexus")))
        #expect(agent.expires == 1_700_000_060)

        let workload = try UserClaims.decode(minter.mintWorkload(namespace: "user", workloadID: "workloadId").userJWT, now: Self.now)
        #expect(workload.name == "workloadId")
        #expect(workload.permissions == (try PermissionSets.workload(namespace: "user", workloadID: "workloadId", extra: ExtraAllow(both: ["shared.>"]))))
        #expect(workload.expires == 1_700_000_060)
        let other = try UserClaims.decode(minter.mintWorkload(namespace: "other", workloadID: "w2").userJWT, now: Self.now)
        #expect(other.permissions == (try PermissionSets.workload(namespace: "other", workloadID: "w2")))
        #expect(try minter.mintWorkload(namespace: "other", workloadID: "w2").inboxPrefix == "_INBOX_w2")
        // A lifetime shorter than the registration cap applies to registrations too.
        let registration = try UserClaims.decode(minter.mintRegistration(agentID: "agentId", nodeID: node).userJWT, now: Self.now)
        #expect(registration.expires == 1_700_000_060)
    }

    // issue 12: object-store permissions
    @Test func artifactBucketsAreGrantedToAgentsOnly() throws {
        let node = try KeyPair.generate(.server).publicKey
        let minter = try SigningKeyMinter(signingSeed: Self.signingSeed, rootAccount: Self.signingAccount, nodeID: node, nexus: "nexus",
                                          servers: [], artifactBuckets: ["bins", "tools"], clock: { Self.now })
        let agent = try UserClaims.decode(minter.mintAgent(agentID: "a1", profile: .current).userJWT, now: Self.now)
        let bins = try PermissionSets.objectStoreRead(bucket: "bins")
        let tools = try PermissionSets.objectStoreRead(bucket: "tools")
        #expect(agent.permissions == (try PermissionSets.agent(
            agentID: "a1", nodeID: node, nexus: "nexus", extraPublish: bins.publish + tools.publish)))
        let workload = try UserClaims.decode(minter.mintWorkload(namespace: "user", workloadID: "w1").userJWT, now: Self.now)
        #expect(!workload.permissions.pub.allow.contains { $0.hasPrefix("$JS") })
        let registration = try UserClaims.decode(minter.mintRegistration(agentID: "a1", nodeID: node).userJWT, now: Self.now)
        #expect(!registration.permissions.pub.allow.contains { $0.hasPrefix("$JS") })
        #expect(throws: MinterError.invalidSubjectToken(role: "artifact bucket", value: "a.>", reason: "must not contain '.'")) {
            try SigningKeyMinter(signingSeed: Self.signingSeed, rootAccount: Self.signingAccount, nodeID: node, nexus: "nexus",
                                 servers: [], artifactBuckets: ["a.>"])
        }
    }

    @Test func everyCallIsANewIdentity() throws {
        let minter = try Self.signingKeyMinter(nodeID: "node")
        let first = try minter.mintWorkload(namespace: "a", workloadID: "w")
        let second = try minter.mintWorkload(namespace: "a", workloadID: "w")
        #expect(first.userSeed != second.userSeed)
        #expect(first.userJWT != second.userJWT)
    }

    @Test func noExpiryWhenValidityIsNil() throws {
        let minter = try Self.signingKeyMinter(nodeID: "node", validity: nil)
        #expect(try UserClaims.decode(minter.mintAgent(agentID: "a", profile: .current).userJWT, now: nil).expires == 0)
        #expect(try UserClaims.decode(minter.mintWorkload(namespace: "ns", workloadID: "w").userJWT, now: nil).expires == 0)
        // Registration credentials expire anyway.
        #expect(try UserClaims.decode(minter.mintRegistration(agentID: "a", nodeID: "node").userJWT, now: Self.now).expires
                == 1_700_000_000 + 600)
    }

    @Test func signingKeyConfigurationErrors() throws {
        #expect {
            try SigningKeyMinter(signingSeed: Self.userSeed, rootAccount: Self.signingAccount, nodeID: "n", nexus: "x", servers: [])
        } throws: { error in
            "\(error)" == "issuer signing key must be an account seed (SA…), got a user seed"
        }
        #expect {
            try SigningKeyMinter(signingSeed: Self.signingSeed, rootAccount: Self.userNkey, nodeID: "n", nexus: "x", servers: [])
        } throws: { error in
            "\(error)" == "root account must be an account public key (A…), got a user public key"
        }
        #expect(throws: MinterError.invalidSubjectToken(role: "namespace", value: "a.b", reason: "must not contain '.'")) {
            try SigningKeyMinter(signingSeed: Self.signingSeed, rootAccount: Self.signingAccount, nodeID: "n", nexus: "x",
                                 servers: [], workloadExtraAllow: ["a.b": ExtraAllow()])
        }
        let minter = try Self.signingKeyMinter(nodeID: "node")
        #expect(throws: MinterError.invalidSubjectToken(role: "namespace", value: "b.>", reason: "must not contain '.'")) {
            try minter.mintWorkload(namespace: "b.>", workloadID: "w")
        }
    }

    @Test func nkeyMinterHandsOutTheStaticIdentity() throws {
        let minter = try NkeyMinter(nkey: Self.userNkey, seed: Self.userSeed, servers: ["nats://localhost:4222"])
        for creds in [try minter.mintRegistration(agentID: "a", nodeID: "n"), try minter.mintAgent(agentID: "a", profile: .current),
                      try minter.mintWorkload(namespace: "ns", workloadID: "w")] {
            #expect(creds == MintedCredentials(servers: ["nats://localhost:4222"], userSeed: Self.userSeed, userNkey: Self.userNkey))
            #expect(creds.userJWT.isEmpty)
            #expect(creds.decorated == nil)
        }
        #expect(minter.securityWarning?.contains(Self.userNkey) == true)
        #expect(minter.strategy == .userNkey)
    }

    @Test func nkeyMinterChecksTheConfiguration() throws {
        let other = try KeyPair.generate(.user)
        #expect(throws: MinterError.nkeyDoesNotMatchSeed(nkey: other.publicKey, seedPublicKey: Self.userNkey)) {
            try NkeyMinter(nkey: other.publicKey, seed: Self.userSeed, servers: [])
        }
        #expect {
            try NkeyMinter(nkey: Self.userNkey, seed: Self.signingSeed, servers: [])
        } throws: { error in
            "\(error)" == "issuer nkey seed must be a user seed (SU…), got an account seed"
        }
    }

    @Test func fullAccessHandsOutNothingAndWarns() throws {
        let minter = FullAccessMinter(servers: ["nats://localhost:4222"])
        let minters: [any CredentialMinter] = [minter]
        for creds in [try minter.mintRegistration(agentID: "a", nodeID: "n"), try minter.mintAgent(agentID: "a", profile: .current),
                      try minter.mintWorkload(namespace: "ns", workloadID: "w")] {
            #expect(creds == MintedCredentials(servers: ["nats://localhost:4222"]))
        }
        #expect(minters.first?.securityWarning?.contains("development only") == true)
        #expect(minter.strategy == .fullAccess)
    }

    @Test func mintedJWTCredentialsFormatAsCredsFile() throws {
        let creds = try Self.signingKeyMinter(nodeID: "node").mintAgent(agentID: "a", profile: .current)
        let decorated = try #require(creds.decorated)
        #expect(try DecoratedCreds.parse(decorated.text) == decorated)
    }
}

@Suite struct MinterSelectionTests {
    @Test func strategyOrder() throws {
        let seed = MinterStrategyTests.signingSeed, account = MinterStrategyTests.signingAccount
        let both = MinterSelection(signingKey: seed, rootAccount: account, nkey: MinterStrategyTests.userNkey,
                                   nkeySeed: MinterStrategyTests.userSeed)
        #expect(both.strategy == .signingKey)
        #expect(try both.makeMinter(nodeID: "n", nexus: "x", servers: []).strategy == .signingKey)
        let nkey = MinterSelection(nkey: MinterStrategyTests.userNkey, nkeySeed: MinterStrategyTests.userSeed)
        #expect(try nkey.makeMinter(nodeID: "n", nexus: "x", servers: []).strategy == .userNkey)
        #expect(try MinterSelection().makeMinter(nodeID: "n", nexus: "x", servers: []).strategy == .fullAccess)
    }

    @Test func halfPairsUseTheGoMessages() {
        let selection = MinterSelection(signingKey: "SA…", nkeySeed: "SU…")
        #expect(selection.problems == [
            "root-account-key must be provided if signing-key is provided",
            "nkey must be provided if nkey-seed is provided",
        ])
        #expect(throws: MinterSelectionError(problems: selection.problems)) {
            try selection.makeMinter(nodeID: "n", nexus: "x", servers: [])
        }
        #expect(MinterSelection(rootAccount: "A", nkey: "U").problems == [
            "signing-key must be provided if root-account-key is provided",
            "nkey-seed must be provided if nkey is provided",
        ])
    }

    @Test func badKeysAreReportedByTheMinter() {
        #expect(throws: MinterError.self) {
            try MinterSelection(signingKey: MinterStrategyTests.userSeed, rootAccount: MinterStrategyTests.signingAccount)
                .makeMinter(nodeID: "n", nexus: "x", servers: [])
        }
    }
}
