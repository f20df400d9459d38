import Foundation
import JSONSchema
import Minter
import NATSKit
import NATSSubjects
import NexProtocol

/// REGISTER and RREGISTER (protocol.md §4.2–§4.3, decisions.md §2): nexlets join the node.
extension ControlPlane {
    func handleRegister(_ request: MicroRequest) async {
        guard let agentID = request.subject.split(separator: ".").last.map(String.init), SubjectToken.isValid(agentID) else {
            return request.fail(.internalError(friendly: "failed to update registration", "invalid agent id in \(request.subject)"))
        }
        let registration: RegisterAgentRequest
        do {
            registration = try GoJSON.decode(RegisterAgentRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal register local agent request", error))
        }
        guard !registration.registerType.isEmpty else {
            return request.fail(.badRequest(friendly: "register_type is required", "register_type is required"))
        }
        let identity: AgentIdentityCheck
        switch checkIdentity(of: request, agentID: agentID) {
        case .success(let checked): identity = checked
        case .failure(let refusal): return request.fail(refusal)
        }
        do {
            try await core.options.registrar.checkRegistration(agentID: agentID, request: registration, headers: request.headers)
        } catch {
            return request.fail(.service(status: NexErrorCode.forbidden, friendly: "failed agent registrar check", detail: "\(error)"))
        }
        let schema: JSONSchema
        do {
            schema = try JSONSchema(string: registration.startRequestSchema)
        } catch where error.kind == .invalidJSON {
            return request.fail(.badRequest(friendly: "failed to unmarshal start request schema", error))
        } catch {
            return request.fail(.internalError(friendly: "failed to compile schema", error))
        }
        // Bind only now that everything else passed; two REGISTERs racing for a fresh id: one key wins, and an
        // unsigned one loses to a signed one that bound the id meanwhile.
        if let bound = identity.key.map({ core.identities.bind(agentID, to: $0) }) ?? core.identities.key(of: agentID), bound != identity.key {
            return request.fail(Self.identityRefusal("agent \(agentID) was just bound to key \(bound)"))
        }
        let agentCredentials: NatsConnectionData
        do {
            agentCredentials = NatsConnectionData(try core.options.minter.mintAgent(agentID: agentID, profile: identity.profile))
        } catch {
            return request.fail(.internalError(friendly: "failed to mint nats connection", error))
        }

        // Subscribe to the agent's heartbeats and flush before replying, so its first heartbeat (sent right
        // after our reply) is never missed and the agent is eligible at once.
        let registry = core.registry
        let heartbeats: NatsSubscription
        do {
            heartbeats = try core.connection.subscribe(NexSubscription.agentHeartbeat(nodeID: core.id, agentID: agentID)) { message in
                guard let beat = try? GoJSON.decode(AgentHeartbeat.self, from: message.payload) else { return }
                registry.heartbeat(agentID: agentID, summary: beat.summary)
            }
            try await core.connection.flush()
        } catch {
            return request.fail(.internalError(friendly: "failed to update registration", error))
        }
        let record = AgentRecord(id: agentID, registration: registration, schema: schema,
                                 origin: core.origin(of: agentID), registeredAt: .now, profile: identity.profile,
                                 advertisesSealedPayloads: request.headers[NexHeader.sealedPayloads] == NexHeader.sealedPayloadsV1)
        if registry.register(record, heartbeats: heartbeats) != nil {
            core.logger.info("nexlet re-registered", metadata: ["agent_id": "\(agentID)", "type": "\(registration.registerType)"])
        }

        let replay = await workloadsToReplay(for: agentID, registerType: registration.registerType)
        var replyHeaders = NatsHeaders()
        if identity.profile == .current { replyHeaders.set(NexHeader.agentProfile, NexHeader.agentProfileCurrent) }
        request.reply(RegisterAgentResponse(
            connectionData: agentCredentials, existingState: replay, message: "", nodeID: core.id, success: true),
            headers: replyHeaders)
        core.logger.info("nexlet registered", metadata: ["agent_id": "\(agentID)", "name": "\(registration.name)", "type": "\(registration.registerType)", "replayed": "\(replay.count)", "profile": "\(identity.profile.rawValue)"])
        core.options.emitter.emit(AgentStartedEvent(id: agentID, name: registration.name, registerType: registration.registerType), from: core.id)
    }

    /// The stored workloads of `registerType` this agent must (re-)adopt: each one is handed to exactly one
    /// live agent, with fresh credentials.
    private func workloadsToReplay(for agentID: String, registerType: String) async -> [String: AgentStartWorkloadRequest] {
        // The state store may be briefly unavailable (e.g. a JetStream leader election after a server loss):
        // retry with backoff rather than hand the agent nothing, which would lose the replay.
        var stored: [StoredWorkload] = []
        var delay = Duration.milliseconds(250)
        for attempt in 1...5 {
            do {
                stored = try await core.options.state.workloads(ofType: registerType)
                break
            } catch {
                core.logger.error("failed to read workload state", metadata: ["type": "\(registerType)", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt == 5 { return [:] }
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        let registry = core.registry
        guard let agent = registry.record(agentID) else { return [:] }
        let candidates = stored.map {
            WorkloadPlacements.Placement(
                workloadID: $0.workloadID, workloadType: $0.workloadType, namespace: $0.request.namespace, agentID: "",
                demand: WorkloadDemand((try? WorkloadLimits(runRequest: $0.request.runRequest)) ?? WorkloadLimits()),
                lifecycle: $0.request.workloadLifecycle)
        }
        let claimedPlacements = core.placements.claim(candidates, for: agentID) { registry.record($0) != nil }
        // issue 14: replayed workloads count in their namespaces' usage again (without a quota check).
        await core.adoptQuota(claimedPlacements)
        let claimed = Set(claimedPlacements.map(\.workloadID))
        var replay: [String: AgentStartWorkloadRequest] = [:]
        for workload in stored where claimed.contains(workload.workloadID) {
            do {
                let credentials = try core.options.minter.mintWorkload(namespace: workload.request.namespace, workloadID: workload.workloadID)
                replay[workload.workloadID] = try startRequest(workload.request, credentials: NatsConnectionData(credentials), for: agent)
            } catch {
                core.logger.error("failed to mint or seal credentials for a stored workload", metadata: ["workload": "\(workload.workloadID)", "error": "\(error)"])
            }
        }
        return replay
    }

    func handleRemoteRegister(_ request: MicroRequest) async {
        do {
            _ = try GoJSON.decode(RegisterRemoteAgentRequest.self, from: request.payload.isEmpty ? Data("{}".utf8) : request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal register remote agent request", error))
        }
        let trustedKey: String
        switch checkRemoteTrust(of: request) {
        case .success(let key): trustedKey = key
        case .failure(let refusal): return request.fail(refusal)
        }
        do {
            try await core.options.registrar.checkRemoteBootstrap(headers: request.headers)
        } catch {
            return request.fail(.service(status: NexErrorCode.forbidden, friendly: "failed agent registrar check", detail: "\(error)"))
        }
        let agentID = core.options.idGenerator()
        let credentials: NatsConnectionData
        do {
            credentials = NatsConnectionData(try core.options.minter.mintRegistration(agentID: agentID, nodeID: core.id))
        } catch {
            return request.fail(.internalError(friendly: "failed to mint register", error))
        }
        core.assign(agentID, origin: .remote)
        // The assigned id registers only with the key that was trusted to ask for it.
        core.identities.bind(agentID, to: trustedKey)
        request.reply(RegisterRemoteAgentResponse(assignedAgentID: agentID, respondTo: core.id, registrationCreds: credentials))
    }

    // MARK: issue 12: agent identity

    /// What a REGISTER proved: the key it was signed with (nil: unproven, a Go nexlet) and so its profile.
    struct AgentIdentityCheck {
        var key: String?
        var profile: AgentProfile
    }

    static func identityRefusal(_ detail: String) -> NexError {
        .service(status: NexErrorCode.forbidden, friendly: "agent identity not proven", detail: detail)
    }

    /// Decides whether this REGISTER may (re-)register `agentID` (decisions.md, issue 12). A signed one must
    /// verify, be fresh and unused, and match the key the id is bound to; a live agent registered unproven
    /// cannot be taken over by a signed one. An unsigned one is a Go nexlet: accepted only with
    /// `allowLegacyNexlets`, and never for an id bound to a key.
    func checkIdentity(of request: MicroRequest, agentID: String) -> Result<AgentIdentityCheck, NexError> {
        let bound = core.identities.key(of: agentID)
        switch AgentProof.verify(request.message) {
        case .failure(let failure)?:
            return .failure(Self.identityRefusal("\(failure)"))
        case .success(let proof)?:
            guard core.identities.firstUse(of: proof) else {
                return .failure(Self.identityRefusal("this signed REGISTER was used before (replay)"))
            }
            if let bound, bound != proof.key {
                return .failure(Self.identityRefusal("agent \(agentID) is bound to key \(bound); this REGISTER is signed by \(proof.key)"))
            }
            if bound == nil, core.registry.record(agentID) != nil {
                return .failure(Self.identityRefusal("agent \(agentID) is registered without a key; a signed REGISTER cannot replace it"))
            }
            return .success(AgentIdentityCheck(key: proof.key, profile: .current))
        case nil:
            guard core.options.allowLegacyNexlets else {
                return .failure(Self.identityRefusal(
                    "REGISTER carries no \(NexHeader.agentKey); nexlets that cannot sign (Go nexlets) need the node flag --allow-legacy-nexlets"))
            }
            if let bound {
                return .failure(Self.identityRefusal("agent \(agentID) is bound to key \(bound); an unsigned REGISTER cannot replace it"))
            }
            return .success(AgentIdentityCheck(key: nil, profile: .legacy))
        }
    }

    /// RREGISTER must be signed, fresh, unused, and by a key on the trust list; returns the key.
    func checkRemoteTrust(of request: MicroRequest) -> Result<String, NexError> {
        func refuse(_ detail: String) -> Result<String, NexError> {
            .failure(.service(status: NexErrorCode.forbidden, friendly: "remote agent not trusted", detail: detail))
        }
        guard !core.options.remoteAgentTrust.isEmpty else {
            return refuse("this node has no remote agent trust list (--remote-agent-trust); it refuses every remote registration")
        }
        switch AgentProof.verify(request.message) {
        case nil:
            return refuse("RREGISTER carries no \(NexHeader.agentKey) and signature")
        case .failure(let failure)?:
            return refuse("\(failure)")
        case .success(let proof)?:
            guard core.options.remoteAgentTrust.contains(proof.key) else {
                return refuse("key \(proof.key) is not on this node's remote agent trust list")
            }
            guard core.identities.firstUse(of: proof) else {
                return refuse("this signed RREGISTER was used before (replay)")
            }
            return .success(proof.key)
        }
    }
}
