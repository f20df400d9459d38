/// NATS connection settings handed to agents and workloads (`NatsConnectionData`). All 11 keys are
/// required and always sent. Consumers pick auth in the order jwt+seed, nkey+seed, user+password, none.
public struct NatsConnectionData: GoJSONObject {
    /// Connection name; empty lets the consumer choose (`nexnode`, `nexlet_go`).
    public var connName = ""
    /// Server URLs; empty means `nats://127.0.0.1:4222`.
    public var natsServers: [String] = []
    /// User JWT (used with ``natsUserSeed``).
    public var natsUserJWT = ""
    /// User name (used with ``natsUserPassword``).
    public var natsUserName = ""
    /// User nkey public key (used with ``natsUserSeed``, nonce signing).
    public var natsUserNkey = ""
    public var natsUserPassword = ""
    /// Nkey seed.
    public var natsUserSeed = ""
    /// File path of a CA bundle on the consumer's host.
    public var tlsCA = ""
    /// File path of a client certificate on the consumer's host.
    public var tlsCert = ""
    /// TLS handshake before the server's INFO.
    public var tlsFirst = false
    /// File path of a client key on the consumer's host.
    public var tlsKey = ""

    public init() {}

    public init(
        connName: String = "", natsServers: [String] = [], natsUserJWT: String = "", natsUserName: String = "",
        natsUserNkey: String = "", natsUserPassword: String = "", natsUserSeed: String = "", tlsCA: String = "",
        tlsCert: String = "", tlsFirst: Bool = false, tlsKey: String = ""
    ) {
        self.connName = connName
        self.natsServers = natsServers
        self.natsUserJWT = natsUserJWT
        self.natsUserName = natsUserName
        self.natsUserNkey = natsUserNkey
        self.natsUserPassword = natsUserPassword
        self.natsUserSeed = natsUserSeed
        self.tlsCA = tlsCA
        self.tlsCert = tlsCert
        self.tlsFirst = tlsFirst
        self.tlsKey = tlsKey
    }

    public static let goFields: [GoField<Self>] = [
        .required("conn_name", \.connName),
        .required("nats_servers", \.natsServers),
        .required("nats_user_jwt", \.natsUserJWT),
        .required("nats_user_name", \.natsUserName),
        .required("nats_user_nkey", \.natsUserNkey),
        .required("nats_user_password", \.natsUserPassword),
        .required("nats_user_seed", \.natsUserSeed),
        .required("tls_ca", \.tlsCA),
        .required("tls_cert", \.tlsCert),
        .required("tls_first", \.tlsFirst),
        .required("tls_key", \.tlsKey),
    ]
}
