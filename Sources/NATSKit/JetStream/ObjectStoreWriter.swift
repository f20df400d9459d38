import CNats
import Foundation

/// The blocking half of writing objects and managing buckets, with the layout nats.go and nats.py use: chunks
/// published to `$O.<bucket>.C.<nuid>`, then the metadata to `$O.<bucket>.M.<base64url(name)>` with
/// `Nats-Rollup: sub`, then the previous version's chunks purged. Runs on the blocking queue only.
struct ObjectStoreWriter {
    let js: UncheckedPointer
    let reader: ObjectStoreReader

    func put(bucket: String, name: String, data: Data, chunkSize: Int, description: String?) throws -> ObjectInfo {
        let previous = try reader.info(bucket: bucket, name: name)
        let nuid = ObjectStoreNames.newNUID()
        let chunkSubject = ObjectStoreNames.chunkSubject(bucket: bucket, nuid: nuid)
        var hasher = SHA256()
        var chunks = 0
        do {
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < raw.count {
                    let end = min(offset + chunkSize, raw.count)
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[offset..<end])
                    hasher.update(chunk)
                    try publish(chunkSubject, chunk, rollup: false, what: "object \(name): chunk \(chunks + 1)")
                    chunks += 1
                    offset = end
                }
            }
        } catch {
            purge(bucket: bucket, subject: chunkSubject)
            throw error
        }
        let info = ObjectInfo(
            name: name, bucket: bucket, nuid: nuid, size: UInt64(data.count), chunks: chunks,
            digest: ObjectDigestText.encode(hasher.finalize()), description: description,
            options: ObjectMetaOptions(maxChunkSize: chunkSize), modificationTime: Self.timestamp())
        do {
            try publishMeta(info, bucket: bucket)
        } catch {
            purge(bucket: bucket, subject: chunkSubject)
            throw error
        }
        if let previous, !previous.deleted, !previous.nuid.isEmpty {
            purge(bucket: bucket, subject: ObjectStoreNames.chunkSubject(bucket: bucket, nuid: previous.nuid))
        }
        return info
    }

    /// Marks the object deleted (metadata with `deleted: true`) and purges its chunks.
    func delete(bucket: String, name: String) throws {
        guard var info = try reader.info(bucket: bucket, name: name), !info.deleted else {
            throw ObjectStoreError.objectNotFound(bucket: bucket, name: name)
        }
        let chunks = info.nuid
        info.deleted = true
        info.size = 0
        info.chunks = 0
        info.digest = nil
        info.modificationTime = Self.timestamp()
        try publishMeta(info, bucket: bucket)
        if !chunks.isEmpty { purge(bucket: bucket, subject: ObjectStoreNames.chunkSubject(bucket: bucket, nuid: chunks)) }
    }

    func createBucket(_ config: ObjectStoreConfig) throws {
        var cfg = jsStreamConfig()
        try check(jsStreamConfig_Init(&cfg), "stream config")
        cfg.Storage = config.storage == .memory ? js_MemoryStorage : js_FileStorage
        cfg.Replicas = Int64(config.replicas)
        cfg.MaxBytes = config.maxBytes
        if let ttl = config.ttl { cfg.MaxAge = ttl.milliseconds * 1_000_000 }
        cfg.Discard = js_DiscardNew
        cfg.AllowRollup = true
        cfg.AllowDirect = true
        let subjects = ["$O.\(config.bucket).C.>", "$O.\(config.bucket).M.>"]
        var errorCode = jsErrCode(0)
        let status = ObjectStoreNames.stream(config.bucket).withCString { name in
            config.description.withCString { description in
                withCStringArray(subjects) { array, count in
                    cfg.Name = name
                    cfg.Description = config.description.isEmpty ? nil : description
                    cfg.Subjects = array
                    cfg.SubjectsLen = count
                    var info: UnsafeMutablePointer<jsStreamInfo>?
                    let status = js_AddStream(&info, js.pointer, &cfg, nil, &errorCode)
                    if let info { jsStreamInfo_Destroy(info) }
                    return status
                }
            }
        }
        try check(status, "create object store bucket \(config.bucket)")
    }

    func deleteBucket(_ bucket: String) throws {
        var errorCode = jsErrCode(0)
        let status = js_DeleteStream(js.pointer, ObjectStoreNames.stream(bucket), nil, &errorCode)
        if errorCode == JSStreamNotFoundErr { throw ObjectStoreError.bucketNotFound(bucket: bucket) }
        try check(status, "delete object store bucket \(bucket)")
    }

    // MARK: Helpers

    private func publishMeta(_ info: ObjectInfo, bucket: String) throws {
        let payload: Data
        do {
            payload = try JSONEncoder().encode(info)
        } catch {
            throw ObjectStoreError.badMetadata(bucket: bucket, name: info.name, reason: "cannot encode (\(error))")
        }
        try payload.withUnsafeBytes { raw in
            try publish(
                ObjectStoreNames.metaSubject(bucket: bucket, name: info.name), raw, rollup: true,
                what: "object \(info.name): metadata")
        }
    }

    /// Publishes and waits for the stream's acknowledgement.
    private func publish(_ subject: String, _ bytes: UnsafeRawBufferPointer, rollup: Bool, what: String) throws {
        var message: OpaquePointer?
        let pointer = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        try check(natsMsg_Create(&message, subject, nil, pointer, Int32(bytes.count)), what)
        defer { natsMsg_Destroy(message) }
        if rollup { try check(natsMsgHeader_Set(message, "Nats-Rollup", "sub"), what) }
        var ack: UnsafeMutablePointer<jsPubAck>?
        var errorCode = jsErrCode(0)
        let status = js_PublishMsg(&ack, js.pointer, message, nil, &errorCode)
        if let ack { jsPubAck_Destroy(ack) }
        try check(status, "publish \(what)")
    }

    /// Best effort: leftover chunks only cost space.
    private func purge(bucket: String, subject: String) {
        var options = jsOptions()
        guard jsOptions_Init(&options) == NATS_OK else { return }
        var errorCode = jsErrCode(0)
        subject.withCString { filter in
            options.Stream.Purge.Subject = filter
            _ = js_PurgeStream(js.pointer, ObjectStoreNames.stream(bucket), &options, &errorCode)
        }
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
