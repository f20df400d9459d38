import Foundation
import Testing

/// `--check`: the resolved settings and where each came from, without connecting anywhere.
@Suite("nex --check and config files", .serialized)
struct CLIConfigTests {
    /// `--check`'s report as a dictionary.
    private func check(_ sandbox: CLISandbox, _ arguments: [String], environment: [String: String] = [:]) async throws -> [String: Any] {
        let result = try await sandbox.run(arguments + ["--check"], environment: environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        return try #require(try result.json() as? [String: Any], "\(result)")
    }

    private func sources(_ report: [String: Any]) throws -> [String: String] {
        try #require(report["_sources"] as? [String: String])
    }

    @Test("a value from each of the four places is reported with its source")
    func fourSources() async throws {
        let sandbox = try CLISandbox()
        let config = try sandbox.write("config.json", #"{"nexus": "from-file"}"#)
        let report = try await check(
            sandbox, ["node", "up", "--node-name", "from-flag"], environment: ["NEX_NAMESPACE": "from-env"])
        let sources = try sources(report)
        #expect(report["node-name"] as? String == "from-flag")
        #expect(sources["node-name"] == "flag")
        #expect(report["nexus"] as? String == "from-file")
        #expect(sources["nexus"] == config.standardizedFileURL.path)
        #expect(report["namespace"] as? String == "from-env")
        #expect(sources["namespace"] == "NEX_NAMESPACE")
        #expect(report["agent-restart-limit"] as? Int == 3)
        #expect(sources["agent-restart-limit"] == "default")
        #expect(report["_config_files"] as? [String] == [config.standardizedFileURL.path])
    }

    @Test("a flag beats the config file, which beats the environment, which beats the default")
    func precedence() async throws {
        let sandbox = try CLISandbox()
        let config = try sandbox.write("config.json", #"{"namespace": "file"}"#)
        let environment = ["NEX_NAMESPACE": "env"]

        var report = try await check(sandbox, ["node", "ls", "--namespace", "flag"], environment: environment)
        #expect(report["namespace"] as? String == "flag")
        #expect(try sources(report)["namespace"] == "flag")

        report = try await check(sandbox, ["node", "ls"], environment: environment)
        #expect(report["namespace"] as? String == "file")
        #expect(try sources(report)["namespace"] == config.standardizedFileURL.path)

        try FileManager.default.removeItem(at: config)
        report = try await check(sandbox, ["node", "ls"], environment: environment)
        #expect(report["namespace"] as? String == "env")

        report = try await check(sandbox, ["node", "ls"])
        #expect(report["namespace"] as? String == "system")
        #expect(try sources(report)["namespace"] == "default")
    }

    @Test("files are read in the Go order and the last one defining a key wins")
    func searchOrder() async throws {
        let sandbox = try CLISandbox()
        let user = try sandbox.write(sandbox.configHome.appendingPathComponent("nex/config.json").path,
                                     #"{"nexus": "user", "node_name": "user", "state": "kv"}"#)
        let local = try sandbox.write("config.json", #"{"nexus": "local", "node_name": "local"}"#)
        let explicit = try sandbox.write("explicit.json", #"{"nexus": "explicit"}"#)
        let report = try await check(sandbox, ["node", "up", "--config", explicit.path])
        let sources = try sources(report)
        #expect(report["nexus"] as? String == "explicit")
        #expect(sources["nexus"] == explicit.standardizedFileURL.path)
        #expect(report["node-name"] as? String == "local")
        #expect(sources["node-name"] == local.standardizedFileURL.path)
        #expect(report["state"] as? String == "kv")
        #expect(sources["state"] == user.standardizedFileURL.path)
        #expect(report["_config_files"] as? [String] == [user, local, explicit].map(\.standardizedFileURL.path))
    }

    @Test("keys: flag name with _ , camelCase, and nested nats/logger objects")
    func keySpellings() async throws {
        let sandbox = try CLISandbox()
        try sandbox.write("config.json", """
            {
              "agent_restart_limit": 7,
              "allowRemoteAgentRegistration": true,
              "auction-ttl": "30s",
              "nats": {"servers": ["nats://a:4222", "nats://b:4222"], "conn_name": "mine", "timeout": "2s"},
              "logger": {"level": "debug", "with_pid": true, "target": "std,file"},
              "tags": {"region": "lab"}
            }
            """)
        let report = try await check(sandbox, ["node", "up"])
        #expect(report["agent-restart-limit"] as? Int == 7)
        #expect(report["allow-remote-agent-registration"] as? Bool == true)
        #expect(report["auction-ttl"] as? String == "30s")
        #expect(report["nats.servers"] as? [String] == ["nats://a:4222", "nats://b:4222"])
        #expect(report["nats.conn-name"] as? String == "mine")
        #expect(report["nats.timeout"] as? String == "2s")
        #expect(report["logger.level"] as? String == "debug")
        #expect(report["logger.with-pid"] as? Bool == true)
        #expect(report["logger.target"] as? [String] == ["std", "file"])
        #expect(report["tags"] as? [String: String] == ["region": "lab"])
    }

    @Test("the Go CLI's config test: namespace and two local agents from --config")
    func goConfigTest() async throws {
        let sandbox = try CLISandbox()
        let config = try sandbox.write("nex.json", """
            {"namespace": "derp", "agents": [
              {"uri": "file:///usr/local/bin/agent-a", "argv": ["--one"], "env": {"A": "1"}},
              {"URI": "/usr/local/bin/agent-b", "Argv": null, "Env": {}}
            ]}
            """)
        let report = try await check(sandbox, ["node", "up", "--config", config.path])
        #expect(report["namespace"] as? String == "derp")
        let agents = try #require(report["agents"] as? [[String: Any]])
        #expect(agents.count == 2)
        #expect(agents.first?["uri"] as? String == "file:///usr/local/bin/agent-a")
        #expect(agents.first?["argv"] as? [String] == ["--one"])
        #expect(agents.last?["uri"] as? String == "/usr/local/bin/agent-b")
    }

    @Test("flags: repeated maps merge, comma lists split, durations are normalised, secrets are redacted")
    func flagShapes() async throws {
        let sandbox = try CLISandbox()
        let report = try await check(sandbox, [
            "node", "up", "--tags", "a=1;b=2", "--tags", "c=x=y", "-s", "nats://one:4222,nats://two:4222", "--auction-ttl", "90s",
            "--drain-timeout", "2500ms", "--node-seed", "SNAKTNRC5J7EI5BYCKQJMBACUATP7NS4D3Z2DMGUVRPIDO4AHKVNJOVF3E", "--no-disable-native-start",
        ])
        #expect(report["tags"] as? [String: String] == ["a": "1", "b": "2", "c": "x=y"])
        #expect(report["nats.servers"] as? [String] == ["nats://one:4222", "nats://two:4222"])
        #expect(report["auction-ttl"] as? String == "1m30s")
        #expect(report["drain-timeout"] as? String == "2.5s")
        #expect(report["node-seed"] as? String == "<redacted>")
        #expect(report["disable-native-start"] as? Bool == false)
        #expect(try sources(report)["disable-native-start"] == "flag")
        let name = try #require(report["node-name"] as? String)
        #expect(name.hasPrefix("nex-node-"))
        let dataDir = try #require(report["data-dir"] as? String)
        #expect(dataDir == sandbox.dataHome.appendingPathComponent("nex").path)
    }

    @Test("Go flags that do nothing are accepted")
    func deadFlags() async throws {
        let sandbox = try CLISandbox()
        let result = try await sandbox.run([
            "--dev-mode", "--auto-upgrade", "--disable-upgrade-check", "node", "up", "--resource-directory", "/tmp",
            "--nats.jsdomain", "hub", "--check",
        ])
        #expect(result.status == 0, "\(result)")
    }

    @Test("global flags work before and after the command name")
    func globalFlagPosition() async throws {
        let sandbox = try CLISandbox()
        let before = try await check(sandbox, ["--namespace", "early", "workload", "ls"])
        let after = try await check(sandbox, ["workloads", "ls", "--namespace", "late"])
        #expect(before["namespace"] as? String == "early")
        #expect(after["namespace"] as? String == "late")
    }

    // issue 12: private inboxes, object-store permissions, credential lifetime
    @Test("artifact buckets, credential lifetime and the inbox prefix come from flags and config files")
    func issue12Settings() async throws {
        let sandbox = try CLISandbox()
        let defaults = try await check(sandbox, ["node", "up"])
        #expect(defaults["artifact-buckets"] as? [String] == [])
        #expect(defaults["credential-lifetime"] as? String == "2160h0m0s")
        #expect(defaults["nats.inbox-prefix"] as? String == "")
        try sandbox.write("config.json", #"{"artifact_buckets": ["bins", "tools"], "credential_lifetime": "720h", "nats": {"inbox_prefix": "_INBOX_ops"}}"#)
        let report = try await check(sandbox, ["node", "up"])
        #expect(report["artifact-buckets"] as? [String] == ["bins", "tools"])
        #expect(report["credential-lifetime"] as? String == "720h0m0s")
        #expect(report["nats.inbox-prefix"] as? String == "_INBOX_ops")
        let flags = try await check(sandbox, ["node", "up", "--artifact-buckets", "a,b", "--credential-lifetime", "1h", "--nats.inbox-prefix", "_INBOX_x"])
        #expect(flags["artifact-buckets"] as? [String] == ["a", "b"])
        #expect(flags["credential-lifetime"] as? String == "1h0m0s")
        #expect(flags["nats.inbox-prefix"] as? String == "_INBOX_x")
    }
}

/// The sample config file at the package root.
@Suite("config.json.sample", .serialized)
struct CLIConfigSampleTests {
    @Test("is accepted by node up --check and every key lands where it should")
    func sample() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sample = try String(contentsOf: root.appendingPathComponent("config.json.sample"), encoding: .utf8)
        let sandbox = try CLISandbox()
        let config = try sandbox.write("config.json", sample)
        let result = try await sandbox.run(["node", "up", "--check"])
        #expect(result.status == 0, "\(result)")
        let report = try #require(try result.json() as? [String: Any])
        let sources = try #require(report["_sources"] as? [String: String])
        for key in ["nats.servers", "nats.timeout", "logger.level", "nexus", "node-name", "tags", "state", "events", "agents", "auction-ttl", "max-bids-per-namespace"] {
            #expect(sources[key] == config.standardizedFileURL.path, "\(key)")
        }
        #expect((report["agents"] as? [Any])?.count == 1)
    }
}
