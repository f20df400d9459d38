import Foundation
import Testing
@testable import Minter

/// Independent cross-checks with Python `nkeys` 0.2.1 and PyNaCl: keys made here are read there and the other
/// way round, signatures verify both ways, and `xkv1` boxes open on both sides.
/// (nkeys.py has no curve keys and a public-only KeyPair cannot verify, so PyNaCl is used for those.)
@Suite struct PythonCrossCheckTests {
    static let ed25519Types: [NKeyType] = [.operator, .account, .user, .server, .cluster]

    @Test func ed25519KeysAndSignaturesBothWays() async throws {
        let message = Array("cross-check nonce ✓".utf8)
        let ours = try Self.ed25519Types.map { try KeyPair.generate($0) }
        let input: [[String: String]] = try ours.map { pair in
            ["seed": pair.seed ?? "", "public": pair.publicKey, "sig": try pair.sign(message).hex, "msg": message.hex]
        }
        let script = """
        import sys, json, base64, nkeys, nacl.signing, nacl.encoding
        PREFIXES = {"O": nkeys.PREFIX_BYTE_OPERATOR, "A": nkeys.PREFIX_BYTE_ACCOUNT, "U": nkeys.PREFIX_BYTE_USER,
                    "N": nkeys.PREFIX_BYTE_SERVER, "C": nkeys.PREFIX_BYTE_CLUSTER}
        def raw_public(text):
            data = base64.b32decode(text + "=" * (-len(text) % 8))
            crc = int.from_bytes(data[-2:], "little")
            assert nkeys.crc16(bytearray(data[:-2])) == crc, "crc"
            return data[1:33]
        out = []
        for item in json.load(sys.stdin):
            msg = bytes.fromhex(item["msg"])
            kp = nkeys.from_seed(item["seed"].encode())
            ok_ours = kp.verify(msg, bytes.fromhex(item["sig"]))
            # Verify from the public key alone (nkeys.py cannot: it needs PyNaCl).
            nacl.signing.VerifyKey(raw_public(item["public"])).verify(msg, bytes.fromhex(item["sig"]))
            # Python's own key of the same type, from fresh random bytes.
            theirs = nkeys.from_seed(nkeys.encode_seed(nacl.utils.random(32), PREFIXES[item["public"][0]]))
            out.append({"public": kp.public_key.decode(), "verified": ok_ours, "sig": kp.sign(msg).hex(),
                        "their_seed": theirs.seed.decode(), "their_public": theirs.public_key.decode(),
                        "their_sig": theirs.sign(msg).hex()})
        print(json.dumps(out))
        """
        let output = try #require(try await PythonOracle.run(script, input: input) as? [[String: Any]])
        #expect(output.count == ours.count)
        for (pair, result) in zip(ours, output) {
            #expect(result["public"] as? String == pair.publicKey)
            #expect(result["verified"] as? Bool == true)
            // ed25519 is deterministic: Python's signature equals ours.
            #expect(result["sig"] as? String == (try pair.sign(message)).hex)
            let theirs = try KeyPair(seed: try #require(result["their_seed"] as? String), expecting: pair.type)
            #expect(theirs.publicKey == result["their_public"] as? String)
            let theirSignature = [UInt8](hex: try #require(result["their_sig"] as? String))
            #expect(try KeyPair(publicKey: theirs.publicKey).verify(message, signature: theirSignature))
            #expect(!pair.verify(message, signature: theirSignature))
        }
    }

    @Test func pythonEncodedSeedsDecodeHere() async throws {
        let raw = (0..<32).map { UInt8($0) }
        let script = """
        import sys, json, nkeys
        raw = bytes(range(32))
        out = {}
        for name, prefix in [("operator", nkeys.PREFIX_BYTE_OPERATOR), ("account", nkeys.PREFIX_BYTE_ACCOUNT),
                             ("user", nkeys.PREFIX_BYTE_USER), ("server", nkeys.PREFIX_BYTE_SERVER),
                             ("cluster", nkeys.PREFIX_BYTE_CLUSTER)]:
            seed = nkeys.encode_seed(raw, prefix)
            out[name] = [seed.decode(), nkeys.from_seed(seed).public_key.decode()]
        print(json.dumps(out))
        """
        let output = try #require(try await PythonOracle.run(script, input: [String]()) as? [String: [String]])
        #expect(output.count == 5)
        for (name, pair) in output {
            let type = try #require(NKeyType(rawValue: name))
            #expect(try NKeys.decodeSeed(pair[0]) == NKeys.Decoded(type: type, raw: raw))
            #expect(try NKeys.encodeSeed(raw, type: type) == pair[0])
            #expect(try KeyPair(seed: pair[0]).publicKey == pair[1])
        }
    }

    @Test func curveBoxesOpenOnBothSides() async throws {
        let ours = try XKeyPair.generate()
        let sealedByUs = try ours.seal(Array(#"{"A":"1"}"#.utf8), to: XKeyPair(rawSeed: [UInt8](repeating: 0x22, count: 32)))
        let input: [String: String] = [
            "our_public_raw": ours.rawPublicKey.hex,
            "our_seed_raw": try NKeys.decodeSeed(try #require(ours.seed)).raw.hex,
            "sealed_by_us": sealedByUs.hex,
        ]
        let script = """
        import sys, json, nacl.public, nacl.utils
        data = json.load(sys.stdin)
        ours_pub = nacl.public.PublicKey(bytes.fromhex(data["our_public_raw"]))
        # Same public key from the raw seed used directly as the X25519 scalar.
        derived = nacl.public.PrivateKey(bytes.fromhex(data["our_seed_raw"])).public_key
        recipient = nacl.public.PrivateKey(bytes([0x22] * 32))
        blob = bytes.fromhex(data["sealed_by_us"])
        assert blob[:4] == b"xkv1"
        opened = nacl.public.Box(recipient, ours_pub).decrypt(blob[4:])
        sender = nacl.public.PrivateKey(nacl.utils.random(32))
        sealed = b"xkv1" + nacl.public.Box(sender, ours_pub).encrypt(b'{"FROM":"python"}', nacl.utils.random(24))
        print(json.dumps({"derived": bytes(derived).hex(), "opened": opened.decode(),
                          "sender_raw": bytes(sender.public_key).hex(), "sealed": sealed.hex()}))
        """
        let output = try #require(try await PythonOracle.run(script, input: input) as? [String: String])
        #expect(output["derived"] == ours.rawPublicKey.hex)
        #expect(output["opened"] == #"{"A":"1"}"#)
        let senderPublic = try NKeys.encodePublicKey([UInt8](hex: try #require(output["sender_raw"])), type: .curve)
        let sealed = [UInt8](hex: try #require(output["sealed"]))
        #expect(String(decoding: try ours.open(sealed, from: senderPublic), as: UTF8.self) == #"{"FROM":"python"}"#)
        let env = EncEnv(encryptedBy: senderPublic, base64EncryptedEnv: Data(sealed).base64EncodedString())
        #expect(try env.open(with: ours) == ["FROM": "python"])
    }

    @Test func pythonVerifiesOurJWT() async throws {
        let account = try KeyPair.generate(.account)
        let minter = try SigningKeyMinter(signingSeed: try #require(account.seed), rootAccount: account.publicKey,
                                          nodeID: "node", nexus: "nexus", servers: [])
        let creds = try minter.mintWorkload(namespace: "ns", workloadID: "w1")
        let script = """
        import sys, json, base64, hashlib, nkeys
        data = json.load(sys.stdin)
        h, p, s = data["jwt"].split(".")
        pad = lambda t: t + "=" * (-len(t) % 4)
        claims = json.loads(base64.urlsafe_b64decode(pad(p)))
        header = json.loads(base64.urlsafe_b64decode(pad(h)))
        sig = base64.urlsafe_b64decode(pad(s))
        import nacl.signing
        raw = base64.b32decode(claims["iss"] + "=" * (-len(claims["iss"]) % 8))[1:33]
        nacl.signing.VerifyKey(raw).verify((h + "." + p).encode(), sig)
        base = {k: claims[k] for k in ["aud", "exp", "jti", "iat", "iss", "name", "nbf", "sub"] if k in claims}
        base.pop("jti")
        digest = hashlib.new("sha512_256", json.dumps(base, separators=(",", ":")).encode()).digest()
        jti = base64.b32encode(digest).decode().rstrip("=")
        user = nkeys.from_seed(data["seed"].encode()).public_key.decode()
        print(json.dumps({"header": header, "jti_ok": jti == claims["jti"], "sub_ok": user == claims["sub"],
                          "nats": claims["nats"]}))
        """
        let output = try #require(try await PythonOracle.run(script, input: ["jwt": creds.userJWT, "seed": creds.userSeed]) as? [String: Any])
        #expect(output["header"] as? [String: String] == ["typ": "JWT", "alg": "ed25519-nkey"])
        #expect(output["jti_ok"] as? Bool == true)
        #expect(output["sub_ok"] as? Bool == true)
        let nats = try #require(output["nats"] as? [String: Any])
        #expect(nats["type"] as? String == "user")
        #expect((nats["sub"] as? [String: [String]])?["allow"] == ["ns.>", "$NEX.FEED.ns.logs.>", "_INBOX_w1.>"])
    }
}
