import Foundation

/// A cluster of real nats-servers with routes on loopback and clustered JetStream.
public final class NATSCluster: Sendable {
    public let servers: [NATSServer]

    /// All client URLs, for a connection that fails over between them.
    public var urls: [String] { servers.map(\.url) }

    private init(servers: [NATSServer]) {
        self.servers = servers
    }

    /// Starts `size` servers whose route ports are chosen up front, each routing to all the others, so the
    /// cluster (and its JetStream meta group) forms whichever server starts first, and re-forms after restarts.
    public static func start(size: Int = 3, name: String = "nex-test", extraConfig: String = "") async throws -> NATSCluster {
        precondition(size >= 1, "a cluster needs at least one server")
        let routePorts = try (0..<size).map { _ in try freeLoopbackPort() }
        let routes = routePorts.map { "nats-route://127.0.0.1:\($0)" }
        var servers: [NATSServer] = []
        for index in 0..<size {
            servers.append(try await NATSServer.start(NATSServerOptions(
                serverName: "\(name)-\(index)",
                extraConfig: clusterBlock(name: name, port: routePorts[index], routes: routes) + extraConfig)))
        }
        return NATSCluster(servers: servers)
    }

    private static func clusterBlock(name: String, port: Int, routes: [String]) -> String {
        let routeList = routes.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
        cluster {
          name: \(name)
          listen: 127.0.0.1:\(port)
          routes: [\(routeList)]
        }

        """
    }

    public func stop() async {
        for server in servers { await server.stop() }
    }
}
