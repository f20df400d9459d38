import Synchronization

/// Something that happened to a connection outside of any request.
public enum NatsConnectionEvent: Sendable, Equatable {
    case disconnected
    case reconnected
    case closed
    /// An asynchronous error reported by the server or the library, e.g. a permissions violation
    /// (`kind == .notPermitted`) or a slow consumer. `subject` names the subscription involved, if any.
    case error(NatsError, subject: String?)
}

/// Fans connection events out to every current listener.
final class EventBroadcaster: Sendable {
    private let state = Mutex<(next: Int, listeners: [Int: AsyncStream<NatsConnectionEvent>.Continuation], closed: Bool)>((0, [:], false))

    func stream() -> AsyncStream<NatsConnectionEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: NatsConnectionEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let accepted = state.withLock { state -> Int? in
            if state.closed { return nil }
            let id = state.next
            state.next += 1
            state.listeners[id] = continuation
            return id
        }
        guard let id = accepted else {
            continuation.yield(.closed)
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    func emit(_ event: NatsConnectionEvent) {
        let listeners = state.withLock { state -> [AsyncStream<NatsConnectionEvent>.Continuation] in
            if event == .closed { state.closed = true }
            return Array(state.listeners.values)
        }
        for listener in listeners {
            listener.yield(event)
            if event == .closed { listener.finish() }
        }
    }
}
