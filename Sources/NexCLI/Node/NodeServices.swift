#if os(Linux)
import Logging
import NATSKit
import ServiceLifecycle
import Synchronization
import UnixSignals

// The services of `node up`, run in one `ServiceGroup` by `NodeRunner`. The group starts them together and
// shuts them down in reverse order of its list: `SecondSignal`, `NatsServerService`, `NodeConnectionService`,
// `NodeHTTPService` (NexNodeHTTP; unless `--http-addr ""`), the node, `HeapTrimmer`. So the trimmer and the node
// stop first (the HTTP endpoint still answers "not ready" meanwhile), then the endpoint, then the connection is
// drained, then the nats-server child is stopped; the signal watcher goes last.

/// The nats-server `node up` started: stopped (SIGTERM, then SIGKILL after the grace period) once the group
/// shuts it down, gracefully or by cancellation, so no shutdown path leaves the child running.
struct NatsServerService: Service, CustomStringConvertible {
    let server: LocalNatsServer
    let announce: Announcer

    var description: String { "nats-server \(server.url)" }

    func run() async throws {
        let cancelled = (try? await gracefulShutdown()) == nil
        await Self.stop(server, announce: announce, grace: cancelled ? .seconds(2) : .seconds(10))
    }

    /// Stops `server` and says so. Not cut short by cancellation: the child is gone when this returns.
    static func stop(_ server: LocalNatsServer, announce: Announcer, grace: Duration = .seconds(10)) async {
        await server.stop(grace: grace)
        announce.line("Stopped nats-server at \(server.url)", ["msg": "stopped nats-server", "url": server.url])
    }
}

/// The node's NATS connection: on shutdown the log sink stops publishing through it and it is drained
/// (what the node published last is delivered); on cancellation it is closed at once.
struct NodeConnectionService: Service, CustomStringConvertible {
    let connection: NatsConnection
    let sink: LogSink

    var description: String { "NATS connection" }

    func run() async throws {
        let cancelled = (try? await gracefulShutdown()) == nil
        sink.detach()
        if cancelled {
            await connection.close()
        } else {
            await connection.drain(timeout: .seconds(5))
        }
    }
}

/// The one handler of SIGINT and SIGTERM for the group: the first signal (also one that
/// arrived while the node was still starting, before the group ran: the sequence is made first thing and
/// buffers) triggers the group's graceful shutdown; a second one, while that is still going on, throws, and the
/// group (failure behaviour `.cancelGroup`) cancels every service: the node stops without waiting for requests
/// in flight, the connection is closed and the nats-server child is still stopped.
struct SecondSignal: Service, CustomStringConvertible {
    struct Received: Error, CustomStringConvertible {
        var signal: UnixSignal
        var description: String { "received \(signal) again" }
    }

    /// The group this service is in (set after the group was made with it).
    final class GroupReference: Sendable {
        private let group = Mutex<ServiceGroup?>(nil)
        func set(_ value: ServiceGroup) { group.withLock { $0 = value } }
        var value: ServiceGroup? { group.withLock { $0 } }
    }

    static let signals: [UnixSignal] = [.sigint, .sigterm]

    let sequence: UnixSignalsSequence
    let group = GroupReference()
    let logger: Logger

    /// Starts trapping the signals at once (their default action, ending the process, is disabled from now on).
    init(logger: Logger) async {
        sequence = await UnixSignalsSequence(trapping: Self.signals)
        self.logger = logger
    }

    var description: String { "signal watcher" }

    func run() async throws {
        var received = false
        for await signal in sequence.cancelOnGracefulShutdown() {
            if received {
                Console.err("received \(signal) again: cancelling the shutdown (requests in flight are cancelled)")
                throw Received(signal: signal)
            }
            received = true
            logger.info("received \(signal), shutting down")
            await group.value?.triggerGracefulShutdown()
        }
    }
}
#endif
