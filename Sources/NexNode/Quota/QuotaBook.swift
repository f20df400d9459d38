import Foundation
import NATSKit
import NexProtocol

// issue 14: quotas per namespace
/// The quotas and usage of one nexus, in the JetStream KV bucket `nex-quotas-<nexus>` (decisions.md §14):
///
/// - `ns.<ns>`: the ``NamespaceUsage``: the namespace's ``NamespaceQuota`` (`nex quota set`) and one ``QuotaLease``
///   per admitted workload;
/// - `nodes.<nodeId>`: a node's liveness, rewritten every renewal period; JetStream stamps each write with the
///   server's time, and a lease whose node's stamp is older than the lease TTL (compared with the newest stamp,
///   so only server clocks are compared) has expired.
///
/// Every node admits a deploy with a compare-and-set on the revision of `ns.<ns>` (``reserve(namespace:workloadID:nodeID:demand:)``)
/// and retries when another node wrote first, so nodes deploying at once never exceed a quota together. Only
/// credentials with JetStream access to the bucket (the system's; never a workload's or a nexlet's, which have
/// no JetStream API) can change it.
public final class QuotaBook: Sendable {
    public let store: KeyValueStore
    /// How old a node's liveness stamp may be before its leases expire.
    public let leaseTTL: Duration
    /// Compare-and-set attempts of one admission before it is refused.
    static let maxAttempts = 64
    /// One writer of a namespace's document at a time in this process.
    private let turns = NamespaceTurns()

    public init(store: KeyValueStore, leaseTTL: Duration = .seconds(30)) {
        self.store = store
        self.leaseTTL = leaseTTL
    }

    /// `nex-quotas-<nexus>`. Bucket names allow only `[-_a-zA-Z0-9]` while a nexus is any subject token, so
    /// bytes other than letters, digits and `-` (also `_`) are written `_XX` (hex): `nexus` stays `nexus`, and
    /// no two nexus names share a bucket.
    public static func bucket(nexus: String) -> String {
        var name = "nex-quotas-"
        for byte in nexus.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                name.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                name += "_" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return name
    }

    /// Creates (or binds to) the nexus's quota bucket.
    public static func open(connection: NatsConnection, nexus: String, replicas: Int = 1, leaseTTL: Duration = .seconds(30)) async throws -> QuotaBook {
        let js = try JetStream(connection)
        let bucket = bucket(nexus: nexus)
        let config = KeyValueConfig(bucket: bucket, description: "nex namespace quotas and usage of nexus \(nexus)", replicas: replicas,
                                    maxBytes: 64 << 20, maxValueSize: 8 << 20)
        do {
            return QuotaBook(store: try await js.createKeyValue(config), leaseTTL: leaseTTL)
        } catch let error as NatsError where error.kind != .timeout && error.kind != .noResponders {
            // Made elsewhere with another configuration (e.g. other replicas): use it as it is.
            if let existing = try? await js.keyValue(bucket) { return QuotaBook(store: existing, leaseTTL: leaseTTL) }
            throw error
        }
    }

    /// Binds to the existing bucket; a missing one throws `NatsError` `.notFound`.
    public static func bind(connection: NatsConnection, nexus: String, timeout: Duration = .seconds(5)) async throws -> QuotaBook {
        let js = try JetStream(connection, timeout: timeout)
        return QuotaBook(store: try await js.keyValue(bucket(nexus: nexus)))
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static func encode<T: Encodable>(_ value: T) throws -> Data { try encoder.encode(value) }
    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T { try JSONDecoder().decode(type, from: data) }

    // MARK: Quotas (nex quota set / rm / ls)

    /// The namespace's quota, nil when it has none.
    public func quota(of namespace: String) async throws -> NamespaceQuota? {
        try await document(namespace).usage.quota
    }

    /// Sets (or replaces) a namespace's quota, ordered with every admission of the namespace (compare-and-set on
    /// its document). Workloads already admitted stay; deploys after it count against it.
    public func setQuota(_ quota: NamespaceQuota) async throws {
        try await modify(quota.namespace) { usage in
            if usage.quota == quota { return false }
            usage.quota = quota
            return true
        }
    }

    /// Removes a namespace's quota; false when it had none. Its usage keeps being counted.
    public func removeQuota(of namespace: String) async throws -> Bool {
        var removed = false
        try await modify(namespace) { usage in
            removed = usage.quota != nil
            usage.quota = nil
            return removed
        }
        return removed
    }

    /// Every namespace with a quota or with live leases, sorted by namespace.
    public func report() async throws -> [NamespaceQuotaReport] {
        let entries = try await store.entries()
        let live = Self.liveNodes(entries.filter { $0.key.hasPrefix(QuotaKey.nodePrefix) }, ttl: leaseTTL)
        var reports: [NamespaceQuotaReport] = []
        for entry in entries where entry.key.hasPrefix(QuotaKey.namespacePrefix) && !entry.value.isEmpty {
            guard var usage = try? NamespaceUsage(encoded: entry.value) else { continue }
            usage.leases = usage.leases.filter { live.contains($0.value.node) }
            guard usage.quota != nil || !usage.leases.isEmpty else { continue }
            reports.append(NamespaceQuotaReport(namespace: usage.namespace, quota: usage.quota, usage: usage))
        }
        return reports.sorted { $0.namespace < $1.namespace }
    }

    /// The namespace's document and the entry it was read from (nil when absent).
    private func document(_ namespace: String) async throws -> (usage: NamespaceUsage, entry: KeyValueEntry?) {
        guard let entry = try await store.get(QuotaKey.namespace(namespace)), entry.operation == .put, !entry.value.isEmpty else {
            return (NamespaceUsage(namespace: namespace), nil)
        }
        return (try NamespaceUsage(encoded: entry.value), entry)
    }

    /// The ids (decoded from the `nodes.` keys' values) of the nodes whose stamp is at most `ttl` older than the
    /// newest stamp.
    static func liveNodes(_ entries: [KeyValueEntry], ttl: Duration) -> Set<String> {
        guard let newest = entries.map(\.created).max() else { return [] }
        let horizon = ttl / .seconds(1)
        var live: Set<String> = []
        for entry in entries where newest.timeIntervalSince(entry.created) <= horizon {
            if let liveness = try? decode(NodeLiveness.self, entry.value) { live.insert(liveness.node) }
        }
        return live
    }

    struct NodeLiveness: Codable {
        var node: String
        var name: String
    }

    // MARK: Admission (the node's side)

    /// Counts a workload against its namespace if its quota allows it, in one compare-and-set on the namespace's
    /// usage (retried when another writer came first). Throws a ``QuotaRefusal``: `.overQuota` naming the limit and
    /// the current use, or `.unavailable` when the bucket cannot be read or written (the deploy is refused then).
    public func reserve(namespace: String, workloadID: String, nodeID: String, demand: WorkloadDemand) async throws(QuotaRefusal) {
        // Most namespaces have no quota: one read tells, and needs no turn. A namespace without a quota is not
        // counted (its deploys cost that read, not a growing document's rewrite); its workloads are counted by the
        // sweep once a quota is set (``sweep(selfID:own:holds:)``).
        let read: (usage: NamespaceUsage, entry: KeyValueEntry?)
        do {
            read = try await document(namespace)
        } catch {
            throw QuotaRefusal(.unavailable, "cannot check the quota of namespace \(namespace): \(error)")
        }
        guard read.usage.quota != nil else { return }
        do {
            try await turns.run(namespace) {
                try await self.reserveInTurn(namespace: namespace, workloadID: workloadID, nodeID: nodeID, demand: demand, first: read)
            }
        } catch let refusal as QuotaRefusal {
            throw refusal
        } catch {
            throw QuotaRefusal(.unavailable, "cannot check the quota of namespace \(namespace): \(error)")
        }
    }

    /// `first` is the document as read before the turn: the first attempt decides on it (compare-and-set rejects
    /// it if anyone wrote since), later ones read again. A namespace read without waiting for a turn so costs one
    /// read and one write.
    private func reserveInTurn(
        namespace: String, workloadID: String, nodeID: String, demand: WorkloadDemand,
        first: (usage: NamespaceUsage, entry: KeyValueEntry?)
    ) async throws(QuotaRefusal) {
        for attempt in 1...Self.maxAttempts {
            var (usage, current) = first
            if attempt > 1 {
                do {
                    (usage, current) = try await document(namespace)
                } catch {
                    throw QuotaRefusal(.unavailable, "cannot check the quota of namespace \(namespace): \(error)")
                }
            }
            // The quota may have been removed meanwhile: then nothing is counted.
            guard let quota = usage.quota else { return }
            if let problem = Self.problem(quota: quota, usage: usage, demand: demand) {
                throw QuotaRefusal(.overQuota, problem)
            }
            usage.leases[workloadID] = QuotaLease(node: nodeID, memory: demand.memory ?? 0, cpu: demand.cpu ?? 0)
            do {
                try await write(usage, over: current)
                return
            } catch is KeyValueConflict {
                // Another writer went first: read again and decide again. The pre-turn read is stale whenever this
                // node's own writer went first, so only a conflict on a fresh read (another node) backs off.
                if attempt > 1 { try? await Task.sleep(for: .milliseconds(Int.random(in: 1...min(5 * attempt, 50)))) }
            } catch {
                throw QuotaRefusal(.unavailable, "cannot record the workload in the usage of namespace \(namespace): \(error)")
            }
        }
        throw QuotaRefusal(.unavailable, "cannot check the quota of namespace \(namespace): too many concurrent deploys, try again")
    }

    /// Why `demand` does not fit `quota` next to `usage`, or nil.
    static func problem(quota: NamespaceQuota, usage: NamespaceUsage, demand: WorkloadDemand) -> String? {
        let namespace = quota.namespace
        if usage.workloads + 1 > quota.maxWorkloads {
            return "namespace \(namespace) is at its quota: \(usage.workloads) of \(quota.maxWorkloads) workloads"
        }
        if let maxMemory = quota.maxMemory {
            guard let memory = demand.memory else {
                return "namespace \(namespace) has a memory quota of \(ByteSize(bytes: maxMemory)): the workload must set limits.memory in its start request"
            }
            if usage.memory + memory > maxMemory {
                return "namespace \(namespace) is at its memory quota: \(ByteSize(bytes: usage.memory)) of \(ByteSize(bytes: maxMemory)) used, the workload asks \(ByteSize(bytes: memory))"
            }
        }
        if let maxCPU = quota.maxCPU {
            guard let cpu = demand.cpu else {
                return "namespace \(namespace) has a CPU quota of \(CPUText.cores(maxCPU)) cores: the workload must set limits.cpu in its start request"
            }
            if usage.cpu + cpu > maxCPU + 1e-9 {
                return "namespace \(namespace) is at its CPU quota: \(CPUText.cores(usage.cpu)) of \(CPUText.cores(maxCPU)) cores used, the workload asks \(CPUText.cores(cpu))"
            }
        }
        return nil
    }

    /// Counts workloads of one namespace that were admitted before (stored workloads handed back to an agent
    /// after a restart) without checking the quota: refusing one would drop an acknowledged workload. One
    /// compare-and-set for them all, so a replay costs a write per namespace, not per workload.
    public func adopt(namespace: String, workloads: [(workloadID: String, demand: WorkloadDemand)], nodeID: String) async throws {
        try await modify(namespace) { usage in
            // Without a quota nothing is counted (as at deploy).
            guard usage.quota != nil else { return false }
            var changed = false
            for (workloadID, demand) in workloads {
                let lease = QuotaLease(node: nodeID, memory: demand.memory ?? 0, cpu: demand.cpu ?? 0)
                if usage.leases[workloadID] == lease { continue }
                usage.leases[workloadID] = lease
                changed = true
            }
            return changed
        }
    }

    /// Releases a workload's lease (stopped, ended, failed to start). Unknown ids are fine.
    public func release(namespace: String, workloadID: String) async throws {
        try await modify(namespace) { usage in usage.leases.removeValue(forKey: workloadID) != nil }
    }

    /// Applies `change` to the namespace's usage with compare-and-set, retrying on conflict; `change` returns
    /// false when there is nothing to write.
    private func modify(_ namespace: String, _ change: (inout NamespaceUsage) -> Bool) async throws {
        // Nothing to change (no lease to release, no quota to count in): one read, no turn.
        let read = try await document(namespace)
        var probe = read.usage
        guard change(&probe) else { return }
        try await turns.run(namespace) { try await self.modifyInTurn(namespace, change, first: read) }
    }

    /// `first` as in ``reserveInTurn(namespace:workloadID:nodeID:demand:first:)``.
    private func modifyInTurn(
        _ namespace: String, _ change: (inout NamespaceUsage) -> Bool, first: (usage: NamespaceUsage, entry: KeyValueEntry?)
    ) async throws {
        for attempt in 1...Self.maxAttempts {
            // The pre-turn read is stale when this node's own writer went first: then read again at once.
            var (usage, current) = attempt == 1 ? first : try await document(namespace)
            guard change(&usage) else { return }
            do {
                try await write(usage, over: current)
                return
            } catch is KeyValueConflict {
                if attempt > 1 { try? await Task.sleep(for: .milliseconds(Int.random(in: 1...min(5 * attempt, 50)))) }
            }
        }
        throw QuotaRefusal(.unavailable, "too many concurrent writers of the document of namespace \(namespace)")
    }

    /// Writes `usage` if `ns.<ns>` is still at the revision it was read at, or creates it if it was absent
    /// (``KeyValueStore/create(_:_:)`` also re-creates a deleted key).
    private func write(_ usage: NamespaceUsage, over current: KeyValueEntry?) async throws {
        let key = QuotaKey.namespace(usage.namespace)
        let value = usage.encoded()
        if let current {
            try await store.update(key, value, expectedRevision: current.revision)
        } else {
            try await store.create(key, value)
        }
    }

    // MARK: Liveness and reconciliation

    /// Stamps the node's liveness key (the server stamps the write's time).
    public func renew(nodeID: String, name: String) async throws {
        try await store.put(QuotaKey.node(nodeID), Self.encode(NodeLiveness(node: nodeID, name: name)))
    }

    /// Releases every lease `nodeID` holds and removes its liveness key (a node that stops, or restarts and
    /// counts its workloads again as its agents take them back).
    public func releaseAll(of nodeID: String, retire: Bool) async throws {
        for entry in try await store.entries(prefix: QuotaKey.namespacePrefix) where !entry.value.isEmpty {
            guard let usage = try? NamespaceUsage(encoded: entry.value), usage.leases.values.contains(where: { $0.node == nodeID }) else { continue }
            try await modify(usage.namespace) { usage in
                let before = usage.leases.count
                usage.leases = usage.leases.filter { $0.value.node != nodeID }
                return usage.leases.count != before
            }
        }
        if retire { try await store.purge(QuotaKey.node(nodeID)) }
    }

    /// Drops expired leases: those of nodes whose liveness stamp is older than the lease TTL (or missing), and
    /// this node's own leases of workloads it no longer holds (`holds` says; a release that failed). In a
    /// namespace with a quota it also counts this node's workloads that have no lease (`own`, by namespace): they
    /// ran before the quota was set, when nothing was counted. Returns how many leases were dropped. A conflict
    /// leaves that namespace for the next sweep.
    @discardableResult
    public func sweep(selfID: String, own: [String: [(workloadID: String, demand: WorkloadDemand)]] = [:],
                      holds: (String) -> Bool) async throws -> Int {
        let entries = try await store.entries()
        var live = Self.liveNodes(entries.filter { $0.key.hasPrefix(QuotaKey.nodePrefix) }, ttl: leaseTTL)
        live.insert(selfID)
        var dropped = 0
        for entry in entries where entry.key.hasPrefix(QuotaKey.namespacePrefix) && !entry.value.isEmpty {
            guard var usage = try? NamespaceUsage(encoded: entry.value) else { continue }
            var kept = usage.leases.filter { workloadID, lease in
                live.contains(lease.node) && (lease.node != selfID || holds(workloadID))
            }
            let count = usage.leases.count - kept.count
            var counted = 0
            if usage.quota != nil {
                for (workloadID, demand) in own[usage.namespace] ?? [] where kept[workloadID] == nil && holds(workloadID) {
                    kept[workloadID] = QuotaLease(node: selfID, memory: demand.memory ?? 0, cpu: demand.cpu ?? 0)
                    counted += 1
                }
            }
            guard count > 0 || counted > 0 else { continue }
            usage.leases = kept
            do {
                try await write(usage, over: entry)
                dropped += count
            } catch is KeyValueConflict {
                continue
            }
        }
        return dropped
    }
}

/// Cores as operators write them: `4`, `1.5`, `0.25` (node refusals and `nex quota ls`).
public enum CPUText {
    public static func cores(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
