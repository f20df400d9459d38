/// Names for workloads deployed without one: `adjective-noun`, as the reference does.
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

    static func random() -> String {
        "\(adjectives.randomElement() ?? "quiet")-\(nouns.randomElement() ?? "otter")"
    }
}
