/// Names for workloads deployed without one: `adjective-noun`, as the reference does, but derived from the
/// workload id, so a workload replayed after a restart (the node stores the request without the invented
/// name) keeps its name.
enum WorkloadNames {
    private static let adjectives = [
        "amber", "brave", "calm", "clever", "crisp", "curious", "daring", "eager", "gentle", "golden", "happy",
        "hidden", "jolly", "keen", "lively", "lucky", "mellow", "nimble", "patient", "proud", "quiet", "rapid",
        "silent", "steady", "sunny", "swift", "tidy", "vivid", "wise", "young",
    ]
    private static let nouns = [
        "badger", "beacon", "brook", "canyon", "comet", "falcon", "fern", "forest", "glacier", "harbor", "heron",
        "island", "lantern", "maple", "meadow", "otter", "pebble", "pine", "planet", "prairie", "raven", "river",
        "sparrow", "summit", "thunder", "tiger", "valley", "walrus", "willow", "zephyr",
    ]

    static func name(for workloadID: String) -> String {
        // FNV-1a: stable across runs and platforms (unlike Hasher).
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in workloadID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let adjective = adjectives[Int(hash % UInt64(adjectives.count))]
        let noun = nouns[Int((hash / UInt64(adjectives.count)) % UInt64(nouns.count))]
        return "\(adjective)-\(noun)"
    }
}
