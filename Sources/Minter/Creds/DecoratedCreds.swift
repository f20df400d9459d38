/// A NATS user credentials file: the user JWT and its user seed in the decorated text layout that
/// `nsc`, nats.go, nats.c and nats-py read.
public struct DecoratedCreds: Sendable, Equatable {
    /// The user JWT.
    public var jwt: String
    /// The user seed (`SU…`).
    public var seed: String

    public init(jwt: String, seed: String) {
        self.jwt = jwt
        self.seed = seed
    }

    /// The decorated text: JWT block, warning, seed block, closing line, trailing newline.
    public var text: String {
        """
        -----BEGIN NATS USER JWT-----
        \(jwt)
        ------END NATS USER JWT------

        ************************* IMPORTANT *************************
        NKEY Seed printed below can be used to sign and prove identity.
        NKEYs are sensitive and should be treated as secrets.

        -----BEGIN USER NKEY SEED-----
        \(seed)
        ------END USER NKEY SEED------

        *************************************************************

        """
    }

    /// Parses a creds file as tolerantly as nats-io/jwt does: the first block framed by lines of at least
    /// three dashes is the JWT (no blocks at all: the whole text is the JWT), the second block is the seed;
    /// without a second block, the first line starting with `SO`, `SA` or `SU` is taken as the seed.
    /// The seed must be a valid user seed.
    public static func parse(_ text: String) throws(CredsError) -> DecoratedCreds {
        let blocks = decoratedBlocks(text)
        let jwt = blocks.first ?? text.trimmingWhitespace()
        guard !jwt.isEmpty else { throw .missingJWT }
        let seed: String
        if blocks.count >= 2 {
            seed = blocks[1]
        } else if let line = lines(of: text).map({ $0.trimmingWhitespace() })
            .first(where: { $0.hasPrefix("SO") || $0.hasPrefix("SA") || $0.hasPrefix("SU") }) {
            seed = line
        } else {
            throw .missingSeed
        }
        do {
            _ = try NKeys.decodeSeed(seed, expecting: .user, role: "creds seed")
        } catch {
            throw .invalidSeed(error)
        }
        return DecoratedCreds(jwt: jwt, seed: seed)
    }

    // MARK: - Helpers

    private static func lines(of text: String) -> [String] {
        // `\r\n` is one Character in Swift, and `isNewline` covers it as well as `\n` and `\r`.
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    /// Contents of every `marker / single token line / marker` group, in order.
    private static func decoratedBlocks(_ text: String) -> [String] {
        let all = lines(of: text)
        var blocks: [String] = []
        var index = 0
        while index + 2 < all.count {
            let content = all[index + 1].trimmingWhitespace()
            if isMarker(all[index]) && isToken(content) && isMarker(all[index + 2]) {
                blocks.append(content)
                index += 3
            } else {
                index += 1
            }
        }
        return blocks
    }

    /// A line that starts and ends with at least three dashes, e.g. `-----BEGIN NATS USER JWT-----`.
    private static func isMarker(_ line: String) -> Bool {
        let trimmed = line.trimmingWhitespace()
        return trimmed.count >= 6 && trimmed.hasPrefix("---") && trimmed.hasSuffix("---")
    }

    /// A JWT or seed: letters, digits, `_`, `-`, `.`, `=`.
    private static func isToken(_ line: String) -> Bool {
        !line.isEmpty && line.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-", ".", "=": true
            default: false
            }
        }
    }
}

/// Why a creds file could not be parsed.
public enum CredsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is empty.
    case missingJWT
    /// No seed block and no line starting with `SO`, `SA` or `SU`.
    case missingSeed
    /// The seed does not decode as a user seed.
    case invalidSeed(NKeyError)

    public var description: String {
        switch self {
        case .missingJWT: "creds file contains no JWT"
        case .missingSeed: "creds file contains no nkey seed"
        case .invalidSeed(let error): "creds file seed is invalid: \(error)"
        }
    }
}
