import Foundation
import Synchronization

/// A service speaking the NATS micro discovery protocol (`$SRV.PING|INFO|STATS[.<name>[.<id>]]`), written
/// by hand because libnats 3.4.1 has no micro framework. Endpoints are subscriptions; `.inline` handlers run on
/// the delivery thread, `.task` handlers concurrently, each request in a task the service tracks until its
/// handler returns, so ``drain(timeout:)`` can wait for them.
public final class MicroService: Sendable {
    public static let errorHeader = "Nats-Service-Error"
    public static let errorCodeHeader = "Nats-Service-Error-Code"

    public struct Endpoint: Sendable, Equatable {
        public var name: String
        public var subject: String
        public var queueGroup: String
        public var metadata: [String: String]?
    }

    public let name: String
    public let version: String
    public let description: String
    public let id: String
    public let metadata: [String: String]
    public let started: Date
    let connection: NatsConnection
    private let inFlight = InFlightRequests()
    private let state = Mutex<(endpoints: [(Endpoint, EndpointStats, NatsSubscription)], discovery: [NatsSubscription])>(([], []))

    /// Starts the service's discovery subscriptions. `name` must match `[A-Za-z0-9_-]+` and `version` must
    /// be semantic (as nats.go micro requires, so `nats micro` tooling can read it).
    public init(connection: NatsConnection, name: String, version: String, description: String = "", metadata: [String: String] = [:]) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw NatsError(kind: .invalidArgument, message: "micro service name \"\(name)\" must match [A-Za-z0-9_-]+")
        }
        guard SemanticVersion.isValid(version) else {
            throw NatsError(kind: .invalidArgument, message: "micro service version \"\(version)\" is not a semantic version")
        }
        self.connection = connection
        self.name = name
        self.version = version
        self.description = description
        self.metadata = metadata
        self.started = Date()
        self.id = String(connection.newInbox().split(separator: ".").last ?? "0")

        var discovery: [NatsSubscription] = []
        for verb in ["PING", "INFO", "STATS"] {
            for subject in ["$SRV.\(verb)", "$SRV.\(verb).\(name)", "$SRV.\(verb).\(name).\(id)"] {
                discovery.append(try connection.subscribe(subject) { [weak self] message in
                    self?.answerDiscovery(verb: verb, message: message)
                })
            }
        }
        state.withLock { $0.discovery = discovery }
    }

    /// How an endpoint runs its requests.
    public enum Handler: Sendable {
        /// On nats.c's delivery thread of the endpoint, one request after the other: no thread hand-off, for
        /// handlers that answer from memory and never block or wait.
        case inline(@Sendable (MicroRequest) -> Void)
        /// In a new task per request, concurrently; the service tracks the task until the handler returns
        /// (``drain(timeout:)`` waits for it, then cancels it).
        case task(@Sendable (MicroRequest) async -> Void)
    }

    /// Adds an endpoint. `handler` runs in a new tracked task per request; it should reply exactly once.
    public func addEndpoint(name: String, subject: String, queueGroup: String, metadata: [String: String]? = nil, handler: @escaping @Sendable (MicroRequest) async -> Void) throws {
        try addEndpoint(name: name, subject: subject, queueGroup: queueGroup, metadata: metadata, handling: .task(handler))
    }

    /// Adds an endpoint whose requests run as `handling` says; each should be answered exactly once.
    public func addEndpoint(name: String, subject: String, queueGroup: String, metadata: [String: String]? = nil, handling: Handler) throws {
        let stats = EndpointStats()
        let connection = self.connection
        let inFlight = self.inFlight
        let subscription = try connection.subscribe(subject, queue: queueGroup) { message in
            let request = MicroRequest(message: message, connection: connection, replied: ReplyOnce(), stats: stats)
            switch handling {
            case .inline(let handler):
                let start = ContinuousClock.now
                handler(request)
                stats.recordRequest(since: start)
            case .task(let handler):
                inFlight.spawn {
                    let start = ContinuousClock.now
                    await handler(request)
                    stats.recordRequest(since: start)
                }
            }
        }
        let endpoint = Endpoint(name: name, subject: subject, queueGroup: queueGroup, metadata: metadata)
        state.withLock { $0.endpoints.append((endpoint, stats, subscription)) }
    }

    /// The endpoints in the order they were added.
    public var endpoints: [Endpoint] { state.withLock { $0.endpoints.map(\.0) } }

    /// Number of NATS subscriptions the service holds (endpoints + 9 discovery subjects).
    public var subscriptionCount: Int { state.withLock { $0.endpoints.count + $0.discovery.count } }

    /// Requests of `.task` endpoints whose handlers are running.
    public var requestsInFlight: Int { inFlight.count }

    /// Waits until no `.task` handler runs, at most `timeout` (at once when the calling task is cancelled),
    /// without stopping anything: new requests are still taken. Returns true when none runs.
    public func waitUntilIdle(timeout: Duration) async -> Bool {
        await inFlight.waitUntilIdle(timeout: timeout)
    }

    /// Stops the service in three steps: (1) stops taking requests: the discovery subscriptions are
    /// unsubscribed and every endpoint subscription is drained (no new messages; the ones nats.c already
    /// received are still handed to their handlers); (2) waits until every `.task` handler has returned, at most
    /// `timeout` counted from the call (steps 1 and 2 together); (3) cancels the handlers still running and waits
    /// for them at most `cancellationGrace` more. Returns the number of handlers that were still running after
    /// step 2 (0: every request in flight finished). Cancelling the calling task ends the waits of steps 2 and 3
    /// at once (the handlers are still cancelled). Idempotent: a second call only waits for what still runs.
    @discardableResult
    public func drain(timeout: Duration, cancellationGrace: Duration = .seconds(1)) async -> Int {
        let deadline = ContinuousClock.now + timeout
        let (endpoints, discovery) = state.withLock { state in
            let result = (state.endpoints.map(\.2), state.discovery)
            state.endpoints = []
            state.discovery = []
            return result
        }
        for subscription in discovery { subscription.unsubscribe() }
        for subscription in endpoints {
            let left = deadline - ContinuousClock.now
            guard left > .zero, !Task.isCancelled else {
                subscription.unsubscribe()
                continue
            }
            await subscription.drain(timeout: min(left, .seconds(2)))
        }
        let left = max(deadline - ContinuousClock.now, .zero)
        if await inFlight.waitUntilIdle(timeout: left) { return 0 }
        let unfinished = inFlight.count
        inFlight.cancelAll()
        _ = await inFlight.waitUntilIdle(timeout: cancellationGrace)
        return unfinished
    }

    /// ``drain(timeout:cancellationGrace:)`` with a 10 s bound.
    public func stop() async {
        await drain(timeout: .seconds(10))
    }

    // MARK: Discovery replies

    private func answerDiscovery(verb: String, message: NatsMessage) {
        let body: [String: JSONLiteral]
        switch verb {
        case "PING": body = identity(type: "io.nats.micro.v1.ping_response")
        case "INFO": body = info()
        default: body = stats()
        }
        try? connection.respond(to: message, payload: JSONLiteral.object(body).encoded())
    }

    private func identity(type: String) -> [String: JSONLiteral] {
        [
            "name": .string(name), "id": .string(id), "version": .string(version),
            "metadata": .object(metadata.mapValues { .string($0) }), "type": .string(type),
        ]
    }

    private func info() -> [String: JSONLiteral] {
        var body = identity(type: "io.nats.micro.v1.info_response")
        body["description"] = .string(description)
        body["endpoints"] = .array(endpoints.map { endpoint in
            .object([
                "name": .string(endpoint.name), "subject": .string(endpoint.subject),
                "queue_group": .string(endpoint.queueGroup),
                "metadata": endpoint.metadata.map { .object($0.mapValues { .string($0) }) } ?? .null,
            ])
        })
        return body
    }

    private func stats() -> [String: JSONLiteral] {
        var body = identity(type: "io.nats.micro.v1.stats_response")
        body["started"] = .string(Self.rfc3339(started))
        let entries = state.withLock { $0.endpoints.map { ($0.0, $0.1.snapshot) } }
        body["endpoints"] = .array(entries.map { endpoint, stats in
            .object([
                "name": .string(endpoint.name), "subject": .string(endpoint.subject),
                "queue_group": .string(endpoint.queueGroup),
                "num_requests": .int(Int64(stats.requests)), "num_errors": .int(Int64(stats.errors)),
                "last_error": .string(stats.lastError), "processing_time": .int(stats.processingNanos),
                "average_processing_time": .int(stats.requests == 0 ? 0 : stats.processingNanos / Int64(stats.requests)),
            ])
        })
        return body
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

}

/// A tiny JSON value for the discovery replies (NATSKit has no JSON model of its own).
enum JSONLiteral: Encodable {
    case string(String), int(Int64), null
    case array([JSONLiteral]), object([String: JSONLiteral])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
