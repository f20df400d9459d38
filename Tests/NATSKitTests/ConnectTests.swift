import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct ConnectTests {
    @Test func connectsWithoutAuth() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        #expect(connection.isConnected)
        #expect(connection.connectedURL?.hasSuffix(":\(server.port)") == true)
        await connection.close()
        #expect(connection.isClosed)
    }

    @Test func nothingListeningIsAClearError() async throws {
        let server = try await NATSServer.start()
        let url = server.url
        await server.stop()
        await #expect {
            _ = try await NatsConnection.connect(NatsConnectOptions(servers: [url], connectTimeout: .milliseconds(500)))
        } throws: { error in
            (error as? NatsError)?.kind == .noServers
        }
    }

    @Test func userPasswordAuth() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: """
        authorization { users: [ { user: alice, password: s3cret } ] }
        """))
        let good = try await connect(server, auth: .userPassword(user: "alice", password: "s3cret"))
        #expect(good.isConnected)
        await #expect {
            _ = try await connect(server, auth: .userPassword(user: "alice", password: "wrong"))
        } throws: { error in
            (error as? NatsError)?.kind == .authenticationFailed
        }
    }

    @Test func tokenAuth() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: "authorization { token: t0ken }"))
        #expect(try await connect(server, auth: .token("t0ken")).isConnected)
        await #expect(throws: NatsError.self) { _ = try await connect(server, auth: .token("nope")) }
    }

    // The user key pair from the spec's nkeys cross-check (seed bytes 00…1f).
    static let userSeed = "SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y"
    static let userPublic = "UAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RLKK"

    @Test func nkeyAuthSignsTheNonce() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: """
        authorization { users: [ { nkey: \(Self.userPublic) } ] }
        """))
        let connection = try await connect(server, auth: .nkey(publicKey: Self.userPublic, seed: Self.userSeed))
        let subscription = try connection.subscribe("nkey.check")
        try await connection.flush()
        try connection.publish("nkey.check", payload: Data("hi"))
        #expect(try await collect(subscription, count: 1).first?.string == "hi")
    }

    @Test func nkeyAuthWithAnotherSeedIsRejected() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: """
        authorization { users: [ { nkey: \(Self.userPublic) } ] }
        """))
        // A valid user seed, but of a different key.
        let otherSeed = "SUACELAYVFZWKTFVV3AH4VMC3BHEETSDRH42YR7TBVS3R5P3XREE5UH4YE"
        await #expect {
            _ = try await connect(server, auth: .nkey(publicKey: Self.userPublic, seed: otherSeed))
        } throws: { error in
            (error as? NatsError)?.kind == .authenticationFailed
        }
    }

    /// libnats 3.4.1 refuses about one nonce-signing connect in 200 with a valid signature; the connect retries
    /// with a fresh nonce, so 1,000 connects in a row all succeed (without the retry about five fail).
    @Test func nonceSigningConnectsDoNotFailSporadically() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: """
        authorization { users: [ { nkey: \(Self.userPublic) } ] }
        """))
        var refused = 0
        for _ in 0..<1_000 {
            do {
                await (try await connect(server, auth: .nkey(publicKey: Self.userPublic, seed: Self.userSeed))).close()
            } catch {
                refused += 1
            }
        }
        #expect(refused == 0)
    }
}
