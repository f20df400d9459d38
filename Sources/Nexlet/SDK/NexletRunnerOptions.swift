import Logging
import NexProtocol

/// Tunables of a ``NexletRunner``. The defaults are the protocol's.
public struct NexletRunnerOptions: Sendable {
    /// The nexus, for ingress discovery (`$NEX.SVC.<nexus>.agent.PINGWORKLOAD.*`). `runRemote` uses its own.
    public var nexus: String
    /// Heartbeat period; the first heartbeat goes out as soon as the endpoints exist. 10 s in the protocol;
    /// shorter in tests.
    public var heartbeatInterval: Duration
    /// How long REGISTER may take (1 min).
    public var registrationTimeout: Duration
    /// How long RREGISTER may take (3 s).
    public var remoteRegistrationTimeout: Duration
    /// Timeout of each connection attempt.
    public var connectTimeout: Duration
    /// Connection name used when the connection data has no `conn_name`.
    public var connectionName: String
    /// Where workload events go.
    public var events: NexletEventSink
    /// The host's IP address for ingress announcements; nil (the default) announces nothing.
    public var ingressHostIP: String?
    /// How long stopping a function trigger waits for running invocations before closing its connection.
    public var triggerDrainTimeout: Duration
    /// Where the runner logs (registration, failures; workload output at debug level).
    public var logger: Logger
    /// How long ``NexletRunner/stop()`` waits for the agent requests in flight (starts, stops, queries) before
    /// it cancels them.
    public var requestDrainTimeout: Duration = .seconds(10)

    public init(
        nexus: String = NexConstants.defaultNexus,
        heartbeatInterval: Duration = .seconds(10),
        registrationTimeout: Duration = .seconds(60),
        remoteRegistrationTimeout: Duration = .seconds(3),
        connectTimeout: Duration = .seconds(5),
        connectionName: String = "nexlet_swift",
        events: NexletEventSink = .agentConnection,
        ingressHostIP: String? = nil,
        triggerDrainTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "nexlet")
    ) {
        self.nexus = nexus
        self.heartbeatInterval = heartbeatInterval
        self.registrationTimeout = registrationTimeout
        self.remoteRegistrationTimeout = remoteRegistrationTimeout
        self.connectTimeout = connectTimeout
        self.connectionName = connectionName
        self.events = events
        self.ingressHostIP = ingressHostIP
        self.triggerDrainTimeout = triggerDrainTimeout
        self.logger = logger
    }
}
