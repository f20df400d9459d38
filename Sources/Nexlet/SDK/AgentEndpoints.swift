import Foundation
import NATSKit
import NexProtocol

/// The agent micro service's endpoints (protocol.md §1.2), all in queue group `<agentId>`. Every handler
/// replies exactly once, except where the protocol is silent (GETWORKLOAD of an unknown workload,
/// PINGWORKLOAD of a workload not here, the event listener).
struct AgentEndpoints: Sendable {
    let context: AgentContext
    /// Serve STOPWORKLOAD / GETWORKLOAD / QUERYWORKLOADS / SETLAMEDUCK on the agent's own-id subjects (our
    /// nodes), instead of the node-wide ones every agent of a node shares (Go nodes).
    var ownSubjects = false

    /// The endpoints this runtime gets, in the Go order: name, subject, handler.
    var table: [(name: String, subject: String, handler: @Sendable (MicroRequest) async -> Void)] {
        let node = context.nodeID
        let agent = context.agentID
        var endpoints: [(name: String, subject: String, handler: @Sendable (MicroRequest) async -> Void)] = [
            ("StartWorkload", NexSubscription.agentStartWorkload(nodeID: node, agentID: agent), startWorkload),
            ("StopWorkload", ownSubjects ? NexSubscription.agentStopWorkload(nodeID: node, agentID: agent) : NexSubscription.agentStopWorkload(nodeID: node), stopWorkload),
            ("GetWorkload", ownSubjects ? NexSubscription.agentGetWorkload(nodeID: node, agentID: agent) : NexSubscription.agentGetWorkload(nodeID: node), getWorkload),
            ("QueryWorkloads", ownSubjects ? NexSubscription.agentQueryWorkloads(nodeID: node, agentID: agent) : NexSubscription.agentQueryWorkloads(nodeID: node), queryWorkloads),
            ("PingAgent", NexSubscription.agentPing(nodeID: node, agentID: agent), ping),
            ("PingAllAgents", NexSubscription.agentPingAll(nodeID: node), ping),
            ("SetLameduck", ownSubjects ? NexSubscription.agentSetLameduck(nodeID: node, agentID: agent) : NexSubscription.agentSetLameduck(nodeID: node), setLameduck),
        ]
        if context.runtime is any NexletWorkloadDiscovery {
            endpoints.append(("WorkloadDiscovery", NexSubscription.pingWorkload(nexus: context.nexus), discoverWorkload))
        }
        if context.runtime is any NexletEventListener {
            endpoints.append(("EventListener", NexSubscription.eventListener(agentID: agent), receiveEvent))
        }
        return endpoints
    }

    /// Adds every endpoint to `service`; the first failure is reported with its cause.
    func install(on service: MicroService) throws(NexletRunnerError) {
        for endpoint in table {
            do {
                try service.addEndpoint(
                    name: endpoint.name, subject: endpoint.subject, queueGroup: context.agentID, handler: endpoint.handler)
            } catch {
                throw .serviceFailed("endpoint \(endpoint.name) on \(endpoint.subject): \(error)")
            }
        }
    }

    // MARK: Workloads

    /// STARTWORKLOAD: `{id,name}`, or code 100 with body `{id, name}` (the requested name). `WORKLOADSTARTED`
    /// follows the reply.
    func startWorkload(_ request: MicroRequest) async {
        let workloadID = request.lastSubjectToken
        let start: AgentStartWorkloadRequest
        do {
            start = try GoJSON.decode(AgentStartWorkloadRequest.self, from: request.payload)
        } catch {
            let name = Self.requestedName(in: request.payload)
            request.replyAgentError(errorText(error), body: StartWorkloadResponse(id: workloadID, name: name))
            return
        }
        do {
            let response = try await context.startWorkload(workloadID: workloadID, request: start, replayed: false, announce: false)
            request.reply(response)
            await context.announceStarted(workloadID: workloadID, namespace: start.request.namespace)
        } catch {
            context.logger.info("workload start failed", metadata: ["workload": "\(workloadID)", "error": "\(error)"])
            request.replyAgentError(errorText(error), body: StartWorkloadResponse(id: workloadID, name: start.request.name))
        }
    }

    /// STOPWORKLOAD: `{id, "", true, <type>}`, or code 100 with body `{id, "workload not found", false, <type>}`.
    func stopWorkload(_ request: MicroRequest) async {
        let workloadID = request.lastSubjectToken
        let type = context.registration.registerType
        let notStopped = StopWorkloadResponse(id: workloadID, message: GenericError.workloadNotFound.rawValue, stopped: false, workloadType: type)
        let stop: StopWorkloadRequest
        do {
            stop = try GoJSON.decode(StopWorkloadRequest.self, from: request.payload)
        } catch {
            request.replyAgentError(errorText(error), body: notStopped)
            return
        }
        do {
            try await context.stopWorkload(workloadID: workloadID, namespace: stop.namespace)
            request.reply(StopWorkloadResponse(id: workloadID, message: "", stopped: true, workloadType: type))
        } catch {
            request.replyAgentError(errorText(error), body: notStopped)
        }
    }

    /// GETWORKLOAD: the stored `StartWorkloadRequest`; silent for `workload not found`; code 100 otherwise.
    func getWorkload(_ request: MicroRequest) async {
        let workloadID = request.lastSubjectToken
        do {
            let definition = try await context.runtime.get(workloadID: workloadID, targetXkey: Self.targetXkey(in: request.payload))
            request.reply(definition)
        } catch {
            let text = errorText(error)
            guard text != GenericError.workloadNotFound.rawValue else { return }
            request.replyAgentError(text)
        }
    }

    /// QUERYWORKLOADS: a JSON array of summaries (`[]` when none), or code 100.
    func queryWorkloads(_ request: MicroRequest) async {
        do {
            let query = try GoJSON.decode(AgentListWorkloadsRequest.self, from: request.payload)
            let summaries = try await context.runtime.query(namespace: query.namespace, filter: query.filter)
            request.reply(summaries)
        } catch {
            request.replyAgentError(errorText(error))
        }
    }

    // MARK: Agent

    /// PING (one agent or all): the agent summary with header `agentId`.
    func ping(_ request: MicroRequest) async {
        let (summary, _) = await context.summary()
        request.reply(summary, headers: [NexHeader.agentID: context.agentID])
    }

    /// SETLAMEDUCK: `{"message":"","success":true}` with header `agentId`; on failure one code-100 reply with
    /// body `{"message":<error>,"success":false}` and the same header.
    func setLameduck(_ request: MicroRequest) async {
        let headers: NatsHeaders = [NexHeader.agentID: context.agentID]
        do {
            let lameduck = try GoJSON.decode(LameduckRequest.self, from: request.payload)
            let delay = try lameduck.parsedDelay()
            context.enterLameduck()
            try await context.runtime.setLameduck(delay: delay.duration)
            request.reply(LameduckResponse(success: true), headers: headers)
        } catch {
            let text = errorText(error)
            request.replyAgentError(text, body: LameduckResponse(success: false, message: text), headers: headers)
        }
    }

    /// PINGWORKLOAD: `{"node_id":<nodeId>}` when the workload is here, else silent.
    func discoverWorkload(_ request: MicroRequest) async {
        guard let discovery = context.runtime as? any NexletWorkloadDiscovery,
              await discovery.hasWorkload(request.lastSubjectToken)
        else { return }
        request.reply(PingWorkloadResponse(nodeID: context.nodeID))
    }

    /// The event listener: hands the message to the runtime; no reply.
    func receiveEvent(_ request: MicroRequest) async {
        guard let listener = context.runtime as? any NexletEventListener else { return }
        await listener.receiveEvent(request.message)
    }

    // MARK: Lenient peeks into request bodies

    /// `request.name` of an undecodable start request, if it can be read at all (for the error body).
    static func requestedName(in payload: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
              let inner = object["request"] as? [String: Any], let name = inner["name"] as? String
        else { return "" }
        return name
    }

    /// `new_target_xkey` of the forwarded CLONE request, or "".
    static func targetXkey(in payload: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else { return "" }
        return object["new_target_xkey"] as? String ?? ""
    }
}
