import Foundation
import Logging
import NATSKit
import Nexlet
import ServiceLifecycle

/// `echo-nexlet [--server URL]... [--nexus NAME] [--user U --password P | --creds FILE] [--name NAME] [--interval SECONDS]`
///
/// Registers remotely with a node of the nexus (the node must allow remote registration), or, when started
/// by a node as a local agent (`NEX_AGENT_*` set), registers from the environment. The runner is a `Service`
/// in a `ServiceGroup` that shuts it down gracefully on SIGINT/SIGTERM.
@main
struct EchoNexlet {
    struct Arguments {
        var servers: [String] = []
        var nexus = "nexus"
        var user: String?
        var password: String?
        var creds: String?
        var name = "echo"
        var interval: Duration = .seconds(1)
    }

    static func main() async {
        var logger = Logger(label: "echo-nexlet")
        logger.logLevel = .info
        do {
            let arguments = try parse(Array(CommandLine.arguments.dropFirst()))
            let runtime = try EchoRuntime(name: arguments.name, interval: arguments.interval)
            let environment = ProcessInfo.processInfo.environment
            let registration: NexletRunner.Registration = environment[NexletEnvironment.nodeIDVariable] != nil
                ? .environment(environment)
                : .remote(bootstrap: bootstrapOptions(arguments), nexus: arguments.nexus)
            let runner = NexletRunner(
                runtime: runtime, options: NexletRunnerOptions(nexus: arguments.nexus, logger: logger), registration: registration)
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: runner)], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
            try await group.run()
        } catch {
            FileHandle.standardError.write(Data("echo-nexlet: \(error)\n".utf8))
            exit(1)
        }
    }

    static func bootstrapOptions(_ arguments: Arguments) -> NatsConnectOptions {
        let environment = ProcessInfo.processInfo.environment
        let servers = !arguments.servers.isEmpty ? arguments.servers
            : (environment["NATS_URL"].map { $0.split(separator: ",").map(String.init) } ?? ["nats://127.0.0.1:4222"])
        var auth = NatsAuth.none
        if let creds = arguments.creds {
            auth = .credentialsFile(path: creds)
        } else if let user = arguments.user {
            auth = .userPassword(user: user, password: arguments.password ?? "")
        }
        return NatsConnectOptions(servers: servers, name: "echo-nexlet-bootstrap", auth: auth)
    }

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ words: [String]) throws -> Arguments {
        var arguments = Arguments()
        var rest = words[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            return next
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--server", "-s": arguments.servers.append(try value(flag))
            case "--nexus": arguments.nexus = try value(flag)
            case "--user": arguments.user = try value(flag)
            case "--password": arguments.password = try value(flag)
            case "--creds": arguments.creds = try value(flag)
            case "--name": arguments.name = try value(flag)
            case "--interval":
                let text = try value(flag)
                guard let seconds = Double(text), seconds > 0 else { throw UsageError(description: "--interval needs a positive number of seconds") }
                arguments.interval = .milliseconds(Int64(seconds * 1000))
            case "--help", "-h":
                print("usage: echo-nexlet [--server URL]... [--nexus NAME] [--user U --password P | --creds FILE] [--name NAME] [--interval SECONDS]")
                exit(0)
            default:
                throw UsageError(description: "unknown argument \(flag) (see --help)")
            }
        }
        return arguments
    }
}
