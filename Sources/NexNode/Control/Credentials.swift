import Minter
import NexProtocol

extension NatsConnectionData {
    /// The wire form of minted credentials.
    init(_ minted: MintedCredentials, name: String = "") {
        self.init(
            connName: name, natsServers: minted.servers, natsUserJWT: minted.userJWT, natsUserName: minted.userName,
            natsUserNkey: minted.userNkey, natsUserPassword: minted.password, natsUserSeed: minted.userSeed,
            natsInboxPrefix: minted.inboxPrefix)
    }
}
