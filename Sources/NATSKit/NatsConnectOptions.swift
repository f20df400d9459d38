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
        ignoreDiscoveredServers: Bool = false
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
