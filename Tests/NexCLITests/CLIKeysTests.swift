import Foundation
import Minter
import Testing

/// `nex keys create|public|verify`, checked against the spec's vectors and the Minter module.
@Suite("nex keys", .serialized)
struct CLIKeysTests {
    @Test("create makes a valid pair of every type", arguments: [
        ("server", "N", "SN"), ("curve", "X", "SX"), ("account", "A", "SA"), ("user", "U", "SU"), ("operator", "O", "SO"),
    ])
    func create(type: String, publicPrefix: String, seedPrefix: String) async throws {
        let sandbox = try CLISandbox()
        let result = try await sandbox.run(["keys", "create", "--type", type, "--json"])
        #expect(result.status == 0, "\(result)")
        let object = try #require(try result.json() as? [String: String], "\(result)")
        let publicKey = try #require(object["public_key"])
        let seed = try #require(object["seed"])
        #expect(publicKey.hasPrefix(publicPrefix) && publicKey.count == 56)
        #expect(seed.hasPrefix(seedPrefix) && seed.count == 58)
        if type == "curve" {
            #expect(try XKeyPair(seed: seed).publicKey == publicKey)
        } else {
            #expect(try KeyPair(seed: seed).publicKey == publicKey)
        }

        let text = try await sandbox.run(["keys", "create", "--type", type])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Public key: \(publicPrefix)"))
        #expect(text.stdout.contains("Seed:       \(seedPrefix)"))
    }

    @Test("create refuses an unknown type")
    func unknownType() async throws {
        let sandbox = try CLISandbox()
        let result = try await sandbox.run(["keys", "create", "--type", "wizard"])
        #expect(result.status != 0)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("server, curve, account, user, operator"))
    }

    @Test("public derives the spec's vectors, from an argument or stdin", arguments: [
        ("SNAKTNRC5J7EI5BYCKQJMBACUATP7NS4D3Z2DMGUVRPIDO4AHKVNJOVF3E", "ND6CTZ74S3J6BRNKR6Z6FWH27YMORRAQGYPNJSS7WNNZIKZIRKWLQJHR"),
        ("SNAD2VTZQ7Z3CCB6TJWFFJK6J7DDZ5SQUHOFPQFRKDIVDQBM2WLGZGELSE", "NB4XOM2IOV2NRLRZZU5PFMQFBAQXYQOG4WOVGOWRYJRBWI3JO5QJK7AG"),
        ("SXAAAAICAMCAKBQHBAEQUCYMBUHA6EARCIJRIFIWC4MBSGQ3DQOR4H74KM", "XCHUBRNNW2HSKYSK4WZBJ2TWPJXMSTMCTU6XWXQ22G5G6PRBHAUF76G7"),
        ("SUAMFX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU", "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS"),
    ])
    func publicKey(seed: String, expected: String) async throws {
        let sandbox = try CLISandbox()
        let argument = try await sandbox.run(["keys", "public", seed])
        #expect(argument.status == 0, "\(argument)")
        #expect(argument.stdout == expected + "\n")
        let stdin = try await sandbox.run(["keys", "public", "-"], stdin: seed + "\n")
        #expect(stdin.stdout == expected + "\n", "\(stdin)")
    }

    @Test("public refuses a public key and a damaged seed")
    func publicRefusals() async throws {
        let sandbox = try CLISandbox()
        for value in ["ND6CTZ74S3J6BRNKR6Z6FWH27YMORRAQGYPNJSS7WNNZIKZIRKWLQJHR", "SNAKTNRC5J7EI5BYCKQJMBACUATP7NS4D3Z2DMGUVRPIDO4AHKVNJOVF3E".replacingOccurrences(of: "EI5", with: "EI6")] {
            let result = try await sandbox.run(["keys", "public", value])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("verify accepts good seeds and public keys and rejects bad ones")
    func verifyKeys() async throws {
        let sandbox = try CLISandbox()
        let seed = try await sandbox.run(["keys", "verify", "SUAMFX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU", "--json"])
        #expect(seed.status == 0, "\(seed)")
        let object = try #require(try seed.json() as? [String: Any])
        #expect(object["type"] as? String == "user")
        #expect(object["public_key"] as? String == "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS")
        #expect(object["valid"] as? Bool == true)

        let publicKey = try await sandbox.run(["keys", "verify", "XCHUBRNNW2HSKYSK4WZBJ2TWPJXMSTMCTU6XWXQ22G5G6PRBHAUF76G7"])
        #expect(publicKey.status == 0)
        #expect(publicKey.stdout.contains("valid curve public key"))

        let damaged = try await sandbox.run(["keys", "verify", "XCHUBRNNW2HSKYSK4WZBJ2TWPJXMSTMCTU6XWXQ22G5G6PRBHAUF76G6"])
        #expect(damaged.status == 1)
        #expect(damaged.stderrLines.count == 1)
        #expect(damaged.stderr.contains("checksum"))
    }

    @Test("verify checks a JWT's signature, issuer and validity")
    func verifyJWT() async throws {
        let sandbox = try CLISandbox()
        let account = try KeyPair.generate(.account)
        let user = try KeyPair.generate(.user)
        var claims = UserClaims(subject: user.publicKey, name: "tester")
        claims.base.expires = Int64(Date().timeIntervalSince1970) + 3600
        let token = try claims.encode(signedBy: account)

        let good = try await sandbox.run(["keys", "verify", token, "--issuer", account.publicKey])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("valid user JWT, signature verified"))
        #expect(good.stdout.contains(user.publicKey))

        let viaStdin = try await sandbox.run(["keys", "verify", "-", "--json"], stdin: token)
        let object = try #require(try viaStdin.json() as? [String: Any], "\(viaStdin)")
        #expect(object["subject"] as? String == user.publicKey)
        #expect(object["issuer"] as? String == account.publicKey)
        #expect(object["name"] as? String == "tester")

        let otherIssuer = try await sandbox.run(["keys", "verify", token, "--issuer", try KeyPair.generate(.account).publicKey])
        #expect(otherIssuer.status == 1)
        #expect(otherIssuer.stderr.contains("signed by \(account.publicKey)"))

        var parts = token.split(separator: ".").map(String.init)
        parts[2] = String(parts[2].reversed())
        let tampered = try await sandbox.run(["keys", "verify", parts.joined(separator: ".")])
        #expect(tampered.status == 1)
        #expect(tampered.stderrLines.count == 1)

        claims.base.expires = 1_700_000_000
        let expired = try await sandbox.run(["keys", "verify", try claims.encode(signedBy: account, issuedAt: Date(timeIntervalSince1970: 1_690_000_000))])
        #expect(expired.status == 1)
        #expect(expired.stderr.contains("expired"))
    }
}
