import CNats
import Foundation

extension JetStream {
    /// An object store bucket (stream `OBJ_<bucket>`). Binds lazily: nothing is asked of the server here, so
    /// reading needs no more permissions than the reads themselves (`STREAM.MSG.GET` and an ordered consumer
    /// on `OBJ_<bucket>`); a missing bucket shows up as ``ObjectStoreError/bucketNotFound(bucket:)`` on first use.
    public func objectStore(_ bucket: String, chunkTimeout: Duration = .seconds(5)) throws(ObjectStoreError) -> ObjectStore {
        try ObjectStoreNames.validate(bucket: bucket)
        return ObjectStore(bucket: bucket, jetStream: self, chunkTimeout: chunkTimeout)
    }

    /// Creates a bucket (as nats.go does: discard new, rollups and direct gets allowed), or binds to it when
    /// it exists with the same configuration.
    public func createObjectStore(_ config: ObjectStoreConfig, chunkTimeout: Duration = .seconds(5)) async throws -> ObjectStore {
        let store = try objectStore(config.bucket, chunkTimeout: chunkTimeout)
        let writer = store.writer
        try await blocking { try writer.createBucket(config) }
        return store
    }

    /// Deletes a bucket and every object in it.
    public func deleteObjectStore(_ bucket: String) async throws {
        let writer = try objectStore(bucket).writer
        try await blocking { try writer.deleteBucket(bucket) }
    }
}

/// One object read from a store.
public struct StoredObject: Sendable, Equatable {
    /// The metadata of the object read (the target's, when the name was a link).
    public var info: ObjectInfo
    public var data: Data
}

/// A JetStream object store bucket, readable (and writable) with libnats 3.4.1, which has no object store API
/// of its own. Compatible with the layout of nats.go, nats.py and the NATS CLI. Every read verifies the
/// object's size and SHA-256 digest against its metadata. All calls block in nats.c and run off the
/// cooperative pool.
public final class ObjectStore: Sendable {
    public let bucket: String
    public let jetStream: JetStream
    /// How long a read waits for the next chunk before giving up.
    public let chunkTimeout: Duration

    init(bucket: String, jetStream: JetStream, chunkTimeout: Duration) {
        self.bucket = bucket
        self.jetStream = jetStream
        self.chunkTimeout = chunkTimeout
    }

    /// The stream holding the bucket.
    public var streamName: String { ObjectStoreNames.stream(bucket) }

    var reader: ObjectStoreReader {
        ObjectStoreReader(js: UncheckedPointer(pointer: jetStream.handle), chunkTimeout: chunkTimeout)
    }

    var writer: ObjectStoreWriter {
        ObjectStoreWriter(js: UncheckedPointer(pointer: jetStream.handle), reader: reader)
    }

    // MARK: Reading

    /// The current metadata of `name`; nil when there is no such object (or, unless `showDeleted`, it was deleted).
    public func info(_ name: String, showDeleted: Bool = false) async throws -> ObjectInfo? {
        try ObjectStoreNames.validate(name: name)
        let (reader, bucket) = (self.reader, self.bucket)
        let info = try await jetStream.blocking { [self] in
            try withExtendedLifetime(self) { try reader.info(bucket: bucket, name: name) }
        }
        guard let info, showDeleted || !info.deleted else { return nil }
        return info
    }

    /// Reads a whole object into memory, verified. Throws ``ObjectStoreError/objectNotFound(bucket:name:)``,
    /// ``ObjectStoreError/tooLarge(bucket:name:size:limit:)`` (before reading any chunk) when it is bigger than
    /// `maximumSize`, and the size/digest mismatch errors when the chunks do not match the metadata.
    public func get(_ name: String, maximumSize: UInt64? = nil) async throws -> StoredObject {
        try ObjectStoreNames.validate(name: name)
        let (reader, bucket) = (self.reader, self.bucket)
        return try await jetStream.blocking { [self] in
            var data = Data()
            let info = try withExtendedLifetime(self) {
                try reader.read(bucket: bucket, name: name, maximumSize: maximumSize) { chunk in
                    data.append(contentsOf: chunk)
                }
            }
            return StoredObject(info: info, data: data)
        }
    }

    /// Streams an object into the file at `path` (created or truncated, permissions `permissions`), verified.
    /// On any failure the file is removed, so a file left at `path` always holds the complete object.
    @discardableResult
    public func download(_ name: String, to path: String, permissions: Int = 0o644, maximumSize: UInt64? = nil) async throws -> ObjectInfo {
        try ObjectStoreNames.validate(name: name)
        let (reader, bucket) = (self.reader, self.bucket)
        return try await jetStream.blocking { [self] in
            guard FileManager.default.createFile(
                atPath: path, contents: nil, attributes: [.posixPermissions: permissions])
            else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            do {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                let info = try withExtendedLifetime(self) {
                    try reader.read(bucket: bucket, name: name, maximumSize: maximumSize) { chunk in
                        try handle.write(contentsOf: Data(chunk))
                    }
                }
                try handle.synchronize()
                return info
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
        }
    }

    // MARK: Writing

    /// Stores `data` as `name` in chunks of `chunkSize` bytes (128 KiB by default, as nats.go), replacing an
    /// earlier version (whose chunks are then purged).
    @discardableResult
    public func put(_ name: String, data: Data, chunkSize: Int = 128 * 1024, description: String? = nil) async throws -> ObjectInfo {
        try ObjectStoreNames.validate(name: name)
        guard chunkSize > 0 else { throw NatsError(kind: .invalidArgument, message: "object chunk size must be positive") }
        let (writer, bucket) = (self.writer, self.bucket)
        return try await jetStream.blocking { [self] in
            try withExtendedLifetime(self) { try writer.put(bucket: bucket, name: name, data: data, chunkSize: chunkSize, description: description) }
        }
    }

    /// Deletes an object: its metadata says `deleted` and its chunks are purged.
    public func delete(_ name: String) async throws {
        try ObjectStoreNames.validate(name: name)
        let (writer, bucket) = (self.writer, self.bucket)
        try await jetStream.blocking { [self] in
            try withExtendedLifetime(self) { try writer.delete(bucket: bucket, name: name) }
        }
    }
}
