import Testing
@testable import Minter

/// Bad NKey input must produce a specific error, never a crash.
@Suite struct NKeyErrorTests {
    static let userSeed = "SUAMFX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU"
    static let userKey = "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS"

    @Test func truncatedSeedIsALengthError() {
        // 56 characters decode to 35 bytes: not a seed.
        #expect(throws: NKeyError.invalidLength(kind: "seed", expected: 36, actual: 35)) {
            try NKeys.decodeSeed(String(Self.userSeed.prefix(56)))
        }
        // 57 characters: no byte string encodes to that length.
        #expect(throws: NKeyError.invalidBase32("57 characters is not a valid base32 length (truncated?)")) {
            try KeyPair(seed: String(Self.userSeed.prefix(57)))
        }
        #expect(throws: NKeyError.invalidLength(kind: "seed", expected: 36, actual: 20)) {
            try KeyPair(seed: String(Self.userSeed.prefix(32)))
        }
    }

    @Test func wrongChecksum() throws {
        var bytes = try Base32.decode(Self.userSeed)
        bytes[10] ^= 0x01
        let corrupted = Base32.encode(bytes)
        #expect {
            try KeyPair(seed: corrupted)
        } throws: { error in
            guard case NKeyError.checksumMismatch = error else { return false }
            return "\(error)".hasPrefix("invalid nkey checksum")
        }
        var publicBytes = try Base32.decode(Self.userKey)
        publicBytes[34] ^= 0x80
        #expect {
            try KeyPair(publicKey: Base32.encode(publicBytes))
        } throws: { error in
            if case NKeyError.checksumMismatch = error { return true } else { return false }
        }
    }

    @Test func garbageBase32() {
        #expect(throws: NKeyError.invalidBase32("illegal character \"1\" at offset 3")) {
            try KeyPair(seed: "SUA1FX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU")
        }
        #expect(throws: NKeyError.invalidBase32("illegal character \"s\" at offset 0")) {
            try KeyPair(seed: Self.userSeed.lowercased())
        }
        #expect(throws: NKeyError.invalidBase32("illegal character \"é\" at offset 2")) {
            try KeyPair(publicKey: "UDé2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS")
        }
        #expect(throws: NKeyError.invalidLength(kind: "seed", expected: 36, actual: 0)) {
            try KeyPair(seed: "")
        }
    }

    @Test func invalidPrefixes() throws {
        // A well-formed 36-byte blob whose first byte is not the seed prefix.
        var bytes = try Base32.decode(Self.userSeed)
        bytes[0] = NKeyPrefix.private
        let crc = CRC16.checksum(bytes.prefix(34))
        bytes[34] = UInt8(crc & 0xFF)
        bytes[35] = UInt8(crc >> 8)
        #expect(throws: NKeyError.invalidSeedPrefix) { try KeyPair(seed: Base32.encode(bytes)) }

        // A public key with prefix byte `P` (private) or `Z` (unknown).
        for prefix: UInt8 in [15 << 3, 25 << 3] {
            var key = [prefix] + [UInt8](repeating: 7, count: 32)
            let keyCRC = CRC16.checksum(key)
            key += [UInt8(keyCRC & 0xFF), UInt8(keyCRC >> 8)]
            #expect(throws: NKeyError.invalidPublicKeyPrefix(prefix)) { try KeyPair(publicKey: Base32.encode(key)) }
        }
    }

    @Test func wrongTypeNamesRoleAndTypes() throws {
        #expect {
            try KeyPair(seed: Self.userSeed, expecting: .server, role: "node seed")
        } throws: { error in
            "\(error)" == "node seed must be a server seed (SN…), got a user seed"
        }
        #expect {
            try NKeys.decodePublicKey(Self.userKey, expecting: .account, role: "root account")
        } throws: { error in
            "\(error)" == "root account must be an account public key (A…), got a user public key"
        }
    }

    @Test func seedAndPublicKeyMixUps() {
        #expect(throws: NKeyError.incompatibleKey("expected a seed, got a public key")) {
            try KeyPair(seed: Self.userKey)
        }
        #expect(throws: NKeyError.incompatibleKey("expected a public key, got a seed")) {
            try KeyPair(publicKey: Self.userSeed)
        }
    }

    @Test func curveKeysAreNotSigningKeys() throws {
        let curveSeed = try NKeys.encodeSeed([UInt8](repeating: 0x11, count: 32), type: .curve)
        #expect(throws: NKeyError.incompatibleKey("curve keys cannot sign; use XKeyPair")) {
            try KeyPair(seed: curveSeed)
        }
        #expect(throws: NKeyError.wrongType(role: "xkey seed", expected: .curve, actual: .user, isSeed: true)) {
            try XKeyPair(seed: Self.userSeed)
        }
    }

    @Test func publicOnlyCannotSign() throws {
        let verifier = try KeyPair(publicKey: Self.userKey)
        #expect(throws: NKeyError.publicKeyOnly) { try verifier.sign([1, 2, 3]) }
        #expect(!verifier.verify([1, 2, 3], signature: [0, 1]))
    }

    @Test func rawLengthsAreChecked() {
        #expect(throws: NKeyError.invalidLength(kind: "raw seed", expected: 32, actual: 31)) {
            try KeyPair(rawSeed: [UInt8](repeating: 0, count: 31), type: .user)
        }
        #expect(throws: NKeyError.invalidLength(kind: "raw public key", expected: 32, actual: 33)) {
            try NKeys.encodePublicKey([UInt8](repeating: 0, count: 33), type: .user)
        }
    }

    @Test func surroundingWhitespaceIsTolerated() throws {
        #expect(try KeyPair(seed: "  \(Self.userSeed)\r\n").publicKey == Self.userKey)
    }
}
