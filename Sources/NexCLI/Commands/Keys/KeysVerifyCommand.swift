import ArgumentParser
import Foundation
import JSONSchema
import Minter

/// `nex keys verify <value>`: checks that a seed or public key decodes (checksum, prefix, type), or that a
/// NATS JWT is well formed, signed by its issuer and within its validity period.
struct KeysVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a seed, a public key or a NATS JWT (- reads it from stdin).",
        discussion: "Exits 0 when the value is valid, 1 (with the reason on stderr) when it is not."
    )

    @Argument(help: ArgumentHelp("A seed, a public key or a JWT, or - to read it from stdin.", valueName: "value"))
    var value: String

    @Option(name: .customLong("issuer"), help: ArgumentHelp("For a JWT: require this issuer public key.", valueName: "key"))
    var issuer: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        let text = try KeyText.read(value, what: "value")
        let report: KeyReport
        if text.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
            report = try verifyJWT(text)
        } else if text.hasPrefix("S") {
            report = try verifySeed(text)
        } else {
            report = try verifyPublicKey(text)
        }
        if context.json {
            context.printJSON(.object(report.fields.mapValues(JSONValue.string).merging(["valid": .bool(true)]) { $1 }))
        } else {
            for line in report.lines { Console.out(line) }
        }
    }

    private struct KeyReport {
        var lines: [String]
        var fields: [String: String]
    }

    private func verifySeed(_ text: String) throws(CLIError) -> KeyReport {
        do {
            let decoded = try NKeys.decodeSeed(text)
            let publicKey = decoded.type == .curve
                ? try XKeyPair(rawSeed: decoded.raw).publicKey
                : try KeyPair(rawSeed: decoded.raw, type: decoded.type).publicKey
            return KeyReport(
                lines: ["valid \(decoded.type) seed", "public key: \(publicKey)"],
                fields: ["kind": "seed", "type": decoded.type.rawValue, "public_key": publicKey])
        } catch {
            throw CLIError("invalid seed: \(error)")
        }
    }

    private func verifyPublicKey(_ text: String) throws(CLIError) -> KeyReport {
        do {
            let decoded = try NKeys.decodePublicKey(text)
            return KeyReport(
                lines: ["valid \(decoded.type) public key"],
                fields: ["kind": "public_key", "type": decoded.type.rawValue, "public_key": text])
        } catch {
            throw CLIError("invalid public key: \(error)")
        }
    }

    private func verifyJWT(_ token: String) throws(CLIError) -> KeyReport {
        let verified: NATSJWT.Verified
        do {
            verified = try NATSJWT.verify(token, now: nil)
        } catch {
            throw CLIError("invalid JWT: \(error)")
        }
        let claims = verified.base
        if let issuer, issuer != claims.issuer {
            throw CLIError("JWT is signed by \(claims.issuer), not by \(issuer)")
        }
        let now = Int64(Date().timeIntervalSince1970)
        if claims.expires > 0 && now > claims.expires {
            throw CLIError("JWT signature is valid but the token expired at \(Self.time(claims.expires))")
        }
        if claims.notBefore > 0 && claims.notBefore > now {
            throw CLIError("JWT signature is valid but the token is not valid before \(Self.time(claims.notBefore))")
        }
        var fields = [
            "kind": "jwt", "type": verified.claimType, "subject": claims.subject, "issuer": claims.issuer,
            "issuer_type": verified.issuerType.rawValue, "name": claims.name, "id": claims.id,
            "issued_at": Self.time(claims.issuedAt),
        ]
        fields["expires"] = claims.expires == 0 ? "never" : Self.time(claims.expires)
        let lines = [
            "valid \(verified.claimType) JWT, signature verified",
            "subject:   \(claims.subject)",
            "issuer:    \(claims.issuer) (\(verified.issuerType))",
            "name:      \(claims.name)",
            "issued at: \(Self.time(claims.issuedAt))",
            "expires:   \(fields["expires"] ?? "")",
        ]
        return KeyReport(lines: lines, fields: fields)
    }

    private static func time(_ seconds: Int64) -> String {
        GoTimeLayout.format(Date(timeIntervalSince1970: TimeInterval(seconds)), layout: "RFC3339", timeZone: TimeZone(identifier: "UTC") ?? .current)
    }
}
