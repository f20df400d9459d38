import Foundation
import NexProtocol

/// Table renderings of node answers.
enum NodeViews {
    /// Sorted by nexus, then name, then id.
    static func sorted(_ nodes: [NodePingResponse]) -> [NodePingResponse] {
        nodes.sorted { lhs, rhs in
            let left = (lhs.tags?[NexTag.nexus] ?? "", lhs.tags?[NexTag.node] ?? "", lhs.nodeID)
            let right = (rhs.tags?[NexTag.nexus] ?? "", rhs.tags?[NexTag.node] ?? "", rhs.nodeID)
            return left < right
        }
    }

    static func table(_ nodes: [NodePingResponse], now: Date = Date()) -> Table {
        var table = Table(title: "Nex Nodes", headers: ["Nexus", "ID (* = Lameduck Mode)", "Name", "Version", "Uptime", "State", "Running Agents"])
        for node in nodes {
            let lameduck = node.tags?[NexTag.lameduck] == "true" || node.state == .lameduck
            table.append([
                node.tags?[NexTag.nexus] ?? "[unknown]",
                node.nodeID + (lameduck ? "*" : ""),
                node.tags?[NexTag.node] ?? "[unknown]",
                node.version,
                TimeText.since(node.startTime, now: now),
                node.state.rawValue,
                String(node.agentCount),
            ])
        }
        return table
    }

    /// `k=v, k2=v2`, sorted by key.
    static func tagText(_ tags: NodeTags?) -> String {
        let pairs = (tags ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return pairs.isEmpty ? "--" : pairs.joined(separator: ", ")
    }
}
