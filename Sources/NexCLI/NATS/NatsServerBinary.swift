import Foundation

/// Finds the `nats-server` executable: `$NATS_SERVER`, then `PATH`, then the usual system locations.
enum NatsServerBinary {
    static func locate() throws(CLIError) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["NATS_SERVER"], !explicit.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                throw CLIError("NATS_SERVER=\(explicit) is not an executable file", hint: "point it at a nats-server binary")
            }
            return explicit
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in path + ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/usr/bin", "/opt/homebrew/bin"] {
            let candidate = directory + "/nats-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CLIError("no NATS server is configured and nats-server is not installed",
                       hint: "install nats-server (e.g. apt-get install nats-server) or pass --nats.servers (-s)")
    }
}
