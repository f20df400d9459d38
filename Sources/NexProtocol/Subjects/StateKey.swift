/// Names in the node's JetStream KV state store: bucket `nex-<nodeId>`, keys `<workload_type>_<workloadId>`,
/// values = `StartWorkloadRequest` JSON.
public enum StateKey {
    /// `nex-<nodeId>`
    public static func bucket(nodeID: String) -> String {
        "nex-\(nodeID)"
    }

    /// `<workload_type>_<workloadId>`
    public static func key(workloadType: String, workloadID: String) -> String {
        "\(workloadType)_\(workloadID)"
    }

    /// `<workload_type>_`: the full prefix (with the separator) of every key of one type.
    public static func prefix(workloadType: String) -> String {
        "\(workloadType)_"
    }

    /// Splits a key at its last `_` (ids never contain `_`; types may). Nil when there is no `_` or the id
    /// part is empty.
    public static func parse(_ key: String) -> (workloadType: String, workloadID: String)? {
        guard let separator = key.lastIndex(of: "_") else { return nil }
        let id = String(key[key.index(after: separator)...])
        guard !id.isEmpty else { return nil }
        return (String(key[..<separator]), id)
    }
}
