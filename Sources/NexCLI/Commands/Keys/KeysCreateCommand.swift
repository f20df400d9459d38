import ArgumentParser
import JSONSchema
import Minter

/// `nex keys create --type server|curve|account|user|operator`.
struct KeysCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a key pair and print its public key and seed.",
        discussion: "Types: server (node ids, SN…), curve (xkeys, SX…), account, user, operator, cluster."
    )

    @Option(name: .customLong("type"), help: ArgumentHelp("server, curve, account, user, operator or cluster.", valueName: "type"))
    var type: String

    // issue 12: limits
    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Write the seed to this new file (0600) instead of printing it, e.g. for --node-seed-file.", valueName: "file"))
    var output: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        guard let keyType = KeyText.type(named: type) else {
            throw CLIError("unknown key type \"\(type)\"", hint: "use one of \(KeyText.typeNames.joined(separator: ", "))", exitCode: ExitStatus.usage)
        }
        let publicKey: String
        let seed: String
        do {
            if keyType == .curve {
                let keys = try XKeyPair.generate()
                publicKey = keys.publicKey
                seed = keys.seed ?? ""
            } else {
                let keys = try KeyPair.generate(keyType)
                publicKey = keys.publicKey
                seed = keys.seed ?? ""
            }
        } catch {
            throw CLIError("cannot create a \(keyType) key: \(error)")
        }
        if let output {
            do {
                try PrivateFiles.write(seed + "\n", to: output, replacing: false)
            } catch {
                throw CLIError("cannot write \(output): \(error)", hint: "nex keys create never overwrites a file", exitCode: ExitStatus.usage)
            }
            if context.json {
                context.printJSON(.object(["type": .string(keyType.rawValue), "public_key": .string(publicKey), "seed_file": .string(output)]))
            } else {
                Console.out("Public key: \(publicKey)")
                Console.out("Seed file:  \(output)")
            }
            return
        }
        if context.json {
            context.printJSON(.object(["type": .string(keyType.rawValue), "public_key": .string(publicKey), "seed": .string(seed)]))
        } else {
            Console.out("Public key: \(publicKey)")
            Console.out("Seed:       \(seed)")
        }
    }
}
