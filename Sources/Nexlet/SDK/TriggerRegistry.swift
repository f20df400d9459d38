import Foundation
import Logging
import NATSKit
import NexProtocol

/// The function triggers of one runner session, by workload id.
actor TriggerRegistry {
    private var sessions: [String: TriggerSession] = [:]
    private var closed = false
    private let emitter: any EventEmitter
    private let connectionName: String
    private let fallbackServers: [String]
    private let connectTimeout: Duration
    private let drainTimeout: Duration
    private let logger: Logger

    init(
        emitter: any EventEmitter, connectionName: String, fallbackServers: [String], connectTimeout: Duration,
        drainTimeout: Duration, logger: Logger
    ) {
        self.emitter = emitter
        self.connectionName = connectionName
        self.fallbackServers = fallbackServers
        self.connectTimeout = connectTimeout
        self.drainTimeout = drainTimeout
        self.logger = logger
    }

    func register(
        workloadID: String, namespace: String, subject: String, credentials: NatsConnectionData,
        handler: @escaping @Sendable (TriggerInvocation) async throws -> Data
    ) async throws {
        guard !closed else { throw NexletError.failed("the runner is stopping; no new function triggers") }
        let options = try credentials.connectOptions(
            defaultName: "\(connectionName)-trigger-\(workloadID)", fallbackServers: fallbackServers,
            connectTimeout: connectTimeout)
        let session = try await TriggerSession.open(
            workloadID: workloadID, namespace: namespace, subject: subject, options: options, handler: handler,
            emitter: emitter, logger: logger)
        // Awaits above let other calls in: whatever got registered meanwhile (or a stop) is settled here.
        if closed {
            await session.close(drainTimeout: drainTimeout)
            throw NexletError.failed("the runner is stopping; no new function triggers")
        }
        let previous = sessions.updateValue(session, forKey: workloadID)
        await previous?.close(drainTimeout: drainTimeout)
        logger.debug("function trigger registered", metadata: ["workload": "\(workloadID)", "subject": "\(subject)"])
    }

    func unregister(workloadID: String) async {
        guard let session = sessions.removeValue(forKey: workloadID) else { return }
        await session.close(drainTimeout: drainTimeout)
    }

    func subject(of workloadID: String) -> String? {
        sessions[workloadID]?.subject
    }

    /// Removes every trigger and refuses new ones.
    func close() async {
        closed = true
        let all = sessions.values
        sessions.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for session in all {
                group.addTask { await session.close(drainTimeout: self.drainTimeout) }
            }
        }
    }
}
