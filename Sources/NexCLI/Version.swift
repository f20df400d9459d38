/// The version `nex` reports (semantic, as the node's micro service requires).
enum NexVersion {
    static let current = "0.1.0"
}
