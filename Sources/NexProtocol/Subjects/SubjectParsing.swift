import NATSSubjects

/// Splits a concrete subject into tokens; nil when any token is not a valid single token (empty, a
/// wildcard, whitespace...).
private func concreteTokens(_ subject: String, prefix: [String]) -> [String]? {
    let tokens = subject.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard tokens.count > prefix.count, Array(tokens.prefix(prefix.count)) == prefix else { return nil }
    guard tokens.dropFirst(prefix.count).allSatisfy(SubjectToken.isValid) else { return nil }
    return Array(tokens.dropFirst(prefix.count))
}

/// A parsed node control subject `$NEX.SVC.<ns>.control.<VERB>[.<target>]`.
public struct ControlSubject: Sendable, Equatable {
    /// Token 3: the namespace the caller published under.
    public let namespace: String
    public let verb: ControlVerb
    /// The trailing id: node id (PING/INFO/LAMEDUCK/AGENTID/HEARTBEAT), bid id (ADEPLOY) or workload id
    /// (UNDEPLOY/CLONE/WPING).
    public let target: String?

    /// Parses a concrete subject; nil when it is not a well-formed control subject (wrong prefix, unknown
    /// verb, missing or extra id, empty or wildcard tokens).
    public init?(_ subject: String) {
        guard let tokens = concreteTokens(subject, prefix: ["$NEX", "SVC"]),
              tokens.count == 3 || tokens.count == 4, tokens[1] == "control",
              let verb = ControlVerb(rawValue: tokens[2])
        else { return nil }
        let target = tokens.count == 4 ? tokens[3] : nil
        switch verb {
        case .placementTags, .auction:
            guard target == nil else { return nil }
        case .ping, .workloadPing:
            break
        case .info, .lameduck, .agentID, .auctionDeploy, .undeploy, .clone, .heartbeat:
            guard target != nil else { return nil }
        }
        namespace = tokens[0]
        self.verb = verb
        self.target = target
    }
}

/// The agent-side endpoints under `$NEX.SVC.<scope>.agent.`.
public enum AgentEndpoint: Sendable, Equatable {
    /// `RREGISTER` (scope = nexus)
    case remoteRegister
    /// `REGISTER.<agentId>`
    case register(agentID: String)
    /// `HEARTBEAT.<agentId>`
    case heartbeat(agentID: String)
    /// `<agentId>.STARTWORKLOAD.<workloadId>`
    case startWorkload(agentID: String, workloadID: String)
    /// `STOPWORKLOAD.<workloadId>`
    case stopWorkload(workloadID: String)
    /// `GETWORKLOAD.<workloadId>`
    case getWorkload(workloadID: String)
    /// `QUERYWORKLOADS`
    case queryWorkloads
    /// `SETLAMEDUCK`
    case setLameduck
    /// `<agentId>.PING`, or `PING` for all agents (nil)
    case ping(agentID: String?)
    /// `PINGWORKLOAD.<workloadId>` (scope = nexus)
    case pingWorkload(workloadID: String)
}

/// A parsed agent subject `$NEX.SVC.<scope>.agent.…`.
public struct AgentSubject: Sendable, Equatable {
    /// The node id, or the nexus name for `RREGISTER` and `PINGWORKLOAD`.
    public let scope: String
    public let endpoint: AgentEndpoint

    /// Parses a concrete subject; nil when it is not a well-formed agent subject.
    public init?(_ subject: String) {
        guard let tokens = concreteTokens(subject, prefix: ["$NEX", "SVC"]),
              tokens.count >= 3, tokens[1] == "agent"
        else { return nil }
        let rest = Array(tokens.dropFirst(2))
        let endpoint: AgentEndpoint
        switch (rest.count, rest[0]) {
        case (1, "RREGISTER"): endpoint = .remoteRegister
        case (2, "REGISTER"): endpoint = .register(agentID: rest[1])
        case (2, "HEARTBEAT"): endpoint = .heartbeat(agentID: rest[1])
        case (2, "STOPWORKLOAD"): endpoint = .stopWorkload(workloadID: rest[1])
        case (2, "GETWORKLOAD"): endpoint = .getWorkload(workloadID: rest[1])
        case (1, "QUERYWORKLOADS"): endpoint = .queryWorkloads
        case (1, "SETLAMEDUCK"): endpoint = .setLameduck
        case (1, "PING"): endpoint = .ping(agentID: nil)
        case (2, "PINGWORKLOAD"): endpoint = .pingWorkload(workloadID: rest[1])
        case (2, _) where rest[1] == "PING": endpoint = .ping(agentID: rest[0])
        case (3, _) where rest[1] == "STARTWORKLOAD":
            endpoint = .startWorkload(agentID: rest[0], workloadID: rest[2])
        default: return nil
        }
        scope = tokens[0]
        self.endpoint = endpoint
    }
}

/// A parsed feed subject `$NEX.FEED.…`.
public enum FeedSubject: Sendable, Equatable {
    /// `$NEX.FEED.<from>.events.<NAME>` (see ``NexEventName`` for the known names)
    case event(from: String, name: String)
    /// `$NEX.FEED.<agentId>.events.INGRESS`
    case ingress(agentID: String)
    /// `$NEX.FEED.<agentId>.events`
    case eventListener(agentID: String)
    /// `$NEX.FEED.<ns>.logs.<workloadId>.stdout|stderr` (also node self-logs under `system`)
    case logs(namespace: String, workloadID: String, stream: LogStream)
    /// `$NEX.FEED.<ns>.metrics.<workloadId>`
    case metrics(namespace: String, workloadID: String)

    /// Parses a concrete subject; nil when it is not a well-formed feed subject.
    public init?(_ subject: String) {
        guard let tokens = concreteTokens(subject, prefix: ["$NEX", "FEED"]), tokens.count >= 2 else { return nil }
        switch (tokens.count, tokens[1]) {
        case (2, "events"): self = .eventListener(agentID: tokens[0])
        case (3, "events") where tokens[2] == "INGRESS": self = .ingress(agentID: tokens[0])
        case (3, "events"): self = .event(from: tokens[0], name: tokens[2])
        case (4, "logs"):
            guard let stream = LogStream(rawValue: tokens[3]) else { return nil }
            self = .logs(namespace: tokens[0], workloadID: tokens[2], stream: stream)
        case (3, "metrics"): self = .metrics(namespace: tokens[0], workloadID: tokens[2])
        default: return nil
        }
    }
}
