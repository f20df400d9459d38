import Nexlet

/// The nexlet SDK's runner embeds in a node as it is: its `run(agentID:nodeID:registration:)`, `stop()` and
/// `name` are exactly what the node needs.
extension NexletRunner: EmbeddedAgentRunner {}
