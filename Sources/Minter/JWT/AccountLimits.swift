/// Account-level limits (Go `jwt.AccountLimits`); -1 = unlimited.
public struct AccountLimits: Sendable, Equatable {
    public var imports: Int64 = -1
    public var exports: Int64 = -1
    /// `wildcards`: wildcard exports allowed.
    public var wildcardExports: Bool = true
    /// `disallow_bearer`: user JWTs of this account may not be bearer tokens.
    public var disallowBearer: Bool = false
    /// `conn`: maximum client connections.
    public var connections: Int64 = -1
    /// `leaf`: maximum leaf node connections.
    public var leafNodeConnections: Int64 = -1

    public init() {}

    func write(into object: inout GoJSONObject) {
        object.int("imports", imports)
        object.int("exports", exports)
        object.bool("wildcards", wildcardExports)
        object.bool("disallow_bearer", disallowBearer)
        object.int("conn", connections)
        object.int("leaf", leafNodeConnections)
    }
}

/// JetStream limits of an account (Go `jwt.JetStreamLimits`). All zero = JetStream disabled for the account;
/// -1 = unlimited.
public struct JetStreamLimits: Sendable, Equatable {
    public var memoryStorage: Int64 = 0
    public var diskStorage: Int64 = 0
    public var streams: Int64 = 0
    public var consumers: Int64 = 0
    public var maxAckPending: Int64 = 0
    public var memoryMaxStreamBytes: Int64 = 0
    public var diskMaxStreamBytes: Int64 = 0
    public var maxBytesRequired: Bool = false

    /// JetStream disabled (Go's default for new account claims).
    public static let disabled = JetStreamLimits()

    /// JetStream enabled without limits (memory, disk, streams and consumers -1).
    public static let unlimited: JetStreamLimits = {
        var limits = JetStreamLimits()
        limits.memoryStorage = -1
        limits.diskStorage = -1
        limits.streams = -1
        limits.consumers = -1
        return limits
    }()

    public init() {}

    func write(into object: inout GoJSONObject) {
        object.int("mem_storage", memoryStorage)
        object.int("disk_storage", diskStorage)
        object.int("streams", streams)
        object.int("consumer", consumers)
        object.int("max_ack_pending", maxAckPending)
        object.int("mem_max_stream_bytes", memoryMaxStreamBytes)
        object.int("disk_max_stream_bytes", diskMaxStreamBytes)
        object.bool("max_bytes_required", maxBytesRequired)
    }
}

/// The limits an operator puts on an account (Go `jwt.OperatorLimits`).
public struct OperatorLimits: Sendable, Equatable {
    public var nats: NatsLimits = .unlimited
    public var account = AccountLimits()
    public var jetStream: JetStreamLimits = .disabled
    /// `tiered_limits`: JetStream limits per replication tier (`R1`, `R3`); exclusive with `jetStream`.
    public var tieredJetStream: [String: JetStreamLimits] = [:]

    public init() {}

    func write(into object: inout GoJSONObject) {
        nats.write(into: &object)
        account.write(into: &object)
        jetStream.write(into: &object)
        if !tieredJetStream.isEmpty {
            object.object("tiered_limits") { tiers in
                for key in tieredJetStream.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    tiers.object(key) { limits in tieredJetStream[key]?.write(into: &limits) }
                }
            }
        }
    }
}

// MARK: - Decoding (absent keys take Go's zero values)

extension AccountLimits: Decodable {
    enum CodingKeys: String, CodingKey {
        case imports, exports, wildcards, disallowBearer = "disallow_bearer", conn, leaf
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        imports = try container.decodeIfPresent(Int64.self, forKey: .imports) ?? 0
        exports = try container.decodeIfPresent(Int64.self, forKey: .exports) ?? 0
        wildcardExports = try container.decodeIfPresent(Bool.self, forKey: .wildcards) ?? false
        disallowBearer = try container.decodeIfPresent(Bool.self, forKey: .disallowBearer) ?? false
        connections = try container.decodeIfPresent(Int64.self, forKey: .conn) ?? 0
        leafNodeConnections = try container.decodeIfPresent(Int64.self, forKey: .leaf) ?? 0
    }
}

extension JetStreamLimits: Decodable {
    enum CodingKeys: String, CodingKey {
        case memStorage = "mem_storage", diskStorage = "disk_storage", streams, consumer
        case maxAckPending = "max_ack_pending", memMaxStreamBytes = "mem_max_stream_bytes"
        case diskMaxStreamBytes = "disk_max_stream_bytes", maxBytesRequired = "max_bytes_required"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        memoryStorage = try container.decodeIfPresent(Int64.self, forKey: .memStorage) ?? 0
        diskStorage = try container.decodeIfPresent(Int64.self, forKey: .diskStorage) ?? 0
        streams = try container.decodeIfPresent(Int64.self, forKey: .streams) ?? 0
        consumers = try container.decodeIfPresent(Int64.self, forKey: .consumer) ?? 0
        maxAckPending = try container.decodeIfPresent(Int64.self, forKey: .maxAckPending) ?? 0
        memoryMaxStreamBytes = try container.decodeIfPresent(Int64.self, forKey: .memMaxStreamBytes) ?? 0
        diskMaxStreamBytes = try container.decodeIfPresent(Int64.self, forKey: .diskMaxStreamBytes) ?? 0
        maxBytesRequired = try container.decodeIfPresent(Bool.self, forKey: .maxBytesRequired) ?? false
    }
}

extension OperatorLimits: Decodable {
    enum CodingKeys: String, CodingKey { case tieredLimits = "tiered_limits" }

    public init(from decoder: any Decoder) throws {
        nats = try NatsLimits(from: decoder, absentValue: 0)
        account = try AccountLimits(from: decoder)
        jetStream = try JetStreamLimits(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tieredJetStream = try container.decodeIfPresent([String: JetStreamLimits].self, forKey: .tieredLimits) ?? [:]
    }
}
