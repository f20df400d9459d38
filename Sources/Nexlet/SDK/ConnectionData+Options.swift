import Minter
import NATSKit
import NexProtocol

extension NatsConnectionData {
    /// How to connect with these credentials. Auth is chosen as the protocol prescribes: JWT + seed, then
    /// nkey + seed, then user + password, then none. A seed without JWT or nkey authenticates as that seed's
    /// nkey (Go would fall back to no auth). Empty `nats_servers` use `fallbackServers` (e.g. the servers the
    /// registration went through), else `nats://127.0.0.1:4222`; empty `conn_name` uses `defaultName`.
    /// TLS file paths are used as given; `tls_first` is not supported by the NATS layer and is ignored.
    /// `nats_inbox_prefix` becomes the connection's inbox prefix (the credential may subscribe only there).
    public func connectOptions(
        defaultName: String, fallbackServers: [String] = [], connectTimeout: Duration = .seconds(5)
    ) throws(NexletRunnerError) -> NatsConnectOptions {
        let listed = natsServers.filter { !$0.isEmpty }
        let servers = !listed.isEmpty ? listed : (!fallbackServers.isEmpty ? fallbackServers : ["nats://127.0.0.1:4222"])
        var tls: NatsTLS?
        if !tlsCA.isEmpty || !tlsCert.isEmpty || !tlsKey.isEmpty {
            tls = NatsTLS(
                caFile: tlsCA.isEmpty ? nil : tlsCA, certFile: tlsCert.isEmpty ? nil : tlsCert,
                keyFile: tlsKey.isEmpty ? nil : tlsKey)
        }
        do {
            try NatsConnectOptions.validateInboxPrefix(natsInboxPrefix)
        } catch {
            throw .invalidCredentials("nats_inbox_prefix \"\(natsInboxPrefix)\" is not a usable inbox prefix")
        }
        // The SDK's subscription handlers never block: a shared delivery pool, not a thread per endpoint.
        return NatsConnectOptions(
            servers: servers, name: connName.isEmpty ? defaultName : connName, auth: try auth(), tls: tls,
            connectTimeout: connectTimeout, globalMessageDelivery: true, inboxPrefix: natsInboxPrefix)
    }

    /// The authentication these credentials call for.
    public func auth() throws(NexletRunnerError) -> NatsAuth {
        if !natsUserJWT.isEmpty && !natsUserSeed.isEmpty {
            return .jwt(jwt: natsUserJWT, seed: natsUserSeed)
        }
        if !natsUserSeed.isEmpty {
            if !natsUserNkey.isEmpty { return .nkey(publicKey: natsUserNkey, seed: natsUserSeed) }
            do {
                return .nkey(publicKey: try KeyPair(seed: natsUserSeed).publicKey, seed: natsUserSeed)
            } catch {
                throw .invalidCredentials("nats_user_seed is not a valid nkey seed: \(error)")
            }
        }
        if !natsUserName.isEmpty && !natsUserPassword.isEmpty {
            return .userPassword(user: natsUserName, password: natsUserPassword)
        }
        return .none
    }
}
