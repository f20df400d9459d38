import Foundation
import Minter
import NATSKit
import NATSTestSupport
import Testing

/// How `nex` reaches NATS: credentials, NATS CLI contexts, `--inats-config`, and node logging options.
@Suite("nex connections and node logging", .serialized)
struct CLIConnectionTests {
    @Test("user and password: accepted when right, one clear line when wrong")
    func userPassword() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: "authorization { user: nex, password: s3cret }"))
        let sandbox = try CLISandbox()
        let good = try await sandbox.run(["node", "ls", "-s", server.url, "--nats.user", "nex", "--nats.password", "s3cret"])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("No nodes found"))

        let bad = try await sandbox.run(["node", "ls", "-s", server.url, "--nats.user", "nex", "--nats.password", "wrong"])
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderrLines.count == 1, "\(bad)")
        #expect(bad.stderr.contains("refused the credentials"), "\(bad)")
    }

    @Test("an nkey seed from flags or a config file authenticates")
    func nkeyAuth() async throws {
        let user = try KeyPair.generate(.user)
        let seed = try #require(user.seed)
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: "authorization { users: [ { nkey: \(user.publicKey) } ] }"))
        let sandbox = try CLISandbox()
        let flags = try await sandbox.run(["node", "ls", "-s", server.url, "--nats.seed", seed])
        #expect(flags.status == 0, "\(flags)")
        try sandbox.write("config.json", #"{"nats": {"servers": "\#(server.url)", "seed": "\#(seed)", "nkey": "\#(user.publicKey)"}}"#)
        let config = try await sandbox.run(["node", "ls"])
        #expect(config.status == 0, "\(config)")
    }

    @Test("a NATS CLI context supplies the server and credentials")
    func natsContext() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: "authorization { user: ctx, password: pw }"))
        let sandbox = try CLISandbox()
        try sandbox.write(sandbox.configHome.appendingPathComponent("nats/context/lab.json").path,
                          #"{"url": "\#(server.url)", "user": "ctx", "password": "pw"}"#)
        let result = try await sandbox.run(["node", "ls", "--nats.context", "lab"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("No nodes found"))

        let unknown = try await sandbox.run(["node", "ls", "--nats.context", "nowhere", "-s", server.url, "--nats.user", "ctx", "--nats.password", "pw"])
        #expect(unknown.status == 0, "\(unknown)")
        #expect(unknown.stderr.contains("warning: NATS context \"nowhere\" not found"))
    }

    @Test("--inats-config starts nats-server with the user's file, connects to it, and stops it")
    func inatsConfig() async throws {
        let sandbox = try CLISandbox()
        let store = sandbox.root.appendingPathComponent("js")
        let config = try sandbox.write("inats.conf", "port: -1\njetstream { store_dir: \"\(store.path)\" }\n")
        let node = try sandbox.start([
            "node", "up", "--inats-config", config.path, "--disable-native-start", "--state", "kv",
            "--data-dir", sandbox.root.appendingPathComponent("data").path,
        ])
        let url = try await node.waitForOutput(#"Started nats-server at (nats://[0-9.]+:\d+)"#)
        try await node.waitForOutput("is ready")
        let list = try await sandbox.run(["node", "ls", "--json", "-s", url])
        #expect((try list.json() as? [Any])?.count == 1, "\(list)")
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: .seconds(30)) == 0, "\(node.stdout)\(node.stderr)")
        #expect(node.stdout.contains("Stopped nats-server at \(url)"))
        let refused = try? await NatsConnection.connect(NatsConnectOptions(servers: [url], connectTimeout: .seconds(1)))
        #expect(refused == nil)
    }

    @Test("node logs: short levels and DateOnly times into nex.log; --json makes every line JSON")
    func nodeLogging() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let node = try sandbox.start([
            "node", "up", "-s", server.url, "--disable-native-start", "--logger.target", "std,file", "--logger.short",
            "--logger.timefmt", "DateOnly",
        ])
        try await node.waitForOutput("is ready")
        let today = try NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2} \[INF\] nex node ready"#, options: .anchorsMatchLines)
        let log = (try? String(contentsOf: sandbox.workDirectory.appendingPathComponent("nex.log"), encoding: .utf8)) ?? ""
        #expect(today.firstMatch(in: log, range: NSRange(log.startIndex..., in: log)) != nil, "\(log)")
        #expect(today.firstMatch(in: node.stdout, range: NSRange(node.stdout.startIndex..., in: node.stdout)) != nil, "\(node.stdout)")
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: .seconds(20)) == 0)

        let jsonNode = try sandbox.start(["node", "up", "-s", server.url, "--disable-native-start", "--json"])
        try await jsonNode.waitForOutput(#""msg":"node ready""#)
        jsonNode.signal(SIGTERM)
        #expect(await jsonNode.waitForExit(timeout: .seconds(20)) == 0)
        for line in jsonNode.stdout.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not JSON: \(line)")
        }
    }
}
