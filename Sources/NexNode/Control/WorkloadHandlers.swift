import Foundation
import NATSKit
import NexProtocol

/// UNDEPLOY, CLONE and WPING: operations on running workloads, answered by asking this node's agents.
extension ControlPlane {
    func handleUndeploy(_ request: MicroRequest) async {
        guard let subject = ControlSubject(request.subject), let workloadID = subject.target else { return }
        let stop: StopWorkloadRequest
        do {
            stop = try GoJSON.decode(StopWorkloadRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal stop workload request", error))
        }
        if let mismatch = NexError.checkNamespace(subject: subject.namespace, body: stop.namespace) {
            return request.fail(mismatch)
        }
        var response = StopWorkloadResponse.notFound(id: workloadID)
        if core.registry.count > 0 {
            let replies = await core.askAgents(
                .stopWorkload(nodeID: core.id, workloadID: workloadID), payload: request.payload,
                deadline: core.options.stopWorkloadTimeout, stopWhen: Self.reportsStopped)
            for reply in replies {
                if let decoded = try? GoJSON.decode(StopWorkloadResponse.self, from: reply.payload), decoded.stopped {
                    response = decoded
                    break
                }
            }
        }
        if response.stopped {
            await core.forgetWorkload(workloadID, workloadType: response.workloadType)
        }
        core.metrics.stop(found: response.stopped)
        request.reply(response, headers: core.nexusSizeHeaders)
    }

    func handleClone(_ request: MicroRequest) async {
        guard let subject = ControlSubject(request.subject), let workloadID = subject.target else { return }
        let clone: CloneWorkloadRequest
        do {
            clone = try GoJSON.decode(CloneWorkloadRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal clone workload request", error))
        }
        if let mismatch = NexError.checkNamespace(subject: subject.namespace, body: clone.namespace) {
            return request.fail(mismatch)
        }
        guard core.registry.count > 0 else { return }
        // Agents stay silent when they do not have the workload; the one that has it answers.
        let deadline = core.options.agentFanOutTimeout
        guard let reply = await core.askAgents(
            .getWorkload(nodeID: core.id, workloadID: workloadID), payload: request.payload, deadline: deadline,
            firstReply: min(deadline, .seconds(3)), enough: 1).first
        else { return }
        if reply.headers[NexHeader.serviceError] == GenericError.workloadNotFound.rawValue { return }
        let definition: StartWorkloadRequest
        do {
            definition = try GoJSON.decode(StartWorkloadRequest.self, from: reply.payload)
        } catch {
            return request.fail(.internalError(friendly: "failed to unmarshal workload definition from agent", error))
        }
        // Do not reveal that a workload of another namespace exists.
        guard NexError.checkNamespace(subject: subject.namespace, body: definition.namespace) == nil else { return }
        request.respond(reply.payload)
    }

    func handleWorkloadList(_ request: MicroRequest) async {
        guard let subject = ControlSubject(request.subject) else { return }
        let list: AgentListWorkloadsRequest
        do {
            list = try GoJSON.decode(AgentListWorkloadsRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal ping request", error))
        }
        if let mismatch = NexError.checkNamespace(subject: subject.namespace, body: list.namespace) {
            return request.fail(mismatch)
        }
        var summaries: [WorkloadSummary] = []
        if core.registry.count > 0 {
            let replies = await core.askAgents(
                .queryWorkloads(nodeID: core.id), payload: request.payload, deadline: core.options.agentFanOutTimeout)
            // One agent answered with a list: pass its bytes on instead of decoding and encoding the same list
            // again (a list of thousands of workloads is mostly JSON work). Only its shape is checked here; the
            // client decodes it, and a malformed list from a broken agent shows up there as this node's error.
            if replies.count == 1, let only = replies.first,
               only.headers[NexHeader.serviceErrorCode] == nil, Self.isNonEmptyJSONArray(only.payload) {
                request.respond(only.payload, headers: core.nexusSizeHeaders)
                return
            }
            var decoded: [[WorkloadSummary]] = []
            for reply in replies {
                if let list = try? GoJSON.decode([WorkloadSummary]?.self, from: reply.payload) {
                    decoded.append(list)
                }
            }
            summaries = decoded.flatMap { $0 }
        }
        request.reply(summaries, headers: core.nexusSizeHeaders)
    }

    /// An agent's STOPWORKLOAD reply saying the workload is gone.
    @Sendable static func reportsStopped(_ reply: NatsMessage) -> Bool {
        (try? GoJSON.decode(StopWorkloadResponse.self, from: reply.payload))?.stopped == true
    }

    /// `[` … `]` with something between (surrounding whitespace allowed): the shape of a non-empty list.
    static func isNonEmptyJSONArray(_ payload: Data) -> Bool {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard let first = payload.firstIndex(where: { !whitespace.contains($0) }),
              let last = payload.lastIndex(where: { !whitespace.contains($0) }),
              payload[first] == UInt8(ascii: "["), payload[last] == UInt8(ascii: "]") else { return false }
        return payload[payload.index(after: first)..<last].contains { !whitespace.contains($0) }
    }
}
