import Foundation
import NexProtocol

// issue 14: quotas per namespace
/// What one namespace may run across the whole nexus (`nex quota set`): at most ``maxWorkloads`` workloads, and
/// optionally at most ``maxMemory`` bytes and ``maxCPU`` cores in the sum of their `limits` (decisions.md §14).
public struct NamespaceQuota: Sendable, Equatable {
    public var namespace: String
    public var maxWorkloads: Int
    /// Bytes; nil = memory is not bounded.
    public var maxMemory: Int64?
    /// Cores; nil = CPU is not bounded.
    public var maxCPU: Double?

    public init(namespace: String, maxWorkloads: Int, maxMemory: Int64? = nil, maxCPU: Double? = nil) {
        self.namespace = namespace
        self.maxWorkloads = maxWorkloads
        self.maxMemory = maxMemory
        self.maxCPU = maxCPU
    }
}

/// One admitted workload counted against its namespace: which node holds it and what its `limits` ask. The node
/// that holds a lease keeps it alive by renewing its own liveness key; a lease of a node that stopped renewing
/// expires (``QuotaBook/sweep(selfID:own:holds:)``).
public struct QuotaLease: Sendable, Equatable {
    public var node: String
    /// Bytes of `limits.memory`; 0 when the workload has none.
    public var memory: Int64
    /// Cores of `limits.cpu`; 0 when the workload has none.
    public var cpu: Double

    public init(node: String, memory: Int64 = 0, cpu: Double = 0) {
        self.node = node
        self.memory = memory
        self.cpu = cpu
    }
}

/// The document of one namespace (`ns.<namespace>`): its quota, if any, and every lease, by workload id. One key
/// per namespace holding both, so a compare-and-set on its revision orders every admission, release and quota
/// change of that namespace across all nodes: an admission never decides with a quota that was changed meanwhile.
///
/// Stored as lines (``encoded()``), not JSON: every admission reads and rewrites the whole document, and
/// Foundation's JSON coders made that cost grow fast with the lease count; lines are also readable in
/// `nats kv get`.
public struct NamespaceUsage: Sendable, Equatable {
    public var namespace: String
    public var quota: NamespaceQuota?
    public var leases: [String: QuotaLease]

    public init(namespace: String, quota: NamespaceQuota? = nil, leases: [String: QuotaLease] = [:]) {
        self.namespace = namespace
        self.quota = quota
        self.leases = leases
    }

    /// The header line's first word.
    static let format = "nex-namespace-v1"

    /// `nex-namespace-v1 <namespace>`, then `quota <max workloads> <max bytes|-> <max cores|->` when there is a
    /// quota, then one `lease <workloadId> <nodeId> <bytes> <cores>` per lease (namespaces and ids are subject
    /// tokens, so they hold no whitespace).
    public func encoded() -> Data {
        var text = "\(Self.format) \(namespace)\n"
        if let quota {
            text += "quota \(quota.maxWorkloads) \(quota.maxMemory.map(String.init) ?? "-") \(quota.maxCPU.map { "\($0)" } ?? "-")\n"
        }
        for (workloadID, lease) in leases.sorted(by: { $0.key < $1.key }) {
            text += "lease \(workloadID) \(lease.node) \(lease.memory) \(lease.cpu)\n"
        }
        return Data(text.utf8)
    }

    /// Why a stored namespace document does not read.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(encoded data: Data) throws(FormatError) {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard let header = lines.first?.split(separator: " "), header.count == 2, header[0] == Self.format else {
            throw FormatError(description: "namespace document does not start with \"\(Self.format) <namespace>\"")
        }
        namespace = String(header[1])
        quota = nil
        leases = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ")
            switch fields.first {
            case "quota"?:
                guard fields.count == 4, let workloads = Int(fields[1]) else { throw Self.badLine(namespace, line) }
                var quota = NamespaceQuota(namespace: namespace, maxWorkloads: workloads)
                if fields[2] != "-" {
                    guard let memory = Int64(fields[2]) else { throw Self.badLine(namespace, line) }
                    quota.maxMemory = memory
                }
                if fields[3] != "-" {
                    guard let cpu = Double(fields[3]) else { throw Self.badLine(namespace, line) }
                    quota.maxCPU = cpu
                }
                self.quota = quota
            case "lease"?:
                guard fields.count == 5, let memory = Int64(fields[3]), let cpu = Double(fields[4]) else { throw Self.badLine(namespace, line) }
                leases[String(fields[1])] = QuotaLease(node: String(fields[2]), memory: memory, cpu: cpu)
            default:
                throw Self.badLine(namespace, line)
            }
        }
    }

    private static func badLine(_ namespace: String, _ line: Substring) -> FormatError {
        FormatError(description: "namespace document of \(namespace) has a bad line \"\(line)\"")
    }

    public var workloads: Int { leases.count }
    public var memory: Int64 { leases.values.reduce(0) { $0 + $1.memory } }
    public var cpu: Double { leases.values.reduce(0) { $0 + $1.cpu } }
}

/// What a workload asks of its namespace's quota and its node's capacity: its `limits.memory` and `limits.cpu`
/// (``WorkloadLimits``), nil where it sets none.
public struct WorkloadDemand: Sendable, Equatable {
    public var memory: Int64?
    public var cpu: Double?

    public init(memory: Int64? = nil, cpu: Double? = nil) {
        self.memory = memory
        self.cpu = cpu
    }

    public init(_ limits: WorkloadLimits) {
        self.init(memory: limits.memory?.bytes, cpu: limits.cpu)
    }
}

/// A namespace's quota next to its current use (live leases only), for `nex quota ls`.
public struct NamespaceQuotaReport: Sendable, Equatable {
    public var namespace: String
    public var quota: NamespaceQuota?
    public var usage: NamespaceUsage
}

/// Why a deploy was not admitted: over its namespace's quota, or the quota could not be checked.
public struct QuotaRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The namespace is at a limit (workloads, memory or CPU), or the workload does not declare a limit its
        /// namespace's quota counts.
        case overQuota
        /// The quota bucket could not be read or written (refused: fail closed).
        case unavailable
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// Namespaces become KV key tokens: KV keys allow only `[-/_=.a-zA-Z0-9]`, while a namespace is any subject token.
/// Letters, digits, `-` and `_` are kept; every other byte is written `=XX` (hex, upper case), so the mapping is
/// one-to-one and readable for the usual names (`acme` stays `acme`).
enum QuotaKey {
    static func token(_ namespace: String) -> String {
        var out = ""
        for byte in namespace.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "=" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static let namespacePrefix = "ns."
    static let nodePrefix = "nodes."

    static func namespace(_ namespace: String) -> String { namespacePrefix + token(namespace) }
    static func node(_ nodeID: String) -> String { nodePrefix + token(nodeID) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
