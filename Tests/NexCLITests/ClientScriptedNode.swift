import Foundation
import NATSKit
import NATSTestSupport
import NexProtocol
import Synchronization

/// How a scripted node behaves at auctions.
enum AuctionStyle: Sendable, Equatable {
    /// A Go node: silent unless it bids, no extra headers.
    case go
    /// One of ours: declines invited auctions explicitly, and every answer carries `Nex-Nexus-Size`.
    case ours(nexusSize: Int)
}

/// What a scripted node is like.
struct NodeScript: Sendable {
    var name: String
    var nodeID = "N" + NUID.next().uppercased()
    /// User tags (the reserved `nex.*` tags are added).
    var tags: NodeTags = ["foo": "bar"]
    var style = AuctionStyle.go
    var agentType = "inmem"
    var agentName = "inmem"
    var agentID = NUID.next()
    var lifecycles: [WorkloadLifecycle]? = [.service, .job, .function]
    /// False: the agent is not healthy, so the node never bids.
    var bids = true
    /// False: workload summaries omit `namespace` (an agent that does not report it).
    var reportsNamespace = true
    /// Set: every start fails in the agent with this text (code 100).
    var agentStartError: String?
    /// Set: auction answers leave this late (a far or busy node).
    var auctionDelay: Duration?

    init(name: String) {
        self.name = name
    }
}

/// A node played by the test with NATSKit: the subjects, queue groups, silences and replies of a real node
/// (protocol.md §1.1, §3, §5.1) over an in-memory workload table. Auction answers follow `style`.
final class ScriptedNode: Sendable {
    struct Memory {
        /// Workload id → its stored definition, in deploy order.
        var workloads: [(id: String, request: StartWorkloadRequest)] = []
        var bids: Set<String> = []
        var lameduck = false
        /// Raw ADEPLOY bodies received.
        var deployBodies: [Data] = []
        /// Headers of the auction requests received.
        var auctionHeaders: [NatsHeaders] = []
    }

    let script: NodeScript
    let connection: NatsConnection
    private let memory = Mutex(Memory())
    private let subscriptions = Mutex<[NatsSubscription]>([])

    var nodeID: String { script.nodeID }

    /// Tags as the node reports them: the user tags plus the reserved ones.
    var allTags: NodeTags {
        let lameduck = memory.withLock { $0.lameduck }
        return script.tags.merging(NexTag.reservedTags(nexus: "testnexus", nodeName: script.name, lameduck: lameduck)) { user, _ in user }
    }

    private init(script: NodeScript, connection: NatsConnection) {
        self.script = script
        self.connection = connection
    }

    /// Connects, subscribes like a node (queue group = node id) and flushes.
    static func start(_ script: NodeScript, on server: NATSServer) async throws -> ScriptedNode {
        let connection = try await connectTo(server, name: script.name)
        let node = ScriptedNode(script: script, connection: connection)
        let system = NexConstants.systemNamespace
        let subjects = [
            NexSubject.ping(namespace: system),
            NexSubject.placementTags(namespace: system),
            NexSubject.info(namespace: system, nodeID: script.nodeID),
            NexSubject.lameduck(namespace: system, nodeID: script.nodeID),
            NexSubject.agentID(namespace: system, nodeID: script.nodeID),
            "$NEX.SVC.*.control.AUCTION",
            "$NEX.SVC.*.control.ADEPLOY.*",
            "$NEX.SVC.*.control.UNDEPLOY.*",
            "$NEX.SVC.*.control.CLONE.*",
            "$NEX.SVC.*.control.WPING",
        ]
        var subscribed: [NatsSubscription] = []
        for subject in subjects {
            subscribed.append(try connection.subscribe(subject, queue: script.nodeID) { [weak node] message in
                node?.handle(message)
            })
        }
        node.subscriptions.withLock { $0 = subscribed }
        try await connection.flush()
        return node
    }

    /// Stops answering (like a node that shut down).
    func shutdown() {
        let subscribed = subscriptions.withLock { list -> [NatsSubscription] in
            defer { list = [] }
            return list
        }
        for subscription in subscribed { subscription.unsubscribe() }
    }

    /// The workloads this node runs.
    var workloads: [(id: String, request: StartWorkloadRequest)] { memory.withLock { $0.workloads } }
    var deployBodies: [Data] { memory.withLock { $0.deployBodies } }
    var auctionHeaders: [NatsHeaders] { memory.withLock { $0.auctionHeaders } }

    /// Puts a workload in the table directly (as if deployed earlier).
    func insertWorkload(id: String, _ request: StartWorkloadRequest) {
        memory.withLock { $0.workloads.append((id, request)) }
    }

    // MARK: Routing

    private func handle(_ message: NatsMessage) {
        guard let control = ControlSubject(message.subject) else { return }
        switch control.verb {
        case .ping: ping(message)
        case .placementTags: send(message, allTags)
        case .info: info(message)
        case .lameduck: lameduck(message)
        case .agentID: agentID(message)
        case .auction: auction(message, namespace: control.namespace)
        case .auctionDeploy: deploy(message, namespace: control.namespace, bid: control.target ?? "")
        case .undeploy: undeploy(message, namespace: control.namespace, id: control.target ?? "")
        case .clone: clone(message, namespace: control.namespace, id: control.target ?? "")
        case .workloadPing: listWorkloads(message, namespace: control.namespace)
        case .heartbeat: return
        }
    }

    // MARK: System endpoints

    private func ping(_ message: NatsMessage) {
        guard let request = decode(NodePingRequest.self, message, friendly: "failed to unmarshal ping request") else { return }
        let tags = allTags
        guard NexTag.matches(request.filter, tags: tags) else { return }
        let lameduck = memory.withLock { $0.lameduck }
        send(message, NodePingResponse(
            nodeID: script.nodeID, version: "0.0.0", startTime: .now(), state: lameduck ? .lameduck : .running,
            tags: tags, xkey: "XNODE", agentCount: 1))
    }

    private func info(_ message: NatsMessage) {
        send(message, NodeInfoResponse(nodeID: script.nodeID, version: "0.0.0", uptime: .second, tags: allTags, xkey: "XNODE"))
    }

    private func lameduck(_ message: NatsMessage) {
        guard let request = decode(LameduckRequest.self, message, friendly: "failed to unmarshal lameduck request") else { return }
        guard NexTag.matches(request.tag, tags: allTags) else { return }
        guard let delay = try? request.parsedDelay() else {
            fail(message, status: 400, friendly: "failed to parse lameduck delay", detail: "bad delay")
            return
        }
        memory.withLock { $0.lameduck = true }
        send(message, LameduckResponse(success: true, message: "node entering lameduck mode"))
        Task { [self] in
            try? await Task.sleep(for: delay.duration)
            shutdown()
        }
    }

    private func agentID(_ message: NatsMessage) {
        guard !message.payload.isEmpty else {
            fail(message, status: 400, friendly: "agent name is required", detail: "agent name is required")
            return
        }
        guard message.string == script.agentName else { return }
        try? connection.respond(to: message, payload: Data(script.agentID.utf8))
    }

    // MARK: Namespace endpoints

    private func auction(_ message: NatsMessage, namespace: String) {
        memory.withLock { $0.auctionHeaders.append(message.headers) }
        guard let request = decode(AuctionRequest.self, message, friendly: "failed to unmarshal auction request") else { return }
        var headers = NatsHeaders()
        if case .ours(let size) = script.style { headers.set("Nex-Nexus-Size", String(size)) }
        let decline: String?
        if !script.bids || request.agentType != script.agentType {
            decline = "no healthy agent of type \(request.agentType)"
        } else if !NexTag.matches(request.tags, tags: allTags) {
            decline = "placement tags do not match"
        } else if memory.withLock({ $0.lameduck }) {
            decline = "node is in lameduck mode"
        } else {
            decline = nil
        }
        if let decline {
            guard case .ours = script.style, message.headers[NexHeader.auctionDecline] == "ok" else { return }
            headers.set(NexHeader.auctionDecline, decline)
            later { [self, headers] in try? connection.respond(to: message, headers: headers) }
            return
        }
        let bidID = NUID.next()
        memory.withLock { _ = $0.bids.insert(bidID) }
        let bid = AuctionResponse(bidderID: bidID, startRequestSchema: "{}", supportedLifecycles: script.lifecycles, xkey: "XAGENT")
        later { [self, headers] in send(message, bid, headers: headers) }
    }

    /// Runs `answer` now, or after ``NodeScript/auctionDelay``.
    private func later(_ answer: @escaping @Sendable () -> Void) {
        guard let delay = script.auctionDelay else { return answer() }
        Task {
            try? await Task.sleep(for: delay)
            answer()
        }
    }

    private func deploy(_ message: NatsMessage, namespace: String, bid: String) {
        guard memory.withLock({ $0.bids.contains(bid) }) else { return }
        memory.withLock { $0.deployBodies.append(message.payload) }
        guard let request = decode(StartWorkloadRequest.self, message, friendly: "failed to unmarshal auction deploy workload request") else { return }
        guard namespaceAllowed(message, subject: namespace, body: request.namespace) else { return }
        guard request.workloadType == script.agentType else {
            fail(message, status: 404, friendly: "workload type not found", detail: "workload type not found")
            return
        }
        let id = NUID.next()
        if let failure = script.agentStartError {
            let body = (try? GoJSON.encode(StartWorkloadResponse(id: id, name: request.name))) ?? Data()
            respond(message, ServiceErrorReply.agent(failure, body: body))
            return
        }
        memory.withLock { $0.workloads.append((id, request)) }
        send(message, StartWorkloadResponse(id: id, name: request.name))
    }

    private func undeploy(_ message: NatsMessage, namespace: String, id: String) {
        guard let request = decode(StopWorkloadRequest.self, message, friendly: "failed to unmarshal stop workload request") else { return }
        guard namespaceAllowed(message, subject: namespace, body: request.namespace) else { return }
        let removed = memory.withLock { memory -> StartWorkloadRequest? in
            guard let index = memory.workloads.firstIndex(where: { $0.id == id && $0.request.namespace == request.namespace }) else { return nil }
            return memory.workloads.remove(at: index).request
        }
        if let removed {
            send(message, StopWorkloadResponse(id: id, stopped: true, workloadType: removed.workloadType))
        } else {
            send(message, StopWorkloadResponse.notFound(id: id))
        }
    }

    private func clone(_ message: NatsMessage, namespace: String, id: String) {
        guard let request = decode(CloneWorkloadRequest.self, message, friendly: "failed to unmarshal clone workload request") else { return }
        guard namespaceAllowed(message, subject: namespace, body: request.namespace) else { return }
        guard let definition = memory.withLock({ $0.workloads.first { $0.id == id }?.request }) else { return }
        guard definition.namespace == namespace || namespace == NexConstants.systemNamespace else { return }
        send(message, definition)
    }

    private func listWorkloads(_ message: NatsMessage, namespace: String) {
        guard let request = decode(AgentListWorkloadsRequest.self, message, friendly: "failed to unmarshal ping request") else { return }
        guard namespaceAllowed(message, subject: namespace, body: request.namespace) else { return }
        let all = request.namespace == NexConstants.systemNamespace
        let summaries = workloads
            .filter { all || $0.request.namespace == request.namespace }
            .filter { request.keeps(id: $0.id, name: $0.request.name) }
            .map { entry in
                WorkloadSummary(
                    id: entry.id, name: entry.request.name,
                    namespace: script.reportsNamespace ? entry.request.namespace : nil,
                    workloadType: entry.request.workloadType, workloadLifecycle: entry.request.workloadLifecycle.rawValue,
                    workloadState: .running, startTime: GoTime.now().rfc3339Seconds, runtime: "1s", tags: entry.request.tags)
            }
        send(message, summaries)
    }

    // MARK: Replies

    /// The 403 rule of ADEPLOY/UNDEPLOY/CLONE/WPING; false (after replying) when it refuses.
    private func namespaceAllowed(_ message: NatsMessage, subject: String, body: String) -> Bool {
        guard subject != body, subject != NexConstants.systemNamespace else { return true }
        fail(message, status: 403, friendly: "namespace mismatch: \(subject) != \(body)", detail: "namespace mismatch")
        return false
    }

    private func decode<T: Decodable>(_ type: T.Type, _ message: NatsMessage, friendly: String) -> T? {
        do {
            return try GoJSON.decode(type, from: message.payload)
        } catch {
            fail(message, status: 400, friendly: friendly, detail: "\(error)")
            return nil
        }
    }

    private func send<T: Encodable>(_ message: NatsMessage, _ value: T, headers: NatsHeaders = NatsHeaders()) {
        guard let payload = try? GoJSON.encode(value) else { return }
        try? connection.respond(to: message, payload: payload, headers: headers)
    }

    private func fail(_ message: NatsMessage, status: Int, friendly: String, detail: String) {
        respond(message, NexError.service(status: status, friendly: friendly, detail: detail).reply)
    }

    private func respond(_ message: NatsMessage, _ reply: ServiceErrorReply) {
        try? connection.respond(to: message, payload: reply.body, headers: natsHeaders(reply.headers))
    }
}

/// Converts a header dictionary to `NatsHeaders` (sorted by name for a stable order).
func natsHeaders(_ dictionary: [String: [String]]) -> NatsHeaders {
    var headers = NatsHeaders()
    for name in dictionary.keys.sorted() {
        for value in dictionary[name] ?? [] { headers.add(name, value) }
    }
    return headers
}
