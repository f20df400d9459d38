import Foundation
import Testing

/// Every setting is one declaration: its flag, config keys, `NEX_…` environment variable, default (also in the
/// help) and rule. A bad value from any place is an error naming that place; nothing falls back to a default.
@Suite("nex settings: one declaration, no silent fall-backs", .serialized)
struct CLISettingsTests {
    /// A bad value: one line on stderr with every part, the usage status, nothing on stdout.
    private func expectRefused(_ result: CLIResult, containing parts: [String]) {
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let line = result.stderrLines.first ?? ""
        for part in parts { #expect(line.contains(part), "\(part) in \(result)") }
    }

    /// `--check`'s report, which must succeed.
    private func check(_ sandbox: CLISandbox, _ arguments: [String], environment: [String: String] = [:]) async throws -> (report: [String: Any], sources: [String: String]) {
        let result = try await sandbox.run(arguments + ["--check"], environment: environment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let report = try #require(try result.json() as? [String: Any], "\(result)")
        return (report, try #require(report["_sources"] as? [String: String]))
    }

    /// One bad value of each kind: (config key, JSON value, environment variable, its text, what the error shows).
    private static let badValues: [(key: String, json: String, variable: String, text: String, shows: String)] = [
        ("agent_restart_limit", #""lots""#, "NEX_AGENT_RESTART_LIMIT", "lots", "integer"),
        ("auction_ttl", #""soon""#, "NEX_AUCTION_TTL", "soon", "soon"),
        ("agent_restart_limit", "-1", "NEX_AGENT_RESTART_LIMIT", "-1", "must not be negative"),
        ("state_replicas", "9", "NEX_STATE_REPLICAS", "9", "between 1 and 5"),
        ("max_bids_per_namespace", "0", "NEX_MAX_BIDS_PER_NAMESPACE", "0", "at least 1"),
        ("credential_lifetime", #""0s""#, "NEX_CREDENTIAL_LIFETIME", "0s", "positive"),
        ("drain_timeout", #""0s""#, "NEX_DRAIN_TIMEOUT", "0s", "positive"),
        ("events", #""kafka""#, "NEX_EVENTS", "kafka", "kafka"),
        ("disable_native_start", #""maybe""#, "NEX_DISABLE_NATIVE_START", "maybe", "true or false"),
        // issue 14: node capacity and quotas
        ("reserve_memory", #""lots""#, "NEX_RESERVE_MEMORY", "lots", #""lots" is not a size"#),
        ("max_workloads", "-1", "NEX_MAX_WORKLOADS", "-1", "must not be negative"),
        ("quota_lease_ttl", #""0s""#, "NEX_QUOTA_LEASE_TTL", "0s", "positive"),
    ]

    @Test("a bad value in a config file names the file and the key, with and without --check")
    func badValuesFromAFile() async throws {
        let sandbox = try CLISandbox()
        for bad in Self.badValues {
            let file = try sandbox.write("bad.json", "{\"\(bad.key)\": \(bad.json)}")
            let parts = [file.standardizedFileURL.path, "\"\(bad.key)\"", bad.shows]
            expectRefused(try await sandbox.run(["node", "up", "--config", file.path, "--check"]), containing: parts)
            // Without --check too: the node does not start with a default in place of the bad value.
            expectRefused(try await sandbox.run(["node", "up", "--config", file.path, "-s", "nats://127.0.0.1:1"]), containing: parts)
        }
    }

    @Test("a bad value in an environment variable names the variable")
    func badValuesFromTheEnvironment() async throws {
        let sandbox = try CLISandbox()
        for bad in Self.badValues {
            expectRefused(try await sandbox.run(["node", "up", "--check"], environment: [bad.variable: bad.text]),
                          containing: ["environment variable \(bad.variable)", bad.shows])
            expectRefused(try await sandbox.run(["node", "up", "-s", "nats://127.0.0.1:1"], environment: [bad.variable: bad.text]),
                          containing: [bad.variable, bad.shows])
        }
        // Global settings too.
        expectRefused(try await sandbox.run(["node", "ls", "--check"], environment: ["NEX_LOGGER_LEVEL": "loud"]),
                      containing: ["NEX_LOGGER_LEVEL", "loud"])
        expectRefused(try await sandbox.run(["node", "ls", "--check"], environment: ["NEX_NATS_TIMEOUT": "later"]),
                      containing: ["NEX_NATS_TIMEOUT", "later"])
    }

    @Test("a flag breaking a setting's rule is refused naming the flag")
    func badFlagValues() async throws {
        let sandbox = try CLISandbox()
        expectRefused(try await sandbox.run(["node", "up", "--agent-restart-limit=-1", "--check"]), containing: ["--agent-restart-limit", "negative"])
        expectRefused(try await sandbox.run(["node", "up", "--state-replicas", "0", "--check"]), containing: ["--state-replicas", "between 1 and 5"])
        expectRefused(try await sandbox.run(["node", "up", "--auction-ttl", "0s", "--check"]), containing: ["--auction-ttl", "positive"])
        expectRefused(try await sandbox.run(["node", "up", "--drain-timeout", "0s", "--check"]), containing: ["--drain-timeout", "positive"])
        expectRefused(try await sandbox.run(["node", "lameduck", "NXXX", "--delay", "soon", "--check"]), containing: ["--delay", "soon"])
    }

    @Test("a value refused by the node's own checks names the file or variable it came from")
    func nodeChecksNameTheSource() async throws {
        let sandbox = try CLISandbox()
        let file = try sandbox.write("node.json", #"{"workload_uid_range": "9-1", "artifact_buckets": ["a.b"]}"#)
        let fromFile = try await sandbox.run(["node", "up", "--config", file.path, "-s", "nats://127.0.0.1:1"])
        expectRefused(fromFile, containing: ["--workload-uid-range (from \(file.standardizedFileURL.path)) \"9-1\"",
                                             "--artifact-buckets (from \(file.standardizedFileURL.path))"])
        let fromEnvironment = try await sandbox.run(["node", "up", "-s", "nats://127.0.0.1:1"], environment: ["NEX_NEXUS": "a.b"])
        expectRefused(fromEnvironment, containing: ["--nexus (from NEX_NEXUS) \"a.b\""])
        // Positive control: the same checks on a flag name the flag alone.
        let fromFlag = try await sandbox.run(["node", "up", "--nexus", "a.b", "-s", "nats://127.0.0.1:1"])
        expectRefused(fromFlag, containing: ["--nexus \"a.b\""])
    }

    @Test("good values from a file and from the environment resolve, with the right --check source")
    func goodValues() async throws {
        let sandbox = try CLISandbox()
        let environment = [
            "NEX_AGENT_RESTART_LIMIT": "5", "NEX_AUCTION_TTL": "45s", "NEX_STATE_REPLICAS": "3", "NEX_EVENTS": "logs",
            "NEX_DISABLE_NATIVE_START": "true", "NEX_NATS_SERVERS": "nats://a:4222,nats://b:4222", "NEX_LOGGER_LEVEL": "debug",
            "NEX_ARTIFACT_BUCKETS": "bins", "NEX_CREDENTIAL_LIFETIME": "720h", "NEX_NATS_INBOX_PREFIX": "_INBOX_env",
        ]
        var (report, sources) = try await check(sandbox, ["node", "up"], environment: environment)
        #expect(report["agent-restart-limit"] as? Int == 5)
        #expect(report["auction-ttl"] as? String == "45s")
        #expect(report["state-replicas"] as? Int == 3)
        #expect(report["events"] as? String == "logs")
        #expect(report["disable-native-start"] as? Bool == true)
        #expect(report["nats.servers"] as? [String] == ["nats://a:4222", "nats://b:4222"])
        #expect(report["logger.level"] as? String == "debug")
        #expect(report["artifact-buckets"] as? [String] == ["bins"])
        #expect(report["credential-lifetime"] as? String == "720h0m0s")
        #expect(report["nats.inbox-prefix"] as? String == "_INBOX_env")
        for (variable, _) in environment {
            let name = String(variable.dropFirst(4)).lowercased().replacingOccurrences(of: "_", with: "-")
                .replacingOccurrences(of: "nats-", with: "nats.").replacingOccurrences(of: "logger-", with: "logger.")
            #expect(sources[name] == variable, "\(name)")
        }
        #expect(sources["nexus"] == "default")

        // A config file beats the environment; a flag beats both.
        let file = try sandbox.write("config.json", #"{"agent_restart_limit": 0, "auction_ttl": 90000000000, "state": "kv"}"#)
        (report, sources) = try await check(sandbox, ["node", "up", "--state-replicas", "5"], environment: environment)
        #expect(report["agent-restart-limit"] as? Int == 0)
        #expect(sources["agent-restart-limit"] == file.standardizedFileURL.path)
        #expect(report["auction-ttl"] as? String == "1m30s")
        #expect(sources["auction-ttl"] == file.standardizedFileURL.path)
        #expect(report["state"] as? String == "kv")
        #expect(report["state-replicas"] as? Int == 5)
        #expect(sources["state-replicas"] == "flag")
        #expect(sources["events"] == "NEX_EVENTS")
    }

    @Test("the help shows each default from the setting's declaration")
    func helpShowsDefaults() async throws {
        let sandbox = try CLISandbox()
        let help = try await sandbox.run(["node", "up", "--help"])
        #expect(help.status == 0, "\(help)")
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for part in ["restarted (default 3)", "valid (default 10s)", "(default 61184-65519)", "(default 10000)", "(default 16)",
                     "(default nex-node-<random>)", "--no-disable-native-start", "-s, --nats.servers", "-l, --logger.level"] {
            #expect(text.contains(part), "\(part)")
        }
        let lameduck = try await sandbox.run(["node", "lameduck", "--help"])
        #expect(lameduck.stdout.contains("(default 1m)"), "\(lameduck)")
    }
}
