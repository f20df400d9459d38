import Foundation
import NATSTestSupport
import Testing
@testable import Minter

/// XKeys and the `xkv1` format (credentials-state-native-cli.md §2.2–§2.3).
@Suite struct XKeyTests {
    static let senderSeed = "SXABCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEKMVA"
    static let senderPublic = "XB5U5EE3XZ774RGEMWRCAA35MCHOGWEX2MPPS4XQP52ISLFQ647RHUN5"
    static let recipientSeed = "SXACEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIU52M"
    static let recipientPublic = "XAH2U2CO2KEGPOL7JJVC33S57DHJOTTWW4AY4PZCUHCM6JTYK4HSBMMB"
    static let sealedBase64 = "eGt2MTMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzM229AdiMeRm0sNyN37QSU55NPojW8cvXfsLTaQHk"

    @Test func rawSeedVector() throws {
        let key = try XKeyPair(rawSeed: (0..<32).map { UInt8($0) })
        #expect(key.seed == "SXAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H74KM")
        #expect(key.publicKey == "XCHUBRNNW2HSKYSK4WZBJ2TWPJXMSTMCTU6XWXQ22G5G6PRBHAUF76G7")
    }

    @Test func senderAndRecipientVectors() throws {
        let sender = try XKeyPair(rawSeed: [UInt8](repeating: 0x11, count: 32))
        let recipient = try XKeyPair(rawSeed: [UInt8](repeating: 0x22, count: 32))
        #expect(sender.seed == Self.senderSeed)
        #expect(sender.publicKey == Self.senderPublic)
        #expect(recipient.seed == Self.recipientSeed)
        #expect(recipient.publicKey == Self.recipientPublic)
        #expect(try XKeyPair(seed: Self.senderSeed) == sender)
    }

    @Test func sealVectorByteForByte() throws {
        let sender = try XKeyPair(seed: Self.senderSeed)
        let recipient = try XKeyPair(publicKey: Self.recipientPublic)
        let sealed = try sender.seal(Array(#"{"FOO":"bar"}"#.utf8), to: recipient,
                                     nonce: [UInt8](repeating: 0x33, count: 24))
        #expect(Data(sealed).base64EncodedString() == Self.sealedBase64)
    }

    @Test func openVector() throws {
        let recipient = try XKeyPair(seed: Self.recipientSeed)
        let sealed = try #require(Data(base64Encoded: Self.sealedBase64))
        let plaintext = try recipient.open(Array(sealed), from: Self.senderPublic)
        #expect(String(decoding: plaintext, as: UTF8.self) == #"{"FOO":"bar"}"#)
    }

    @Test func randomNonceRoundTripAndWrongKeys() throws {
        let alice = try XKeyPair.generate(), bob = try XKeyPair.generate(), eve = try XKeyPair.generate()
        let message = Array("secret".utf8)
        let first = try alice.seal(message, to: bob.publicOnly)
        let second = try alice.seal(message, to: bob.publicOnly)
        #expect(first != second)
        #expect(try bob.open(first, from: alice.publicKey) == message)
        #expect(throws: NKeyError.decryptionFailed) { try eve.open(first, from: alice.publicKey) }
        #expect(throws: NKeyError.decryptionFailed) { try bob.open(first, from: eve.publicKey) }
        var tampered = first
        tampered[tampered.count - 1] ^= 1
        #expect(throws: NKeyError.decryptionFailed) { try bob.open(tampered, from: alice.publicKey) }
    }

    @Test func malformedSealedMessages() throws {
        let bob = try XKeyPair.generate(), alice = try XKeyPair.generate()
        #expect(throws: NKeyError.sealedMessageTooShort(28)) {
            try bob.open(Array("xkv1".utf8) + [UInt8](repeating: 0, count: 24), from: alice)
        }
        var sealed = try alice.seal([1, 2, 3], to: bob)
        sealed[3] = UInt8(ascii: "2")
        #expect(throws: NKeyError.invalidEncryptionVersion) { try bob.open(sealed, from: alice) }
        #expect(throws: NKeyError.publicKeyOnly) { try bob.publicOnly.open(sealed, from: alice) }
        #expect(throws: NKeyError.publicKeyOnly) { try bob.publicOnly.seal([1], to: alice) }
        #expect(throws: NKeyError.invalidLength(kind: "nonce", expected: 24, actual: 8)) {
            try alice.seal([1], to: bob, nonce: [UInt8](repeating: 0, count: 8))
        }
    }

    @Test func xkeysRejectOtherKeyTypes() {
        #expect {
            try XKeyPair(publicKey: "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS", role: "recipient xkey")
        } throws: { error in
            "\(error)" == "recipient xkey must be a curve public key (X…), got a user public key"
        }
    }

    @Test func encEnvRoundTrip() throws {
        let nexlet = try XKeyPair.generate()
        let environment = ["PASSWORD": "s3<cr>&t", "EMPTY": "", "ÜNICODE": "✓"]
        let sealed = try EncEnv.seal(environment, to: nexlet.publicKey)
        #expect(sealed.encryptedBy.hasPrefix("X"))
        #expect(Data(base64Encoded: sealed.base64EncryptedEnv) != nil)
        #expect(try sealed.open(with: nexlet) == environment)
    }

    @Test func encEnvWithFixedSenderAndJSONShape() throws {
        let sender = try XKeyPair(seed: Self.senderSeed)
        let recipient = try XKeyPair(seed: Self.recipientSeed)
        let sealed = try EncEnv.seal(["FOO": "bar"], to: Self.recipientPublic, sender: sender)
        #expect(sealed.encryptedBy == Self.senderPublic)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(sealed)) as? [String: String]
        #expect(json?.keys.sorted() == ["base64_encrypted_env", "encrypted_by"])
        // The Go vector blob decodes through EncEnv too.
        let vector = EncEnv(encryptedBy: Self.senderPublic, base64EncryptedEnv: Self.sealedBase64)
        #expect(try vector.open(with: recipient) == ["FOO": "bar"])
        #expect(try JSONDecoder().decode(EncEnv.self, from: JSONEncoder().encode(vector)) == vector)
        // The one EncEnv type's JSON is the schema's `shared-enc-env.json`.
        let schemas = SchemaCheck()
        schemas.add("shared-enc-env.json", json: try JSONEncoder().encode(vector), label: "EncEnv")
        #expect(try schemas.violations() == [])
    }

    @Test func encEnvEmptyPlaintextIsEmptyMap() throws {
        let sender = try XKeyPair.generate(), recipient = try XKeyPair.generate()
        let sealed = try sender.seal([UInt8](), to: recipient)
        let env = EncEnv(encryptedBy: sender.publicKey, base64EncryptedEnv: Data(sealed).base64EncodedString())
        #expect(try env.open(with: recipient) == [:])
    }

    @Test func encEnvErrors() throws {
        let sender = try XKeyPair.generate(), recipient = try XKeyPair.generate()
        #expect(throws: EncEnvError.invalidBase64) {
            try EncEnv(encryptedBy: sender.publicKey, base64EncryptedEnv: "%%%").open(with: recipient)
        }
        let notAMap = try sender.seal(Array("[1,2]".utf8), to: recipient)
        #expect(throws: EncEnvError.notAStringMap) {
            try EncEnv(encryptedBy: sender.publicKey, base64EncryptedEnv: Data(notAMap).base64EncodedString())
                .open(with: recipient)
        }
        let sealed = try EncEnv.seal(["A": "b"], to: recipient.publicKey)
        #expect(throws: EncEnvError.key(.decryptionFailed)) { try sealed.open(with: sender) }
    }

    @Test func specDocumentQuotesTheseVectors() throws {
        let spec = try SpecDirectory.read("credentials-state-native-cli.md")
        for vector in [Self.senderSeed, Self.senderPublic, Self.recipientSeed, Self.recipientPublic, Self.sealedBase64] {
            #expect(spec.contains(vector))
        }
    }
}

extension XKeyPair {
    /// Test helper: the key without its seed.
    var publicOnly: XKeyPair {
        get throws { try XKeyPair(publicKey: publicKey) }
    }
}
