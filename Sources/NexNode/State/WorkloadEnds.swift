import Foundation
import NATSKit
import NexProtocol

extension NodeCore {
    /// Forgets a workload's desired state (stopped, or ended on its own): drops its placement from the
    /// placements and its record from the state store. The one path for it; unknown ids are fine, and an empty
    /// `workloadType` makes the store look the record up by id.
    func forgetWorkload(_ workloadID: String, workloadType: String) async {
        // issue 14: its quota lease goes with it.
        if let placement = placements.remove(workloadID) {
            await releaseQuota(namespace: placement.namespace, workloadID: workloadID)
        }
        metrics.forget(workloadID)
        do {
            try await options.state.remove(workloadType: workloadType, workloadID: workloadID)
        } catch {
            logger.error("failed to remove workload state", metadata: ["workload": "\(workloadID)", "error": "\(error)"])
        }
    }

    /// Forgets the desired state of workloads that ended on their own (a job finished, a service gave up,
    /// a stop): agents announce every end with `WORKLOADSTOPPED`. While the node is draining (lameduck) or
    /// stopping, ends are expected and the desired state is kept, so a restarted node brings them back.
    ///
    /// Any agent credential may publish that event for any workload (issue 12), so it is only a hint: the
    /// workload must be placed on an agent of this node, in the event's namespace, and that agent must
    /// confirm (QUERYWORKLOADS on its own subject) that it no longer runs it. The caller holds the returned
    /// subscription until the node stops.
    func watchWorkloadEnds() throws -> NatsSubscription {
        try connection.subscribe(NexSubject.event(from: "*", name: .workloadStopped)) { [self] message in
            guard state == .running, !isLameduck,
                  let event = try? GoJSON.decode(WorkloadStoppedEvent.self, from: message.payload),
                  let placement = placements.placement(event.id),
                  event.namespace == placement.namespace,
                  message.subject == NexSubject.event(from: placement.namespace, name: .workloadStopped) else { return }
            Task {
                guard await agentNoLongerRuns(placement) else {
                    logger.warning("ignored WORKLOADSTOPPED: the workload's agent still runs it", metadata: [
                        "workload": "\(placement.workloadID)", "agent_id": "\(placement.agentID)",
                    ])
                    return
                }
                // A stop or another confirmation may have handled it meanwhile.
                guard placements.placement(placement.workloadID) == placement else { return }
                await forgetWorkload(placement.workloadID, workloadType: placement.workloadType)
            }
        }
    }
}
