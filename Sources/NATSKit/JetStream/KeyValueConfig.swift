/// Where a JetStream asset keeps its data.
public enum StorageType: Sendable, Equatable {
    case file
    case memory
}

/// Configuration of a key-value bucket.
public struct KeyValueConfig: Sendable, Equatable {
    public var bucket: String
    public var description: String
    /// Copies on a clustered JetStream (1, 3 or 5).
    public var replicas: Int
    /// Revisions kept per key (1…64).
    public var history: Int
    /// Bucket size limit in bytes; -1 = unlimited.
    public var maxBytes: Int64
    /// Largest value accepted; -1 = unlimited.
    public var maxValueSize: Int32
    /// Age after which values expire; nil = never.
    public var ttl: Duration?
    public var storage: StorageType

    public init(bucket: String, description: String = "", replicas: Int = 1, history: Int = 1, maxBytes: Int64 = -1, maxValueSize: Int32 = -1, ttl: Duration? = nil, storage: StorageType = .file) {
        self.bucket = bucket
        self.description = description
        self.replicas = replicas
        self.history = history
        self.maxBytes = maxBytes
        self.maxValueSize = maxValueSize
        self.ttl = ttl
        self.storage = storage
    }
}
