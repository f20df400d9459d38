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

// issue 12: limits
extension ControlPlane {
    /// The STARTWORKLOAD body (also an `existing_state` entry) for `agent`: for an agent that accepts sealed
    /// payloads, `run_request` and the workload's seed are sealed from the node's xkey to the agent's
    /// `public_xkey` (and so is a password, should the minter hand one out), so no one who sees the message on
    /// the wire learns them; other agents get the clear form.
    func startRequest(_ request: StartWorkloadRequest, credentials: NatsConnectionData, for agent: AgentRecord) throws -> AgentStartWorkloadRequest {
        var start = AgentStartWorkloadRequest(request: request, workloadCreds: credentials)
        guard agent.acceptsSealedPayloads else { return start }
        let recipient = try XKeyPair(publicKey: agent.registration.publicXkey, role: "agent public_xkey")
        let sender = core.identity.xkeys
        start.request.runRequest = try SealedText.seal(request.runRequest, from: sender, to: recipient)
        if !credentials.natsUserSeed.isEmpty {
            start.workloadCreds.natsUserSeed = try SealedText.seal(credentials.natsUserSeed, from: sender, to: recipient)
        }
        if !credentials.natsUserPassword.isEmpty {
            start.workloadCreds.natsUserPassword = try SealedText.seal(credentials.natsUserPassword, from: sender, to: recipient)
        }
        return start
    }
}
