import Foundation
import Logging
import NATSKit
import NexProtocol
import ProcessKit

/// What the runner offers a runtime (see ``NexletRuntime/attach(to:)``): identity, the workload feeds, the
/// event emitter and function triggers. Valid for one `run`; after the runner stopped, publishing is a no-op.
public final class NexletHost: Sendable {
    /// The agent id of this registration.
    public let agentID: String
    /// The node the agent registered with.
    public let nodeID: String
    public let nexus: String
    /// The registration's register type (the `workload_type` of events).
    public let registerType: String
    /// The runner's logger, with `agent_id` and `nexlet` metadata.
    public let logger: Logger
    let connection: NatsConnection
    let emitter: any EventEmitter
    let triggers: TriggerRegistry

    init(
        agentID: String, nodeID: String, nexus: String, registerType: String, logger: Logger,
        connection: NatsConnection, emitter: any EventEmitter, triggers: TriggerRegistry
    ) {
        self.agentID = agentID
        self.nodeID = nodeID
        self.nexus = nexus
        self.registerType = registerType
        self.logger = logger
        self.connection = connection
        self.emitter = emitter
        self.triggers = triggers
    }

    // MARK: Events

    /// Emits any event through the runner's emitter (best effort: the emitter logs or drops failures).
    public func emit<Event: NexEvent>(_ event: Event, from: String) async {
        emitter.emit(event, from: from)
    }

    /// `WORKLOADSTARTED` from `namespace`, with this nexlet's register type.
    public func emitWorkloadStarted(workloadID: String, namespace: String, metadata: [String: String]? = nil) async {
        await emit(WorkloadStartedEvent(id: workloadID, namespace: namespace, workloadType: registerType, metadata: metadata), from: namespace)
    }

    /// `WORKLOADSTOPPED` from `namespace`; pass `error` when the workload ended abnormally (e.g. `code` = exit code).
    public func emitWorkloadStopped(
        workloadID: String, namespace: String, error: WorkloadStoppedEventError? = nil, metadata: [String: String]? = nil
    ) async {
        let event = WorkloadStoppedEvent(id: workloadID, namespace: namespace, workloadType: registerType, metadata: metadata, error: error)
        await emit(event, from: namespace)
    }

    // MARK: Feeds

    /// Publishes one chunk of workload output as one message on `$NEX.FEED.<ns>.logs.<id>.stdout|stderr`
    /// (raw bytes, headers `synadia.com/group: ""` and `synadia.com/namespace: <ns>`), and logs it locally at
    /// debug level.
    public func publishOutput(_ bytes: Data, namespace: String, workloadID: String, stream: NexProtocol.LogStream) {
        logger.debug("workload output", metadata: [
            "workload": "\(workloadID)", "namespace": "\(namespace)", "stream": "\(stream.rawValue)",
            "text": "\(String(decoding: bytes, as: UTF8.self))",
        ])
        publishFeed(NexSubject.logs(namespace: namespace, workloadID: workloadID, stream: stream), bytes, namespace: namespace)
    }

    /// Publishes a line captured by ProcessKit on the workload's stdout/stderr feed (with its newline when it had one).
    public func publishOutput(_ line: LogLine, namespace: String, workloadID: String) {
        let stream: NexProtocol.LogStream = line.stream == .stdout ? .stdout : .stderr
        var bytes = Data(line.bytes)
        if line.endsWithNewline { bytes.append(0x0A) }
        publishOutput(bytes, namespace: namespace, workloadID: workloadID, stream: stream)
    }

    /// A writer bound to one workload's feeds.
    public func output(namespace: String, workloadID: String) -> WorkloadOutput {
        WorkloadOutput(host: self, namespace: namespace, workloadID: workloadID)
    }

    /// Publishes metrics (agent-defined content, e.g. JSON) on `$NEX.FEED.<ns>.metrics.<id>` with the feed headers.
    public func publishMetrics(_ bytes: Data, namespace: String, workloadID: String) {
        publishFeed(NexSubject.metrics(namespace: namespace, workloadID: workloadID), bytes, namespace: namespace)
    }

    private func publishFeed(_ subject: String, _ bytes: Data, namespace: String) {
        guard !connection.isClosed else { return }
        let headers: NatsHeaders = [NexHeader.group: "", NexHeader.namespace: namespace]
        do {
            try connection.publish(subject, payload: bytes, headers: headers)
        } catch {
            logger.warning("cannot publish on \(subject)", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Function triggers

    /// Subscribes to `subject` on a separate connection opened with `credentials` (the workload's), calling
    /// `handler` concurrently for each message. Replies (when the message has a reply subject) carry headers
    /// `workload_id`, `namespace` and, on failure, `error`; each invocation emits `WORKLOADTRIGGERED`. Replaces
    /// an earlier trigger of the same workload. Returns once the subscription is active on the server.
    public func registerTrigger(
        workloadID: String, namespace: String, subject: String, credentials: NatsConnectionData,
        handler: @escaping @Sendable (TriggerInvocation) async throws -> Data
    ) async throws {
        try await triggers.register(
            workloadID: workloadID, namespace: namespace, subject: subject, credentials: credentials, handler: handler)
    }

    /// Removes a workload's trigger (waits for running invocations, then closes its connection). No-op when none.
    public func unregisterTrigger(workloadID: String) async {
        await triggers.unregister(workloadID: workloadID)
    }

    /// The trigger subject of a workload, if it has a trigger.
    public func triggerSubject(workloadID: String) async -> String? {
        await triggers.subject(of: workloadID)
    }
}

/// Writes one workload's output to its stdout/stderr feeds.
public struct WorkloadOutput: Sendable {
    let host: NexletHost
    public let namespace: String
    public let workloadID: String

    /// One message per call.
    public func write(_ bytes: Data, to stream: NexProtocol.LogStream = .stdout) {
        host.publishOutput(bytes, namespace: namespace, workloadID: workloadID, stream: stream)
    }

    /// Writes `text` as UTF-8 (no newline added).
    public func write(_ text: String, to stream: NexProtocol.LogStream = .stdout) {
        write(Data(text.utf8), to: stream)
    }
}
