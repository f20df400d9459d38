import NexProtocol

/// The runner embeds in a node as it is: its `run(agentID:nodeID:registration:)`, `stop()` and `name` are
/// exactly what the node needs (the node's composition root hands runners to `NodeOptions.embeddedAgents`).
extension NexletRunner: EmbeddedAgentRunner {}
