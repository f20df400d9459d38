// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nex-swift",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nex", targets: ["NexCLI"]),
        .executable(name: "nex-bench", targets: ["NexBench"]),
        .library(name: "NATSKit", targets: ["NATSKit"]),
        .library(name: "NexProtocol", targets: ["NexProtocol"]),
        .library(name: "Minter", targets: ["Minter"]),
        .library(name: "JSONSchema", targets: ["JSONSchema"]),
        .library(name: "NexClient", targets: ["NexClient"]),
        .library(name: "NexNode", targets: ["NexNode"]),
        .library(name: "Nexlet", targets: ["Nexlet"]),
        .library(name: "ProcessKit", targets: ["ProcessKit"]),
        .library(name: "NATSSubjects", targets: ["NATSSubjects"]),
        .library(name: "NexNodeHTTP", targets: ["NexNodeHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // issue 14: metrics. The node counts through swift-metrics' API (a factory it is given, never the global
        // bootstrap); swift-prometheus renders them; FlyingFox serves /healthz, /readyz and /metrics.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C libraries from the distribution (apt: libnats-dev, libsodium-dev).
        .systemLibrary(name: "CNats", path: "Sources/CNats", pkgConfig: "libnats", providers: [.apt(["libnats-dev"])]),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),

        // The one Swift layer over nats.c. Nothing else imports CNats. (libsodium for the object-store SHA-256.)
        .target(name: "NATSKit", dependencies: ["CNats", "CSodium", "OffPool"]),
        // Off the cooperative pool: the one dispatch queue blocking calls run on, the one deadline thread.
        .target(name: "OffPool", dependencies: [.product(name: "HeapModule", package: "swift-collections")]),
        // Subjects, wire types and Go-compatible JSON of the nex protocol; the agent identity proof (signed with
        // Minter's nkeys) and the embedded-agent contract shared by the node and the nexlet SDK.
        .target(name: "NexProtocol", dependencies: [
            "GoJSONText", "NATSKit", "NATSSubjects", "JSONSchema", "Minter", .product(name: "Logging", package: "swift-log"),
        ]),
        // NKeys, XKeys, NATS JWTs and credential minting strategies (libsodium).
        .target(name: "Minter", dependencies: ["CSodium", "GoJSONText", "NATSSubjects"]),
        // Go's encoding/json string escaping (no dependencies; NexProtocol and Minter share it).
        .target(name: "GoJSONText"),
        // The one rule for names that become a single subject token (no dependencies; Minter and NexProtocol share it).
        .target(name: "NATSSubjects"),
        // A JSON-Schema validator (the subset nexlet start-request schemas use).
        .target(name: "JSONSchema"),
        // Reusable client of a nex cluster (what the CLI and other programs use).
        .target(name: "NexClient", dependencies: ["NATSKit", "NATSSubjects", "NexProtocol", "Minter", "OffPool"]),
        // The node: control plane, auctions, agent registry, health, state, events.
        .target(name: "NexNode", dependencies: [
            "NATSKit", "NATSSubjects", "NexProtocol", "Minter", "JSONSchema", "ProcessKit",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        // The node's HTTP endpoint (issue 14): /healthz, /readyz and Prometheus /metrics, a `Service` for the
        // node's group; process figures from /proc/self.
        .target(name: "NexNodeHTTP", dependencies: [
            "NexNode", "OffPool",
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The nexlet SDK (runner) and the native nexlet.
        .target(name: "Nexlet", dependencies: [
            "NATSKit", "NATSSubjects", "NexProtocol", "Minter", "JSONSchema", "ProcessKit", "OffPool",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Spawning and supervising OS processes (workloads, local nexlets): process groups, pidfd reaping
        // on one epoll thread, line-split output, restart policy, orphan detection.
        .target(name: "ProcessKit", dependencies: ["CProcessShim", "OffPool"]),
        // pidfd, waitid, epoll and GNU posix_spawn helpers for ProcessKit.
        .target(name: "CProcessShim"),
        // The `nex` executable.
        .executableTarget(name: "NexCLI", dependencies: [
            "NATSKit", "NATSSubjects", "NexProtocol", "Minter", "NexClient", "NexNode", "NexNodeHTTP", "Nexlet", "JSONSchema", "ProcessKit",
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),

        // Starts real nats-server processes (single, cluster, operator mode) for tests and benchmarks.
        .target(name: "NATSTestSupport", dependencies: ["NATSKit", .product(name: "Logging", package: "swift-log")]),
        // A nats-server in operator mode with Minter-made operator/account JWTs and a signing key (security tests).
        .target(name: "OperatorTestSupport", dependencies: ["Minter", "NATSKit", "NATSTestSupport"]),
        // The in-memory nexlet the node's and SDK's tests run against (speaks the full nexlet protocol).
        .target(name: "NexletTestSupport", dependencies: ["Nexlet", "NexProtocol", "NATSKit"]),
        // Plain nats.c request/reply loop: the baseline the benchmarks compare the wrapper against.
        .target(name: "CNatsBaseline", linkerSettings: [.linkedLibrary("nats")]),
        .executableTarget(name: "NexBench", dependencies: [
            "NATSKit", "NATSTestSupport", "CNatsBaseline", "NexClient", "NexProtocol", "Minter", "NexNode", "NexNodeHTTP",
        ]),

        .testTarget(name: "NATSKitTests", dependencies: ["NATSKit", "NATSTestSupport", "OffPool"]),
        .testTarget(name: "NexProtocolTests", dependencies: ["NexProtocol", "JSONSchema", "NATSSubjects", "NATSTestSupport"]),
        .testTarget(name: "MinterTests", dependencies: ["Minter", "NATSKit", "NATSTestSupport", "OperatorTestSupport"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "NATSTestSupport"]),
        .testTarget(name: "ProcessKitTests", dependencies: ["ProcessKit"]),
        .testTarget(name: "NexNodeTests", dependencies: ["NexNode", "NexNodeHTTP", "Nexlet", "NexletTestSupport", "NexClient", "NexProtocol", "NATSKit", "NATSTestSupport", "Minter", "OperatorTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "NexletTests", dependencies: ["Nexlet", "NexletTestSupport", "NexNode", "NexNodeHTTP", "NexClient", "NexProtocol", "NATSKit", "NATSTestSupport", "Minter", "ProcessKit", "OperatorTestSupport", "JSONSchema",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "NexCLITests", dependencies: ["NexClient", "NexProtocol", "NATSKit", "NATSTestSupport", "Minter", "JSONSchema"]),
    ],
    swiftLanguageModes: [.v6]
)
