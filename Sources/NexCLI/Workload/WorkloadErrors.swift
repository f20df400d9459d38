import NexClient
import NexProtocol

/// One-line explanations of why a workload could not be placed or started.
enum WorkloadErrors {
    static func noBids(_ auction: AuctionResult, type: String, namespace: String, tags: NodeTags?) -> CLIError {
        var details: [String] = []
        if let declines = auction.declineSummary { details.append(declines) }
        if let errors = auction.joinedError { details.append("errors: \(errors.description)") }
        let tagText = tags.map { " with tags \(NodeViews.tagText($0))" } ?? ""
        if details.isEmpty {
            return CLIError("no nodes answered the auction for workload type \"\(type)\"\(tagText) in namespace \"\(namespace)\"",
                            hint: "is a node with a \"\(type)\" nexlet running? try \"nex node list\"")
        }
        return CLIError("no node bid for workload type \"\(type)\"\(tagText) in namespace \"\(namespace)\" (\(details.joined(separator: "; ")))",
                        hint: "check the nodes' nexlets with \"nex node info <node-id>\"")
    }

    static func deployFailed(_ error: NexError, type: String) -> CLIError {
        switch error.status {
        case NexErrorCode.agent:
            return CLIError("the \(type) nexlet failed to start the workload: \(error.description)")
        case NexErrorCode.badRequest, NexErrorCode.forbidden, NexErrorCode.notFound:
            return CLIError("the node refused the workload: \(error.description)")
        default:
            return CLIError("the workload could not be deployed: \(error.description)",
                            hint: "the bid may have expired; try again, and check the node's log")
        }
    }
}
