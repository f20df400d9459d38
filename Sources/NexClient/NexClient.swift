import NATSKit
import NATSSubjects
import NexProtocol
import OffPool

/// A client of a nex cluster (a nexus of nodes), speaking the wire protocol of protocol.md §3 over one NATS
/// connection on behalf of one namespace.
///
/// Works against Go nodes and ours. Every call has its own deadline from ``options``. Calls that gather
/// replies from many nodes return their items together with the errors some nodes sent
/// (``GatherOutcome``); single-answer calls throw ``NexProtocol/NexError`` (or `CancellationError`).
///
/// The namespace `system` is the administrative one: only it reaches the node-level endpoints (PING,
/// PTAGS, INFO, LAMEDUCK, AGENTID), lists workloads of every namespace and stops workloads after finding
/// their owner.
public struct NexClient: Sendable {
    /// The connection every request goes through.
    public let connection: NatsConnection
    /// The caller's namespace (a single subject token).
    public let namespace: String
    /// Deadlines and collection rules.
    public var options: NexClientOptions

    /// A client for `namespace`. Throws a 400 ``NexProtocol/NexError`` when the namespace is not a single
    /// subject token.
    public init(connection: NatsConnection, namespace: String, options: NexClientOptions = NexClientOptions()) throws {
        try Self.checkToken(namespace, as: "namespace")
        self.connection = connection
        self.namespace = namespace
        self.options = options
    }

    /// True for the administrative namespace `system`.
    public var isSystem: Bool { namespace == NexConstants.systemNamespace }

    /// A copy of this client with changed options, e.g. `client.with { $0.auction.totalTimeout = .seconds(1) }`.
    public func with(_ change: (inout NexClientOptions) -> Void) -> NexClient {
        var copy = self
        change(&copy.options)
        return copy
    }

    /// Throws a 400 unless `value` can be used as exactly one subject token.
    static func checkToken(_ value: String, as role: String) throws(NexError) {
        do {
            try SubjectToken.validate(value, as: role)
        } catch {
            throw NexError.badRequest(error.description, body: "invalid \(role)")
        }
    }
}
