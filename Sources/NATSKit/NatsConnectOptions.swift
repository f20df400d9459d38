/// How to authenticate to the NATS server.
public enum NatsAuth: Sendable, Equatable {
    case none
    case userPassword(user: String, password: String)
    case token(String)
    /// Plain NKey auth: the server knows the public key; the client signs the nonce with the seed.
    case nkey(publicKey: String, seed: String)
    /// Decentralised (operator mode) auth: a user JWT plus the seed of its subject key.
    case jwt(jwt: String, seed: String)
    /// A decorated `.creds` file (JWT and seed).
    case credentialsFile(path: String)

    /// Whether the client signs the server's nonce (nkey, JWT and creds-file authentication).
    var signsNonce: Bool {
        switch self {
        case .nkey, .jwt, .credentialsFile: true
        case .none, .userPassword, .token: false
        }
    }
}

/// TLS files on this host. Any nil field is not used.
public struct NatsTLS: Sendable, Equatable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var skipServerVerification: Bool

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, skipServerVerification: Bool = false) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.skipServerVerification = skipServerVerification
    }
}

/// Everything needed to open a connection.
public struct NatsConnectOptions: Sendable, Equatable {
    public var servers: [String]
    public var name: String
    public var auth: NatsAuth
    public var tls: NatsTLS?
    /// Reconnect attempts after a lost connection; -1 = forever (the default).
    public var maxReconnects: Int
    public var reconnectWait: Duration
    public var connectTimeout: Duration
    /// Keep trying to connect in the background when the first attempt fails instead of throwing.
    public var retryOnFailedConnect: Bool
    /// Send every publish immediately instead of letting nats.c batch for up to 1 ms. On by default:
    /// every connection that replies to requests needs it.
    public var sendAsap: Bool
    /// Deliver all subscriptions' messages from a shared nats.c thread pool (one thread per core) instead of one
    /// thread per subscription. For processes with many subscriptions (a node, a nexlet) whose handlers never
    /// block: a blocking handler would hold up every subscription on its pool thread.
    public var globalMessageDelivery: Bool
    /// Ignore servers learned from the cluster's INFO (useful in tests that stop servers).
    public var ignoreDiscoveredServers: Bool
    // issue 12: private inboxes
    /// The prefix of every inbox this connection creates (request replies, scatter-gather, JetStream API
    /// replies, KV watches, object-store reads): inboxes are `<prefix>.<nuid>`. Empty = the default `_INBOX`.
    /// A credential that may subscribe only `<prefix>.>` needs it.
    public var inboxPrefix: String

    public init(
        servers: [String] = ["nats://127.0.0.1:4222"],
        name: String = "",
        auth: NatsAuth = .none,
        tls: NatsTLS? = nil,
        maxReconnects: Int = -1,
        reconnectWait: Duration = .milliseconds(250),
        connectTimeout: Duration = .seconds(2),
        retryOnFailedConnect: Bool = false,
        sendAsap: Bool = true,
        globalMessageDelivery: Bool = false,
        ignoreDiscoveredServers: Bool = false,
        inboxPrefix: String = ""
    ) {
        self.servers = servers
        self.name = name
        self.auth = auth
        self.tls = tls
        self.maxReconnects = maxReconnects
        self.reconnectWait = reconnectWait
        self.connectTimeout = connectTimeout
        self.retryOnFailedConnect = retryOnFailedConnect
        self.sendAsap = sendAsap
        self.globalMessageDelivery = globalMessageDelivery
        self.ignoreDiscoveredServers = ignoreDiscoveredServers
        self.inboxPrefix = inboxPrefix
    }

    /// The inbox prefix in effect: ``inboxPrefix``, or `_INBOX` when it is empty.
    public var effectiveInboxPrefix: String { inboxPrefix.isEmpty ? NatsConnectOptions.defaultInboxPrefix : inboxPrefix }

    /// The prefix nats.c and every NATS client use unless told otherwise.
    public static let defaultInboxPrefix = "_INBOX"

    /// Checks that `prefix` can prefix inboxes: empty (the default), or literal subject tokens separated by
    /// dots, without wildcards, whitespace or control characters, and not ending in a dot.
    public static func validateInboxPrefix(_ prefix: String) throws(NatsError) {
        guard !prefix.isEmpty else { return }
        let tokens = prefix.split(separator: ".", omittingEmptySubsequences: false)
        let valid = tokens.allSatisfy { token in
            !token.isEmpty && !token.unicodeScalars.contains {
                $0 == "*" || $0 == ">" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
            }
        }
        guard valid else {
            throw NatsError(kind: .invalidArgument, message: "inbox prefix \"\(prefix)\" must be literal subject tokens separated by dots (no wildcards, spaces or empty tokens)")
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a tiny positive duration is not zero.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return remainder > 0 ? ms + 1 : ms
    }
}
