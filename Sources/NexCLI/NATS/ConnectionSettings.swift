import Foundation
import Minter
import NATSKit
import NexProtocol

/// How to reach NATS, from the `--nats.*` settings (auth precedence as in the Go CLI: context → creds file →
/// JWT + seed → nkey + seed → user + password → none).
struct ConnectionSettings: Sendable {
    /// Server URLs; empty when neither `--nats.servers` nor a context gave any.
    var servers: [String]
    var name: String
    var auth: NatsAuth
    var tls: NatsTLS?
    var tlsFirst: Bool
    /// `--nats.timeout` when positive.
    var requestTimeout: Duration?
    // issue 12: private inboxes
    /// `--nats.inbox-prefix`; empty = `_INBOX`.
    var inboxPrefix: String

    /// The URL used when nothing is configured.
    static let defaultServer = "nats://127.0.0.1:4222"

    /// True when a server was configured (flags, config file or a context).
    var isConfigured: Bool { !servers.isEmpty }

    init(_ settings: ResolvedSettings) throws(CLIError) {
        servers = settings.list(NatsSettings.servers)
        name = settings.string(NatsSettings.connectionName)
        tlsFirst = settings.bool(NatsSettings.tlsFirst)
        let timeout = settings.duration(NatsSettings.timeout)
        requestTimeout = timeout > .zero ? timeout.duration : nil
        inboxPrefix = settings.string(NatsSettings.inboxPrefix).trimmingCharacters(in: .whitespaces)
        do {
            try NatsConnectOptions.validateInboxPrefix(inboxPrefix)
        } catch {
            throw CLIError("--nats.inbox-prefix \"\(inboxPrefix)\": must be literal subject tokens separated by dots (no wildcards, spaces or empty tokens)",
                           hint: "e.g. _INBOX_mynode", exitCode: ExitStatus.usage)
        }

        var caFile = settings.nonEmpty(NatsSettings.tlsCA)
        var certFile = settings.nonEmpty(NatsSettings.tlsCert)
        var keyFile = settings.nonEmpty(NatsSettings.tlsKey)
        auth = try Self.auth(settings)

        if let contextName = settings.nonEmpty(NatsSettings.context) {
            if let context = try NatsContext.load(named: contextName) {
                if !context.servers.isEmpty { servers = context.servers }
                if let contextAuth = try Self.auth(context) { auth = contextAuth }
                if !context.ca.isEmpty { caFile = context.ca }
                if !context.cert.isEmpty { certFile = context.cert }
                if !context.key.isEmpty { keyFile = context.key }
                tlsFirst = tlsFirst || context.tlsFirst
            } else {
                Console.err("warning: NATS context \"\(contextName)\" not found at \(NatsContext.file(named: contextName).path); ignoring --nats.context")
            }
        }
        for (flag, path) in [("--nats.tlsca", caFile), ("--nats.tlscert", certFile), ("--nats.tlskey", keyFile)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw CLIError("\(flag): cannot read \(path)", hint: "check the path", exitCode: ExitStatus.usage)
            }
        }
        if (certFile == nil) != (keyFile == nil) {
            throw CLIError("--nats.tlscert and --nats.tlskey must be given together", exitCode: ExitStatus.usage)
        }
        tls = caFile == nil && certFile == nil ? nil : NatsTLS(caFile: caFile, certFile: certFile, keyFile: keyFile)
        if tlsFirst {
            throw CLIError("--nats.tlsfirst is not supported by this build (libnats 3.4.1 has no TLS-first handshake)",
                           hint: "connect without it, or through a server that accepts the normal TLS upgrade", exitCode: ExitStatus.usage)
        }
    }

    private static func auth(_ settings: ResolvedSettings) throws(CLIError) -> NatsAuth {
        if let creds = settings.nonEmpty(NatsSettings.credsFile) {
            guard FileManager.default.isReadableFile(atPath: creds) else {
                throw CLIError("--nats.creds-file: cannot read \(creds)", hint: "check the path", exitCode: ExitStatus.usage)
            }
            return .credentialsFile(path: creds)
        }
        let seed = settings.string(NatsSettings.seed)
        if let jwt = settings.nonEmpty(NatsSettings.jwt) {
            guard !seed.isEmpty else {
                throw CLIError("--nats.jwt needs --nats.seed (the seed of the JWT's user key)", exitCode: ExitStatus.usage)
            }
            return .jwt(jwt: jwt, seed: seed)
        }
        if !seed.isEmpty {
            let publicKey: String
            do {
                publicKey = try KeyPair(seed: seed, expecting: .user, role: "--nats.seed").publicKey
            } catch {
                throw CLIError("\(error)", exitCode: ExitStatus.usage)
            }
            if let nkey = settings.nonEmpty(NatsSettings.nkey), nkey != publicKey {
                throw CLIError("--nats.nkey \(nkey) is not the public key of --nats.seed (\(publicKey))", exitCode: ExitStatus.usage)
            }
            return .nkey(publicKey: publicKey, seed: seed)
        }
        if settings.nonEmpty(NatsSettings.nkey) != nil {
            throw CLIError("--nats.nkey needs --nats.seed (the user seed that signs the server's challenge)", exitCode: ExitStatus.usage)
        }
        if let user = settings.nonEmpty(NatsSettings.user) {
            return .userPassword(user: user, password: settings.string(NatsSettings.password))
        }
        return .none
    }

    private static func auth(_ context: NatsContext) throws(CLIError) -> NatsAuth? {
        if !context.creds.isEmpty { return .credentialsFile(path: context.creds) }
        if !context.nkey.isEmpty {
            guard let text = try? String(contentsOfFile: context.nkey, encoding: .utf8),
                  let seed = text.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("SU") }).map(String.init),
                  let keys = try? KeyPair(seed: seed, expecting: .user)
            else {
                throw CLIError("NATS context nkey file \(context.nkey) holds no user seed", exitCode: ExitStatus.usage)
            }
            return .nkey(publicKey: keys.publicKey, seed: seed)
        }
        if !context.token.isEmpty { return .token(context.token) }
        if !context.user.isEmpty { return .userPassword(user: context.user, password: context.password) }
        return nil
    }

    /// The options to connect to `servers` (or the default local URL).
    func connectOptions(servers override: [String]? = nil, connectTimeout: Duration = .seconds(5)) -> NatsConnectOptions {
        let urls = override ?? (servers.isEmpty ? [Self.defaultServer] : servers)
        // Subscription handlers of the node and the client never block: a shared delivery pool instead of a thread
        // per subscription (a node has dozens).
        return NatsConnectOptions(
            servers: urls, name: name, auth: auth, tls: tls, connectTimeout: connectTimeout, globalMessageDelivery: true,
            inboxPrefix: inboxPrefix)
    }
}
