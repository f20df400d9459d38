import Foundation
import NexProtocol

/// Table renderings of workload summaries.
enum WorkloadViews {
    static func sorted(_ workloads: [WorkloadSummary]) -> [WorkloadSummary] {
        workloads.sorted { ($0.namespace ?? "", $0.name, $0.id) < ($1.namespace ?? "", $1.name, $1.id) }
    }

    static func table(_ workloads: [WorkloadSummary], namespace: String, showMetadata: Bool, now: Date = Date()) -> Table {
        let system = namespace == NexConstants.systemNamespace
        var headers = ["Id", "Name"]
        if system { headers.append("Namespace") }
        headers += ["Start Time", "Execution Time", "Type", "Lifecycle", "State"]
        if showMetadata { headers += ["Metadata", "Tags"] }
        var table = Table(title: "Running Workloads - \(namespace)", headers: headers)
        for workload in workloads {
            var row = [workload.id, workload.name]
            if system { row.append(workload.namespace ?? "--") }
            row += [
                TimeText.ago(rfc3339: workload.startTime, now: now),
                workload.workloadLifecycle == WorkloadLifecycle.function.rawValue && !workload.runtime.isEmpty ? workload.runtime : "--",
                workload.workloadType, workload.workloadLifecycle, workload.workloadState.rawValue,
            ]
            if showMetadata { row += [NodeViews.tagText(workload.metadata), NodeViews.tagText(workload.tags)] }
            table.append(row)
        }
        return table
    }
}
