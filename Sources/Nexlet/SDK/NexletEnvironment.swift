import Foundation
import Minter
import NATSSubjects
import NexProtocol

/// The environment a node gives a local agent process (`NEX_AGENT_*`), parsed; and, the other way round,
/// the variables a node sets for one.
public struct NexletEnvironment: Sendable, Equatable {
    // The variable names.
    /// Comma-separated server URLs (required).
    public static let servers = "NEX_AGENT_NATS_SERVERS"
    public static let userSeed = "NEX_AGENT_NATS_USER_SEED"
    /// The user JWT, standard base64.
    public static let base64JWT = "NEX_AGENT_NATS_B64_JWT"
    public static let user = "NEX_AGENT_NATS_USER"
    public static let password = "NEX_AGENT_NATS_PASSWORD"
    public static let userNkey = "NEX_AGENT_NATS_USER_NKEY"
    /// The node to register with (required).
    public static let nodeIDVariable = "NEX_AGENT_NODE_ID"
    /// The agent id the node assigned (required).
    public static let assignedID = "NEX_AGENT_ASSIGNED_ID"
    // issue 12: agent identity
    /// The seed (`SU…`) of the identity key the agent signs REGISTER with (optional; set by our nodes, which
    /// bind the agent id to its public key, so a restarted process proves it is the same agent).
    public static let identitySeedVariable = AgentProof.identitySeedVariable
    /// A remote agent's trusted bootstrap seed (`SU…`), given by the operator, which signs RREGISTER.
    public static let trustSeedVariable = "NEX_AGENT_TRUST_SEED"
    /// A file holding the trusted bootstrap seed (used when ``trustSeedVariable`` is not set).
    public static let trustSeedFileVariable = "NEX_AGENT_TRUST_SEED_FILE"
    // issue 12: private inboxes
    /// The inbox prefix of the registration credentials (empty or unset = `_INBOX`).
    public static let inboxPrefix = "NEX_AGENT_NATS_INBOX_PREFIX"

    /// The node to register with.
    public var nodeID: String
    /// The agent id the node assigned.
    public var agentID: String
    /// The registration credentials.
    public var registration: NatsConnectionData
    /// The identity seed, or "" (the runner then makes a key of its own).
    public var identitySeed: String

    public init(nodeID: String, agentID: String, registration: NatsConnectionData, identitySeed: String = "") {
        self.nodeID = nodeID
        self.agentID = agentID
        self.registration = registration
        self.identitySeed = identitySeed
    }

    /// Parses the variables. `NEX_AGENT_NATS_SERVERS` (comma-separated), `NEX_AGENT_NODE_ID` and
    /// `NEX_AGENT_ASSIGNED_ID` are required; `NEX_AGENT_NATS_B64_JWT` must be standard base64.
    public init(_ environment: [String: String]) throws(NexletRunnerError) {
        func required(_ name: String) throws(NexletRunnerError) -> String {
            let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !value.isEmpty else { throw .environment("\(name) is not set") }
            return value
        }
        let servers = try required(Self.servers).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !servers.isEmpty else { throw .environment("\(Self.servers) lists no server") }
        nodeID = try required(Self.nodeIDVariable)
        agentID = try required(Self.assignedID)
        for (name, value) in [(Self.nodeIDVariable, nodeID), (Self.assignedID, agentID)] where !SubjectToken.isValid(value) {
            throw .environment("\(name) \"\(value)\" must be a single subject token")
        }
        var jwt = ""
        if let encoded = environment[Self.base64JWT], !encoded.isEmpty {
            guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
                throw .environment("\(Self.base64JWT) is not standard base64 of a UTF-8 JWT")
            }
            jwt = text
        }
        registration = NatsConnectionData(
            natsServers: servers, natsUserJWT: jwt, natsUserName: environment[Self.user] ?? "",
            natsUserNkey: environment[Self.userNkey] ?? "", natsUserPassword: environment[Self.password] ?? "",
            natsUserSeed: environment[Self.userSeed] ?? "",
            natsInboxPrefix: environment[Self.inboxPrefix]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        identitySeed = environment[Self.identitySeedVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !identitySeed.isEmpty {
            do {
                _ = try KeyPair(seed: identitySeed)
            } catch {
                throw .environment("\(Self.identitySeedVariable) is not an nkey seed: \(error)")
            }
        }
    }

    /// The operator's trusted bootstrap key of a remote agent: `NEX_AGENT_TRUST_SEED`, else the seed in the
    /// file `NEX_AGENT_TRUST_SEED_FILE`, else nil (RREGISTER goes out unsigned, and our nodes refuse it).
    public static func remoteTrustKey(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(NexletRunnerError) -> KeyPair? {
        var seed = environment[trustSeedVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var source = trustSeedVariable
        if seed.isEmpty, let path = environment[trustSeedFileVariable], !path.isEmpty {
            do {
                seed = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw .environment("cannot read \(trustSeedFileVariable) \(path): \(error.localizedDescription)")
            }
            source = "the file in \(trustSeedFileVariable)"
        }
        guard !seed.isEmpty else { return nil }
        do {
            return try KeyPair(seed: seed)
        } catch {
            throw .environment("\(source) is not an nkey seed: \(error)")
        }
    }

    /// The variables a node sets for a local agent process (the nine credential and id ones, empty when unused,
    /// and the identity seed when there is one).
    public var variables: [String: String] {
        var variables = [
            Self.servers: registration.natsServers.joined(separator: ","),
            Self.userSeed: registration.natsUserSeed,
            Self.base64JWT: Data(registration.natsUserJWT.utf8).base64EncodedString(),
            Self.user: registration.natsUserName,
            Self.password: registration.natsUserPassword,
            Self.userNkey: registration.natsUserNkey,
            Self.nodeIDVariable: nodeID,
            Self.assignedID: agentID,
            Self.inboxPrefix: registration.natsInboxPrefix,
        ]
        if !identitySeed.isEmpty { variables[Self.identitySeedVariable] = identitySeed }
        return variables
    }
}
