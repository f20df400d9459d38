import Foundation
import NATSKit
import NexClient
import NexProtocol

/// A connected client for the commands that talk to nodes.
struct ClientSession: Sendable {
    let connection: NatsConnection
    let client: NexClient

    /// Closes the connection.
    func close() async {
        await connection.close()
    }
}

extension CommandContext {
    /// Connects (to `--nats.servers`, a context, or nats://127.0.0.1:4222) and makes a client for the
    /// namespace. `--nats.timeout` replaces the single-request timeout.
    func session() async throws(CLIError) -> ClientSession {
        let settings = try ConnectionSettings(self.settings)
        let connection = try await Connector.connect(settings)
        var options = NexClientOptions()
        if let timeout = settings.requestTimeout {
            options.requestTimeout = timeout
            options.gather.totalTimeout = max(options.gather.totalTimeout, timeout)
        }
        do {
            return ClientSession(connection: connection, client: try NexClient(connection: connection, namespace: namespace, options: options))
        } catch {
            await connection.close()
            throw CLIError("\(error)", exitCode: ExitStatus.usage)
        }
    }

    /// Runs `body` with a session and closes it afterwards, whatever happens.
    func withSession<T: Sendable>(_ body: (ClientSession) async throws -> T) async throws -> T {
        let session = try await session()
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// Node commands reach the nodes only in the `system` namespace.
    func requireSystemNamespace(_ command: String) throws(CLIError) {
        guard namespace == NexConstants.systemNamespace else {
            throw CLIError("\"\(command)\" works in the system namespace only (got \"\(namespace)\")",
                           hint: "drop --namespace (and NEX_NAMESPACE) or set it to system", exitCode: ExitStatus.usage)
        }
    }

    /// Prints the errors some nodes sent next to their answers, as warnings on stderr.
    func warn(about errors: [NexError]) {
        for error in errors {
            Console.err("warning: a node answered with an error: \(CLIError.singleLine(error.description))")
        }
    }
}
