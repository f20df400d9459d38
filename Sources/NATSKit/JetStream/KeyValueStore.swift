import CNats
import Foundation

extension JetStream {
    /// Creates the bucket, or binds to it when it exists with the same configuration.
    public func createKeyValue(_ config: KeyValueConfig) async throws -> KeyValueStore {
        let js = UncheckedPointer(pointer: handle)
        let kv = try await blocking { () throws -> UncheckedPointer in
            var cfg = kvConfig()
            try check(kvConfig_Init(&cfg), "KV config")
            cfg.History = UInt8(clamping: config.history)
            cfg.MaxBytes = config.maxBytes
            cfg.MaxValueSize = config.maxValueSize
            cfg.Replicas = Int32(config.replicas)
            cfg.StorageType = config.storage == .memory ? js_MemoryStorage : js_FileStorage
            if let ttl = config.ttl { cfg.TTL = ttl.milliseconds * 1_000_000 }
            var store: OpaquePointer?
            let status = config.bucket.withCString { bucket in
                config.description.withCString { description in
                    cfg.Bucket = bucket
                    cfg.Description = config.description.isEmpty ? nil : description
                    return js_CreateKeyValue(&store, js.pointer, &cfg)
                }
            }
            try check(status, "create KV bucket \(config.bucket)")
            guard let store else { throw NatsError(kind: .other, message: "create KV bucket \(config.bucket): no store") }
            return UncheckedPointer(pointer: store)
        }
        return KeyValueStore(handle: kv.pointer, bucket: config.bucket, jetStream: self)
    }

    /// Binds to an existing bucket; throws `NatsError` `.notFound` when there is none.
    public func keyValue(_ bucket: String) async throws -> KeyValueStore {
        let js = UncheckedPointer(pointer: handle)
        let kv = try await blocking { () throws -> UncheckedPointer in
            var store: OpaquePointer?
            try check(js_KeyValue(&store, js.pointer, bucket), "bind KV bucket \(bucket)")
            guard let store else { throw NatsError(kind: .notFound, message: "KV bucket \(bucket) not found") }
            return UncheckedPointer(pointer: store)
        }
        return KeyValueStore(handle: kv.pointer, bucket: bucket, jetStream: self)
    }

    /// Deletes a bucket and all its data.
    public func deleteKeyValue(_ bucket: String) async throws {
        let js = UncheckedPointer(pointer: handle)
        try await blocking { try check(js_DeleteKeyValue(js.pointer, bucket), "delete KV bucket \(bucket)") }
    }
}

/// A JetStream key-value bucket. Every operation waits for the server's acknowledgement.
public final class KeyValueStore: @unchecked Sendable {
    let handle: OpaquePointer
    public let bucket: String
    let jetStream: JetStream

    init(handle: OpaquePointer, bucket: String, jetStream: JetStream) {
        self.handle = handle
        self.bucket = bucket
        self.jetStream = jetStream
    }

    deinit {
        kvStore_Destroy(handle)
    }

    private var kv: UncheckedPointer { UncheckedPointer(pointer: handle) }

    /// Writes `value` unconditionally; returns the new revision.
    @discardableResult
    public func put(_ key: String, _ value: Data) async throws -> UInt64 {
        let kv = self.kv
        return try await jetStream.blocking {
            var revision: UInt64 = 0
            let status = withPayload(value) { bytes, count in kvStore_Put(&revision, kv.pointer, key, bytes, count) }
            try check(status, "KV put \(key)")
            return revision
        }
    }

    /// Writes `value` only if `key` does not exist (or was deleted); throws `KeyValueConflict` otherwise.
    ///
    /// A JetStream publish is a request whose reply is the stream's acknowledgement, so the common case (a new
    /// key) goes out as one request through the connection's reply subscription, without a blocking thread.
    /// Only a refusal for an existing revision (possibly a deleted key, which may be re-created) falls back to
    /// nats.c's create, which tells the two apart.
    @discardableResult
    public func create(_ key: String, _ value: Data) async throws -> UInt64 {
        if Self.isPlainKey(key) {
            var headers = NatsHeaders()
            headers.set("Nats-Expected-Last-Subject-Sequence", "0")
            let reply = try await jetStream.connection.request(
                "$KV.\(bucket).\(key)", payload: value, headers: headers, timeout: jetStream.timeout)
            let ack = try? JSONDecoder().decode(PublishAck.self, from: reply.payload)
            if let sequence = ack?.seq, ack?.error == nil { return sequence }
            if ack?.error?.errCode != Self.wrongLastSequence {
                throw NatsError(kind: .other, message: "KV create \(key): \(ack?.error?.description ?? String(decoding: reply.payload, as: UTF8.self))")
            }
        }
        let kv = self.kv
        let bucket = self.bucket
        return try await jetStream.blocking {
            var revision: UInt64 = 0
            let status = withPayload(value) { bytes, count in kvStore_Create(&revision, kv.pointer, key, bytes, count) }
            try Self.checkWrite(status, bucket: bucket, key: key, expected: 0, what: "KV create \(key)")
            return revision
        }
    }

    /// Writes `value` only if the latest revision of `key` is `expectedRevision`; throws `KeyValueConflict`
    /// when another writer got there first.
    ///
    /// Like ``create(_:_:)``, a plain key goes out as one request through the connection's reply subscription
    /// (the publish carries `Nats-Expected-Last-Subject-Sequence`), without a blocking thread; the stream's
    /// "wrong last sequence" refusal is the conflict.
    @discardableResult
    public func update(_ key: String, _ value: Data, expectedRevision: UInt64) async throws -> UInt64 {
        if Self.isPlainKey(key) {
            var headers = NatsHeaders()
            headers.set("Nats-Expected-Last-Subject-Sequence", String(expectedRevision))
            let reply = try await jetStream.connection.request(
                "$KV.\(bucket).\(key)", payload: value, headers: headers, timeout: jetStream.timeout)
            let ack = try? JSONDecoder().decode(PublishAck.self, from: reply.payload)
            if let sequence = ack?.seq, ack?.error == nil { return sequence }
            if ack?.error?.errCode == Self.wrongLastSequence {
                throw KeyValueConflict(bucket: bucket, key: key, expectedRevision: expectedRevision)
            }
            throw NatsError(kind: .other, message: "KV update \(key): \(ack?.error?.description ?? String(decoding: reply.payload, as: UTF8.self))")
        }
        let kv = self.kv
        let bucket = self.bucket
        return try await jetStream.blocking {
            var revision: UInt64 = 0
            let status = withPayload(value) { bytes, count in kvStore_Update(&revision, kv.pointer, key, bytes, count, expectedRevision) }
            try Self.checkWrite(status, bucket: bucket, key: key, expected: expectedRevision, what: "KV update \(key)")
            return revision
        }
    }

    /// The latest value of `key`, or nil when it does not exist or was deleted.
    public func get(_ key: String) async throws -> KeyValueEntry? {
        let kv = self.kv
        return try await jetStream.blocking { () throws -> KeyValueEntry? in
            var entry: OpaquePointer?
            let status = kvStore_Get(&entry, kv.pointer, key)
            if status == NATS_NOT_FOUND { return nil }
            try check(status, "KV get \(key)")
            guard let entry else { return nil }
            defer { kvEntry_Destroy(entry) }
            return KeyValueEntry(copying: entry)
        }
    }

    /// Places a delete marker (history is kept).
    public func delete(_ key: String) async throws {
        let kv = self.kv
        try await jetStream.blocking { try check(kvStore_Delete(kv.pointer, key), "KV delete \(key)") }
    }

    /// Removes every revision of `key`, leaving a purge marker.
    public func purge(_ key: String) async throws {
        let kv = self.kv
        try await jetStream.blocking { try check(kvStore_Purge(kv.pointer, key, nil), "KV purge \(key)") }
    }

    /// Every current key (deleted keys excluded), sorted.
    public func keys() async throws -> [String] {
        let kv = self.kv
        return try await jetStream.blocking {
            var list = kvKeysList()
            let status = kvStore_Keys(&list, kv.pointer, nil)
            if status == NATS_NOT_FOUND { return [] }
            try check(status, "KV keys")
            defer { kvKeysList_Destroy(&list) }
            var keys: [String] = []
            if let array = list.Keys {
                for index in 0..<Int(list.Count) {
                    if let key = array[index] { keys.append(String(cString: key)) }
                }
            }
            return keys.sorted()
        }
    }

    /// Every current entry whose key starts with `prefix` (deleted keys excluded), sorted by key. One watch of
    /// the bucket's last values in a single blocking call, instead of a request per key.
    public func entries(prefix: String = "") async throws -> [KeyValueEntry] {
        let kv = self.kv
        let bucket = self.bucket
        return try await jetStream.blocking { () throws -> [KeyValueEntry] in
            var options = kvWatchOptions()
            try check(kvWatchOptions_Init(&options), "KV watch options")
            options.IgnoreDeletes = true
            var watcher: OpaquePointer?
            try check(kvStore_WatchAll(&watcher, kv.pointer, &options), "KV entries of \(bucket)")
            guard let watcher else { throw NatsError(kind: .other, message: "KV entries of \(bucket): no watcher") }
            defer {
                kvWatcher_Stop(watcher)
                kvWatcher_Destroy(watcher)
            }
            var result: [KeyValueEntry] = []
            while true {
                var entry: OpaquePointer?
                try check(kvWatcher_Next(&entry, watcher, 10_000), "KV entries of \(bucket)")
                // A nil entry marks the end of the current values.
                guard let entry else { break }
                let copied = KeyValueEntry(copying: entry)
                kvEntry_Destroy(entry)
                if copied.key.hasPrefix(prefix) { result.append(copied) }
            }
            return result.sorted { $0.key < $1.key }
        }
    }

    /// JetStream's error code for a failed expected-sequence check.
    static let wrongLastSequence = 10071

    /// A JetStream publish acknowledgement (or its error).
    struct PublishAck: Decodable {
        struct Failure: Decodable {
            var errCode: Int?
            var description: String?

            enum CodingKeys: String, CodingKey {
                case errCode = "err_code", description
            }
        }

        var seq: UInt64?
        var error: Failure?
    }

    /// A key nats.c would accept (`[-/_=.a-zA-Z0-9]+`, no leading or trailing `.`): only those take the
    /// request path; anything else goes to nats.c, which rejects it with its own error.
    static func isPlainKey(_ key: String) -> Bool {
        guard !key.isEmpty, !key.hasPrefix("."), !key.hasSuffix(".") else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
    }

    static func checkWrite(_ status: natsStatus, bucket: String, key: String, expected: UInt64, what: String) throws {
        guard status != NATS_OK else { return }
        // nats.c reports a compare-and-set failure as a generic error whose text names the JetStream
        // "wrong last sequence" condition (JetStream error 10071); it is the only way to tell it apart.
        let text = nats_GetLastError(nil).map { String(cString: $0) } ?? ""
        if text.contains("wrong last sequence") || text.contains("10071") {
            throw KeyValueConflict(bucket: bucket, key: key, expectedRevision: expected)
        }
        throw NatsError(status, what)
    }
}
