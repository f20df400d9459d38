import Foundation
import Minter
import NATSKit
import NATSTestSupport
import Testing

/// Secrets stay off the command line (`--*-file` forms, environment variables), and every file or directory
/// the CLI writes that may hold one is owner-only from the moment it exists, whatever the umask.
@Suite("nex secrets on the command line and at rest", .serialized)
struct CLISecretsTests {
    static let readyPattern = #"is ready: id (N[A-Z0-9]{55})"#

    /// `/proc/<pid>/cmdline` (readable by every user of the host), NULs as spaces.
    static func commandLine(of pid: Int32) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// Attack: read the seed of a running node from `/proc/<pid>/cmdline`. With `--node-seed-file` (made by
    /// `nex keys create -o`, 0600 even with umask 000) and with `NEX_NODE_SEED` the node has the seed's id, and
    /// the seed is nowhere on its command line.
    @Test("a node started with --node-seed-file or NEX_NODE_SEED has the seed's id and no seed on its command line")
    func seedFromAFile() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let seedFile = sandbox.workDirectory.appendingPathComponent("node.seed").path
        let created = try await sandbox.run(["keys", "create", "--type", "server", "-o", seedFile, "--json"], umask: "000")
        #expect(created.status == 0, "\(created)")
        #expect(try Self.mode(seedFile) == 0o600)
        let seed = try String(contentsOfFile: seedFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!created.stdout.contains(seed), "\(created)")
        let keys = try KeyPair(seed: seed)
        #expect((try created.json() as? [String: Any])?["public_key"] as? String == keys.publicKey)
        let again = try await sandbox.run(["keys", "create", "--type", "server", "-o", seedFile])
        #expect(again.status == 64 && again.stderr.contains("never overwrites"), "\(again)")
        #expect(try String(contentsOfFile: seedFile, encoding: .utf8).contains(seed))
        let common = ["node", "up", "-s", server.url, "--disable-native-start", "--node-name", "sealed"]

        let fromFile = try sandbox.start(common + ["--node-seed-file", seedFile])
        #expect(try await fromFile.waitForOutput(Self.readyPattern) == keys.publicKey)
        let fileCommandLine = try Self.commandLine(of: fromFile.pid)
        #expect(fileCommandLine.contains("--node-seed-file"))
        #expect(!fileCommandLine.contains(seed))
        fromFile.signal(SIGTERM)
        #expect(await fromFile.waitForExit(timeout: .seconds(20)) == 0)

        let fromEnvironment = try sandbox.start(common, environment: ["NEX_NODE_SEED": seed])
        #expect(try await fromEnvironment.waitForOutput(Self.readyPattern) == keys.publicKey)
        #expect(!(try Self.commandLine(of: fromEnvironment.pid)).contains(seed))
        fromEnvironment.signal(SIGTERM)
        #expect(await fromEnvironment.waitForExit(timeout: .seconds(20)) == 0)

        // The config key of the file form works the same.
        let config = try sandbox.write("seed-config.json", #"{"node_seed_file": "\#(seedFile)"}"#)
        let fromConfig = try sandbox.start(common + ["--config", config.path])
        #expect(try await fromConfig.waitForOutput(Self.readyPattern) == keys.publicKey)
        fromConfig.signal(SIGTERM)
        #expect(await fromConfig.waitForExit(timeout: .seconds(20)) == 0)

        // Control: the inline flag (what the file form replaces) does show the seed to every user.
        let inline = try sandbox.start(common + ["--node-seed", seed])
        #expect(try await inline.waitForOutput(Self.readyPattern) == keys.publicKey)
        #expect(try Self.commandLine(of: inline.pid).contains(seed))
        inline.signal(SIGTERM)
        #expect(await inline.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("a secret and its -file form together, an unreadable or empty file, and a bad seed in a file are one clear error each")
    func secretFileErrors() async throws {
        let sandbox = try CLISandbox()
        let seed = try #require(try KeyPair.generate(.server).seed)
        let seedFile = try sandbox.write("node.seed", seed).path
        let empty = try sandbox.write("empty.seed", "\n").path
        let wrongType = try sandbox.write("user.seed", try #require(try KeyPair.generate(.user).seed)).path
        let base = ["node", "up", "-s", "nats://127.0.0.1:1", "--disable-native-start"]
        let cases: [(arguments: [String], environment: [String: String], expected: String)] = [
            (["--node-seed", seed, "--node-seed-file", seedFile], [:], "--node-seed (from flag) and --node-seed-file (from flag) are both set"),
            (["--node-seed-file", seedFile], ["NEX_NODE_SEED": seed], "--node-seed (from NEX_NODE_SEED) and --node-seed-file (from flag) are both set"),
            (["--node-xkey-seed", "SX", "--node-xkey-seed-file", seedFile], [:], "--node-xkey-seed (from flag) and --node-xkey-seed-file (from flag) are both set"),
            (["--issuer-signing-key", "SA", "--issuer-signing-key-file", seedFile], [:], "--issuer-signing-key (from flag) and --issuer-signing-key-file"),
            (["--issuer-nkey-seed", "SU", "--issuer-nkey-seed-file", seedFile], [:], "--issuer-nkey-seed (from flag) and --issuer-nkey-seed-file"),
            (["--node-seed-file", sandbox.workDirectory.appendingPathComponent("missing").path], [:], "--node-seed-file: cannot read"),
            (["--node-seed-file", empty], [:], "--node-seed-file: \(empty) is empty"),
            (["--node-seed-file", wrongType], [:], "--node-seed-file \(wrongType) must be a server seed"),
        ]
        for item in cases {
            let result = try await sandbox.run(base + item.arguments, environment: item.environment)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(item.expected), "\(result)")
            #expect(!result.stderr.contains(seed), "\(result)")
        }
    }

    /// With umask 000 (and the usual 022), the export file, the log files and the node's data directory are
    /// owner-only as soon as they exist.
    @Test("state export -o, --logger.target file and the data directory are 0600/0700 from the start, even with umask 000")
    func privateFileModes() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let nodeID = try KeyPair.generate(.server).publicKey
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        let store = try await JetStream(connection).createKeyValue(KeyValueConfig(bucket: "nex-\(nodeID)"))
        _ = try await store.put("native_W1", Data(#"{"description":"","name":"a","namespace":"user","run_request":"{}","tags":null,"workload_lifecycle":"service","workload_type":"native"}"#.utf8))
        await connection.close()

        for umask in ["000", "022"] {
            let export = sandbox.workDirectory.appendingPathComponent("export-\(umask).json").path
            let exported = try await sandbox.run(["state", "export", nodeID, "-o", export, "-s", server.url], umask: umask)
            #expect(exported.status == 0, "\(exported)")
            #expect(try Self.mode(export) == 0o600)

            // The log files (in the working directory) are created before the unreachable server is tried.
            for name in ["nex.log", "nex.err"] { try? FileManager.default.removeItem(at: sandbox.workDirectory.appendingPathComponent(name)) }
            let logged = try await sandbox.run(
                ["node", "up", "-s", "nats://127.0.0.1:1", "--disable-native-start", "--logger.target", "file"], umask: umask)
            for name in ["nex.log", "nex.err"] {
                #expect(try Self.mode(sandbox.workDirectory.appendingPathComponent(name).path) == 0o600, "\(name) \(logged)")
            }

            // A fresh data directory (and its missing parents) for the native nexlet: 0700.
            let parent = sandbox.root.appendingPathComponent("fresh-\(umask)")
            let dataDirectory = parent.appendingPathComponent("a").appendingPathComponent("nex")
            let node = try sandbox.start(["node", "up", "-s", server.url, "--node-name", "modes", "--data-dir", dataDirectory.path], umask: umask)
            _ = try await node.waitForOutput(Self.readyPattern)
            #expect(try Self.mode(dataDirectory.path) == 0o700)
            #expect(try Self.mode(parent.path) == 0o700)
            node.signal(SIGTERM)
            #expect(await node.waitForExit(timeout: .seconds(20)) == 0)
        }
    }
}
