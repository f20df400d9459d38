import Minter

/// The node's keys: its server key pair (id = public key, `N…`), its curve key pair and the key its stored
/// workloads are sealed with (derived from the server seed, see ``WorkloadStateSeal``).
struct NodeIdentity: Sendable {
    let keys: KeyPair
    let xkeys: XKeyPair
    let stateSeal: WorkloadStateSeal

    var id: String { keys.publicKey }
    var xkey: String { xkeys.publicKey }

    init(nodeSeed: String?, xkeySeed: String?) throws {
        if let nodeSeed {
            keys = try KeyPair(seed: nodeSeed, expecting: .server, role: "node")
        } else {
            keys = try KeyPair.generate(.server)
        }
        if let xkeySeed {
            xkeys = try XKeyPair(seed: xkeySeed, role: "node xkey")
        } else {
            xkeys = try XKeyPair.generate()
        }
        stateSeal = try WorkloadStateSeal(keys: keys)
    }
}
