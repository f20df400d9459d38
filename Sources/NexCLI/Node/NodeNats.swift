#if os(Linux)
import Foundation
import Logging
import NATSKit

/// The NATS connection of `node up`, and the `nats-server` it started, if any.
///
/// In order: `--inats-config` starts `nats-server -c <file>`; configured servers (`--nats.servers`, a
/// context) are used as they are; with nothing configured, a server already answering on
/// nats://127.0.0.1:4222 is used, else a local JetStream server is started in `--data-dir`.
struct NodeNats: Sendable {
    let connection: NatsConnection
    /// The URL the node is connected to.
    let url: String
    /// The servers written into minted credentials (what agents and workloads connect to).
    let advertisedServers: [String]
    /// The server started for this node, stopped when the node stops.
    let server: LocalNatsServer?

    static func establish(_ configuration: NodeUpConfiguration, connection settings: ConnectionSettings, announce: Announcer) async throws(CLIError) -> NodeNats {
        if let configFile = configuration.inatsConfig {
            let server = try await LocalNatsServer.start(configFile: configFile, dataDirectory: configuration.dataDirectory)
            announce.started(server)
            return try await connect(settings, to: server)
        }
        if settings.isConfigured {
            let connection = try await Connector.connect(settings)
            let url = connection.connectedURL ?? settings.servers.joined(separator: ",")
            return NodeNats(connection: connection, url: url, advertisedServers: settings.servers, server: nil)
        }
        let probe = settings.connectOptions(servers: [ConnectionSettings.defaultServer], connectTimeout: .seconds(1))
        if let existing = try? await NatsConnection.connect(probe) {
            announce.line("Using the NATS server at \(ConnectionSettings.defaultServer)", ["msg": "using existing nats-server", "url": ConnectionSettings.defaultServer])
            return NodeNats(connection: existing, url: ConnectionSettings.defaultServer, advertisedServers: [ConnectionSettings.defaultServer], server: nil)
        }
        let server = try await LocalNatsServer.startDefault(dataDirectory: configuration.dataDirectory)
        announce.started(server)
        return try await connect(settings, to: server)
    }

    private static func connect(_ settings: ConnectionSettings, to server: LocalNatsServer) async throws(CLIError) -> NodeNats {
        do {
            let connection = try await Connector.connect(settings, servers: [server.url])
            return NodeNats(connection: connection, url: server.url, advertisedServers: [server.url], server: server)
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Closes the connection and stops the server this node started.
    func close(announce: Announcer) async {
        await connection.drain(timeout: .seconds(5))
        if let server { await NatsServerService.stop(server, announce: announce) }
    }
}
#endif
