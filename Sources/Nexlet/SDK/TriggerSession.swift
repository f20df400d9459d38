import Foundation
import Logging
import NATSKit
import NexProtocol
import Synchronization

/// One function trigger: its own connection (with the workload's credentials), a subscription, and the
/// invocations in flight.
final class TriggerSession: Sendable {
    let workloadID: String
    let namespace: String
    let subject: String
    private let connection: NatsConnection
    private let handler: @Sendable (TriggerInvocation) async throws -> Data
    private let emitter: any EventEmitter
    private let logger: Logger
    private let subscription = Mutex<NatsSubscription?>(nil)
    private let inFlight = InFlightTasks()

    private init(
        workloadID: String, namespace: String, subject: String, connection: NatsConnection,
        handler: @escaping @Sendable (TriggerInvocation) async throws -> Data, emitter: any EventEmitter, logger: Logger
    ) {
        self.workloadID = workloadID
        self.namespace = namespace
        self.subject = subject
        self.connection = connection
        self.handler = handler
        self.emitter = emitter
        self.logger = logger
    }

    /// Connects, subscribes and flushes, so the trigger is live on the server when this returns.
    static func open(
        workloadID: String, namespace: String, subject: String, options: NatsConnectOptions,
        handler: @escaping @Sendable (TriggerInvocation) async throws -> Data, emitter: any EventEmitter, logger: Logger
    ) async throws -> TriggerSession {
        let connection: NatsConnection
        do {
            connection = try await NatsConnection.connect(options)
        } catch {
            throw NexletError.failed("cannot connect the function trigger of \(workloadID) with the workload credentials: \(error)")
        }
        let session = TriggerSession(
            workloadID: workloadID, namespace: namespace, subject: subject, connection: connection, handler: handler,
            emitter: emitter, logger: logger)
        do {
            let subscription = try connection.subscribe(subject) { [session] message in
                session.inFlight.spawn { await session.invoke(message) }
            }
            session.subscription.withLock { $0 = subscription }
            try await connection.flush()
        } catch {
            await connection.close()
            throw NexletError.failed("cannot subscribe the function trigger of \(workloadID) to \(subject): \(error)")
        }
        session.watchConnectionErrors()
        return session
    }

    /// Runs the function for one message, replies when asked to, then emits `WORKLOADTRIGGERED`.
    private func invoke(_ message: NatsMessage) async {
        let started = ContinuousClock.now
        var headers: NatsHeaders = [NexHeader.triggerWorkloadID: workloadID, NexHeader.triggerNamespace: namespace]
        var result = Data()
        do {
            result = try await handler(TriggerInvocation(
                workloadID: workloadID, namespace: namespace, subject: message.subject, payload: message.payload,
                headers: message.headers))
        } catch {
            headers.set(NexHeader.triggerError, errorText(error))
            logger.warning("function trigger failed", metadata: ["workload": "\(workloadID)", "error": "\(error)"])
        }
        if message.replyTo != nil {
            do {
                try connection.respond(to: message, payload: result, headers: headers)
            } catch {
                logger.warning("cannot reply to a function trigger", metadata: ["workload": "\(workloadID)", "error": "\(error)"])
            }
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        emitter.emit(WorkloadTriggeredEvent(id: workloadID, namespace: namespace, duration: milliseconds), from: namespace)
    }

    /// Permission errors (e.g. workload credentials that may not subscribe to the subject) only arrive
    /// asynchronously; log them.
    private func watchConnectionErrors() {
        let events = connection.events()
        let logger = self.logger
        let workloadID = self.workloadID
        Task {
            for await event in events {
                if case .error(let error, let subject) = event {
                    logger.warning("function trigger connection error", metadata: [
                        "workload": "\(workloadID)", "subject": "\(subject ?? "")", "error": "\(error)",
                    ])
                }
            }
        }
    }

    /// Stops new deliveries, waits (bounded) for running invocations, then closes the connection.
    func close(drainTimeout: Duration) async {
        let subscription = self.subscription.withLock { current -> NatsSubscription? in
            defer { current = nil }
            return current
        }
        await subscription?.drain(timeout: drainTimeout)
        await inFlight.waitForAll(timeout: drainTimeout)
        await connection.drain(timeout: drainTimeout)
    }
}

/// Tasks started per message, so closing can wait for them.
final class InFlightTasks: Sendable {
    private let state = Mutex<(next: Int, tasks: [Int: Task<Void, Never>])>((0, [:]))

    func spawn(_ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            let id = state.next
            state.next += 1
            state.tasks[id] = Task { [weak self] in
                await work()
                _ = self?.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
        }
    }

    /// Waits until the tasks running now have finished, but at most `timeout`; stragglers are then cancelled
    /// and left behind.
    func waitForAll(timeout: Duration) async {
        let tasks = state.withLock { Array($0.tasks.values) }
        guard !tasks.isEmpty else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                for task in tasks { task.cancel() }
                once.resume()
            }
            Task {
                for task in tasks { await task.value }
                timer.cancel()
                once.resume()
            }
        }
    }
}

/// Resumes a continuation the first time it is asked to.
final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume() {
        continuation.withLock { $0.take() }?.resume()
    }
}
