import CNats
import Foundation

/// The configuration of a JetStream stream with limits retention (what a history of published messages
/// needs): which subjects it captures and how much of them it keeps. When a limit is reached the oldest
/// messages are discarded.
public struct StreamConfig: Sendable, Equatable {
    public var name: String
    public var description: String
    /// The subjects (wildcards allowed) whose messages the stream stores.
    public var subjects: [String]
    /// Messages older than this are removed; nil = kept whatever their age.
    public var maxAge: Duration?
    /// Messages kept per subject (the oldest of a subject go first); -1 = unlimited.
    public var maxMessagesPerSubject: Int64
    /// Messages kept in all; -1 = unlimited.
    public var maxMessages: Int64
    /// Bytes kept in all (the oldest messages go first); -1 = unlimited.
    public var maxBytes: Int64
    /// Largest message stored; larger ones are refused. -1 = the server's limit.
    public var maxMessageSize: Int32
    public var storage: StorageType
    /// Copies on a clustered JetStream (1, 3 or 5).
    public var replicas: Int

    public init(
        name: String, description: String = "", subjects: [String], maxAge: Duration? = nil, maxMessagesPerSubject: Int64 = -1,
        maxMessages: Int64 = -1, maxBytes: Int64 = -1, maxMessageSize: Int32 = -1, storage: StorageType = .file, replicas: Int = 1
    ) {
        self.name = name
        self.description = description
        self.subjects = subjects
        self.maxAge = maxAge
        self.maxMessagesPerSubject = maxMessagesPerSubject
        self.maxMessages = maxMessages
        self.maxBytes = maxBytes
        self.maxMessageSize = maxMessageSize
        self.storage = storage
        self.replicas = replicas
    }

    /// The limits and subjects in which `self` differs from `other`, by name (`max_age`, `subjects`, …).
    public func differences(from other: StreamConfig) -> [String] {
        var names: [String] = []
        if Set(subjects) != Set(other.subjects) { names.append("subjects") }
        if (maxAge ?? .zero) != (other.maxAge ?? .zero) { names.append("max_age") }
        if maxMessagesPerSubject != other.maxMessagesPerSubject { names.append("max_msgs_per_subject") }
        if maxMessages != other.maxMessages { names.append("max_msgs") }
        if maxBytes != other.maxBytes { names.append("max_bytes") }
        if maxMessageSize != other.maxMessageSize { names.append("max_msg_size") }
        if description != other.description { names.append("description") }
        if replicas != other.replicas { names.append("replicas") }
        if storage != other.storage { names.append("storage") }
        return names
    }
}

/// A stream's configuration and what it holds now.
public struct StreamInfo: Sendable, Equatable {
    public var config: StreamConfig
    public var messages: UInt64
    public var bytes: UInt64
    public var firstSequence: UInt64
    public var lastSequence: UInt64
    /// The time of the newest message; nil when the stream is empty.
    public var lastTime: Date?
    public var consumers: Int
}

/// What ``JetStream/ensureStream(_:)`` did.
public enum StreamEnsureOutcome: Sendable, Equatable {
    case created
    /// The stream existed with other limits or subjects (named) and now has the given ones.
    case updated([String])
    case unchanged
    /// The stream exists with a storage type that cannot be changed in place; it was left as it is.
    case keptIncompatible(String)
}

extension JetStream {
    /// The stream's configuration and state; nil when there is no such stream. Throws
    /// ``NatsError/Kind/jetStreamUnavailable`` when the server (or the account) has no JetStream.
    public func streamInfo(_ name: String) async throws -> StreamInfo? {
        let js = UncheckedPointer(pointer: handle)
        return try await blocking { () throws -> StreamInfo? in
            var info: UnsafeMutablePointer<jsStreamInfo>?
            var errorCode = jsErrCode(0)
            let status = js_GetStreamInfo(&info, js.pointer, name, nil, &errorCode)
            defer { if let info { jsStreamInfo_Destroy(info) } }
            if errorCode == JSStreamNotFoundErr || status == NATS_NOT_FOUND { return nil }
            try checkJetStream(status, errorCode, "stream \(name): info")
            guard let info else { return nil }
            return StreamInfo(copying: info.pointee)
        }
    }

    /// Creates the stream, or brings an existing one to `config`'s subjects and limits (every node calls this at
    /// start, so it must be idempotent). A stream with the other storage type is left alone
    /// (``StreamEnsureOutcome/keptIncompatible(_:)``): JetStream cannot convert it, and deleting it would lose
    /// what it holds.
    @discardableResult
    public func ensureStream(_ config: StreamConfig) async throws -> StreamEnsureOutcome {
        guard let existing = try await streamInfo(config.name) else {
            do {
                try await addStream(config, update: false)
                return .created
            } catch let error as NatsError where error.status == Int(JSStreamNameExistErr.rawValue) {
                // Another node created it in the meantime: compare with what it made.
                return try await ensureStream(config)
            }
        }
        if existing.config.storage != config.storage {
            return .keptIncompatible("stream \(config.name) exists with \(existing.config.storage) storage, not \(config.storage)")
        }
        let changes = config.differences(from: existing.config)
        if changes.isEmpty { return .unchanged }
        try await addStream(config, update: true)
        return .updated(changes)
    }

    /// Deletes a stream and everything in it.
    public func deleteStream(_ name: String) async throws {
        let js = UncheckedPointer(pointer: handle)
        try await blocking {
            var errorCode = jsErrCode(0)
            let status = js_DeleteStream(js.pointer, name, nil, &errorCode)
            try checkJetStream(status, errorCode, "delete stream \(name)")
        }
    }

    private func addStream(_ config: StreamConfig, update: Bool) async throws {
        let js = UncheckedPointer(pointer: handle)
        try await blocking {
            var cfg = jsStreamConfig()
            try check(jsStreamConfig_Init(&cfg), "stream config")
            cfg.Retention = js_LimitsPolicy
            cfg.Discard = js_DiscardOld
            cfg.Storage = config.storage == .memory ? js_MemoryStorage : js_FileStorage
            cfg.Replicas = Int64(config.replicas)
            cfg.MaxMsgs = config.maxMessages
            cfg.MaxBytes = config.maxBytes
            cfg.MaxMsgsPerSubject = config.maxMessagesPerSubject
            cfg.MaxMsgSize = config.maxMessageSize
            if let age = config.maxAge { cfg.MaxAge = age.nanoseconds }
            var errorCode = jsErrCode(0)
            let status = config.name.withCString { name in
                config.description.withCString { description in
                    withCStringArray(config.subjects) { array, count in
                        cfg.Name = name
                        cfg.Description = config.description.isEmpty ? nil : description
                        cfg.Subjects = array
                        cfg.SubjectsLen = count
                        var info: UnsafeMutablePointer<jsStreamInfo>?
                        let status = update
                            ? js_UpdateStream(&info, js.pointer, &cfg, nil, &errorCode)
                            : js_AddStream(&info, js.pointer, &cfg, nil, &errorCode)
                        if let info { jsStreamInfo_Destroy(info) }
                        return status
                    }
                }
            }
            try checkJetStream(status, errorCode, "\(update ? "update" : "create") stream \(config.name)")
        }
    }
}

extension StreamInfo {
    init(copying info: jsStreamInfo) {
        var config = StreamConfig(name: "", subjects: [])
        if let cfg = info.Config?.pointee {
            config.name = cfg.Name.map { String(cString: $0) } ?? ""
            config.description = cfg.Description.map { String(cString: $0) } ?? ""
            if let subjects = cfg.Subjects {
                config.subjects = (0..<Int(cfg.SubjectsLen)).compactMap { subjects[$0].map { String(cString: $0) } }
            }
            config.maxAge = cfg.MaxAge > 0 ? .nanoseconds(cfg.MaxAge) : nil
            config.maxMessagesPerSubject = cfg.MaxMsgsPerSubject
            config.maxMessages = cfg.MaxMsgs
            config.maxBytes = cfg.MaxBytes
            config.maxMessageSize = cfg.MaxMsgSize
            config.storage = cfg.Storage == js_MemoryStorage ? .memory : .file
            config.replicas = Int(cfg.Replicas)
        }
        self.config = config
        messages = info.State.Msgs
        bytes = info.State.Bytes
        firstSequence = info.State.FirstSeq
        lastSequence = info.State.LastSeq
        lastTime = info.State.Msgs > 0 ? Date(nanosecondsSince1970: info.State.LastTime) : nil
        consumers = Int(info.State.Consumers)
    }
}

extension Date {
    init(nanosecondsSince1970 nanoseconds: Int64) {
        self.init(timeIntervalSince1970: Double(nanoseconds) / 1e9)
    }

    var nanosecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1e9).rounded())
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Like `check`, for JetStream API calls: a server or account without JetStream becomes
/// ``NatsError/Kind/jetStreamUnavailable``, and the JetStream error code is kept as the error's status.
func checkJetStream(_ status: natsStatus, _ errorCode: jsErrCode, _ context: @autoclosure () -> String) throws(NatsError) {
    if status == NATS_OK { return }
    if status == NATS_NO_RESPONDERS || errorCode == JSNotEnabledErr || errorCode == JSNotEnabledForAccountErr {
        throw NatsError(kind: .jetStreamUnavailable, status: Int(errorCode.rawValue), message: "\(context()): JetStream is not enabled on the server or for this account")
    }
    var error = NatsError(status, context())
    if errorCode.rawValue != 0 { error.status = Int(errorCode.rawValue) }
    throw error
}
