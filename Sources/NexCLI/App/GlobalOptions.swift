import ArgumentParser

/// The flags every command accepts, before or after the command name (`nex --json node ls` and
/// `nex node ls --json`). They are parsed once by the root command and shared with the subcommands. Each
/// option is bound to its ``Setting`` (names, help and default come from there; see ``FlagValues/init(of:settings:unbound:)``).
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("A JSON config file read after the standard ones.", valueName: "file"))
    var config: String?

    @Option(GlobalSettings.namespace) var namespace: String?

    @Flag(name: .customLong("check"), help: "Print the resolved configuration with the source of every value, then exit.")
    var check = false

    @Flag(GlobalSettings.json) var json: Bool?

    // Flags of the Go CLI that do nothing; accepted so existing command lines keep working.
    @Flag(name: .customLong("disable-upgrade-check"), help: .hidden) var disableUpgradeCheck = false
    @Flag(name: .customLong("auto-upgrade"), help: .hidden) var autoUpgrade = false
    @Flag(name: .customLong("dev-mode"), help: .hidden) var devMode = false

    @OptionGroup
    var logger: LoggerFlags

    @OptionGroup
    var nats: NatsFlags

    /// The options here that feed no setting.
    static let unbound: Set<String> = ["config", "check", "disableUpgradeCheck", "autoUpgrade", "devMode", "jsDomain"]

    /// The global options that take a value (the word after them is not a command name).
    static let valueOptionNames: Set<String> = {
        var names: Set<String> = ["--config", "--nats.jsdomain"]
        for setting in GlobalSettings.all where setting.kind != .bool {
            names.insert(setting.flag)
            if let short = setting.short { names.insert("-\(short)") }
        }
        return names
    }()

    /// The settings these flags feed.
    var flagValues: FlagValues {
        get throws(CLIError) { try FlagValues(of: self, settings: GlobalSettings.all) }
    }
}

/// `--logger.*`.
struct LoggerFlags: ParsableArguments {
    @Option(LoggerSettings.target) var target: [String] = []
    @Option(LoggerSettings.level) var level: String?
    @Flag(LoggerSettings.color) var color: Bool?
    @Flag(LoggerSettings.short) var short: Bool?
    @Option(LoggerSettings.timeFormat) var timefmt: String?
    @Flag(LoggerSettings.withPID) var withPID: Bool?
    @Flag(LoggerSettings.groupOnRight) var groupOnRight: Bool?
    @Flag(LoggerSettings.lineInfo) var lineInfo: Bool?
}

/// `--nats.*`.
struct NatsFlags: ParsableArguments {
    @Option(NatsSettings.context) var context: String?
    @Option(NatsSettings.servers) var servers: [String] = []
    @Option(NatsSettings.nkey) var nkey: String?
    @Option(NatsSettings.seed) var seed: String?
    @Option(NatsSettings.jwt) var jwt: String?
    @Option(NatsSettings.user) var user: String?
    @Option(NatsSettings.password) var password: String?
    @Option(NatsSettings.connectionName) var connName: String?
    @Option(NatsSettings.credsFile) var credsFile: String?
    @Option(NatsSettings.timeout) var timeout: String?
    @Option(NatsSettings.tlsCert) var tlsCert: String?
    @Option(NatsSettings.tlsKey) var tlsKey: String?
    @Option(NatsSettings.tlsCA) var tlsCA: String?
    @Flag(NatsSettings.tlsFirst) var tlsFirst: Bool?

    @Option(name: .customLong("nats.jsdomain"), help: .hidden)
    var jsDomain: String?

    // issue 12: private inboxes
    @Option(NatsSettings.inboxPrefix) var inboxPrefix: String?
}
