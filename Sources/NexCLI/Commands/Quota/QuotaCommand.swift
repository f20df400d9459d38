import ArgumentParser
import Foundation
import JSONSchema
import NATSKit
import NATSSubjects
import NexNode
import NexProtocol

// issue 14: quotas per namespace
/// `nex quota set|ls|rm`: what each namespace may run across the nexus, kept in the nexus's JetStream KV bucket
/// `nex-quotas-<nexus>` and enforced by every node at deploy (decisions.md §14). System namespace only; the
/// bucket itself is reachable only with JetStream access, which workload and nexlet credentials never have.
struct QuotaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota",
        abstract: "Set, list and remove the quotas of namespaces (system namespace only).",
        discussion: """
            A quota bounds what one namespace runs across the whole nexus: workloads, and optionally the sum of \
            their limits.memory and limits.cpu. Every node checks it when it deploys; a deploy over quota fails \
            and nothing is started.
            """,
        subcommands: [QuotaSetCommand.self, QuotaListCommand.self, QuotaRemoveCommand.self]
    )

    @OptionGroup
    var globals: GlobalOptions
}

/// The settings of the quota commands: only the nexus, whose bucket they use. The limits of `quota set` are
/// arguments of one command, not settings: a config file or an environment variable must never set a quota.
enum QuotaSettings {
    static let all = [NodeUpSettings.nexus]
}

/// The quota commands' shared steps: checked namespace, system namespace, the bucket.
enum QuotaAccess {
    static func namespace(_ text: String) throws(CLIError) -> String {
        do {
            try SubjectToken.validate(text, as: "namespace")
        } catch {
            throw CLIError("invalid namespace \"\(text)\": \(error)", hint: "use a single NATS subject token such as \"acme\"", exitCode: ExitStatus.usage)
        }
        return text
    }

    /// Opens the bucket (`create`: make it when absent, for `set`); nil when it does not exist and `create` is false.
    static func book(_ connection: NatsConnection, nexus: String, create: Bool) async throws -> QuotaBook? {
        let bucket = QuotaBook.bucket(nexus: nexus)
        do {
            if create { return try await QuotaBook.open(connection: connection, nexus: nexus) }
            return try await QuotaBook.bind(connection: connection, nexus: nexus)
        } catch let error as NatsError where error.kind == .notFound {
            return nil
        } catch let error as NatsError where error.kind == .noResponders {
            throw CLIError("cannot use the quota bucket \(bucket): JetStream is not enabled on this NATS server")
        } catch {
            throw CLIError("cannot use the quota bucket \(bucket): \(error)", hint: "quotas need a NATS user with JetStream access (the system's)")
        }
    }

    static func quotaJSON(_ quota: NamespaceQuota) -> JSONValue {
        .object([
            "max_workloads": .integer(Int64(quota.maxWorkloads)),
            "max_memory": quota.maxMemory.map { .integer($0) } ?? .null,
            "max_cpu": quota.maxCPU.map { .number($0) } ?? .null,
        ])
    }

    static func summary(_ quota: NamespaceQuota) -> String {
        var parts = ["\(quota.maxWorkloads) workloads"]
        if let memory = quota.maxMemory { parts.append("\(ByteSize(bytes: memory)) memory") }
        if let cpu = quota.maxCPU { parts.append("\(CPUText.cores(cpu)) cores") }
        return parts.joined(separator: ", ")
    }
}

/// `nex quota set <namespace> --max-workloads N [--max-memory 2GiB] [--max-cpu 4]`.
struct QuotaSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set (or replace) the quota of a namespace.")

    @Argument(help: ArgumentHelp("The namespace.", valueName: "namespace"))
    var namespace: String

    // `.unconditional`: a value such as -1 is read as the value (and refused by name), not as an unknown flag.
    @Option(name: .customLong("max-workloads"), parsing: .unconditional, help: ArgumentHelp("Most workloads the namespace runs at once, across the nexus.", valueName: "n"))
    var maxWorkloads: String

    @Option(name: .customLong("max-memory"), parsing: .unconditional, help: ArgumentHelp("Most memory in the sum of its workloads' limits.memory, e.g. 2GiB; workloads without limits.memory are then refused.", valueName: "size"))
    var maxMemory: String?

    @Option(name: .customLong("max-cpu"), parsing: .unconditional, help: ArgumentHelp("Most cores in the sum of its workloads' limits.cpu, e.g. 4; workloads without limits.cpu are then refused.", valueName: "cores"))
    var maxCPU: String?

    @Option(NodeUpSettings.nexus) var nexus: String?

    @OptionGroup
    var globals: GlobalOptions

    /// The quota the flags ask for; a bad value is a usage error naming the flag and the value.
    static func quota(namespace: String, maxWorkloads: String, maxMemory: String?, maxCPU: String?) throws(CLIError) -> NamespaceQuota {
        guard let workloads = Int(maxWorkloads.trimmingCharacters(in: .whitespaces)), workloads >= 0 else {
            throw CLIError("--max-workloads must be a whole number of 0 or more, got \"\(maxWorkloads)\"", exitCode: ExitStatus.usage)
        }
        var quota = NamespaceQuota(namespace: namespace, maxWorkloads: workloads)
        if let maxMemory {
            do {
                quota.maxMemory = try ByteSize(parsing: maxMemory).bytes
            } catch {
                throw CLIError("--max-memory: \(error)", exitCode: ExitStatus.usage)
            }
        }
        if let maxCPU {
            guard let cores = Double(maxCPU.trimmingCharacters(in: .whitespaces)), cores.isFinite, cores > 0 else {
                throw CLIError("--max-cpu must be a positive number of cores such as 4 or 0.5, got \"\(maxCPU)\"", exitCode: ExitStatus.usage)
            }
            quota.maxCPU = cores
        }
        return quota
    }

    func run() async throws {
        let flags = try FlagValues(of: self, settings: QuotaSettings.all, unbound: ["maxWorkloads", "maxMemory", "maxCPU"])
        guard let context = try CommandContext.make(globals: globals, settings: QuotaSettings.all, flags: flags) else { return }
        try context.requireSystemNamespace("quota set")
        let quota = try Self.quota(namespace: try QuotaAccess.namespace(namespace), maxWorkloads: maxWorkloads, maxMemory: maxMemory, maxCPU: maxCPU)
        let nexus = context.settings.string(NodeUpSettings.nexus)
        try await context.withSession { session in
            guard let book = try await QuotaAccess.book(session.connection, nexus: nexus, create: true) else {
                throw CLIError("cannot create the quota bucket \(QuotaBook.bucket(nexus: nexus))")
            }
            do {
                try await book.setQuota(quota)
            } catch {
                throw CLIError("writing the quota of namespace \(quota.namespace) failed: \(error)")
            }
        }
        if context.json {
            context.printJSON(.object([quota.namespace: QuotaAccess.quotaJSON(quota)]))
        } else {
            Console.out("Quota of namespace \(quota.namespace) set: \(QuotaAccess.summary(quota))")
        }
    }
}

/// `nex quota ls` (alias `list`): every namespace's quota and current use.
struct QuotaListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the quotas and current use of every namespace.", aliases: ["list"])

    @Option(NodeUpSettings.nexus) var nexus: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: QuotaSettings.all)
        guard let context = try CommandContext.make(globals: globals, settings: QuotaSettings.all, flags: flags) else { return }
        try context.requireSystemNamespace("quota ls")
        let nexus = context.settings.string(NodeUpSettings.nexus)
        let reports = try await context.withSession { session -> [NamespaceQuotaReport] in
            guard let book = try await QuotaAccess.book(session.connection, nexus: nexus, create: false) else { return [] }
            do {
                return try await book.report()
            } catch {
                throw CLIError("reading the quota bucket \(QuotaBook.bucket(nexus: nexus)) failed: \(error)")
            }
        }
        if context.json {
            var members: [String: JSONValue] = [:]
            for report in reports {
                members[report.namespace] = .object([
                    "quota": report.quota.map(QuotaAccess.quotaJSON) ?? .null,
                    "used": .object([
                        "workloads": .integer(Int64(report.usage.workloads)),
                        "memory": .integer(report.usage.memory),
                        "cpu": .number(report.usage.cpu),
                    ]),
                ])
            }
            context.printJSON(.object(members))
            return
        }
        guard !reports.isEmpty else {
            Console.out("No quotas or usage in nexus \(nexus)")
            return
        }
        var table = Table(title: "Namespace Quotas - \(nexus)", headers: ["Namespace", "Workloads", "Memory", "CPU"])
        for report in reports {
            let usage = report.usage
            let quota = report.quota
            table.append([
                report.namespace,
                "\(usage.workloads) / \(quota.map { String($0.maxWorkloads) } ?? "-")",
                "\(ByteSize(bytes: usage.memory)) / \(quota?.maxMemory.map { ByteSize(bytes: $0).description } ?? "-")",
                "\(CPUText.cores(usage.cpu)) / \(quota?.maxCPU.map(CPUText.cores) ?? "-")",
            ])
        }
        Console.out(table.render())
    }
}

/// `nex quota rm <namespace>` (alias `remove`).
struct QuotaRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove the quota of a namespace.", aliases: ["remove"])

    @Argument(help: ArgumentHelp("The namespace.", valueName: "namespace"))
    var namespace: String

    @Option(NodeUpSettings.nexus) var nexus: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: QuotaSettings.all)
        guard let context = try CommandContext.make(globals: globals, settings: QuotaSettings.all, flags: flags) else { return }
        try context.requireSystemNamespace("quota rm")
        let namespace = try QuotaAccess.namespace(self.namespace)
        let nexus = context.settings.string(NodeUpSettings.nexus)
        let removed = try await context.withSession { session -> Bool in
            guard let book = try await QuotaAccess.book(session.connection, nexus: nexus, create: false) else { return false }
            do {
                return try await book.removeQuota(of: namespace)
            } catch {
                throw CLIError("removing the quota of namespace \(namespace) failed: \(error)")
            }
        }
        guard removed else {
            throw CLIError("namespace \(namespace) has no quota in nexus \(nexus)", hint: "see \"nex quota ls\"")
        }
        if context.json {
            context.printJSON(.object(["removed": .string(namespace)]))
        } else {
            Console.out("Quota of namespace \(namespace) removed")
        }
    }
}
