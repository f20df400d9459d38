import Foundation
import NATSKit
import NexProtocol

/// A nexlet runtime: the part of a nexlet that actually runs workloads. ``NexletRunner`` does all the NATS
/// plumbing (registration, heartbeats, the agent micro service, replies, events, triggers) and calls these
/// methods; a runtime never touches NATS subjects itself.
///
/// Every method may be called concurrently (requests are handled concurrently), so keep state behind a lock
/// or in an actor. Errors are reported to the node as micro errors with code `100` and the error's text;
/// throw ``NexletError/workloadNotFound`` / ``NexletError/namespaceNotFound`` for the generic cases, since
/// the node and the runner key on those exact texts.
///
/// Events: the runner emits `WORKLOADSTARTED` after every successful ``start(workloadID:request:replayed:)``
/// and `WORKLOADSTOPPED` after every successful ``stop(workloadID:namespace:)``. Anything that happens on the
/// runtime's own initiative (a job exits, a service gives up, lameduck stops workloads, a restart) is
/// reported by the runtime through the ``NexletHost`` it receives in ``attach(to:)``.
public protocol NexletRuntime: Sendable {
    /// Who this nexlet is. Read once per `run`; sent in REGISTER and used for the micro service, heartbeats
    /// and pings.
    var registration: NexletRegistration { get }

    /// Called once per `run`, after the agent connection exists and before any request is served. Keep the
    /// host to publish logs, metrics and events and to manage function triggers. Default: nothing.
    func attach(to host: NexletHost) async

    /// Starts a workload, or with `replayed == true` replays one the node persisted (it may still be
    /// running from before, e.g. an orphaned process). `request.workloadCreds` are the credentials minted for
    /// the workload. Returns `{id, name}`; invent a name when `request.request.name` is empty.
    func start(workloadID: String, request: AgentStartWorkloadRequest, replayed: Bool) async throws -> StartWorkloadResponse

    /// Stops a workload of `namespace` and returns once it is gone. Throws ``NexletError/namespaceNotFound``
    /// or ``NexletError/workloadNotFound`` when it is not here. (Every agent of a node receives every stop;
    /// the ones that do not have the workload answer with these errors.)
    func stop(workloadID: String, namespace: String) async throws

    /// The stored definition of a workload, **including its namespace**, searched in every namespace (the
    /// node enforces namespaces). Throws ``NexletError/workloadNotFound`` when absent: the runner then stays
    /// silent. `targetXkey` is the requester's fresh curve key (empty from Go nodes).
    func get(workloadID: String, targetXkey: String) async throws -> StartWorkloadRequest

    /// Summaries of the workloads of `namespace` (every namespace for `system`), kept when `filter` is
    /// nil/empty or names the workload's id or name (see `AgentListWorkloadsRequest.keeps`). Always fill
    /// `namespace` in each summary.
    func query(namespace: String, filter: [String]?) async throws -> [WorkloadSummary]

    /// The node is going away in `delay`: stop accepting work and stop the workloads within the delay. The
    /// runner refuses new starts from now on and reports the `lameduck` state in heartbeats.
    func setLameduck(delay: Duration) async throws

    /// The runtime's current state and load, for heartbeats and PING replies.
    func summary() async -> NexletStatus

    /// Called when the runner stops (after the service stopped and triggers were removed). The node's shutdown
    /// does not imply stopping workloads: a runtime may leave them running to take them back when they are replayed. Default:
    /// nothing.
    func detach() async
}

extension NexletRuntime {
    public func attach(to host: NexletHost) async {}
    public func detach() async {}
}

/// A runtime that runs `function` workloads: the runner subscribes to the workload's trigger subject with a
/// separate connection using the workload's own credentials, and calls ``trigger(_:)`` for each message,
/// concurrently. The trigger is registered before the STARTWORKLOAD reply (so a client can trigger as soon
/// as the deploy returns), re-registered on replay and removed when STOPWORKLOAD succeeds or the runner
/// stops. A runtime that ends a function workload by itself calls ``NexletHost/unregisterTrigger(workloadID:)``.
public protocol NexletFunctionRuntime: NexletRuntime {
    /// The subject a function workload listens on, or nil for no trigger. Called for `function` workloads only.
    func triggerSubject(workloadID: String, request: StartWorkloadRequest) -> String?

    /// Runs the function once. The returned bytes are the reply; a thrown error's text goes into the reply's
    /// `error` header (with an empty body).
    func trigger(_ invocation: TriggerInvocation) async throws -> Data
}

/// A runtime that can say whether a workload runs here: the runner then answers ingress discovery requests
/// (`$NEX.SVC.<nexus>.agent.PINGWORKLOAD.<workloadId>` → `{"node_id":"<nodeId>"}`), and, when the runner has
/// an ingress host IP, announces the workload's first exposed port on `$NEX.FEED.<agentId>.events.INGRESS`.
public protocol NexletWorkloadDiscovery: NexletRuntime {
    /// Whether the workload runs here (any namespace).
    func hasWorkload(_ workloadID: String) async -> Bool
    /// Ports the workload exposes on the host; only the first is announced. Default: none.
    func exposedPorts(workloadID: String) async -> [Int]
}

extension NexletWorkloadDiscovery {
    public func exposedPorts(workloadID: String) async -> [Int] { [] }
}

/// A runtime that listens to messages sent to it on `$NEX.FEED.<agentId>.events` (the Go event-listener
/// extension: the exact subject, without a wildcard). Nothing is replied.
public protocol NexletEventListener: NexletRuntime {
    func receiveEvent(_ message: NatsMessage) async
}

/// One message on a function workload's trigger subject.
public struct TriggerInvocation: Sendable {
    public let workloadID: String
    public let namespace: String
    /// The subject the message arrived on.
    public let subject: String
    public let payload: Data
    public let headers: NatsHeaders

    public init(workloadID: String, namespace: String, subject: String, payload: Data, headers: NatsHeaders = NatsHeaders()) {
        self.workloadID = workloadID
        self.namespace = namespace
        self.subject = subject
        self.payload = payload
        self.headers = headers
    }
}
