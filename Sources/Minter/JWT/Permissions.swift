/// Allow and deny subject lists for publish or subscribe (Go `jwt.Permission`).
public struct Permission: Sendable, Equatable {
    public var allow: [String]
    public var deny: [String]

    public init(allow: [String] = [], deny: [String] = []) {
        self.allow = allow
        self.deny = deny
    }

    func write(into object: inout GoJSONObject) {
        object.strings("allow", allow)
        object.strings("deny", deny)
    }
}

/// Lets a user reply to the reply subject of messages it received (Go `jwt.ResponsePermission`).
public struct ResponsePermission: Sendable, Equatable {
    /// `max`: replies allowed per request (nats-server treats 0 as 1).
    public var maxMessages: Int
    /// `ttl`: how long the reply subject stays allowed, in nanoseconds (0 = server default, 2 minutes).
    public var ttlNanoseconds: Int64

    public init(maxMessages: Int, ttlNanoseconds: Int64 = 0) {
        self.maxMessages = maxMessages
        self.ttlNanoseconds = ttlNanoseconds
    }

    func write(into object: inout GoJSONObject) {
        object.int("max", maxMessages, omitEmpty: false)
        object.int("ttl", ttlNanoseconds, omitEmpty: false)
    }
}

/// Publish, subscribe and response permissions (Go `jwt.Permissions`).
public struct Permissions: Sendable, Equatable {
    public var pub: Permission
    public var sub: Permission
    public var resp: ResponsePermission?

    public init(pub: Permission = Permission(), sub: Permission = Permission(), resp: ResponsePermission? = nil) {
        self.pub = pub
        self.sub = sub
        self.resp = resp
    }

    /// Writes `pub`, `sub` (always, as Go does for struct fields) and `resp` (when set).
    func write(into object: inout GoJSONObject) {
        object.object("pub") { pub.write(into: &$0) }
        object.object("sub") { sub.write(into: &$0) }
        if let resp {
            object.object("resp") { resp.write(into: &$0) }
        }
    }
}

/// Connection limits shared by users and accounts (Go `jwt.NatsLimits`); -1 = unlimited.
public struct NatsLimits: Sendable, Equatable {
    public var subs: Int64
    public var data: Int64
    public var payload: Int64

    public init(subs: Int64 = -1, data: Int64 = -1, payload: Int64 = -1) {
        self.subs = subs
        self.data = data
        self.payload = payload
    }

    /// No limits (every field -1).
    public static let unlimited = NatsLimits()

    func write(into object: inout GoJSONObject) {
        object.int("subs", subs)
        object.int("data", data)
        object.int("payload", payload)
    }
}

/// A daily time window in which a user may connect (`"15:04:05"` strings, Go `jwt.TimeRange`).
public struct TimeRange: Sendable, Equatable, Decodable {
    public var start: String
    public var end: String

    public init(start: String, end: String) {
        self.start = start
        self.end = end
    }

    enum CodingKeys: String, CodingKey { case start, end }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try container.decodeIfPresent(String.self, forKey: .start) ?? ""
        end = try container.decodeIfPresent(String.self, forKey: .end) ?? ""
    }

    var json: String {
        var object = GoJSONObject()
        object.string("start", start)
        object.string("end", end)
        return object.json
    }
}

// MARK: - Decoding (absent keys take Go's zero values)

extension Permission: Decodable {
    enum CodingKeys: String, CodingKey { case allow, deny }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allow = try container.decodeIfPresent([String].self, forKey: .allow) ?? []
        deny = try container.decodeIfPresent([String].self, forKey: .deny) ?? []
    }
}

extension ResponsePermission: Decodable {
    enum CodingKeys: String, CodingKey { case max, ttl }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxMessages = try container.decodeIfPresent(Int.self, forKey: .max) ?? 0
        ttlNanoseconds = try container.decodeIfPresent(Int64.self, forKey: .ttl) ?? 0
    }
}

extension Permissions: Decodable {
    enum CodingKeys: String, CodingKey { case pub, sub, resp }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pub = try container.decodeIfPresent(Permission.self, forKey: .pub) ?? Permission()
        sub = try container.decodeIfPresent(Permission.self, forKey: .sub) ?? Permission()
        resp = try container.decodeIfPresent(ResponsePermission.self, forKey: .resp)
    }
}

extension NatsLimits {
    enum CodingKeys: String, CodingKey { case subs, data, payload }

    /// Decodes from a container that also holds other fields (limits are embedded in Go).
    init(from decoder: any Decoder, absentValue: Int64) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subs = try container.decodeIfPresent(Int64.self, forKey: .subs) ?? absentValue
        data = try container.decodeIfPresent(Int64.self, forKey: .data) ?? absentValue
        payload = try container.decodeIfPresent(Int64.self, forKey: .payload) ?? absentValue
    }
}
