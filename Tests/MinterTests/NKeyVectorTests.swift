import NATSTestSupport
import Testing
@testable import Minter

/// NKey vectors of credentials-state-native-cli.md §2.1 and §1.8, nats-c-in-swift.md §4.
@Suite struct NKeyVectorTests {
    static let raw00to1f = (0..<32).map { UInt8($0) }

    static let seedToPublic: [(seed: String, publicKey: String)] = [
        ("SNAD2VTZQ7Z3CCB6TJWFFJK6J7DDZ5SQUHOFPQFRKDIVDQBM2WLGZGELSE", "NB4XOM2IOV2NRLRZZU5PFMQFBAQXYQOG4WOVGOWRYJRBWI3JO5QJK7AG"),
        ("SNAKTNRC5J7EI5BYCKQJMBACUATP7NS4D3Z2DMGUVRPIDO4AHKVNJOVF3E", "ND6CTZ74S3J6BRNKR6Z6FWH27YMORRAQGYPNJSS7WNNZIKZIRKWLQJHR"),
        ("SNAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H2D5U", "NAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RSWB"),
        ("SUAMFX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU", "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS"),
        ("SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y", "UAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RLKK"),
        ("SAAO4BQQIG6ESCYGHXTBEEF4TWX7XI545EAYZPXZMR5JCIRUZLRWUONGD4", "ABOMDDCH76P5CAEOFEC5AFRMUL3W62Y5SPBNL6R3GBYE5X4N6UDE5QQL"),
    ]

    @Test(arguments: seedToPublic)
    func seedDerivesPublicKey(seed: String, publicKey: String) throws {
        let pair = try KeyPair(seed: seed)
        #expect(pair.publicKey == publicKey)
        #expect(pair.seed == seed)
    }

    @Test func rawSeedEncodesAsServerAndUserSeed() throws {
        #expect(try NKeys.encodeSeed(Self.raw00to1f, type: .server) == "SNAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H2D5U")
        #expect(try NKeys.encodeSeed(Self.raw00to1f, type: .user) == "SUAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H776Y")
        let server = try KeyPair(rawSeed: Self.raw00to1f, type: .server)
        #expect(server.publicKey == "NAB2CB576PHBBPQ5ODORRZ2LYCMWPZGWGCN2KDK7DXOIMZASKUY3RSWB")
        // libsodium's public key for this seed (nats-c-in-swift.md §4 quotes its first and last bytes).
        #expect(server.rawPublicKey.hex.hasPrefix("03a107bf"))
        #expect(server.rawPublicKey.hex.hasSuffix("31b8"))
    }

    @Test func crcCheckValue() {
        #expect(CRC16.checksum(Array("123456789".utf8)) == 0x31C3)
        #expect(CRC16.checksum([UInt8]()) == 0)
    }

    @Test(arguments: NKeyType.allCases)
    func everyTypeRoundTrips(type: NKeyType) throws {
        let raw = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let seed = try NKeys.encodeSeed(raw, type: type)
        #expect(seed.count == 58)
        #expect(seed.hasPrefix(type.seedPrefix))
        #expect(try NKeys.decodeSeed(seed) == NKeys.Decoded(type: type, raw: raw))
        let publicKey = try NKeys.encodePublicKey(raw, type: type)
        #expect(publicKey.count == 56)
        #expect(publicKey.first == type.letter)
        #expect(try NKeys.decodePublicKey(publicKey) == NKeys.Decoded(type: type, raw: raw))
        #expect(NKeys.isValidPublicKey(publicKey, type: type))
    }

    @Test(arguments: [NKeyType.operator, .account, .user, .server, .cluster])
    func generatedKeysSignAndVerify(type: NKeyType) throws {
        let pair = try KeyPair.generate(type)
        #expect(pair.type == type)
        #expect(pair.publicKey.first == type.letter)
        let seed = try #require(pair.seed)
        #expect(try KeyPair(seed: seed) == pair)
        let message = Array("nonce-to-sign".utf8)
        let signature = try pair.sign(message)
        #expect(signature.count == 64)
        #expect(pair.verify(message, signature: signature))
        #expect(!pair.verify(Array("other".utf8), signature: signature))
        let verifier = try KeyPair(publicKey: pair.publicKey)
        #expect(verifier.verify(message, signature: signature))
        #expect(!verifier.canSign)
        #expect(verifier.seed == nil)
        #expect(pair.publicOnly == verifier)
    }

    @Test func generatedKeysDiffer() throws {
        let keys = try (0..<16).map { _ in try KeyPair.generate(.user).publicKey }
        #expect(Set(keys).count == keys.count)
    }

    @Test func descriptionNeverShowsTheSeed() throws {
        let pair = try KeyPair(seed: Self.seedToPublic[3].seed)
        #expect(!pair.description.contains(Self.seedToPublic[3].seed))
        #expect(pair.description.contains(pair.publicKey))
    }

    @Test func specDocumentQuotesTheseVectors() throws {
        let spec = try SpecDirectory.read("credentials-state-native-cli.md")
        for (seed, publicKey) in Self.seedToPublic where !seed.hasPrefix("SUAAAA") {
            #expect(spec.contains(seed))
            #expect(spec.contains(publicKey))
        }
    }
}
