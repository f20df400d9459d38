import ArgumentParser

/// `nex keys …`: create NKeys and XKeys, derive public keys, check keys and JWTs.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and check NKeys, XKeys and NATS JWTs.",
        subcommands: [KeysCreateCommand.self, KeysPublicCommand.self, KeysVerifyCommand.self]
    )

    @OptionGroup
    var globals: GlobalOptions
}
