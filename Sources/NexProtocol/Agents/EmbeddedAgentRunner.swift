/// A nexlet that runs inside the node process. The contract between the node (which starts and stops it, in
/// NexNode) and the nexlet SDK (whose `NexletRunner` satisfies it), kept here so neither depends on the other.
/// `run` returns once the nexlet has registered and serves; it throws when it could not.
public protocol EmbeddedAgentRunner: Sendable {
    var name: String { get }
    func run(agentID: String, nodeID: String, registration: NatsConnectionData) async throws
    func stop() async
}
