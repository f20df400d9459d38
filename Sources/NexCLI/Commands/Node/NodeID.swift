import Minter

/// Node ids given on the command line.
enum NodeID {
    /// Node ids are server public keys (`N…`, 56 characters).
    static func check(_ id: String) throws(CLIError) {
        guard NKeys.isValidPublicKey(id, type: .server) else {
            throw CLIError("invalid node id \"\(id)\"", hint: "node ids are server public keys (N…, 56 characters) as \"nex node list\" shows them",
                           exitCode: ExitStatus.usage)
        }
    }
}
