import JSONSchema
import NexProtocol

/// The settings every command has: namespace, output format, logging and the NATS connection (the Go CLI's
/// global flags, credentials-state-native-cli.md §5.2).
enum GlobalSettings {
    static let namespace = Setting(
        "namespace", .string, default: .string(NexConstants.systemNamespace), help: "The namespace to act in.", value: "name")
    static let json = Setting("json", .bool, default: .bool(false), help: "Print JSON (the wire objects) instead of tables.")

    static let all: [Setting] = [namespace, json] + LoggerSettings.all + NatsSettings.all
}

/// `--logger.*`.
enum LoggerSettings {
    static let targets = ["std", "file", "nats"]
    static let levels = ["fatal", "error", "warn", "info", "debug", "trace"]
    static let timeFormats = ["DateTime", "TimeOnly", "DateOnly", "Stamp", "RFC822", "RFC3339"]

    static let target = Setting(
        "logger.target", .choiceList(targets), default: .array([.string("std")]), help: "Where logs go: std, file, nats (repeatable).", value: "target")
    static let level = Setting(
        "logger.level", .choice(levels), default: .string("info"), help: "fatal, error, warn, info, debug or trace.", value: "level", short: "l")
    static let color = Setting("logger.color", .bool, default: .bool(false), help: "Colour the level names.")
    static let short = Setting("logger.short", .bool, default: .bool(false), help: "Three-letter level names (INF, ERR, …).")
    static let timeFormat = Setting(
        "logger.timefmt", .choice(timeFormats), default: .string("DateTime"), help: "DateTime, TimeOnly, DateOnly, Stamp, RFC822 or RFC3339.",
        value: "format")
    static let withPID = Setting("logger.with-pid", .bool, default: .bool(false), help: "Add the process id to log lines.")
    static let groupOnRight = Setting("logger.group-on-right", .bool, default: .bool(false), help: "Put the log group after the message.")
    static let lineInfo = Setting("logger.line-info", .bool, default: .bool(false), help: "Add the source file and line to log lines.")

    static let all = [target, level, color, short, timeFormat, withPID, groupOnRight, lineInfo]
}

/// `--nats.*`.
enum NatsSettings {
    static let context = Setting(
        "nats.context", .string, default: .string(""), help: "A NATS CLI context; when it exists it takes priority over the other --nats flags.",
        value: "name")
    static let servers = Setting(
        "nats.servers", .stringList, default: .array([]), help: "NATS server URLs (repeatable or comma-separated).", value: "url", short: "s")
    static let nkey = Setting("nats.nkey", .string, default: .string(""), help: "User public nkey (U…), used with --nats.seed.", value: "key")
    static let seed = Setting(
        "nats.seed", .string, default: .string(""), help: "User seed (SU…) for nkey or JWT authentication.", value: "seed", secret: true)
    static let jwt = Setting("nats.jwt", .string, default: .string(""), help: "User JWT, used with --nats.seed.", value: "jwt", secret: true)
    static let user = Setting("nats.user", .string, default: .string(""), help: "User name.", value: "user")
    static let password = Setting("nats.password", .string, default: .string(""), help: "Password.", value: "password", secret: true)
    static let connectionName = Setting(
        "nats.conn-name", .string, default: .string("nex-\(NexVersion.current)"), help: "Connection name shown by the server.", value: "name")
    static let credsFile = Setting("nats.creds-file", .string, default: .string(""), help: "A .creds file (user JWT and seed).", value: "file")
    static let timeout = Setting(
        "nats.timeout", .duration, default: .string("0s"), help: "Timeout of requests to the nodes, e.g. 10s.", value: "duration",
        defaultHelp: "per request")
    static let tlsCert = Setting("nats.tlscert", .string, default: .string(""), help: "TLS client certificate.", value: "file")
    static let tlsKey = Setting("nats.tlskey", .string, default: .string(""), help: "TLS client key.", value: "file")
    static let tlsCA = Setting("nats.tlsca", .string, default: .string(""), help: "TLS certificate authority.", value: "file")
    static let tlsFirst = Setting("nats.tlsfirst", .bool, default: .bool(false), help: "Start TLS before the NATS handshake.")
    // issue 12: private inboxes
    /// The inbox prefix of the node's / CLI's own connections; empty = `_INBOX`.
    static let inboxPrefix = Setting(
        "nats.inbox-prefix", .string, default: .string(""),
        help: "Prefix of this connection's reply inboxes, for credentials that may subscribe only <prefix>.>.", value: "prefix", defaultHelp: "_INBOX")

    static let all = [context, servers, nkey, seed, jwt, user, password, connectionName, credsFile, timeout, tlsCert, tlsKey, tlsCA, tlsFirst,
                      // issue 12: private inboxes
                      inboxPrefix]
}
