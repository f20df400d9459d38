import Foundation
import Minter
import NATSKit
import NATSSubjects
import NexProtocol

/// The agent side of RREGISTER and REGISTER: one request each, with every failure turned into a clear
/// ``NexletRunnerError``.
enum RegistrationClient {
    /// `$NEX.SVC.<nodeId>.agent.REGISTER.<agentId>` with the registration, signed by the agent's identity key;
    /// returns the node's reply and whether the node wants the agent on its own-id subjects (our nodes say so
    /// with `Nex-Agent-Profile: current`; Go nodes do not).
    static func register(
        on connection: NatsConnection, nodeID: String, agentID: String, request: RegisterAgentRequest, identity: KeyPair,
        headers: NatsHeaders = NatsHeaders(), timeout: Duration
    ) async throws -> (response: RegisterAgentResponse, ownSubjects: Bool) {
        let subject = NexSubject.register(nodeID: nodeID, agentID: agentID)
        let reply: NatsMessage
        do {
            reply = try await AgentProof.request(
                on: connection, subject: subject, payload: try GoJSON.encode(request), signing: identity, headers: headers,
                timeout: timeout)
        } catch let error as NatsError {
            switch error.kind {
            case .noResponders:
                throw NexletRunnerError.nodeUnreachable(nodeID: nodeID, reason: "nobody listens on \(subject)")
            case .timeout:
                throw NexletRunnerError.nodeUnreachable(nodeID: nodeID, reason: "no reply to REGISTER within \(timeout)")
            default:
                throw NexletRunnerError.nodeUnreachable(nodeID: nodeID, reason: "REGISTER failed: \(error)")
            }
        }
        let response: RegisterAgentResponse = try decode(reply, what: "registration reply")
        guard response.success else {
            throw NexletRunnerError.registrationRefused(code: 0, message: response.message.isEmpty ? "success is false" : response.message, detail: "")
        }
        return (response, reply.headers[NexHeader.agentProfile] == NexHeader.agentProfileCurrent)
    }

    /// `$NEX.SVC.<nexus>.agent.RREGISTER` with `{}`, signed by the operator-provided trusted key when given;
    /// returns the assigned id, node and credentials.
    static func remoteRegister(on connection: NatsConnection, nexus: String, trust: KeyPair?, timeout: Duration) async throws -> RegisterRemoteAgentResponse {
        let subject = NexSubject.remoteRegister(nexus: nexus)
        let reply: NatsMessage
        do {
            let payload = try GoJSON.encode(RegisterRemoteAgentRequest())
            if let trust {
                reply = try await AgentProof.request(on: connection, subject: subject, payload: payload, signing: trust, timeout: timeout)
            } else {
                reply = try await connection.request(subject, payload: payload, timeout: timeout)
            }
        } catch let error as NatsError {
            switch error.kind {
            case .noResponders:
                throw NexletRunnerError.remoteRegistrationUnavailable(
                    nexus: nexus, reason: "nobody listens on \(subject) (is a node started with remote registration allowed?)")
            case .timeout:
                throw NexletRunnerError.remoteRegistrationUnavailable(nexus: nexus, reason: "no reply to RREGISTER within \(timeout)")
            default:
                throw NexletRunnerError.remoteRegistrationUnavailable(nexus: nexus, reason: "RREGISTER failed: \(error)")
            }
        }
        let response: RegisterRemoteAgentResponse = try decode(reply, what: "remote registration reply")
        for (name, value) in [("assigned_agent_id", response.assignedAgentID), ("respond_to", response.respondTo)] where !SubjectToken.isValid(value) {
            throw NexletRunnerError.invalidResponse(what: "remote registration reply", reason: "\(name) \"\(value)\" is not a subject token")
        }
        return response
    }

    /// Decodes a reply, turning a micro error reply into ``NexletRunnerError/registrationRefused``.
    private static func decode<T: GoJSONObject>(_ reply: NatsMessage, what: String) throws -> T {
        if let error = NexError(replyHeaders: reply.headers.dictionary, body: reply.payload) {
            throw NexletRunnerError.registrationRefused(code: error.status, message: error.body, detail: error.error)
        }
        do {
            return try GoJSON.decode(T.self, from: reply.payload)
        } catch {
            throw NexletRunnerError.invalidResponse(what: what, reason: errorText(error))
        }
    }
}
