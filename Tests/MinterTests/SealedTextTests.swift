import Minter
import Testing

@Suite struct SealedTextTests {
    @Test func sealsAndOpensWithTheSenderInTheText() throws {
        let sender = try XKeyPair.generate()
        let recipient = try XKeyPair.generate()
        let sealed = try SealedText.seal(#"{"TOKEN":"x"}"#, from: sender, to: recipient)
        #expect(sealed.hasPrefix("nex-sealed:v1:\(sender.publicKey):"))
        #expect(!sealed.contains("TOKEN"))
        #expect(SealedText.sender(of: sealed) == sender.publicKey)
        #expect(try SealedText.open(sealed, with: recipient) == #"{"TOKEN":"x"}"#)
        #expect(try SealedText.open(sealed, with: recipient, expectedSender: sender.publicKey) == #"{"TOKEN":"x"}"#)
        #expect(SealedText.sender(of: "plain") == nil)
    }

    /// Attack: open with another key, claim another sender, tamper with the box.
    @Test func refusesOtherKeysOtherSendersAndTampering() throws {
        let sender = try XKeyPair.generate()
        let recipient = try XKeyPair.generate()
        let sealed = try SealedText.seal("secret", from: sender, to: recipient)
        #expect(throws: SealedTextError.self) { try SealedText.open(sealed, with: try XKeyPair.generate()) }
        #expect(throws: SealedTextError.unexpectedSender(sender.publicKey)) {
            try SealedText.open(sealed, with: recipient, expectedSender: recipient.publicKey)
        }
        let impostor = try XKeyPair.generate()
        let swapped = sealed.replacingOccurrences(of: sender.publicKey, with: impostor.publicKey)
        #expect(throws: SealedTextError.self) { try SealedText.open(swapped, with: recipient) }
        var bytes = Array(sealed.utf8)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SealedTextError.self) { try SealedText.open(String(decoding: bytes, as: UTF8.self), with: recipient) }
        #expect(throws: SealedTextError.notSealed) { try SealedText.open("secret", with: recipient) }
        #expect(throws: SealedTextError.self) { try SealedText.open(SealedText.prefix + "garbage", with: recipient) }
    }

    @Test func derivedKeysAreStablePerSeedAndPurpose() throws {
        let node = try KeyPair.generate(.server)
        let again = try KeyPair(seed: try #require(node.seed))
        let a = try XKeyPair(derivedFrom: node, purpose: "state")
        #expect(try XKeyPair(derivedFrom: again, purpose: "state") == a)
        #expect(try XKeyPair(derivedFrom: node, purpose: "other").publicKey != a.publicKey)
        #expect(try XKeyPair(derivedFrom: KeyPair.generate(.server), purpose: "state").publicKey != a.publicKey)
        #expect(throws: NKeyError.publicKeyOnly) { try XKeyPair(derivedFrom: KeyPair(publicKey: node.publicKey), purpose: "state") }
    }
}
