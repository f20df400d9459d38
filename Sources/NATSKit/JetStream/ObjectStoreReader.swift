import CNats
import Foundation

/// The blocking half of reading objects: metadata through `STREAM.MSG.GET` (last message on the meta subject),
/// chunks through an ordered push consumer on the chunk subject. Runs on the blocking queue only.
struct ObjectStoreReader {
    /// How many links a read follows before giving up.
    static let maximumLinkDepth = 8

    let js: UncheckedPointer
    /// How long to wait for the next chunk.
    let chunkTimeout: Duration

    /// The latest metadata of `name` (deleted entries included), or nil when there is none.
    func info(bucket: String, name: String) throws -> ObjectInfo? {
        let subject = ObjectStoreNames.metaSubject(bucket: bucket, name: name)
        var message: OpaquePointer?
        var errorCode = jsErrCode(0)
        let status = js_GetLastMsg(&message, js.pointer, ObjectStoreNames.stream(bucket), subject, nil, &errorCode)
        if errorCode == JSStreamNotFoundErr { throw ObjectStoreError.bucketNotFound(bucket: bucket) }
        if errorCode == JSNoMessageFoundErr || status == NATS_NOT_FOUND {
            if let message { natsMsg_Destroy(message) }
            return nil
        }
        try check(status, "object store \(bucket): read the metadata of \(name)")
        guard let message else { return nil }
        defer { natsMsg_Destroy(message) }
        let payload = NatsMessage(copying: message).payload
        do {
            return try JSONDecoder().decode(ObjectInfo.self, from: payload)
        } catch {
            throw ObjectStoreError.badMetadata(bucket: bucket, name: name, reason: "not object metadata JSON (\(error))")
        }
    }

    /// Reads the object (following links to other objects), handing each chunk to `consume` in order. Checks
    /// the size and the SHA-256 digest against the metadata before returning it; `consume` has then seen
    /// every byte, so a caller that writes somewhere must discard what it wrote when this throws.
    func read(
        bucket: String, name: String, maximumSize: UInt64?, consume: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> ObjectInfo {
        var (bucket, name) = (bucket, name)
        for _ in 0...Self.maximumLinkDepth {
            guard let info = try info(bucket: bucket, name: name), !info.deleted else {
                throw ObjectStoreError.objectNotFound(bucket: bucket, name: name)
            }
            if let link = info.link {
                guard let target = link.name, !target.isEmpty else {
                    throw ObjectStoreError.linkToBucket(bucket: bucket, name: name)
                }
                try ObjectStoreNames.validate(bucket: link.bucket)
                (bucket, name) = (link.bucket, target)
                continue
            }
            try readChunks(of: info, bucket: bucket, name: name, maximumSize: maximumSize, consume: consume)
            return info
        }
        throw ObjectStoreError.tooManyLinks(bucket: bucket, name: name)
    }

    private func readChunks(
        of info: ObjectInfo, bucket: String, name: String, maximumSize: UInt64?,
        consume: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if let limit = maximumSize, info.size > limit {
            throw ObjectStoreError.tooLarge(bucket: bucket, name: name, size: info.size, limit: limit)
        }
        guard let expected = info.sha256 else {
            throw ObjectStoreError.badMetadata(bucket: bucket, name: name, reason: "missing or malformed digest \"\(info.digest ?? "")\"")
        }
        var hasher = SHA256()
        var received: UInt64 = 0
        if info.size > 0 {
            guard !info.nuid.isEmpty else {
                throw ObjectStoreError.badMetadata(bucket: bucket, name: name, reason: "no chunk id (nuid)")
            }
            let subscription = try subscribeOrdered(
                bucket: bucket, subject: ObjectStoreNames.chunkSubject(bucket: bucket, nuid: info.nuid))
            defer {
                natsSubscription_Unsubscribe(subscription.pointer)
                natsSubscription_Destroy(subscription.pointer)
            }
            var done = false
            while !done {
                var message: OpaquePointer?
                let status = natsSubscription_NextMsg(&message, subscription.pointer, chunkTimeout.milliseconds)
                if status == NATS_TIMEOUT {
                    throw ObjectStoreError.chunksTimedOut(bucket: bucket, name: name, received: received, expected: info.size)
                }
                try check(status, "object \(name) in bucket \(bucket): receive chunks")
                guard let message else { continue }
                defer { natsMsg_Destroy(message) }
                // Flow-control and heartbeat messages carry no JetStream metadata: skip them.
                var metadata: UnsafeMutablePointer<jsMsgMetaData>?
                guard natsMsg_GetMetaData(&metadata, message) == NATS_OK, let metadata else { continue }
                let pending = metadata.pointee.NumPending
                jsMsgMetaData_Destroy(metadata)
                let length = Int(natsMsg_GetDataLength(message))
                received += UInt64(length)
                guard received <= info.size else {
                    throw ObjectStoreError.sizeMismatch(bucket: bucket, name: name, expected: info.size, actual: received)
                }
                if length > 0, let bytes = natsMsg_GetData(message) {
                    let chunk = UnsafeRawBufferPointer(start: bytes, count: length)
                    hasher.update(chunk)
                    try consume(chunk)
                }
                done = pending == 0
            }
        }
        guard received == info.size else {
            throw ObjectStoreError.sizeMismatch(bucket: bucket, name: name, expected: info.size, actual: received)
        }
        let actual = hasher.finalize()
        guard actual == expected else {
            throw ObjectStoreError.digestMismatch(bucket: bucket, name: name, expected: expected.hexString, actual: actual.hexString)
        }
    }

    /// An ordered consumer (no acks, flow control, recreated on gaps by nats.c) delivering `subject` from the start.
    private func subscribeOrdered(bucket: String, subject: String) throws -> UncheckedPointer {
        var options = jsSubOptions()
        try check(jsSubOptions_Init(&options), "subscribe options")
        options.Ordered = true
        options.Config.DeliverPolicy = js_DeliverAll
        var subscription: OpaquePointer?
        var errorCode = jsErrCode(0)
        let status = ObjectStoreNames.stream(bucket).withCString { stream in
            options.Stream = stream
            return js_SubscribeSync(&subscription, js.pointer, subject, nil, &options, &errorCode)
        }
        if errorCode == JSStreamNotFoundErr { throw ObjectStoreError.bucketNotFound(bucket: bucket) }
        try check(status, "object store \(bucket): subscribe to \(subject)")
        guard let subscription else { throw NatsError(kind: .other, message: "subscribe to \(subject): no subscription") }
        return UncheckedPointer(pointer: subscription)
    }
}

/// Stream, subject and name rules of object stores.
enum ObjectStoreNames {
    static func stream(_ bucket: String) -> String { "OBJ_\(bucket)" }

    static func metaSubject(bucket: String, name: String) -> String {
        "$O.\(bucket).M.\(ObjectDigestText.base64URLEncode(Array(name.utf8)))"
    }

    static func chunkSubject(bucket: String, nuid: String) -> String { "$O.\(bucket).C.\(nuid)" }

    static func validate(bucket: String) throws(ObjectStoreError) {
        let allowed = bucket.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == "-")
        }
        guard !bucket.isEmpty, allowed else { throw .invalidBucketName(bucket) }
    }

    static func validate(name: String) throws(ObjectStoreError) {
        guard !name.isEmpty, !name.utf8.contains(0) else { throw .invalidObjectName(name) }
    }

    /// A fresh 22-character base62 id for a chunk subject.
    static func newNUID() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<22).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
