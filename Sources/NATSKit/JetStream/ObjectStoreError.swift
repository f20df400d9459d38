/// Why an object store operation failed (transport and server failures arrive as `NatsError`).
public enum ObjectStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bucket names are `[A-Za-z0-9_-]+`.
    case invalidBucketName(String)
    /// Object names must be non-empty.
    case invalidObjectName(String)
    /// There is no stream `OBJ_<bucket>`.
    case bucketNotFound(bucket: String)
    /// No such object (or it was deleted).
    case objectNotFound(bucket: String, name: String)
    /// The entry links to a whole bucket, not to an object.
    case linkToBucket(bucket: String, name: String)
    /// Links nest deeper than the reader follows (a loop, most likely).
    case tooManyLinks(bucket: String, name: String)
    /// The metadata is not the JSON an object store writes, or is inconsistent.
    case badMetadata(bucket: String, name: String, reason: String)
    /// The object is larger than the caller accepts.
    case tooLarge(bucket: String, name: String, size: UInt64, limit: UInt64)
    /// The chunks add up to a different size than the metadata says.
    case sizeMismatch(bucket: String, name: String, expected: UInt64, actual: UInt64)
    /// The chunks hash to a different SHA-256 than the metadata says (hex digests).
    case digestMismatch(bucket: String, name: String, expected: String, actual: String)
    /// The chunks stopped arriving.
    case chunksTimedOut(bucket: String, name: String, received: UInt64, expected: UInt64)

    public var description: String {
        switch self {
        case .invalidBucketName(let bucket):
            return "invalid object store bucket name \"\(bucket)\" (allowed: letters, digits, '_' and '-')"
        case .invalidObjectName(let name):
            return "invalid object name \"\(name)\""
        case .bucketNotFound(let bucket):
            return "object store bucket \(bucket) not found"
        case .objectNotFound(let bucket, let name):
            return "object \(name) not found in bucket \(bucket)"
        case .linkToBucket(let bucket, let name):
            return "object \(name) in bucket \(bucket) is a link to a whole bucket"
        case .tooManyLinks(let bucket, let name):
            return "object \(name) in bucket \(bucket): too many nested links"
        case .badMetadata(let bucket, let name, let reason):
            return "object \(name) in bucket \(bucket) has invalid metadata: \(reason)"
        case .tooLarge(let bucket, let name, let size, let limit):
            return "object \(name) in bucket \(bucket) is \(size) bytes, more than the limit of \(limit)"
        case .sizeMismatch(let bucket, let name, let expected, let actual):
            return "object \(name) in bucket \(bucket) should be \(expected) bytes but its chunks hold \(actual)"
        case .digestMismatch(let bucket, let name, let expected, let actual):
            return "object \(name) in bucket \(bucket) is corrupt: SHA-256 \(actual), metadata says \(expected)"
        case .chunksTimedOut(let bucket, let name, let received, let expected):
            return "object \(name) in bucket \(bucket): chunks stopped arriving after \(received) of \(expected) bytes"
        }
    }
}
