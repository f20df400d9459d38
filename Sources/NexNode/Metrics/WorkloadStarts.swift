import Foundation
import NATSKit
import NexProtocol

extension NodeCore {
    /// Counts workload restarts: agents announce every start with `WORKLOADSTARTED` (the SDK on the first start,
    /// the native nexlet again on each restart), so a second one for a workload placed here is a restart. Like
    /// `WORKLOADSTOPPED` it is only believed for a workload placed on this node, in the event's namespace; it
    /// moves a counter and nothing else. The caller holds the returned subscription until the node stops.
    func watchWorkloadStarts() throws -> NatsSubscription {
        try connection.subscribe(NexSubject.event(from: "*", name: .workloadStarted)) { [self] message in
            guard let event = try? GoJSON.decode(WorkloadStartedEvent.self, from: message.payload),
                  let placement = placements.placement(event.id),
                  event.namespace == placement.namespace,
                  message.subject == NexSubject.event(from: placement.namespace, name: .workloadStarted) else { return }
            metrics.workloadStarted(placement)
        }
    }
}
