import Foundation
import NATSKit

/// Opens NATS connections and turns failures into one-line errors that say what to try.
enum Connector {
    static func connect(_ settings: ConnectionSettings, servers: [String]? = nil) async throws(CLIError) -> NatsConnection {
        let options = settings.connectOptions(servers: servers)
        do {
            return try await NatsConnection.connect(options)
        } catch {
            throw describe(error, servers: options.servers, configured: settings.isConfigured || servers != nil)
        }
    }

    static func describe(_ error: any Error, servers: [String], configured: Bool) -> CLIError {
        let where_ = servers.joined(separator: ", ")
        if let nats = error as? NatsError {
            switch nats.kind {
            case .authenticationFailed, .notPermitted:
                return CLIError("NATS at \(where_) refused the credentials (\(nats.message))",
                                hint: "check --nats.creds-file, --nats.user/--nats.password or --nats.seed")
            case .noServers, .timeout:
                let hint = configured
                    ? "is the server running and reachable? check --nats.servers"
                    : "is a NATS server running? start one with \"nex node up\" or pass --nats.servers (-s)"
                return CLIError("cannot connect to NATS at \(where_)", hint: hint)
            default:
                break
            }
        }
        return CLIError("cannot connect to NATS at \(where_) (\(error))", hint: "check --nats.servers and the TLS and credential flags")
    }
}
