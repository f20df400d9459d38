import FlyingFox
import FlyingSocks
import Foundation
import Logging
import OffPool
import NexNode
import ServiceLifecycle
import Synchronization

/// The node's HTTP endpoint, a swift-service-lifecycle `Service`:
/// - `GET /healthz`: 200 while the process serves;
/// - `GET /readyz`: 200 when the node is ready (``NexNode/readiness(stateTimeout:)``), else 503; both with a JSON
///   body naming every check;
/// - `GET /metrics`: the Prometheus text exposition of the node's ``NodeMetricsRegistry``.
///
/// Put it before the node in the group's list: groups stop in reverse order, so it outlives the node's drain and
/// answers "not ready" while the node stops. An address it cannot listen on (a port in use) is a warning: the
/// service then idles until the group shuts down, and the node runs without its endpoint.
///
/// Workloads share the host's loopback, and the metrics name namespaces: with `refusingUIDs` (the native
/// nexlet's workload uid range) a connection from a local socket owned by one of those uids gets `403`, so a
/// sandboxed workload learns nothing of other tenants from the endpoint.
public final class NodeHTTPService: Service, Sendable, CustomStringConvertible {
    public let address: NodeHTTPAddress
    private let node: NexNode
    private let metrics: NodeMetricsRegistry
    private let logger: Logger
    private let refusedUIDs: ClosedRange<UInt32>?
    private let listening = Mutex<(port: UInt16?, failure: String?, waiters: [CheckedContinuation<UInt16?, Never>])>((nil, nil, []))

    public init(node: NexNode, address: NodeHTTPAddress, metrics: NodeMetricsRegistry, logger: Logger,
                refusingUIDs refusedUIDs: ClosedRange<UInt32>? = nil) {
        self.refusedUIDs = refusedUIDs
        self.node = node
        self.address = address
        self.metrics = metrics
        self.logger = logger
    }

    public var description: String { "HTTP endpoint \(address)" }

    /// The port it listens on (the one the system chose for port 0), once it does; nil when it could not listen.
    public func waitUntilListening() async -> UInt16? {
        await withCheckedContinuation { continuation in
            let settled = listening.withLock { state -> (Bool, UInt16?) in
                if state.port != nil || state.failure != nil { return (true, state.port) }
                state.waiters.append(continuation)
                return (false, nil)
            }
            if settled.0 { continuation.resume(returning: settled.1) }
        }
    }

    public func run() async throws {
        let server = HTTPServer(config: .init(address: try socketAddress(), timeout: 10, logger: FlyingFoxLogger(logger: logger)))
        await addRoutes(to: server)
        let serving = Task {
            do {
                try await server.run()
            } catch is CancellationError {
            } catch {
                let reason = Self.describe(error)
                // Warned before anyone waiting hears of it.
                self.logger.warning("cannot serve /healthz, /readyz and /metrics on \(self.address) (\(reason)); the node runs without its HTTP endpoint",
                                    metadata: ["http_addr": "\(self.address)"])
                self.settle(port: nil, failure: reason)
            }
        }
        let watcher = Task {
            do {
                // Generous: binding is immediate, but a loaded machine may be slow to get here.
                try await server.waitUntilListening(timeout: 120)
                let port = await server.listeningAddress.flatMap(Self.port(of:))
                self.settle(port: port, failure: port == nil ? "no address" : nil)
                self.logger.info("HTTP endpoint listening", metadata: ["http_addr": "\(self.address)", "port": "\(port.map(String.init) ?? "?")"])
            } catch {
                self.settle(port: nil, failure: "\(error)")
            }
        }
        // Serve (or idle, when listening failed) until the group shuts down.
        try? await gracefulShutdown()
        watcher.cancel()
        // No grace: FlyingFox's server task only ends when cancelled (its socket pool runs until then), so any
        // timeout here would be waited in full; a scrape cut short is simply retried by Prometheus.
        await server.stop(timeout: 0)
        serving.cancel()
        _ = await serving.value
        settle(port: nil, failure: "stopped")
    }

    private func settle(port: UInt16?, failure: String?) {
        let waiters = listening.withLock { state -> [CheckedContinuation<UInt16?, Never>] in
            if state.port == nil && state.failure == nil {
                state.port = port
                state.failure = failure
            }
            defer { state.waiters = [] }
            return state.waiters
        }
        let port = listening.withLock { $0.port }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    private func socketAddress() throws -> any SocketAddress {
        switch address.family {
        case .ipv4: return try sockaddr_in.inet(ip4: address.host, port: address.port)
        case .ipv6: return try sockaddr_in6.inet6(ip6: address.host, port: address.port)
        }
    }

    /// A socket error's own words ("Address already in use").
    static func describe(_ error: any Error) -> String {
        if case SocketError.failed(_, _, let message) = error { return message }
        return "\(error)"
    }

    private static func port(of address: Socket.Address) -> UInt16? {
        switch address {
        case .ip4(_, let port), .ip6(_, let port): return port
        default: return nil
        }
    }

    private func addRoutes(to server: HTTPServer) async {
        let node = node
        let metrics = metrics
        let refused = refusedUIDs
        let logger = logger
        /// Whether the request comes from a workload's uid on this host.
        @Sendable func fromWorkload(_ request: HTTPRequest) async -> Bool {
            guard let refused else { return false }
            let peer: (String, UInt16)?
            switch request.remoteAddress {
            case .ip4(let host, let port), .ip6(let host, let port): peer = (host, port)
            default: peer = nil
            }
            guard let (host, port) = peer else { return false }
            guard let uid = await Blocking.value({ LocalPeer.uid(host: host, port: port) }) else {
                // A peer on another host is not in this host's socket tables; a loopback peer always is, so one
                // that cannot be told apart is refused (fail closed) rather than taken for the node's user.
                guard LocalPeer.isLoopback(host) else { return false }
                logger.warning("refused an HTTP request from a loopback peer whose uid could not be read", metadata: ["path": "\(request.path)"])
                return true
            }
            guard refused.contains(uid) else { return false }
            logger.debug("refused an HTTP request from a workload uid", metadata: ["uid": "\(uid)", "path": "\(request.path)"])
            return true
        }
        let forbidden = HTTPResponse(statusCode: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: Data("forbidden\n".utf8))
        await server.appendRoute("GET /healthz") { request in
            if await fromWorkload(request) { return forbidden }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: Data("ok\n".utf8))
        }
        await server.appendRoute("GET /readyz") { request in
            if await fromWorkload(request) { return forbidden }
            let readiness = await node.readiness()
            return HTTPResponse(statusCode: readiness.isReady ? .ok : .serviceUnavailable,
                                headers: [.contentType: "application/json"], body: Self.json(readiness))
        }
        await server.appendRoute("GET /metrics") { request in
            if await fromWorkload(request) { return forbidden }
            let body = await metrics.exposition(of: node)
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: Data(body))
        }
    }

    /// `{"ready": false, "not_ready": ["nats"], "checks": {"nats": {"ok": false, "detail": "not connected"}, …}}`
    static func json(_ readiness: NodeReadiness) -> Data {
        struct Check: Encodable { var ok: Bool; var detail: String }
        struct Body: Encodable {
            var ready: Bool
            var notReady: [String]
            var checks: [String: Check]
            enum CodingKeys: String, CodingKey { case ready, notReady = "not_ready", checks }
        }
        let body = Body(ready: readiness.isReady, notReady: readiness.notReady,
                        checks: Dictionary(readiness.checks.map { ($0.name, Check(ok: $0.ok, detail: $0.detail)) }, uniquingKeysWith: { first, _ in first }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ((try? encoder.encode(body)) ?? Data(#"{"ready":false}"#.utf8)) + Data("\n".utf8)
    }
}

/// FlyingFox's log lines go to the node's logger at debug level (its "server error" for a port in use is reported
/// once, as the service's warning).
struct FlyingFoxLogger: FlyingSocks.Logging {
    let logger: Logger

    func logDebug(_ debug: @autoclosure () -> String) { logger.debug("\(debug())") }
    func logInfo(_ info: @autoclosure () -> String) { logger.debug("\(info())") }
    func logWarning(_ warning: @autoclosure () -> String) { logger.debug("\(warning())") }
    func logError(_ error: @autoclosure () -> String) { logger.debug("\(error())") }
    func logCritical(_ critical: @autoclosure () -> String) { logger.debug("\(critical())") }
}
