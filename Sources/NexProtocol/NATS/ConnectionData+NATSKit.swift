import NATSKit

extension NatsConnectOptions {
    /// Connection options from the wire's `NatsConnectionData`, choosing auth as the reference's consumers do:
    /// JWT + seed, then nkey + seed, then user + password, then none. An empty server list means
    /// `nats://127.0.0.1:4222`; an empty name means `defaultName`. (`tls_first` needs a newer libnats than
    /// 3.4.1 and is not applied.)
    public init(_ data: NatsConnectionData, defaultName: String) {
        let auth: NatsAuth
        if !data.natsUserJWT.isEmpty && !data.natsUserSeed.isEmpty {
            auth = .jwt(jwt: data.natsUserJWT, seed: data.natsUserSeed)
        } else if !data.natsUserNkey.isEmpty && !data.natsUserSeed.isEmpty {
            auth = .nkey(publicKey: data.natsUserNkey, seed: data.natsUserSeed)
        } else if !data.natsUserName.isEmpty {
            auth = .userPassword(user: data.natsUserName, password: data.natsUserPassword)
        } else {
            auth = .none
        }
        var tls: NatsTLS?
        if !data.tlsCA.isEmpty || !data.tlsCert.isEmpty || !data.tlsKey.isEmpty {
            tls = NatsTLS(caFile: data.tlsCA.isEmpty ? nil : data.tlsCA,
                          certFile: data.tlsCert.isEmpty ? nil : data.tlsCert,
                          keyFile: data.tlsKey.isEmpty ? nil : data.tlsKey)
        }
        self.init(servers: data.natsServers.isEmpty ? ["nats://127.0.0.1:4222"] : data.natsServers,
                  name: data.connName.isEmpty ? defaultName : data.connName, auth: auth, tls: tls)
    }
}

extension NexError {
    /// The error a reply carries (§6.3), or nil for a normal reply.
    public init?(reply: NatsMessage) {
        self.init(replyHeaders: reply.headers.dictionary, body: reply.payload)
    }
}
