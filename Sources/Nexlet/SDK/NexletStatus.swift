import NexProtocol

/// What a runtime reports about itself in every heartbeat and PING reply. The runner adds the identity
/// (name, type, version, lifecycles, start time) from the registration.
public struct NexletStatus: Sendable, Equatable {
    /// `running` makes the agent healthy (eligible for auctions); `starting`/`error` degrade it;
    /// `lameduck`/`stopping` mark it as shutting down.
    public var state: AgentState
    /// Workloads currently held.
    public var workloadCount: Int
    /// Free-form heartbeat data, e.g. a JSON string like `{"namespace_count":1,"register_type":"native"}`.
    public var data: String

    public init(state: AgentState = .running, workloadCount: Int = 0, data: String = "") {
        self.state = state
        self.workloadCount = workloadCount
        self.data = data
    }
}
