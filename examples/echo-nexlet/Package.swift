// swift-tools-version:6.0
// A third-party nexlet built on the nex-swift SDK: it registers remotely (RREGISTER) with a node and runs
// "echo" workloads. It depends on the nex-swift package two directories up.
import PackageDescription

let package = Package(
    name: "echo-nexlet",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "nex-swift", path: "../.."),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "echo-nexlet",
            dependencies: [
                .product(name: "Nexlet", package: "nex-swift"),
                .product(name: "NATSKit", package: "nex-swift"),
                .product(name: "NexProtocol", package: "nex-swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
