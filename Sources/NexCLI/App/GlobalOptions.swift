import ArgumentParser

/// The flags every command accepts, before or after the command name (`nex --json node ls` and
/// `nex node ls --json`). They are parsed once by the root command and shared with the subcommands.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("A JSON config file read after the standard ones.", valueName: "file"))
    var config: String?

    @Option(name: .customLong("namespace"), help: ArgumentHelp("The namespace to act in (env NEX_NAMESPACE, default system).", valueName: "name"))
    var namespace: String?

    @Flag(name: .customLong("check"), help: "Print the resolved configuration with the source of every value, then exit.")
    var check = false

    @Flag(name: .customLong("json"), inversion: .prefixedNo, help: "Print JSON (the wire objects) instead of tables.")
    var json: Bool?

    // Flags of the Go CLI that do nothing; accepted so existing command lines keep working.
    @Flag(name: .customLong("disable-upgrade-check"), help: .hidden) var disableUpgradeCheck = false
    @Flag(name: .customLong("auto-upgrade"), help: .hidden) var autoUpgrade = false
    @Flag(name: .customLong("dev-mode"), help: .hidden) var devMode = false

    @OptionGroup
    var logger: LoggerFlags

    @OptionGroup
    var nats: NatsFlags

    /// The global options that take a value (the word after them is not a command name).
    static let valueOptionNames: Set<String> = [
        "--config", "--namespace", "--logger.target", "--logger.level", "-l", "--logger.timefmt", "--nats.context",
        "--nats.servers", "-s", "--nats.nkey", "--nats.seed", "--nats.jwt", "--nats.user", "--nats.password",
        "--nats.conn-name", "--nats.creds-file", "--nats.timeout", "--nats.tlscert", "--nats.tlskey", "--nats.tlsca",
        "--nats.jsdomain",
        // issue 12: private inboxes
        "--nats.inbox-prefix",
    ]

    /// The settings these flags feed.
    var flagValues: FlagValues {
        var flags = FlagValues()
        flags.add(GlobalSettings.namespace, namespace)
        flags.add(GlobalSettings.json, json)
        flags.merge(logger.flagValues)
        flags.merge(nats.flagValues)
        return flags
    }
}

/// `--logger.*`.
struct LoggerFlags: ParsableArguments {
    @Option(name: .customLong("logger.target"), help: ArgumentHelp("Where logs go: std, file, nats (repeatable; default std).", valueName: "target"))
    var target: [String] = []

    @Option(name: [.customLong("logger.level"), .customShort("l")], help: ArgumentHelp("fatal, error, warn, info, debug or trace (default info).", valueName: "level"))
    var level: String?

    @Flag(name: .customLong("logger.color"), inversion: .prefixedNo, help: "Colour the level names.")
    var color: Bool?

    @Flag(name: .customLong("logger.short"), inversion: .prefixedNo, help: "Three-letter level names (INF, ERR, …).")
    var short: Bool?

    @Option(name: .customLong("logger.timefmt"), help: ArgumentHelp("DateTime, TimeOnly, DateOnly, Stamp, RFC822 or RFC3339 (default DateTime).", valueName: "format"))
    var timeFormat: String?

    @Flag(name: .customLong("logger.with-pid"), inversion: .prefixedNo, help: "Add the process id to log lines.")
    var withPID: Bool?

    @Flag(name: .customLong("logger.group-on-right"), inversion: .prefixedNo, help: "Put the log group after the message.")
    var groupOnRight: Bool?

    @Flag(name: .customLong("logger.line-info"), inversion: .prefixedNo, help: "Add the source file and line to log lines.")
    var lineInfo: Bool?

    var flagValues: FlagValues {
        var flags = FlagValues()
        flags.add(LoggerSettings.target, target)
        flags.add(LoggerSettings.level, level)
        flags.add(LoggerSettings.color, color)
        flags.add(LoggerSettings.short, short)
        flags.add(LoggerSettings.timeFormat, timeFormat)
        flags.add(LoggerSettings.withPID, withPID)
        flags.add(LoggerSettings.groupOnRight, groupOnRight)
        flags.add(LoggerSettings.lineInfo, lineInfo)
        return flags
    }
}

/// `--nats.*`.
struct NatsFlags: ParsableArguments {
    @Option(name: .customLong("nats.context"), help: ArgumentHelp("A NATS CLI context; when it exists it takes priority over the other --nats flags.", valueName: "name"))
    var context: String?

    @Option(name: [.customLong("nats.servers"), .customShort("s")], help: ArgumentHelp("NATS server URLs (repeatable or comma-separated).", valueName: "url"))
    var servers: [String] = []

    @Option(name: .customLong("nats.nkey"), help: ArgumentHelp("User public nkey (U…), used with --nats.seed.", valueName: "key"))
    var nkey: String?

    @Option(name: .customLong("nats.seed"), help: ArgumentHelp("User seed (SU…) for nkey or JWT authentication.", valueName: "seed"))
    var seed: String?

    @Option(name: .customLong("nats.jwt"), help: ArgumentHelp("User JWT, used with --nats.seed.", valueName: "jwt"))
    var jwt: String?

    @Option(name: .customLong("nats.user"), help: ArgumentHelp("User name.", valueName: "user"))
    var user: String?

    @Option(name: .customLong("nats.password"), help: ArgumentHelp("Password.", valueName: "password"))
    var password: String?

    @Option(name: .customLong("nats.conn-name"), help: ArgumentHelp("Connection name shown by the server.", valueName: "name"))
    var connectionName: String?

    @Option(name: .customLong("nats.creds-file"), help: ArgumentHelp("A .creds file (user JWT and seed).", valueName: "file"))
    var credsFile: String?

    @Option(name: .customLong("nats.timeout"), help: ArgumentHelp("Timeout of requests to the nodes, e.g. 10s (default: per request).", valueName: "duration"))
    var timeout: String?

    @Option(name: .customLong("nats.tlscert"), help: ArgumentHelp("TLS client certificate.", valueName: "file"))
    var tlsCert: String?

    @Option(name: .customLong("nats.tlskey"), help: ArgumentHelp("TLS client key.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .customLong("nats.tlsca"), help: ArgumentHelp("TLS certificate authority.", valueName: "file"))
    var tlsCA: String?

    @Flag(name: .customLong("nats.tlsfirst"), inversion: .prefixedNo, help: "Start TLS before the NATS handshake.")
    var tlsFirst: Bool?

    @Option(name: .customLong("nats.jsdomain"), help: .hidden)
    var jsDomain: String?

    // issue 12: private inboxes
    @Option(name: .customLong("nats.inbox-prefix"), help: ArgumentHelp("Prefix of this connection's reply inboxes (default _INBOX), for credentials that may subscribe only <prefix>.>.", valueName: "prefix"))
    var inboxPrefix: String?

    var flagValues: FlagValues {
        var flags = FlagValues()
        flags.add(NatsSettings.context, context)
        flags.add(NatsSettings.servers, servers)
        flags.add(NatsSettings.nkey, nkey)
        flags.add(NatsSettings.seed, seed)
        flags.add(NatsSettings.jwt, jwt)
        flags.add(NatsSettings.user, user)
        flags.add(NatsSettings.password, password)
        flags.add(NatsSettings.connectionName, connectionName)
        flags.add(NatsSettings.credsFile, credsFile)
        flags.add(NatsSettings.timeout, timeout)
        flags.add(NatsSettings.tlsCert, tlsCert)
        flags.add(NatsSettings.tlsKey, tlsKey)
        flags.add(NatsSettings.tlsCA, tlsCA)
        flags.add(NatsSettings.tlsFirst, tlsFirst)
        // issue 12: private inboxes
        flags.add(NatsSettings.inboxPrefix, inboxPrefix)
        return flags
    }
}
