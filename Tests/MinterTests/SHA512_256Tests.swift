import Testing
@testable import Minter

@Suite struct SHA512_256Tests {
    /// FIPS 180-4 example values (also what Python's `hashlib.new("sha512_256")` prints).
    @Test func knownDigests() {
        #expect(SHA512_256.hash(Array("abc".utf8)).hex
            == "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
        #expect(SHA512_256.hash([UInt8]()).hex
            == "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a")
        #expect(SHA512_256.hash(Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)).hex
            == "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a")
    }

    /// Every length around the padding boundaries, cross-checked with Python's OpenSSL-backed hashlib.
    @Test func matchesPythonHashlib() async throws {
        let lengths = Array(0...260) + [1000, 4096, 10_000]
        let messages = lengths.map { length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) } }
        let script = """
        import sys, json, hashlib
        out = [hashlib.new("sha512_256", bytes.fromhex(h)).hexdigest() for h in json.load(sys.stdin)]
        print(json.dumps(out))
        """
        let expected = try await PythonOracle.run(script, input: messages.map(\.hex)) as? [String]
        #expect(expected == messages.map { SHA512_256.hash($0).hex })
    }
}
