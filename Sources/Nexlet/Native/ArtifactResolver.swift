import Foundation
import Glibc
import NATSKit
import OffPool
import ProcessKit

/// An artifact ready to run.
struct ResolvedArtifact: Sendable, Equatable {
    /// What to execute (argv[0]).
    var path: String
    /// The verified digest, when known.
    var digest: ArtifactDigest?
}

/// Turns a start request's artifact into a local executable. `file://` artifacts run in place, unless a
/// `digest` is required: then the verified bytes are copied into the cache and run from there, so what runs
/// is exactly what was checked. `nats://` artifacts are read from the object store over the agent's
/// connection into the cache, named by digest (`sha256-<hex>`, mode 0755), and reused by later starts.
struct ArtifactResolver: Sendable {
    let cacheDirectory: URL
    let maximumSize: UInt64
    let timeout: Duration
    // issue 12: object-store permissions
    /// Buckets `nats://` artifacts may come from; nil = any.
    var allowedBuckets: [String]? = nil

    func resolve(
        _ reference: ArtifactReference, uri: String, digest: ArtifactDigest?, connection: NatsConnection?
    ) async throws(NativeStartError) -> ResolvedArtifact {
        switch reference {
        case .file(let path):
            return try await resolveFile(path, uri: uri, digest: digest)
        case .objectStore(let bucket, _, _):
            if let allowedBuckets, !allowedBuckets.contains(bucket) {
                let allowed = allowedBuckets.isEmpty ? "none" : allowedBuckets.joined(separator: ", ")
                throw .artifactFetchFailed(
                    uri: uri, reason: "object store bucket \(bucket) is not allowed on this node (--artifact-buckets: \(allowed))")
            }
            guard let connection else {
                throw .artifactFetchFailed(uri: uri, reason: "the nexlet is not connected to NATS")
            }
            return try await fetch(bucket: bucket, object: reference.objectName ?? "", uri: uri, digest: digest, connection: connection)
        }
    }

    // MARK: file://

    private func resolveFile(_ path: String, uri: String, digest: ArtifactDigest?) async throws(NativeStartError) -> ResolvedArtifact {
        try Self.checkFile(path, uri: uri, mustBeExecutable: digest == nil)
        guard let digest else { return ResolvedArtifact(path: path, digest: nil) }
        let cached = cachePath(for: digest)
        if FileManager.default.fileExists(atPath: cached) { return ResolvedArtifact(path: cached, digest: digest) }
        let directory = try prepareCache(uri: uri)
        let staging = directory.appendingPathComponent(".partial-\(UUID().uuidString)").path
        do {
            let actual = try await Blocking.run { () throws -> ArtifactDigest in
                guard (try? PrivateFile.create(URL(fileURLWithPath: staging), contents: Data())) != nil,
                      let output = FileHandle(forWritingAtPath: staging)
                else {
                    throw NativeStartError.artifactFetchFailed(uri: uri, reason: "cannot create a file in the artifact cache \(directory.path)")
                }
                defer { try? output.close() }
                return try ArtifactDigest.ofFile(atPath: path, copyingTo: output)
            }
            guard actual == digest else {
                throw NativeStartError.digestMismatch(uri: uri, expected: digest.description, actual: actual.description)
            }
            try publish(staging, as: cached, uri: uri)
            return ResolvedArtifact(path: cached, digest: digest)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw Self.startError(error, uri: uri)
        }
    }

    /// Precise errors for the usual mistakes, before anything is spawned.
    static func checkFile(_ path: String, uri: String, mustBeExecutable: Bool) throws(NativeStartError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw .artifactNotFound(uri: uri, reason: "no file at \(path)")
            }
            throw .artifactUnreadable(path: path, reason: String(cString: strerror(code)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw .artifactIsDirectory(path: path)
        case S_IFREG: break
        default: throw .artifactNotRegularFile(path: path)
        }
        if mustBeExecutable {
            guard access(path, X_OK) == 0 else { throw .artifactNotExecutable(path: path) }
        } else {
            guard access(path, R_OK) == 0 else { throw .artifactUnreadable(path: path, reason: "permission denied") }
        }
    }

    // MARK: nats://

    private func fetch(
        bucket: String, object: String, uri: String, digest: ArtifactDigest?, connection: NatsConnection
    ) async throws(NativeStartError) -> ResolvedArtifact {
        let directory = try prepareCache(uri: uri)
        let staging = directory.appendingPathComponent(".partial-\(UUID().uuidString)").path
        do {
            let store = try JetStream(connection, timeout: timeout).objectStore(bucket, chunkTimeout: timeout)
            guard let info = try await store.info(object) else {
                throw NativeStartError.artifactNotFound(uri: uri, reason: "no object \(object) in object store \(bucket)")
            }
            // Refuse a known mismatch, and reuse a cached copy, before reading any chunk.
            if info.link == nil, let announced = info.sha256.flatMap(ArtifactDigest.init(bytes:)) {
                if let digest, digest != announced {
                    throw NativeStartError.digestMismatch(uri: uri, expected: digest.description, actual: announced.description)
                }
                let cached = cachePath(for: announced)
                if FileManager.default.fileExists(atPath: cached) { return ResolvedArtifact(path: cached, digest: announced) }
            }
            let read = try await store.download(object, to: staging, permissions: 0o600, maximumSize: maximumSize)
            guard let verified = read.sha256.flatMap(ArtifactDigest.init(bytes:)) else {
                throw NativeStartError.artifactFetchFailed(uri: uri, reason: "the object has no SHA-256 digest")
            }
            if let digest, digest != verified {
                throw NativeStartError.digestMismatch(uri: uri, expected: digest.description, actual: verified.description)
            }
            let cached = cachePath(for: verified)
            try publish(staging, as: cached, uri: uri)
            return ResolvedArtifact(path: cached, digest: verified)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw Self.startError(error, uri: uri)
        }
    }

    // MARK: Cache

    private func cachePath(for digest: ArtifactDigest) -> String {
        cacheDirectory.appendingPathComponent("sha256-\(digest.hex)").path
    }

    private func prepareCache(uri: String) throws(NativeStartError) -> URL {
        do {
            try PrivateFile.directory(cacheDirectory, mode: 0o700)
        } catch {
            throw .artifactFetchFailed(uri: uri, reason: "cannot create the artifact cache \(cacheDirectory.path): \(error.localizedDescription)")
        }
        return cacheDirectory
    }

    /// Makes a verified staging file executable and read-only (0555: nobody but the node's user can change it,
    /// and that user's processes re-verify it at every use, see ``verification(of:)``) and moves it to its digest
    /// name (atomically; a concurrent fetch of the same digest writes identical bytes).
    private func publish(_ staging: String, as final: String, uri: String) throws(NativeStartError) {
        guard chmod(staging, 0o555) == 0, rename(staging, final) == 0 else {
            throw .artifactFetchFailed(uri: uri, reason: "cannot store the artifact in the cache: \(String(cString: strerror(errno)))")
        }
    }

    // issue 12: sandbox
    /// The check made at every spawn of an artifact with a known digest (each start, restart and function
    /// invocation): the bytes of the descriptor that is then executed must hash to `artifact.digest`. A cached
    /// file that fails it is removed, so the next start fetches (or copies) it anew.
    static func verification(of artifact: ResolvedArtifact) -> ExecutableVerification? {
        guard let digest = artifact.digest else { return nil }
        let path = artifact.path
        return ExecutableVerification(label: digest.description) { fd in
            guard let actual = try? ArtifactDigest.ofDescriptor(fd) else {
                return "cannot read it to verify its digest \(digest)"
            }
            guard actual != digest else { return nil }
            unlink(path)
            return "its content has digest \(actual), not \(digest): the cached artifact was modified; it has been removed"
        }
    }

    private static func startError(_ error: any Error, uri: String) -> NativeStartError {
        switch error {
        case let error as NativeStartError:
            return error
        case ObjectStoreError.bucketNotFound(let bucket):
            return .artifactNotFound(uri: uri, reason: "object store bucket \(bucket) does not exist")
        case ObjectStoreError.objectNotFound(let bucket, let name):
            return .artifactNotFound(uri: uri, reason: "no object \(name) in object store \(bucket)")
        default:
            return .artifactFetchFailed(uri: uri, reason: "\(error)")
        }
    }
}
