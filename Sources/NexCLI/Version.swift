/// The version `nex` reports (semantic, as the node's micro service requires).
enum NexVersion {
    static let current = "0.1.0"
    static let commit = "development"
    static let buildDate = "unknown"

    /// What `nex --version` prints, in the Go CLI's shape: `<version> [<commit>] | Built: <date>`.
    static var description: String { "\(current) [\(commit)] | Built: \(buildDate)" }
}
