import Foundation
import JSONSchema
import NATSKit
import NATSSubjects
import NexProtocol

/// ADEPLOY (protocol.md §3.5, decisions.md §2–§3): deploy with a bid this node made. Silent for bids that are
/// not ours (or expired, or used), and silent in lameduck (decisions.md §2). A node that is stopping refuses
/// a deploy on its own bid with `400 node is stopping`. The workload is stored once its agent started it and
/// before the client's reply (the agent's, verbatim) goes out; a failed start stores nothing.
extension ControlPlane {
    func handleDeploy(_ request: MicroRequest) async {
        guard let subject = ControlSubject(request.subject), let bidID = subject.target else { return }
        guard core.bids.contains(bidID), !core.isLameduck else { return }
        if core.state == .stopping {
            return request.fail(Self.stoppingRefusal(core.options.name))
        }

        // The first attempt from the bid's namespace uses the bid up, whatever its outcome: a refused deploy
        // cannot be retried with the same bid (decisions.md §2).
        let bid: BidBook.Bid
        switch core.bids.consume(bidID, namespace: subject.namespace) {
        case .success(let consumed):
            bid = consumed
        case .failure(.unknown):
            return
        case .failure(.wrongNamespace(let expected)):
            return request.fail(.service(status: NexErrorCode.forbidden, friendly: "bid does not match the namespace", detail: "bid \(bidID) was made in namespace \(expected)"))
        }

        let start: StartWorkloadRequest
        do {
            start = try GoJSON.decode(StartWorkloadRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal auction deploy workload request", error))
        }
        if let mismatch = NexError.checkNamespace(subject: subject.namespace, body: start.namespace) {
            return request.fail(mismatch)
        }
        guard SubjectToken.isValid(start.namespace) else {
            return request.fail(.badRequest(friendly: "invalid namespace", "namespace \"\(start.namespace)\" must be a single subject token"))
        }
        guard bid.agentType == start.workloadType else {
            return request.fail(.badRequest(friendly: "bid does not match the workload type", "bid \(bidID) was made for agent type \(bid.agentType), not \(start.workloadType)"))
        }
        guard let agent = core.registry.healthyAgent(ofType: start.workloadType, preferring: bid.agentID, load: core.placements.count(on:)) else {
            return request.fail(.service(status: NexErrorCode.notFound, friendly: "workload type not found", detail: "no healthy agent of type \(start.workloadType)"))
        }
        if let problem = admissionProblem(start, agent: agent) {
            return request.fail(problem)
        }
        let runRequest = Data(start.runRequest.utf8)
        do {
            let problems = try agent.schema.validate(data: runRequest)
            if !problems.isEmpty {
                return request.fail(.badRequest(friendly: "failed to validate run request", SchemaValidationFailure(errors: problems).description))
            }
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal start request", error))
        }

        // issue 14: the workload's limits count against the node's capacity and its namespace's quota.
        let limits: WorkloadLimits
        do {
            limits = try WorkloadLimits(runRequest: start.runRequest)
        } catch {
            return request.fail(.badRequest(friendly: "invalid workload limits", error.description))
        }
        let workloadID = core.options.idGenerator()
        let placement = WorkloadPlacements.Placement(
            workloadID: workloadID, workloadType: start.workloadType, namespace: start.namespace, agentID: agent.id, demand: WorkloadDemand(limits),
            lifecycle: start.workloadLifecycle)
        // Checked and recorded at once: a deploy that raced past the auction onto a node that filled meanwhile
        // is refused here.
        if let full = core.placements.admit(placement, capacity: core.capacity, nodeName: core.options.name) {
            return request.fail(core.refusal(start.namespace, .nodeFull, full))
        }
        if let refused = await core.reserveQuota(placement) {
            core.placements.remove(workloadID)
            return request.fail(refused)
        }
        let credentials: NatsConnectionData
        do {
            credentials = NatsConnectionData(try core.options.minter.mintWorkload(namespace: start.namespace, workloadID: workloadID))
        } catch {
            await unplace(placement)
            return request.fail(.internalError(friendly: "failed to mint workload nats connection", error))
        }
        let stored = StoredWorkload(workloadID: workloadID, workloadType: start.workloadType, request: start)

        let reply: NatsMessage
        do {
            let payload = try GoJSON.encode(startRequest(start, credentials: credentials, for: agent))
            reply = try await core.connection.request(
                NexSubject.agentStartWorkload(nodeID: core.id, agentID: agent.id, workloadID: workloadID),
                payload: payload, timeout: core.options.startWorkloadTimeout)
        } catch {
            await unplace(placement)
            return request.fail(.internalError(friendly: "failed to publish start workload request", error))
        }
        if NexError(replyHeaders: reply.headers.dictionary, body: reply.payload) != nil {
            await unplace(placement)
            return request.forward(reply)
        }
        // Stored once the agent runs it and before the client hears of it: an acknowledged deploy survives any
        // restart, and a deploy cut short by a crash before this write is not replayed (its orphaned process
        // is stopped by its nexlet when the node comes back).
        do {
            try await core.options.state.save(stored)
        } catch {
            await undo(placement)
            return request.fail(.internalError(friendly: "failed to store workload state", error))
        }
        request.forward(reply)
    }

    /// The answer to a deploy that reaches a stopping node (the shape of the node's other refusals).
    static func stoppingRefusal(_ nodeName: String) -> NexError {
        .badRequest(friendly: "node is stopping", "node \(nodeName) is shutting down and takes no new workloads")
    }

    /// Forgets a placement whose workload did not start, and its quota lease.
    private func unplace(_ placement: WorkloadPlacements.Placement) async {
        core.placements.remove(placement.workloadID)
        await core.releaseQuota(namespace: placement.namespace, workloadID: placement.workloadID)
    }

    /// Stops a workload the node could not record, so nothing runs that no one acknowledged.
    private func undo(_ placement: WorkloadPlacements.Placement) async {
        await unplace(placement)
        guard let payload = try? GoJSON.encode(StopWorkloadRequest(namespace: placement.namespace)),
              let agent = core.registry.record(placement.agentID) else { return }
        _ = await core.askAgents(
            .stopWorkload(nodeID: core.id, workloadID: placement.workloadID), payload: payload,
            deadline: core.options.stopWorkloadTimeout, agents: [agent], stopWhen: Self.reportsStopped)
    }

    /// Lifecycle and capacity checks the reference never made (decisions.md §2).
    private func admissionProblem(_ start: StartWorkloadRequest, agent: AgentRecord) -> NexError? {
        if !agent.supports(start.workloadLifecycle) {
            let supported = (agent.registration.supportedLifecycles ?? []).map(\.rawValue).joined(separator: ", ")
            return .badRequest(friendly: "workload lifecycle not supported", "agent type \(agent.registerType) supports \(supported), not \(start.workloadLifecycle.rawValue)")
        }
        let running = core.placements.count(on: agent.id)
        if !agent.hasRoom(running: running) {
            return .badRequest(friendly: "agent is at capacity", "agent \(agent.name) runs \(running) of at most \(Int(agent.registration.maxWorkloads)) workloads")
        }
        return nil
    }
}
