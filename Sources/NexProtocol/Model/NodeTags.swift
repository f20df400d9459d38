import Foundation

/// Placement tags: a JSON object of strings (`null` on the wire when a Go peer has none).
public typealias NodeTags = [String: String]

/// The reserved `nex.*` tag keys every node reports, and the rules for user tags.
public enum NexTag {
    /// User tags may not start with this prefix (with the dot: `nex=test` is fine).
    public static let reservedPrefix = "nex."

    /// Go `GOOS` spelling of the node's operating system (`linux`, `darwin`).
    public static let os = "nex.os"
    /// Go `GOARCH` spelling of the node's architecture (`amd64`, `arm64`).
    public static let arch = "nex.arch"
    /// Decimal count of usable CPUs.
    public static let cpuCount = "nex.cpucount"
    /// `"false"`, `"true"` once lameduck is entered.
    public static let lameduck = "nex.lameduck"
    /// The nexus name.
    public static let nexus = "nex.nexus"
    /// The node name.
    public static let node = "nex.node"

    /// All reserved keys.
    public static let reservedKeys: [String] = [os, arch, cpuCount, lameduck, nexus, node]

    /// The reserved tags of a node running on this machine.
    /// Read once, like Go's `runtime.NumCPU()`: Foundation reads the cgroup files on every call, and tags are
    /// built for every ping and auction.
    private static let processorCount = String(ProcessInfo.processInfo.activeProcessorCount)

    public static func reservedTags(nexus: String, nodeName: String, lameduck: Bool = false) -> NodeTags {
        [
            os: GoPlatform.current.os,
            arch: GoPlatform.current.arch,
            cpuCount: processorCount,
            NexTag.lameduck: lameduck ? "true" : "false",
            NexTag.nexus: nexus,
            node: nodeName,
        ]
    }

    /// Checks user-supplied tags: keys must be non-empty and must not use the reserved `nex.` prefix.
    public static func validateUserTags(_ tags: NodeTags) throws(NodeTagError) {
        for key in tags.keys.sorted() {
            if key.isEmpty { throw .emptyKey }
            if key.hasPrefix(reservedPrefix) { throw .reservedKey(key) }
        }
    }

    /// True when every `(key, value)` of `filter` is among `tags` with the identical value
    /// (an empty or nil filter matches everything). Used for auction, PING and LAMEDUCK filters.
    public static func matches(_ filter: NodeTags?, tags: NodeTags?) -> Bool {
        guard let filter else { return true }
        return filter.allSatisfy { key, value in tags?[key] == value }
    }
}

/// Why user tags were refused.
public enum NodeTagError: Error, Sendable, Equatable, CustomStringConvertible {
    case reservedKey(String)
    case emptyKey

    public var description: String {
        switch self {
        case .reservedKey(let key):
            return "tag \"\(key)\" uses the reserved prefix \"\(NexTag.reservedPrefix)\"; tags starting with it are set by the node"
        case .emptyKey:
            return "tag keys must not be empty"
        }
    }
}

/// Go's spellings of operating systems and architectures (`GOOS`/`GOARCH`), so tag filters written for
/// Go nodes keep matching.
public struct GoPlatform: Sendable, Equatable {
    public let os: String
    public let arch: String

    /// The platform this binary was built for.
    public static let current: GoPlatform = {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #elseif os(FreeBSD)
        let os = "freebsd"
        #elseif os(Windows)
        let os = "windows"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "amd64"
        #elseif arch(arm64)
        let arch = "arm64"
        #elseif arch(i386)
        let arch = "386"
        #elseif arch(arm)
        let arch = "arm"
        #else
        let arch = "unknown"
        #endif
        return GoPlatform(os: os, arch: arch)
    }()

    public init(os: String, arch: String) {
        self.os = os
        self.arch = arch
    }

    /// Maps `uname` names (`Linux`/`Darwin`, `x86_64`/`aarch64`/`arm64`) to Go spellings; other values are
    /// lower-cased and passed through.
    public init(unameSystem system: String, machine: String) {
        os = system.lowercased()
        switch machine.lowercased() {
        case "x86_64", "amd64": arch = "amd64"
        case "aarch64", "arm64": arch = "arm64"
        case "i386", "i686": arch = "386"
        default: arch = machine.lowercased()
        }
    }
}
