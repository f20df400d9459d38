import Foundation
import NATSTestSupport
import Testing

/// Every failure is one line on stderr and a non-zero exit.
@Suite("nex errors", .serialized)
struct CLIErrorTests {
    /// Checks the one-line rule and returns that line.
    @discardableResult
    private func expectOneLineError(_ result: CLIResult, status: Int32? = nil, containing parts: [String] = []) -> String {
        #expect(result.status != 0, "\(result)")
        if let status { #expect(result.status == status, "\(result)") }
        #expect(result.stderrLines.count == 1, "\(result)")
        let line = result.stderrLines.first ?? ""
        for part in parts { #expect(line.contains(part), "\(result)") }
        return line
    }

    @Test("an unknown flag")
    func unknownFlag() async throws {
        let sandbox = try CLISandbox()
        let result = try await sandbox.run(["node", "up", "--bogus"])
        expectOneLineError(result, status: 64, containing: ["--bogus", "nex node up --help"])
        #expect(result.stdout.isEmpty)
    }

    @Test("an unknown command, at the top and below")
    func unknownCommand() async throws {
        let sandbox = try CLISandbox()
        expectOneLineError(try await sandbox.run(["nodes"]), status: 64, containing: ["unknown command \"nodes\"", "node, workload"])
        expectOneLineError(try await sandbox.run(["node", "start"]), status: 64, containing: ["unknown command \"start\"", "nex node"])
        expectOneLineError(try await sandbox.run(["--namespace", "user", "workload", "frobnicate"]), status: 64, containing: ["\"frobnicate\""])
    }

    @Test("a missing argument and a bad flag value")
    func badArguments() async throws {
        let sandbox = try CLISandbox()
        expectOneLineError(try await sandbox.run(["node", "info"]), status: 64, containing: ["node-id"])
        expectOneLineError(try await sandbox.run(["node", "up", "--agent-restart-limit", "many"]), status: 64, containing: ["many"])
        expectOneLineError(try await sandbox.run(["node", "up", "--auction-ttl", "soon", "--check"]), status: 64, containing: ["--auction-ttl", "soon"])
        expectOneLineError(try await sandbox.run(["node", "up", "--state", "etcd", "--check"]), status: 64, containing: ["--state", "etcd"])
        expectOneLineError(try await sandbox.run(["node", "ls", "--filter", "novalue"]), status: 64, containing: ["key=value"])
    }

    @Test("a bad config file names the file, the key and the problem")
    func badConfigFile() async throws {
        let sandbox = try CLISandbox()
        let typed = try sandbox.write("typed.json", #"{"agent_restart_limit": "lots"}"#)
        expectOneLineError(try await sandbox.run(["node", "up", "--config", typed.path, "--check"]), status: 64,
                           containing: [typed.standardizedFileURL.path, "agent_restart_limit", "integer"])

        let broken = try sandbox.write("broken.json", "{\n  \"nexus\": \"a\",\n  oops\n}")
        expectOneLineError(try await sandbox.run(["node", "ls", "--config", broken.path]), status: 64,
                           containing: [broken.standardizedFileURL.path, "line 3"])

        let nested = try sandbox.write(sandbox.configHome.appendingPathComponent("nex/config.json").path, #"{"logger": {"level": "loud"}}"#)
        expectOneLineError(try await sandbox.run(["keys", "create", "--type", "user"]), status: 64,
                           containing: [nested.standardizedFileURL.path, "logger.level", "loud"])
        try FileManager.default.removeItem(at: nested)

        expectOneLineError(try await sandbox.run(["node", "ls", "--config", "missing.json"]), status: 64, containing: ["missing.json", "does not exist"])
        let array = try sandbox.write("array.json", "[1, 2]")
        expectOneLineError(try await sandbox.run(["node", "ls", "--config", array.path]), status: 64, containing: ["JSON object"])
    }

    @Test("invalid node configuration is reported at once, before connecting")
    func badNodeSettings() async throws {
        let sandbox = try CLISandbox()
        let line = expectOneLineError(try await sandbox.run([
            "node", "up", "--node-seed", "SUAMFX5DODJVXB2X26ZSBL4XUMYQOAWKU57N6T3RV5I5YM3SDVRRVSMYEU", "--tags", "nex.os=plan9",
            "--issuer-nkey", "UDQ2JOTBRWSTXYTHNBZQSLOLKTEOB2Z3X6U7QRBN6IZE5TS67P3F2NVS", "-s", "nats://127.0.0.1:1",
        ]), status: 64)
        #expect(line.contains("server seed"))
        #expect(line.contains("nex."))
        #expect(line.contains("nkey-seed must be provided if nkey is provided"))
    }

    @Test("an unreachable server says what to try")
    func unreachableServer() async throws {
        let sandbox = try CLISandbox()
        let port = try freeLoopbackPort()
        let line = expectOneLineError(try await sandbox.run(["node", "ls", "-s", "nats://127.0.0.1:\(port)"]), status: 1)
        #expect(line.contains("cannot connect to NATS at nats://127.0.0.1:\(port)"))
        #expect(line.contains("--nats.servers"))
    }

    @Test("node commands outside the system namespace are refused with a hint")
    func nodeCommandsNeedSystem() async throws {
        let sandbox = try CLISandbox()
        expectOneLineError(try await sandbox.run(["node", "ls", "--namespace", "user"]), status: 64, containing: ["system namespace"])
    }

    @Test("help, version and completion scripts exit 0 on stdout")
    func helpAndVersion() async throws {
        let sandbox = try CLISandbox()
        let help = try await sandbox.run(["node", "up", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--disable-native-start"))
        let version = try await sandbox.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.contains("0.1.0"))
        let completion = try await sandbox.run(["--generate-completion-script", "bash"])
        #expect(completion.status == 0)
        #expect(completion.stdout.contains("workload"))
    }

    // issue 12: private inboxes, object-store permissions, credential lifetime
    @Test("bad artifact buckets, credential lifetimes and inbox prefixes are refused before connecting")
    func issue12BadValues() async throws {
        let sandbox = try CLISandbox()
        expectOneLineError(try await sandbox.run(["node", "up", "--artifact-buckets", "ok,a.b"]), status: 64, containing: ["--artifact-buckets", "a.b"])
        expectOneLineError(try await sandbox.run(["node", "up", "--artifact-buckets", ">"]), status: 64, containing: ["--artifact-buckets"])
        expectOneLineError(try await sandbox.run(["node", "up", "--credential-lifetime", "0s"]), status: 64, containing: ["--credential-lifetime"])
        expectOneLineError(try await sandbox.run(["node", "up", "--credential-lifetime", "forever"]), status: 64, containing: ["forever"])
        expectOneLineError(try await sandbox.run(["node", "ls", "--nats.inbox-prefix", "_INBOX.*"]), status: 64, containing: ["--nats.inbox-prefix"])
    }
}
