import CNats
import Foundation

/// One revision of a key, copied out of nats.c.
public struct KeyValueEntry: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        case put, delete, purge
    }

    public var bucket: String
    public var key: String
    public var value: Data
    public var revision: UInt64
    public var created: Date
    /// Distance from the latest revision (watchers only).
    public var delta: UInt64
    public var operation: Operation

    init(copying entry: OpaquePointer) {
        bucket = kvEntry_Bucket(entry).map { String(cString: $0) } ?? ""
        key = kvEntry_Key(entry).map { String(cString: $0) } ?? ""
        let length = Int(kvEntry_ValueLen(entry))
        if length > 0, let bytes = kvEntry_Value(entry) {
            value = Data(bytes: bytes, count: length)
        } else {
            value = Data()
        }
        revision = kvEntry_Revision(entry)
        created = Date(timeIntervalSince1970: Double(kvEntry_Created(entry)) / 1_000_000_000)
        delta = kvEntry_Delta(entry)
        switch kvEntry_Operation(entry) {
        case kvOp_Delete: operation = .delete
        case kvOp_Purge: operation = .purge
        default: operation = .put
        }
    }
}

/// A write lost a compare-and-set race: the key was created or updated by someone else.
public struct KeyValueConflict: Error, Sendable, Equatable, CustomStringConvertible {
    public var bucket: String
    public var key: String
    /// The revision the writer expected (0 for a create).
    public var expectedRevision: UInt64

    public init(bucket: String, key: String, expectedRevision: UInt64) {
        self.bucket = bucket
        self.key = key
        self.expectedRevision = expectedRevision
    }

    public var description: String {
        expectedRevision == 0
            ? "key \(key) already exists in bucket \(bucket)"
            : "key \(key) in bucket \(bucket) is no longer at revision \(expectedRevision)"
    }
}
