/// NATS connection settings handed to agents and workloads (`NatsConnectionData`). All 11 keys of the
/// reference are required and always sent; our `nats_inbox_prefix` is sent only when set. Consumers pick auth in the order jwt+seed, nkey+seed, user+password, none.
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
    // issue 12: private inboxes
    /// The inbox prefix the consumer's connection must use (its credential may subscribe only `<prefix>.>`);
    /// empty = the default `_INBOX`. Our extension of the wire type: sent only when set, so messages without
    /// private inboxes stay identical to the reference's, and Go consumers ignore the unknown key.
    public var natsInboxPrefix = ""

    public init() {}

    public init(
        connName: String = "", natsServers: [String] = [], natsUserJWT: String = "", natsUserName: String = "",
        natsUserNkey: String = "", natsUserPassword: String = "", natsUserSeed: String = "", tlsCA: String = "",
        tlsCert: String = "", tlsFirst: Bool = false, tlsKey: String = "", natsInboxPrefix: String = ""
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
        self.natsInboxPrefix = natsInboxPrefix
    }

    /// ``natsInboxPrefix`` as the optional wire key (nil when empty).
    var natsInboxPrefixKey: String? {
        get { natsInboxPrefix.isEmpty ? nil : natsInboxPrefix }
        set { natsInboxPrefix = newValue ?? "" }
    }

    public static let goFields: [GoField<Self>] = [
        .required("conn_name", \.connName),
        .omitEmpty("nats_inbox_prefix", \.natsInboxPrefixKey),
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
