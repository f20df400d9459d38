import ArgumentParser
import JSONSchema
import Minter

/// `nex keys public <seed>`: the public key of a seed.
struct KeysPublicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public",
        abstract: "Print the public key of a seed (- reads the seed from stdin)."
    )

    @Argument(help: ArgumentHelp("An encoded seed (S…), or - to read it from stdin.", valueName: "seed"))
    var seed: String

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        let text = try KeyText.read(seed, what: "seed")
        let decoded: NKeys.Decoded
        do {
            decoded = try NKeys.decodeSeed(text)
        } catch {
            throw CLIError("not a valid seed: \(error)", hint: "seeds start with S and are 58 characters long", exitCode: ExitStatus.failure)
        }
        let publicKey: String
        do {
            publicKey = decoded.type == .curve
                ? try XKeyPair(rawSeed: decoded.raw).publicKey
                : try KeyPair(rawSeed: decoded.raw, type: decoded.type).publicKey
        } catch {
            throw CLIError("cannot derive the public key: \(error)")
        }
        if context.json {
            context.printJSON(.object(["type": .string(decoded.type.rawValue), "public_key": .string(publicKey)]))
        } else {
            Console.out(publicKey)
        }
    }
}
