import JSONSchema
import NexProtocol

/// The settings every command has: namespace, output format, logging and the NATS connection (the Go CLI's
/// global flags, credentials-state-native-cli.md §5.2).
enum GlobalSettings {
    static let namespace = Setting("namespace", .string, default: .string(NexConstants.systemNamespace), environment: "NEX_NAMESPACE")
    static let json = Setting("json", .bool, default: .bool(false))

    static let all: [Setting] = [namespace, json] + LoggerSettings.all + NatsSettings.all
}

/// `--logger.*`.
enum LoggerSettings {
    static let targets = ["std", "file", "nats"]
    static let levels = ["fatal", "error", "warn", "info", "debug", "trace"]
    static let timeFormats = ["DateTime", "TimeOnly", "DateOnly", "Stamp", "RFC822", "RFC3339"]

    static let target = Setting("logger.target", .choiceList(targets), default: .array([.string("std")]))
    static let level = Setting("logger.level", .choice(levels), default: .string("info"))
    static let color = Setting("logger.color", .bool, default: .bool(false))
    static let short = Setting("logger.short", .bool, default: .bool(false))
    static let timeFormat = Setting("logger.timefmt", .choice(timeFormats), default: .string("DateTime"))
    static let withPID = Setting("logger.with-pid", .bool, default: .bool(false))
    static let groupOnRight = Setting("logger.group-on-right", .bool, default: .bool(false))
    static let lineInfo = Setting("logger.line-info", .bool, default: .bool(false))

    static let all = [target, level, color, short, timeFormat, withPID, groupOnRight, lineInfo]
}

/// `--nats.*`.
enum NatsSettings {
    static let context = Setting("nats.context", .string, default: .string(""))
    static let servers = Setting("nats.servers", .stringList, default: .array([]))
    static let nkey = Setting("nats.nkey", .string, default: .string(""))
    static let seed = Setting("nats.seed", .string, default: .string(""), secret: true)
    static let jwt = Setting("nats.jwt", .string, default: .string(""), secret: true)
    static let user = Setting("nats.user", .string, default: .string(""))
    static let password = Setting("nats.password", .string, default: .string(""), secret: true)
    static let connectionName = Setting("nats.conn-name", .string, default: .string("nex-\(NexVersion.current)"))
    static let credsFile = Setting("nats.creds-file", .string, default: .string(""))
    static let timeout = Setting("nats.timeout", .duration, default: .string("0s"))
    static let tlsCert = Setting("nats.tlscert", .string, default: .string(""))
    static let tlsKey = Setting("nats.tlskey", .string, default: .string(""))
    static let tlsCA = Setting("nats.tlsca", .string, default: .string(""))
    static let tlsFirst = Setting("nats.tlsfirst", .bool, default: .bool(false))
    // issue 12: private inboxes
    /// The inbox prefix of the node's / CLI's own connections; empty = `_INBOX`.
    static let inboxPrefix = Setting("nats.inbox-prefix", .string, default: .string(""))

    static let all = [context, servers, nkey, seed, jwt, user, password, connectionName, credsFile, timeout, tlsCert, tlsKey, tlsCA, tlsFirst,
                      // issue 12: private inboxes
                      inboxPrefix]
}
