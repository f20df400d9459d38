import Foundation
import NexProtocol

/// The text of `node info`.
enum NodeInfoView {
    static func render(_ info: NodeInfoResponse, full: Bool, now: Date = Date()) -> String {
        var block = KeyValueBlock(title: "Information about Node \(info.nodeID)")
        block.append("Nexus", info.tags?[NexTag.nexus] ?? "[unknown]")
        block.append("Node Name", info.tags?[NexTag.node] ?? "[unknown]")
        block.append("Tags", NodeViews.tagText(info.tags))
        block.append("XKey", info.xkey)
        block.append("Uptime", TimeText.compact(info.uptime))
        block.append("Version", info.version)
        let agents = (info.nodeAgentSummaries ?? []).sorted {
            ($0.agentSummary.name, $0.agentID) < ($1.agentSummary.name, $1.agentID)
        }
        guard !agents.isEmpty else { return block.render() + "\n\nNo agents running" }
        var table: Table
        if full {
            table = Table(title: "Running Agents", headers: [
                "Health", "Id", "Name", "Workload Type", "Start Time", "State", "Supported Lifecycles", "Running Workloads", "Last Heartbeat",
            ])
            for agent in agents {
                let summary = agent.agentSummary
                table.append([
                    "\(agent.agentHealthStoplight) \(agent.agentHealth)", agent.agentID, nameText(summary), summary.type,
                    summary.startTime.isZero ? "--" : summary.startTime.rfc3339Seconds, summary.state.isEmpty ? "--" : summary.state,
                    summary.supportedLifecycles.isEmpty ? "--" : summary.supportedLifecycles, String(summary.workloadCount),
                    agent.agentLastHeartbeatTime.isZero ? "--" : agent.agentLastHeartbeatTime.rfc3339Seconds,
                ])
            }
        } else {
            table = Table(title: "Running Agents", headers: ["", "Name", "Workload Type", "Running Workloads"])
            for agent in agents {
                let summary = agent.agentSummary
                table.append([agent.agentHealthStoplight, nameText(summary), summary.type, String(summary.workloadCount)])
            }
        }
        return block.render() + "\n\n" + table.render()
    }

    /// `name [version]`, or `--` before the first heartbeat.
    private static func nameText(_ summary: AgentSummary) -> String {
        if summary.name.isEmpty { return "--" }
        return summary.version.isEmpty ? summary.name : "\(summary.name) [\(summary.version)]"
    }
}
