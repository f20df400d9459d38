import Foundation
import NATSKit
import NexProtocol

/// One verb of the node → agent API, by subject: each `.current` agent serves it on a subject of its own id,
/// every `.legacy` (Go) agent of the node on the one node-wide subject (issue 12).
struct AgentVerb: Sendable {
    let own: @Sendable (_ agentID: String) -> String
    let nodeWide: String

    static func stopWorkload(nodeID: String, workloadID: String) -> AgentVerb {
        AgentVerb(own: { NexSubject.agentStopWorkload(nodeID: nodeID, agentID: $0, workloadID: workloadID) },
                  nodeWide: NexSubject.agentStopWorkload(nodeID: nodeID, workloadID: workloadID))
    }

    static func getWorkload(nodeID: String, workloadID: String) -> AgentVerb {
        AgentVerb(own: { NexSubject.agentGetWorkload(nodeID: nodeID, agentID: $0, workloadID: workloadID) },
                  nodeWide: NexSubject.agentGetWorkload(nodeID: nodeID, workloadID: workloadID))
    }

    static func queryWorkloads(nodeID: String) -> AgentVerb {
        AgentVerb(own: { NexSubject.agentQueryWorkloads(nodeID: nodeID, agentID: $0) },
                  nodeWide: NexSubject.agentQueryWorkloads(nodeID: nodeID))
    }

    static func setLameduck(nodeID: String) -> AgentVerb {
        AgentVerb(own: { NexSubject.agentSetLameduck(nodeID: nodeID, agentID: $0) },
                  nodeWide: NexSubject.agentSetLameduck(nodeID: nodeID))
    }
}

extension NodeCore {
    /// Asks agents (all registered ones, or `agents`) one request: one per current agent on its own subject,
    /// one on the node-wide subject for all legacy agents together, each expecting as many replies as agents
    /// it reaches. Returns the replies within `deadline`; ends early once `enough` replies arrived or one
    /// satisfies `stopWhen`. `firstReply` bounds the wait for each request's first reply (default: deadline).
    func askAgents(
        _ verb: AgentVerb, payload: Data, deadline: Duration, agents: [AgentRecord]? = nil, firstReply: Duration? = nil,
        enough: Int? = nil, stopWhen: (@Sendable (NatsMessage) -> Bool)? = nil
    ) async -> [NatsMessage] {
        let targets = agents ?? registry.all
        let legacy = targets.filter { $0.profile == .legacy }.count
        var requests = targets.filter { $0.profile == .current }.map { (subject: verb.own($0.id), expected: 1) }
        if legacy > 0 { requests.append((subject: verb.nodeWide, expected: legacy)) }
        guard !requests.isEmpty else { return [] }
        let connection = self.connection
        let first = min(firstReply ?? deadline, deadline)
        var gatherStop: (@Sendable (NatsMessage, Int) -> Bool)?
        if let stopWhen { gatherStop = { reply, _ in stopWhen(reply) } }
        let stopEach = gatherStop
        return await withTaskGroup(of: [NatsMessage].self) { group -> [NatsMessage] in
            for request in requests {
                let options = ScatterGatherOptions(
                    firstReplyTimeout: first, stall: .none, maxMessages: request.expected, totalTimeout: deadline, stopWhen: stopEach)
                group.addTask {
                    let result = try? await connection.requestMany(request.subject, payload: payload, options: options)
                    return result?.replies ?? []
                }
            }
            var replies: [NatsMessage] = []
            for await batch in group {
                replies += batch
                if let enough, replies.count >= enough { break }
                if let stopWhen, batch.contains(where: stopWhen) { break }
            }
            group.cancelAll()
            return replies
        }
    }
}

extension NodeCore {
    /// Whether the agent `placement` names confirms it no longer runs the workload: it answers QUERYWORKLOADS
    /// (filtered to the workload, in its namespace) with a list without it, or with it `stopped`. Silence,
    /// an error, or an agent that is not registered (any more) is no evidence, and the answer is false. A
    /// legacy agent is asked on the node-wide subject, so there any legacy agent of the node may answer.
    func agentNoLongerRuns(_ placement: WorkloadPlacements.Placement) async -> Bool {
        guard let agent = registry.record(placement.agentID),
              let payload = try? GoJSON.encode(AgentListWorkloadsRequest(namespace: placement.namespace, filter: [placement.workloadID]))
        else { return false }
        let replies = await askAgents(.queryWorkloads(nodeID: id), payload: payload, deadline: options.agentFanOutTimeout, agents: [agent])
        var answered = false
        for reply in replies where reply.headers[NexHeader.serviceErrorCode] == nil {
            guard let list = try? GoJSON.decode([WorkloadSummary]?.self, from: reply.payload) else { continue }
            answered = true
            if list.contains(where: { $0.id == placement.workloadID && $0.workloadState != .stopped }) { return false }
        }
        return answered
    }
}
