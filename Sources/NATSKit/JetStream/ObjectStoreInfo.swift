import Foundation

/// The metadata of one object (the JSON kept on `$O.<bucket>.M.<base64url(name)>`, as nats.go, nats.py and the
/// NATS CLI write it).
public struct ObjectInfo: Sendable, Equatable, Codable {
    public var name: String
    public var description: String?
    /// Object headers (HTTP style: each name with its values).
    public var headers: [String: [String]]?
    public var metadata: [String: String]?
    public var options: ObjectMetaOptions?
    public var bucket: String
    /// The id under which the chunks are stored: `$O.<bucket>.C.<nuid>`.
    public var nuid: String
    public var size: UInt64
    /// Modification time as written by the producer (RFC 3339); informational.
    public var modificationTime: String?
    public var chunks: Int
    /// `SHA-256=<base64url of the digest>`.
    public var digest: String?
    public var deleted: Bool

    public init(
        name: String, bucket: String, nuid: String, size: UInt64, chunks: Int, digest: String?,
        description: String? = nil, headers: [String: [String]]? = nil, metadata: [String: String]? = nil,
        options: ObjectMetaOptions? = nil, modificationTime: String? = nil, deleted: Bool = false
    ) {
        self.name = name
        self.bucket = bucket
        self.nuid = nuid
        self.size = size
        self.chunks = chunks
        self.digest = digest
        self.description = description
        self.headers = headers
        self.metadata = metadata
        self.options = options
        self.modificationTime = modificationTime
        self.deleted = deleted
    }

    /// The link this entry stands for, if it is a link rather than an object.
    public var link: ObjectLink? { options?.link }

    /// The SHA-256 digest the metadata announces, if present and well formed.
    public var sha256: [UInt8]? { digest.flatMap(ObjectDigestText.decode) }

    enum CodingKeys: String, CodingKey {
        case name, description, headers, metadata, options, bucket, nuid, size, chunks, digest, deleted
        case modificationTime = "mtime"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        headers = try container.decodeIfPresent([String: [String]].self, forKey: .headers)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata)
        options = try container.decodeIfPresent(ObjectMetaOptions.self, forKey: .options)
        bucket = try container.decodeIfPresent(String.self, forKey: .bucket) ?? ""
        nuid = try container.decodeIfPresent(String.self, forKey: .nuid) ?? ""
        size = try container.decodeIfPresent(UInt64.self, forKey: .size) ?? 0
        modificationTime = try container.decodeIfPresent(String.self, forKey: .modificationTime)
        chunks = try container.decodeIfPresent(Int.self, forKey: .chunks) ?? 0
        digest = try container.decodeIfPresent(String.self, forKey: .digest)
        deleted = try container.decodeIfPresent(Bool.self, forKey: .deleted) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encodeIfPresent(headers, forKey: .headers)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeIfPresent(options, forKey: .options)
        try container.encode(bucket, forKey: .bucket)
        try container.encode(nuid, forKey: .nuid)
        try container.encode(size, forKey: .size)
        try container.encodeIfPresent(modificationTime, forKey: .modificationTime)
        try container.encode(chunks, forKey: .chunks)
        try container.encodeIfPresent(digest, forKey: .digest)
        if deleted { try container.encode(true, forKey: .deleted) }
    }
}

/// Options of an object: a link, and the chunk size the producer used.
public struct ObjectMetaOptions: Sendable, Equatable, Codable {
    public var link: ObjectLink?
    public var maxChunkSize: Int?

    public init(link: ObjectLink? = nil, maxChunkSize: Int? = nil) {
        self.link = link
        self.maxChunkSize = maxChunkSize
    }

    enum CodingKeys: String, CodingKey {
        case link
        case maxChunkSize = "max_chunk_size"
    }
}

/// A link to another object (`name` set) or to a whole bucket (`name` empty).
public struct ObjectLink: Sendable, Equatable, Codable {
    public var bucket: String
    public var name: String?

    public init(bucket: String, name: String? = nil) {
        self.bucket = bucket
        self.name = name
    }
}

/// Configuration of an object store bucket (stream `OBJ_<bucket>`).
public struct ObjectStoreConfig: Sendable, Equatable {
    /// `[A-Za-z0-9_-]+`.
    public var bucket: String
    public var description: String
    /// Copies on a clustered JetStream (1, 3 or 5).
    public var replicas: Int
    /// Bucket size limit in bytes; -1 = unlimited.
    public var maxBytes: Int64
    /// Age after which objects expire; nil = never.
    public var ttl: Duration?
    public var storage: StorageType

    public init(
        bucket: String, description: String = "", replicas: Int = 1, maxBytes: Int64 = -1, ttl: Duration? = nil,
        storage: StorageType = .file
    ) {
        self.bucket = bucket
        self.description = description
        self.replicas = replicas
        self.maxBytes = maxBytes
        self.ttl = ttl
        self.storage = storage
    }
}

/// The text forms object stores use for names and digests.
enum ObjectDigestText {
    /// `SHA-256=` followed by base64url (padding optional; the standard alphabet is accepted too).
    static func decode(_ text: String) -> [UInt8]? {
        let prefix = "SHA-256="
        guard text.count > prefix.count, text.uppercased().hasPrefix(prefix) else { return nil }
        guard let bytes = base64URLDecode(String(text.dropFirst(prefix.count))), bytes.count == 32 else { return nil }
        return bytes
    }

    /// `SHA-256=<base64url with padding>`, as nats.go and nats.py write it.
    static func encode(_ digest: [UInt8]) -> String {
        "SHA-256=" + base64URLEncode(digest)
    }

    static func base64URLEncode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    static func base64URLDecode(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard = standard.trimmingCharacters(in: CharacterSet(charactersIn: "="))
        while standard.count % 4 != 0 { standard.append("=") }
        return Data(base64Encoded: standard).map { Array($0) }
    }
}
