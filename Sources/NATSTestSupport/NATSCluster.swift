import Foundation

/// A cluster of real nats-servers with routes on loopback and clustered JetStream.
public final class NATSCluster: Sendable {
    public let servers: [NATSServer]

    /// All client URLs, for a connection that fails over between them.
    public var urls: [String] { servers.map(\.url) }

    private init(servers: [NATSServer]) {
        self.servers = servers
    }

    /// Starts `size` servers: the first one listens for routes, the others route to it (gossip joins the rest).
    public static func start(size: Int = 3, name: String = "nex-test", extraConfig: String = "") async throws -> NATSCluster {
        precondition(size >= 1, "a cluster needs at least one server")
        let seed = try await NATSServer.start(NATSServerOptions(
            serverName: "\(name)-0",
            extraConfig: clusterBlock(name: name, routes: []) + extraConfig))
        guard let seedRoute = seed.clusterPort else { throw NATSServerError("seed server reported no cluster port") }
        var servers = [seed]
        for index in 1..<size {
            let server = try await NATSServer.start(NATSServerOptions(
                serverName: "\(name)-\(index)",
                extraConfig: clusterBlock(name: name, routes: ["nats-route://127.0.0.1:\(seedRoute)"]) + extraConfig))
            servers.append(server)
        }
        // Every other server routes to the seed; on a seed restart they reconnect to its fixed route port.
        return NATSCluster(servers: servers)
    }

    private static func clusterBlock(name: String, routes: [String]) -> String {
        let routeList = routes.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
        cluster {
          name: \(name)
          listen: 127.0.0.1:-1
          routes: [\(routeList)]
        }

        """
    }

    public func stop() async {
        for server in servers { await server.stop() }
    }
}
