import Foundation

/// Where a workload's executable comes from: the start request's `uri` (credentials-state-native-cli.md §4.2).
public enum ArtifactReference: Sendable, Equatable {
    /// `file://<path>`: everything after `://` (so `file:///usr/bin/x` is `/usr/bin/x`; `file://rel/x` is
    /// relative to the node's working directory).
    case file(path: String)
    /// `nats://<bucket>/<name>[:<tag>]`: object `<name>_<tag>` (tag `latest` by default) of the JetStream object
    /// store `bucket`.
    case objectStore(bucket: String, name: String, tag: String)

    /// Parses a `uri` the way the reference does; anything but `file://` and `nats://` is refused with the
    /// reference's message.
    public init(uri: String) throws(NativeStartError) {
        if uri.hasPrefix("file://") {
            let path = String(uri.dropFirst("file://".count))
            guard !path.isEmpty else { throw .invalidURI(uri: uri, reason: "no path after file://") }
            guard !path.utf8.contains(0) else { throw .invalidURI(uri: uri, reason: "the path contains a NUL byte") }
            self = .file(path: path)
        } else if uri.hasPrefix("nats://") {
            let rest = uri.dropFirst("nats://".count)
            guard let slash = rest.firstIndex(of: "/") else {
                throw .invalidURI(uri: uri, reason: "expected nats://<bucket>/<name>[:<tag>]")
            }
            let bucket = String(rest[..<slash])
            let object = rest[rest.index(after: slash)...]
            let name: String
            let tag: String
            if let colon = object.firstIndex(of: ":") {
                name = String(object[..<colon])
                tag = String(object[object.index(after: colon)...])
                guard !tag.isEmpty else { throw .invalidURI(uri: uri, reason: "empty tag after ':'") }
            } else {
                name = String(object)
                tag = "latest"
            }
            guard Self.isBucketName(bucket) else {
                throw .invalidURI(uri: uri, reason: "bucket \"\(bucket)\" must be letters, digits, '_' and '-'")
            }
            guard !name.isEmpty else { throw .invalidURI(uri: uri, reason: "no object name after the bucket") }
            guard !name.utf8.contains(0), !tag.utf8.contains(0) else {
                throw .invalidURI(uri: uri, reason: "the object name contains a NUL byte")
            }
            self = .objectStore(bucket: bucket, name: name, tag: tag)
        } else {
            throw .unsupportedURI(uri)
        }
    }

    /// The object fetched for a `nats://` reference: `<name>_<tag>`.
    public var objectName: String? {
        guard case .objectStore(_, let name, let tag) = self else { return nil }
        return "\(name)_\(tag)"
    }

    /// The URI in its canonical form (`nats://` always with the tag).
    public var uri: String {
        switch self {
        case .file(let path): return "file://\(path)"
        case .objectStore(let bucket, let name, let tag): return "nats://\(bucket)/\(name):\(tag)"
        }
    }

    private static func isBucketName(_ bucket: String) -> Bool {
        !bucket.isEmpty && bucket.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == "-")
        }
    }
}
